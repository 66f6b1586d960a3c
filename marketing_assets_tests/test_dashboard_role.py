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
    "view",
    [
        "campaign_performance_hourly",
        "campaign_performance_daily",
        "platform_performance_daily",
        "client_performance_daily",
    ],
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
        "SELECT count(*) FROM marketing.google_ads_campaign_performance_hourly",
        "SELECT count(*) FROM marketing.meta_campaign_performance_hourly",
        "SELECT count(*) FROM marketing.google_ads_campaign_hourly_raw",
        "SELECT count(*) FROM marketing.tiktok_campaign_performance_hourly",
        "SELECT count(*) FROM marketing.tiktok_campaign_hourly_raw",
        "SELECT count(*) FROM marketing.microsoft_ads_campaign_performance_hourly",
        "SELECT count(*) FROM marketing.microsoft_ads_campaign_hourly_raw",
        "SELECT count(*) FROM marketing.linkedin_campaign_daily_raw",
        "SELECT count(*) FROM marketing.linkedin_campaign_performance_daily",
        "SELECT count(*) FROM marketing.daily_partition_hashes",
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


def test_daily_view_labels_spend_with_row_currency(database_url):
    ensure_migrated(database_url)
    connection = connect(database_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO marketing.clients VALUES ('fx-switch', 'FX Switch', 'UTC', 'EUR',"
                " now()) ON CONFLICT (client_id) DO NOTHING"
            )
            for hour, currency in ((1, "USD"), (2, "EUR")):
                cursor.execute(
                    "INSERT INTO marketing.meta_campaign_performance_hourly VALUES ('fx-switch',"
                    " 'meta', '1', '7', 'C', %s, '2026-03-02', %s, 'UTC', 'USD', 10, 1, 0, 0,"
                    " 0, now(), 'r', %s, 9, NULL)",
                    (f"2026-03-02 0{hour}:00+00", hour, currency),
                )
            cursor.execute(
                "SELECT reporting_currency, spend FROM marketing.client_performance_daily"
                " WHERE client_id = 'fx-switch' ORDER BY 1"
            )
            rows = cursor.fetchall()
        connection.rollback()
    finally:
        connection.close()
    assert [(currency, int(spend)) for currency, spend in rows] == [("EUR", 9), ("USD", 9)]
