"""The reported days a scheduled LinkedIn run re-reads, since LinkedIn revises past days."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from marketing_assets.partitions import day_partitions
from marketing_assets.platforms.linkedin import settings
from marketing_assets.registry import Client
from marketing_assets.sync.lookback import FULL_RUN_LOCAL_HOUR


def is_full_reread_tick(client: Client, tick: datetime, interval: timedelta) -> bool:
    """True for the first tick at or after FULL_RUN_LOCAL_HOUR:00 of the client's day, for
    ticks ``interval`` apart, so exactly one tick a local day re-reads the full window."""
    zone = ZoneInfo(client.time_zone)
    now_local = tick.astimezone(zone)
    before_local = (tick - interval).astimezone(zone)
    return now_local.hour >= FULL_RUN_LOCAL_HOUR and (
        before_local.hour < FULL_RUN_LOCAL_HOUR or before_local.date() != now_local.date()
    )


def linkedin_reread_days(
    client: Client, tick: datetime, interval: timedelta
) -> tuple[date, date, str]:
    """Return the first and last day (both included) a run at ``tick`` re-reads, and its kind.

    The last day is the account's current day, still open, so dashboards show it as it grows.
    LinkedIn exposes no account time zone, so the client's zone is used in its place.
    """
    today = tick.astimezone(ZoneInfo(client.time_zone)).date()
    if is_full_reread_tick(client, tick, interval):
        days = client.lookback_override(settings.PLATFORM) or settings.CONVERSION_WINDOW_DAYS
        kind = "full"
    else:
        days, kind = settings.RECENT_DAYS, "recent"
    return max(today - timedelta(days=days), day_partitions.start.date()), today, kind
