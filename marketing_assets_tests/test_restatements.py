"""Platforms restate past days, and re-reading a window must load the new numbers exactly.

The simulator restates a day in steps at fixed ages in days: Meta at 1, 2, 3, 7, 14 and 28 days,
Google Ads at 1, 2, 3, 7, 14 and at its 30-day conversion window. Between steps a day's numbers
stay fixed, so a re-run must leave those partitions untouched.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from marketing_assets.registry import AdAccount, Client
from marketing_assets.sync.lookback import full_lookback_days, is_full_run_hour, sync_window
from marketing_assets_tests.clock_environment import ClockEnvironment, clock_environment

CLIENT_ID = "restate-berlin"
REGISTRY = f"""
clients:
  - id: {CLIENT_ID}
    name: Restate Berlin
    time_zone: Europe/Berlin
    currency: EUR
    accounts:
      google_ads: ["6200000001"]
      meta: ["620000000001"]
"""
ACCOUNTS = (("google_ads", "6200000001"), ("meta", "620000000001"))

# 13:00 in Berlin on 2 November. Berlin keeps CET (+01:00) on every recent day used here.
FIRST_LOAD = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
# Berlin's 30 and 31 October, 3 and 2 days old at FIRST_LOAD.
STEADY_DAY = date(2026, 10, 30)
MOVING_DAY = date(2026, 10, 31)
RECENT_DAYS = [STEADY_DAY, MOVING_DAY]
RECENT_WINDOW = (datetime(2026, 10, 29, 23, tzinfo=UTC), datetime(2026, 10, 31, 23, tzinfo=UTC))
# 4 October (CEST, +02:00) is 29 days old at FIRST_LOAD: past Meta's last step (28 days), one
# day before Google's (30 days).
EDGE_DAY = date(2026, 10, 4)
EDGE_WINDOW = (datetime(2026, 10, 3, 22, tzinfo=UTC), datetime(2026, 10, 4, 22, tzinfo=UTC))

PARTITION_ROWS = """
SELECT utc_hour, array_agg(
    ROW(platform, account_id, campaign_id, campaign_name, local_date, local_hour, currency,
        spend, impressions, clicks, conversions, conversion_value, spend_reporting)::text
    ORDER BY platform, account_id, campaign_id)
FROM marketing.campaign_performance_hourly
WHERE client_id = %s AND utc_hour >= %s AND utc_hour < %s AND platform = ANY(%s)
GROUP BY utc_hour
"""
PLATFORMS = ("google_ads", "meta")


def partition_contents(
    environment: ClockEnvironment,
    window: tuple[datetime, datetime],
    platforms: tuple[str, ...] = PLATFORMS,
) -> dict[datetime, list[str]]:
    """Return each UTC hour's unified rows without the load columns, as comparable text."""
    rows = environment.query(PARTITION_ROWS, (CLIENT_ID, *window, list(platforms)))
    return dict(rows)


def run_ids_by_day(environment: ClockEnvironment) -> dict[date, set[str]]:
    rows = environment.query(
        "SELECT local_date, array_agg(DISTINCT dagster_run_id)"
        " FROM marketing.campaign_performance_hourly WHERE client_id = %s GROUP BY 1",
        (CLIENT_ID,),
    )
    return {local_date: set(run_ids) for local_date, run_ids in rows}


def partition_counts(
    result: dg.ExecuteInProcessResult, platform: str = "google_ads"
) -> tuple[int, int]:
    """Return (changed, unchanged) partitions one platform's unified asset reported."""
    materialization, *_ = result.asset_materializations_for_node(
        f"{platform}_campaign_performance_hourly"
    )
    metadata = materialization.metadata
    return metadata["partitions_changed"].value, metadata["partitions_unchanged"].value


def assert_loaded_days_equal_truth(environment: ClockEnvironment, days: list[date]) -> None:
    loaded = environment.loaded_day_totals()
    for platform, account_id in ACCOUNTS:
        for day in days:
            truth = environment.truth_for_day(platform, account_id, day)
            totals = loaded[(platform, account_id, day)]
            where = (platform, account_id, day)
            assert totals.spend == truth.spend, where
            assert totals.impressions == truth.impressions, where
            assert totals.clicks == truth.clicks, where
            assert totals.conversions == truth.conversions, where


@pytest.fixture(scope="module")
def environment(
    tmp_path_factory: pytest.TempPathFactory, database_url: str, dagster_storage_url: str
) -> Iterator[ClockEnvironment]:
    with clock_environment(
        REGISTRY,
        tmp_path_factory.mktemp("restatements"),
        now=FIRST_LOAD,
        database_url=database_url,
        dagster_storage_url=dagster_storage_url,
    ) as environment:
        environment.load_fx_rates()
        yield environment


def test_rereads_load_restated_numbers(environment: ClockEnvironment) -> None:
    environment.set_clock(FIRST_LOAD)
    first = environment.run_hourly(CLIENT_ID, *RECENT_WINDOW)
    assert_loaded_days_equal_truth(environment, RECENT_DAYS)
    first_truth = {day: environment.truth_for_day(*ACCOUNTS[1], day) for day in RECENT_DAYS}
    before = {platform: partition_contents(environment, RECENT_WINDOW, (platform,))
              for platform in PLATFORMS}  # fmt: skip
    assert len(partition_contents(environment, RECENT_WINDOW)) == 48

    environment.set_clock(FIRST_LOAD + timedelta(days=2))
    second = environment.run_hourly(CLIENT_ID, *RECENT_WINDOW)
    assert_loaded_days_equal_truth(environment, RECENT_DAYS)
    second_truth = {day: environment.truth_for_day(*ACCOUNTS[1], day) for day in RECENT_DAYS}
    after = {platform: partition_contents(environment, RECENT_WINDOW, (platform,))
             for platform in PLATFORMS}  # fmt: skip

    # Two days later the moving day (2 to 4 days old) has passed the 3-day step, while the
    # steady day (3 to 5 days old) waits for the 7-day step.
    assert second_truth[MOVING_DAY] != first_truth[MOVING_DAY]
    assert second_truth[STEADY_DAY] == first_truth[STEADY_DAY]

    for platform in PLATFORMS:
        # Hours without rows of this platform are written as empty partitions.
        hours = before[platform].keys() | after[platform].keys()
        moved = {hour for hour in hours if before[platform].get(hour) != after[platform].get(hour)}
        changed, unchanged = partition_counts(second, platform)
        assert changed == len(moved), platform
        assert changed > 0, platform
        assert changed + unchanged == 48, platform
        assert all(hour >= RECENT_WINDOW[0] + timedelta(days=1) for hour in moved), platform

    # Unchanged partitions are not rewritten, so their rows keep the first run's id.
    run_ids = run_ids_by_day(environment)
    assert run_ids[STEADY_DAY] == {first.run_id}
    assert second.run_id in run_ids[MOVING_DAY]

    environment.set_clock(FIRST_LOAD + timedelta(days=8))
    third = environment.run_hourly(CLIENT_ID, *RECENT_WINDOW)
    assert_loaded_days_equal_truth(environment, RECENT_DAYS)
    # Both days pass their 7-day step between 2 and 8 days after the first load.
    assert partition_counts(third)[0] > 24


def test_day_past_restatement_window_stops_changing(environment: ClockEnvironment) -> None:
    environment.set_clock(FIRST_LOAD)
    environment.run_hourly(CLIENT_ID, *EDGE_WINDOW)
    assert_loaded_days_equal_truth(environment, [EDGE_DAY])
    google_at_29 = environment.truth_for_day(*ACCOUNTS[0], EDGE_DAY)
    meta_at_29 = environment.truth_for_day(*ACCOUNTS[1], EDGE_DAY)

    # At 31 days old Google has applied its last conversion step, and Meta stopped at 28 days.
    environment.set_clock(FIRST_LOAD + timedelta(days=2))
    result = environment.run_hourly(CLIENT_ID, *EDGE_WINDOW)
    assert_loaded_days_equal_truth(environment, [EDGE_DAY])
    google_at_31 = environment.truth_for_day(*ACCOUNTS[0], EDGE_DAY)
    assert google_at_31.conversions != google_at_29.conversions
    assert environment.truth_for_day(*ACCOUNTS[1], EDGE_DAY) == meta_at_29
    assert partition_counts(result)[0] > 0

    environment.set_clock(FIRST_LOAD + timedelta(days=8))
    result = environment.run_hourly(CLIENT_ID, *EDGE_WINDOW)
    assert environment.truth_for_day(*ACCOUNTS[0], EDGE_DAY) == google_at_31
    assert environment.truth_for_day(*ACCOUNTS[1], EDGE_DAY) == meta_at_29
    assert partition_counts(result) == (0, 24)
    assert_loaded_days_equal_truth(environment, [EDGE_DAY])


BERLIN_CLIENT = Client(
    client_id=CLIENT_ID,
    name="Restate Berlin",
    time_zone="Europe/Berlin",
    currency="EUR",
    accounts=tuple(AdAccount(platform, account_id) for platform, account_id in ACCOUNTS),
)


@pytest.mark.parametrize(
    ("closed_hour_end", "days", "kind"),
    [
        # 03:00 CET closes at 02:00 UTC in winter and 03:00 CEST at 01:00 UTC in summer. The
        # full window is Google's 30-day lookback plus the day that makes the oldest day whole.
        (datetime(2026, 11, 2, 2, tzinfo=UTC), 31, "full"),
        (datetime(2026, 7, 15, 1, tzinfo=UTC), 31, "full"),
        (datetime(2026, 11, 2, 1, tzinfo=UTC), 3, "hourly"),
        (datetime(2026, 11, 2, 3, tzinfo=UTC), 3, "hourly"),
        (datetime(2026, 7, 15, 2, tzinfo=UTC), 3, "hourly"),
    ],
)
def test_sync_window_full_at_three_local(closed_hour_end: datetime, days: int, kind: str) -> None:
    start, end, found_kind = sync_window(BERLIN_CLIENT, closed_hour_end)

    assert found_kind == kind
    assert end == closed_hour_end
    assert start == closed_hour_end - timedelta(days=days)


@pytest.mark.parametrize(
    ("time_zone", "closed_hour_end"),
    [
        # 03:00 CET on 2 November; 2 October, 31 days earlier, was still on CEST.
        ("Europe/Berlin", datetime(2026, 11, 2, 2, tzinfo=UTC)),
        # 03:30 in Kolkata (+05:30), the only hour end there whose local hour is 3.
        ("Asia/Kolkata", datetime(2026, 11, 1, 22, tzinfo=UTC)),
        ("Pacific/Honolulu", datetime(2026, 11, 2, 13, tzinfo=UTC)),
    ],
)
def test_full_window_reads_oldest_restated_day_whole(
    time_zone: str, closed_hour_end: datetime
) -> None:
    # A day as old as the lookback gets its last restatement today (Google's conversion step
    # at 30 days), so the full run must re-read it from its local midnight.
    client = replace(BERLIN_CLIENT, time_zone=time_zone)
    zone = ZoneInfo(time_zone)
    today = closed_hour_end.astimezone(zone).date()
    oldest = today - timedelta(days=full_lookback_days(client))

    start, _, kind = sync_window(client, closed_hour_end)

    assert kind == "full"
    assert start <= datetime.combine(oldest, time(), zone).astimezone(UTC)


@pytest.mark.parametrize("time_zone", ["Europe/Helsinki", "America/New_York", "Asia/Kolkata"])
@pytest.mark.parametrize("day", [date(2026, 3, 29), date(2026, 3, 8), date(2026, 10, 25)])
def test_one_full_run_per_local_day_across_dst(time_zone, day):
    client = Client("dst-co", "DST Co", time_zone, "EUR", ())
    zone = ZoneInfo(time_zone)
    start = datetime.combine(day, time(0), zone).astimezone(UTC)
    hour_ends = [start + timedelta(hours=offset) for offset in range(1, 25)]
    full = [end for end in hour_ends if is_full_run_hour(client, end)]
    assert len(full) == 1
    assert full[0].astimezone(zone).hour in (3, 4)


def test_full_window_never_shorter_than_hourly():
    client = Client(
        "short-co", "Short Co", "UTC", "EUR",
        (AdAccount("meta", "1"),), lookback_days=(("meta", 1),),
    )  # fmt: skip
    assert full_lookback_days(client) == 3
