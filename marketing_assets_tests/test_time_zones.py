"""Accounts in zones with DST changes and half- or quarter-hour offsets, loaded end to end.

Every platform reports hours in the account's zone. Each local hour goes to the UTC hour that
contains its start instant, and a repeated fall-back label goes to its first occurrence. Whole
local days must then add up to the platform's daily totals, with no hour lost or counted twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from marketing_assets.simulator.data import campaign_hours
from marketing_assets.sync.window import SyncWindow
from marketing_assets_tests.clock_environment import (
    ClockEnvironment,
    DayTotals,
    clock_environment,
)

REGISTRY = """
clients:
  - id: tz-new-york
    name: TZ New York
    time_zone: America/New_York
    currency: USD
    accounts:
      google_ads: ["6100000001"]
      meta: ["610000000001"]
  - id: tz-berlin
    name: TZ Berlin
    time_zone: Europe/Berlin
    currency: EUR
    accounts:
      google_ads: ["6100000002"]
      meta: ["610000000002"]
  - id: tz-kolkata
    name: TZ Kolkata
    time_zone: Asia/Kolkata
    currency: INR
    accounts:
      google_ads: ["6100000003"]
  - id: tz-kathmandu
    name: TZ Kathmandu
    time_zone: Asia/Kathmandu
    currency: USD
    accounts:
      meta: ["610000000004"]
  - id: tz-auckland
    name: TZ Auckland
    time_zone: Pacific/Auckland
    currency: AUD
    accounts:
      google_ads: ["6100000005"]
  - id: tz-honolulu
    name: TZ Honolulu
    time_zone: Pacific/Honolulu
    currency: USD
    accounts:
      meta: ["610000000006"]
"""

# The Auckland account bills in NZD while its client reports in AUD, so spend needs a rate.
ACCOUNT_PROFILES = """
accounts:
  - platform: google_ads
    account_id: "6100000005"
    currency: NZD
"""


@dataclass(frozen=True, slots=True)
class DayCase:
    """One account-local day to load, with the hour labels the platforms report for it."""

    client_id: str
    day: date
    labels: int


# The ECB 90-day feed the fx_rates asset reads covers only recent days, so each season loads
# under its own clock, a few days after its last case.
MARCH_NOW = datetime(2026, 4, 2, 12, 0, tzinfo=UTC)
MARCH_CASES = (
    DayCase("tz-new-york", date(2026, 3, 8), 23),
    DayCase("tz-berlin", date(2026, 3, 29), 23),
    DayCase("tz-kolkata", date(2026, 3, 10), 24),
)
NOVEMBER_NOW = datetime(2026, 11, 3, 12, 0, tzinfo=UTC)
NOVEMBER_CASES = (
    # 25 hours long, but the repeated 01:00 label is reported once.
    DayCase("tz-new-york", date(2026, 11, 1), 24),
    DayCase("tz-berlin", date(2026, 10, 25), 24),
    DayCase("tz-kathmandu", date(2026, 10, 30), 24),
    DayCase("tz-auckland", date(2026, 11, 1), 24),
    DayCase("tz-honolulu", date(2026, 11, 1), 24),
)
# Extra UTC hours on each side, so the runs also load parts of the neighbouring local days.
MARGIN = timedelta(hours=2)
HOUR = timedelta(hours=1)

AccountDay = tuple[str, str, date]


def hour_labels(day: date, time_zone: str) -> list[int]:
    """List the local hour labels that exist on ``day``, which skip one on a spring-forward day."""
    zone = ZoneInfo(time_zone)
    labels = []
    for hour in range(24):
        local = datetime.combine(day, time(hour), zone)
        round_trip = local.astimezone(UTC).astimezone(zone)
        if round_trip.replace(tzinfo=None) == local.replace(tzinfo=None):
            labels.append(hour)
    return labels


def expected_utc_hour(day: date, hour: int, time_zone: str) -> datetime:
    """Floor to the hour of the UTC instant the label starts at, taking its first occurrence."""
    local = datetime.combine(day, time(hour), ZoneInfo(time_zone)).replace(fold=0)
    return local.astimezone(UTC).replace(minute=0)


def day_window(day: date, time_zone: str) -> tuple[datetime, datetime]:
    """Return the UTC hours [start, end) that the local day's rows map to, plus MARGIN."""
    hours = [expected_utc_hour(day, hour, time_zone) for hour in hour_labels(day, time_zone)]
    return min(hours) - MARGIN, max(hours) + HOUR + MARGIN


def full_days(start: datetime, end: datetime, time_zone: str) -> list[date]:
    """List the local days whose every hour maps into [start, end)."""
    zone = ZoneInfo(time_zone)
    day = start.astimezone(zone).date() - timedelta(days=1)
    found = []
    while day <= end.astimezone(zone).date() + timedelta(days=1):
        hours = [expected_utc_hour(day, hour, time_zone) for hour in hour_labels(day, time_zone)]
        if start <= min(hours) and max(hours) < end:
            found.append(day)
        day += timedelta(days=1)
    return found


@dataclass
class LoadedDays:
    """What the module's runs loaded, and the platform's truth for each whole local day."""

    environment: ClockEnvironment
    truth: dict[AccountDay, DayTotals]
    # Local hours with impressions, which are the hours the platforms return rows for.
    served_hours: dict[AccountDay, set[int]]
    cases: dict[AccountDay, DayCase]


def load_season(
    environment: ClockEnvironment, now: datetime, cases: tuple[DayCase, ...], loaded: LoadedDays
) -> None:
    """Load each case's day at ``now`` and record the truth of every whole day in its window."""
    environment.set_clock(now)
    environment.load_fx_rates()
    accounts = {
        (account.platform, account.account_id): account
        for account in environment.simulator.context.accounts
    }
    for case in cases:
        client = environment.registry.client(case.client_id)
        start, end = day_window(case.day, client.time_zone)
        environment.run_hourly(case.client_id, start, end)
        assert full_days(start, end, client.time_zone) == [case.day]

        for account in client.accounts:
            key = (account.platform, account.account_id, case.day)
            loaded.truth[key] = environment.truth_for_day(
                account.platform, account.account_id, case.day
            )
            simulated = accounts[(account.platform, account.account_id)]
            loaded.served_hours[key] = {
                row.hour for row in campaign_hours(simulated, case.day, now) if row.impressions
            }
            loaded.cases[key] = case


@pytest.fixture(scope="module")
def loaded_days(
    tmp_path_factory: pytest.TempPathFactory, database_url: str, dagster_storage_url: str
) -> Iterator[LoadedDays]:
    with clock_environment(
        REGISTRY,
        tmp_path_factory.mktemp("time_zones"),
        now=MARCH_NOW,
        database_url=database_url,
        dagster_storage_url=dagster_storage_url,
        profiles_text=ACCOUNT_PROFILES,
    ) as environment:
        loaded = LoadedDays(environment, {}, {}, {})
        load_season(environment, MARCH_NOW, MARCH_CASES, loaded)
        load_season(environment, NOVEMBER_NOW, NOVEMBER_CASES, loaded)
        yield loaded


def test_whole_local_days_equal_daily_truth(loaded_days: LoadedDays) -> None:
    loaded = loaded_days.environment.loaded_day_totals()
    assert len(loaded_days.truth) == 12
    for key, truth in loaded_days.truth.items():
        assert truth.impressions > 0, key
        totals = loaded[key]
        assert totals.spend == truth.spend, key
        assert totals.impressions == truth.impressions, key
        assert totals.clicks == truth.clicks, key
        assert totals.conversions == truth.conversions, key


def test_local_hours_per_day_follow_platform_labels(loaded_days: LoadedDays) -> None:
    loaded_hours = {
        (platform, account_id, local_date): set(hours)
        for platform, account_id, local_date, hours in loaded_days.environment.query(
            "SELECT platform, account_id, local_date, array_agg(DISTINCT local_hour)"
            " FROM marketing.campaign_performance_hourly WHERE client_id = ANY(%s)"
            " GROUP BY 1, 2, 3",
            (loaded_days.environment.registry.client_ids,),
        )
    }
    for key, case in loaded_days.cases.items():
        time_zone = loaded_days.environment.registry.client(case.client_id).time_zone
        assert len(hour_labels(case.day, time_zone)) == case.labels, key
        assert loaded_days.truth[key].hours == case.labels, key
        assert loaded_hours[key] == loaded_days.served_hours[key], key
        assert loaded_hours[key] <= set(hour_labels(case.day, time_zone)), key


def test_no_duplicate_campaign_hours(loaded_days: LoadedDays) -> None:
    duplicates = loaded_days.environment.query(
        "SELECT client_id, platform, account_id, campaign_id, utc_hour, count(*)"
        " FROM marketing.campaign_performance_hourly WHERE client_id = ANY(%s)"
        " GROUP BY 1, 2, 3, 4, 5 HAVING count(*) > 1",
        (loaded_days.environment.registry.client_ids,),
    )
    assert duplicates == []


def test_utc_hour_is_first_occurrence_of_local_start(loaded_days: LoadedDays) -> None:
    rows = loaded_days.environment.query(
        "SELECT DISTINCT client_id, account_time_zone, local_date, local_hour, utc_hour"
        " FROM marketing.campaign_performance_hourly WHERE client_id = ANY(%s)",
        (loaded_days.environment.registry.client_ids,),
    )
    registry = loaded_days.environment.registry
    assert {row[0] for row in rows} == set(registry.client_ids)

    wrong = [
        row
        for row in rows
        if row[4] != expected_utc_hour(row[2], row[3], row[1])
        or row[1] != registry.client(row[0]).time_zone
    ]
    assert wrong == []

    mapped = {(row[0], row[2], row[3]): row[4] for row in rows}
    # The repeated 01:00 of New York's fall-back day starts at 05:00 UTC and again at 06:00.
    assert mapped[("tz-new-york", date(2026, 11, 1), 1)] == datetime(2026, 11, 1, 5, tzinfo=UTC)
    # Kathmandu (+05:45): local 00:00 starts at 18:15 UTC the day before.
    assert mapped[("tz-kathmandu", date(2026, 10, 30), 0)] == datetime(2026, 10, 29, 18, tzinfo=UTC)
    assert ("tz-berlin", date(2026, 3, 29), 2) not in mapped


def test_spend_converts_to_client_reporting_currency(loaded_days: LoadedDays) -> None:
    rows = loaded_days.environment.query(
        "SELECT currency, reporting_currency, count(*), count(fx_rate_date),"
        " count(*) FILTER (WHERE spend > 0 AND spend_reporting > 0)"
        " FROM marketing.campaign_performance_hourly WHERE client_id = %s GROUP BY 1, 2",
        ("tz-auckland",),
    )
    assert len(rows) == 1
    currency, reporting_currency, count, with_rate_date, converted = rows[0]
    assert (currency, reporting_currency) == ("NZD", "AUD")
    assert with_rate_date == count
    assert converted > 0


def test_local_days_include_current_day_ahead_of_utc() -> None:
    # 09:00-12:00 UTC on 2 November is 22:00 on 2 November to 01:00 on 3 November in
    # Auckland (+13:00), so the account's current local day is a day ahead of UTC's.
    window = SyncWindow(
        ("tz-auckland",),
        datetime(2026, 11, 2, 9, tzinfo=UTC),
        datetime(2026, 11, 2, 12, tzinfo=UTC),
    )

    assert window.local_days("Pacific/Auckland") == [date(2026, 11, 2), date(2026, 11, 3)]
    assert window.local_days("Pacific/Honolulu") == [date(2026, 11, 1), date(2026, 11, 2)]
    assert window.local_days("UTC") == [date(2026, 11, 2)]


def test_local_days_stop_before_window_end() -> None:
    # The window ends exactly at Auckland's midnight, so 3 November is not requested.
    window = SyncWindow(
        ("tz-auckland",),
        datetime(2026, 11, 2, 8, tzinfo=UTC),
        datetime(2026, 11, 2, 11, tzinfo=UTC),
    )

    assert window.local_days("Pacific/Auckland") == [date(2026, 11, 2)]
