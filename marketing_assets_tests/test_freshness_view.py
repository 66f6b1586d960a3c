"""marketing.data_freshness: last loaded hour, lag and status per client and platform."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import psycopg2.errors
import psycopg2.extensions
import pytest

from marketing_assets.freshness.evaluate import ClientFreshness, read_client_freshness
from marketing_assets.registry import parse_registry
from marketing_assets.storage.clients import sync_freshness_settings
from marketing_assets.storage.connection import connect
from marketing_assets.storage.postgres_client import ensure_migrated

AS_OF = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
CLIENT_NAMES = ("fresh", "late", "stale", "never")
REGISTRY = parse_registry(
    "clients:"
    + "".join(
        f"""
  - id: view-{name}
    name: View {name}
    time_zone: UTC
    currency: EUR
    accounts: {{google_ads: ["10000000{index:02d}"]}}
    freshness: {{warn_after_minutes: 30, fail_after_minutes: 90}}
"""
        for index, name in enumerate(CLIENT_NAMES, start=1)
    )
)
# Hour starts. Lag counts from the end of the hour, so these lags are 29, 30 and 90 minutes:
# just under warn, exactly warn, exactly fail.
LAST_HOURS = {
    "view-fresh": AS_OF - timedelta(minutes=89),
    "view-late": AS_OF - timedelta(minutes=90),
    "view-stale": AS_OF - timedelta(minutes=150),
}
LOADED_AT = AS_OF - timedelta(minutes=5)


@pytest.fixture
def connection(database_url: str) -> Iterator[psycopg2.extensions.connection]:
    """A connection whose writes are rolled back, so no other test sees these clients."""
    ensure_migrated(database_url)
    connection = connect(database_url)
    try:
        sync_freshness_settings(connection, REGISTRY.clients, now=AS_OF)
        write_hours(connection)
        yield connection
    finally:
        connection.rollback()
        connection.close()


def write_hours(connection: psycopg2.extensions.connection) -> None:
    with connection.cursor() as cursor:
        for client_id, last_hour in LAST_HOURS.items():
            for hour in (last_hour - timedelta(hours=1), last_hour):
                cursor.execute(
                    "INSERT INTO marketing.partition_hashes VALUES"
                    " ('google_ads_campaign_performance_hourly', %s, %s, 'h', 0, %s, %s, 'r')",
                    (client_id, hour, LOADED_AT, LOADED_AT),
                )


def rows_by_client(connection: psycopg2.extensions.connection) -> dict[str, ClientFreshness]:
    return {row.client_id: row for row in read_client_freshness(connection, as_of=AS_OF)}


def test_status_follows_client_thresholds(connection):
    rows = rows_by_client(connection)
    assert rows["view-fresh"].status == "fresh"
    assert rows["view-late"].status == "late"
    assert rows["view-stale"].status == "stale"
    assert rows["view-fresh"].lag == timedelta(minutes=29)
    assert rows["view-stale"].lag == timedelta(minutes=90)


def test_view_gives_last_hour_and_load_time(connection):
    row = rows_by_client(connection)["view-late"]
    assert row.last_loaded_utc_hour == LAST_HOURS["view-late"]
    assert row.loaded_at == LOADED_AT
    assert (row.warn_after_minutes, row.fail_after_minutes) == (30, 90)


def test_never_loaded_client_is_stale(connection):
    row = rows_by_client(connection)["view-never"]
    assert row.status == "stale"
    assert row.last_loaded_utc_hour is None
    assert row.lag is None


def test_view_lists_only_registered_platforms(connection):
    platforms = {
        (row.client_id, row.platform) for row in read_client_freshness(connection, as_of=AS_OF)
    }
    assert ("view-fresh", "google_ads") in platforms
    assert ("view-fresh", "meta") not in platforms


def test_removed_client_leaves_view(connection):
    sync_freshness_settings(connection, REGISTRY.clients[:1], now=AS_OF)
    assert set(rows_by_client(connection)) == {"view-fresh"}


def test_view_uses_database_clock(connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT status FROM marketing.data_freshness WHERE client_id = 'view-fresh'")
        # Today is long past AS_OF, so every loaded hour of these clients is stale now.
        assert cursor.fetchone()[0] == "stale"


def test_dashboard_role_reads_freshness_view(connection):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL ROLE marketing_dashboard")
        cursor.execute(
            "SELECT count(*) FROM marketing.data_freshness WHERE client_id LIKE 'view-%'"
        )
        assert cursor.fetchone()[0] == len(CLIENT_NAMES)
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cursor.execute("SELECT count(*) FROM marketing.partition_hashes")
