"""Freshness of a daily-only platform: judged on complete days, in the client's time zone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import psycopg2.extensions
import pytest

from marketing_assets.freshness.alerts import recovered_alert, stale_alert, unified_asset_key
from marketing_assets.freshness.checks import freshness_check_name
from marketing_assets.freshness.evaluate import ClientFreshness, read_client_freshness
from marketing_assets.freshness.report import platform_outcome
from marketing_assets.platforms.linkedin.settings import REPORTING_DELAY
from marketing_assets.registry import parse_registry
from marketing_assets.storage.clients import sync_freshness_settings
from marketing_assets.storage.connection import connect
from marketing_assets.storage.postgres_client import ensure_migrated

REGISTRY = parse_registry(
    """
clients:
  - {id: day-fresh, name: Day Fresh, time_zone: UTC, currency: EUR,
     accounts: {linkedin: ["501"], google_ads: ["1000000091"]},
     freshness: {warn_after_minutes: 30, fail_after_minutes: 90}}
  - {id: day-late, name: Day Late, time_zone: UTC, currency: EUR,
     accounts: {linkedin: ["502"]}, freshness: {warn_after_minutes: 30, fail_after_minutes: 90}}
  - {id: day-stale, name: Day Stale, time_zone: UTC, currency: EUR,
     accounts: {linkedin: ["503"]}, freshness: {warn_after_minutes: 30, fail_after_minutes: 90}}
  - {id: day-never, name: Day Never, time_zone: UTC, currency: EUR,
     accounts: {linkedin: ["504"]}, freshness: {warn_after_minutes: 30, fail_after_minutes: 90}}
  - {id: day-kolkata, name: Day Kolkata, time_zone: Asia/Kolkata, currency: INR,
     accounts: {linkedin: ["505"]}, freshness: {warn_after_minutes: 30, fail_after_minutes: 90}}
"""
)
MAY_31 = date(2026, 5, 31)


def completed_at(day: date, time_zone: str = "UTC") -> datetime:
    """Return when LinkedIn's figures of ``day`` count as complete."""
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=ZoneInfo(time_zone))
    return end.astimezone(UTC) + REPORTING_DELAY


# Half an hour after May 31 became complete in UTC: clients still on May 30 are exactly at
# their warn threshold of 30 minutes.
AS_OF = completed_at(MAY_31) + timedelta(minutes=30)
# (client, day, checked_at): the last time each day's partition was written.
LOADS = [
    ("day-fresh", MAY_31 - timedelta(days=1), completed_at(MAY_31 - timedelta(days=1))),
    ("day-fresh", MAY_31, completed_at(MAY_31) + timedelta(minutes=10)),
    ("day-late", MAY_31 - timedelta(days=1), completed_at(MAY_31)),
    # Written while still incomplete, so it does not count yet.
    ("day-late", MAY_31, completed_at(MAY_31) - timedelta(minutes=1)),
    ("day-stale", MAY_31 - timedelta(days=2), completed_at(MAY_31)),
    # May 31 in Kolkata ended at 18:30 UTC, so it was complete long before AS_OF.
    ("day-kolkata", MAY_31, completed_at(MAY_31, "Asia/Kolkata") + timedelta(minutes=1)),
]


@pytest.fixture
def connection(database_url: str) -> Iterator[psycopg2.extensions.connection]:
    """A connection whose writes are rolled back, so these clients stay out of other tests."""
    ensure_migrated(database_url)
    connection = connect(database_url)
    try:
        sync_freshness_settings(connection, REGISTRY.clients, now=AS_OF)
        with connection.cursor() as cursor:
            for client_id, day, checked_at in LOADS:
                cursor.execute(
                    "INSERT INTO marketing.daily_partition_hashes VALUES"
                    " ('linkedin_campaign_performance_daily', %s, %s, 'h', 0, %s, %s, 'r')",
                    (client_id, day, checked_at, checked_at),
                )
        yield connection
    finally:
        connection.rollback()
        connection.close()


def linkedin_rows(connection: psycopg2.extensions.connection) -> dict[str, ClientFreshness]:
    return {
        row.client_id: row
        for row in read_client_freshness(connection, as_of=AS_OF)
        if row.platform == "linkedin" and row.client_id.startswith("day-")
    }


def test_daily_status_counts_from_next_day_completion(connection):
    rows = linkedin_rows(connection)
    assert rows["day-fresh"].status == "fresh"
    assert rows["day-fresh"].lag == timedelta(0)
    assert rows["day-late"].status == "late"
    assert rows["day-late"].lag == timedelta(minutes=30)
    assert rows["day-stale"].status == "stale"
    assert rows["day-stale"].lag == timedelta(days=1, minutes=30)


def test_daily_row_gives_last_complete_day_not_hour(connection):
    rows = linkedin_rows(connection)
    assert rows["day-fresh"].last_complete_day == MAY_31
    assert rows["day-fresh"].last_loaded_utc_hour is None
    assert rows["day-fresh"].loaded_at == completed_at(MAY_31) + timedelta(minutes=10)
    # The day written before it was complete leaves the previous day as the last complete one.
    assert rows["day-late"].last_complete_day == MAY_31 - timedelta(days=1)


def test_daily_never_loaded_client_is_stale(connection):
    row = linkedin_rows(connection)["day-never"]
    assert row.status == "stale"
    assert row.lag is None
    assert row.last_complete_day is None


def test_daily_day_ends_in_client_time_zone(connection):
    row = linkedin_rows(connection)["day-kolkata"]
    assert row.last_complete_day == MAY_31
    assert row.status == "fresh"


def test_daily_and_hourly_rows_stay_apart(connection):
    rows = {
        row.platform: row
        for row in read_client_freshness(connection, as_of=AS_OF)
        if row.client_id == "day-fresh"
    }
    assert set(rows) == {"google_ads", "linkedin"}
    assert rows["google_ads"].status == "stale"
    assert rows["google_ads"].last_complete_day is None
    assert rows["linkedin"].status == "fresh"


def test_daily_alerts_and_check_name_days(connection):
    rows = linkedin_rows(connection)
    stale = stale_alert(rows["day-stale"], dagster_ui_url="http://ui", as_of=AS_OF)
    assert stale.summary == (
        "linkedin data of Day Stale (day-stale) is stale: last complete day 2026-05-29, next "
        "day 24 h 30 min overdue (fail threshold 90 min)."
    )
    assert stale.custom_details["last_complete_day"] == "2026-05-29"
    assert stale.custom_details["last_good_hour"] is None
    assert stale.links[0][0] == (
        "http://ui/assets/linkedin_campaign_performance_daily?view=partitions"
    )
    never = stale_alert(rows["day-never"], dagster_ui_url="http://ui", as_of=AS_OF)
    assert "no complete day loaded yet" in never.summary
    fresh = recovered_alert(rows["day-fresh"], dagster_ui_url="http://ui", as_of=AS_OF)
    assert fresh.summary.endswith("is fresh again: last complete day 2026-05-31.")
    assert unified_asset_key("linkedin").path == ["linkedin_campaign_performance_daily"]
    assert (
        freshness_check_name("linkedin") == "linkedin_campaign_performance_daily_fresh_per_client"
    )


def test_daily_outcome_table_lists_days(connection):
    outcome = platform_outcome("linkedin", list(linkedin_rows(connection).values()), as_of=AS_OF)
    assert not outcome.passed
    table = outcome.metadata["clients_table"].value
    assert "| day-stale | stale | day 2026-05-29 |" in table
    assert "| day-fresh | fresh | day 2026-05-31 |" in table
