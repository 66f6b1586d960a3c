"""The dashboard role reads the reporting views and no table."""

import psycopg2
import psycopg2.errors
import pytest

from marketing_assets.storage.connection import connect
from marketing_assets.storage.postgres_client import ensure_migrated


@pytest.fixture
def dashboard_login(database_url):
    ensure_migrated(database_url)
    connection = connect(database_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("DROP ROLE IF EXISTS dashboard_reader_test")
        cursor.execute("CREATE ROLE dashboard_reader_test LOGIN IN ROLE marketing_dashboard")
    yield connection
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
        cursor.execute("DROP ROLE dashboard_reader_test")
    connection.close()


@pytest.mark.parametrize(
    "view", ["campaign_performance_daily", "platform_performance_daily", "client_performance_daily"]
)
def test_dashboard_role_reads_views(dashboard_login, view):
    with dashboard_login.cursor() as cursor:
        cursor.execute("SET ROLE dashboard_reader_test")
        cursor.execute(f"SELECT count(*) FROM marketing.{view}")
        assert cursor.fetchone()[0] >= 0
        cursor.execute("RESET ROLE")


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT count(*) FROM marketing.campaign_performance_hourly",
        "SELECT count(*) FROM marketing.google_ads_campaign_hourly_raw",
        "SELECT count(*) FROM marketing.fx_rates",
        "DELETE FROM marketing.clients",
    ],
)
def test_dashboard_role_cannot_touch_tables(dashboard_login, statement):
    with dashboard_login.cursor() as cursor:
        cursor.execute("SET ROLE dashboard_reader_test")
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cursor.execute(statement)
        cursor.execute("RESET ROLE")
