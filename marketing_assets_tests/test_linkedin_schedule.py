"""Which LinkedIn days a scheduled run re-reads, across time zones and clock changes."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from marketing_assets.daily_schedules import LINKEDIN_INTERVAL
from marketing_assets.registry import parse_registry
from marketing_assets.sync.day_lookback import is_full_reread_tick, linkedin_reread_days


def client_in(time_zone: str, lookback: str = ""):
    registry = parse_registry(
        "clients:\n"
        f"  - {{id: c, name: C, time_zone: {time_zone}, currency: EUR,"
        f" accounts: {{linkedin: ['1']}}{lookback}}}\n"
    )
    return registry.clients[0]


def ticks(first: datetime, last: datetime) -> list[datetime]:
    """Return the schedule's ticks, 20 past every even UTC hour, from first to last."""
    found = []
    tick = first
    while tick <= last:
        found.append(tick)
        tick += LINKEDIN_INTERVAL
    return found


@pytest.mark.parametrize(
    ("time_zone", "first"),
    [
        ("Europe/Berlin", datetime(2026, 3, 26, 0, 20, tzinfo=UTC)),
        ("Europe/Berlin", datetime(2026, 10, 22, 0, 20, tzinfo=UTC)),
        ("Asia/Kathmandu", datetime(2026, 6, 1, 0, 20, tzinfo=UTC)),
        ("Pacific/Auckland", datetime(2026, 4, 2, 0, 20, tzinfo=UTC)),
        ("America/New_York", datetime(2026, 10, 29, 0, 20, tzinfo=UTC)),
    ],
)
def test_full_reread_once_per_local_day(time_zone: str, first: datetime) -> None:
    client = client_in(time_zone)
    zone = ZoneInfo(time_zone)
    full = [
        tick
        for tick in ticks(first, first + timedelta(days=8))
        if is_full_reread_tick(client, tick, LINKEDIN_INTERVAL)
    ]
    per_day = Counter(tick.astimezone(zone).date() for tick in full)
    # The first and last local day of the span are partial, so only the days between count.
    inner_days = sorted(per_day)[1:-1]
    assert len(inner_days) >= 5
    assert all(per_day[day] == 1 for day in inner_days)
    assert all(tick.astimezone(zone).hour >= 3 for tick in full)
    assert all(tick.astimezone(zone).hour < 5 for tick in full)


def test_recent_run_reads_four_days() -> None:
    client = client_in("America/Los_Angeles")
    # 06:20 UTC is 22:20 the day before in Los Angeles.
    first, last, kind = linkedin_reread_days(
        client, datetime(2026, 12, 4, 6, 20, tzinfo=UTC), LINKEDIN_INTERVAL
    )
    assert (first, last, kind) == (date(2026, 11, 30), date(2026, 12, 3), "recent")


def test_full_run_follows_registry_lookback() -> None:
    client = client_in("UTC", ", lookback_days: {linkedin: 90}")
    first, last, kind = linkedin_reread_days(
        client, datetime(2026, 12, 4, 4, 20, tzinfo=UTC), LINKEDIN_INTERVAL
    )
    assert (first, last, kind) == (date(2026, 9, 5), date(2026, 12, 4), "full")


def test_reread_never_starts_before_first_partition() -> None:
    client = client_in("UTC")
    first, _, kind = linkedin_reread_days(
        client, datetime(2026, 1, 10, 4, 20, tzinfo=UTC), LINKEDIN_INTERVAL
    )
    assert kind == "full"
    assert first == date(2026, 1, 1)
