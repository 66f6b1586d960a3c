"""How far back each sync re-reads, because platforms revise past numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from marketing_assets.registry import Client
from marketing_assets.registry.models import DAILY_PLATFORMS


@dataclass(frozen=True, slots=True)
class LookbackPolicy:
    """Days re-read on every hourly run, and on the once-a-day full run."""

    hourly_days: int
    full_days: int


# Meta revises insights for up to 28 days, most of it in the first 3. Google revises
# conversions over the conversion window (30 days by default, up to 90) and credits invalid
# clicks within about 3 days. Commercial connectors default to the same windows.
# TikTok restates about 3 days of data, by public connector documentation, so the full run
# re-reads a week as margin. NOTE: Microsoft Advertising's 30 days is the default conversion
# window of its conversion goals (up to 90), not a restatement period Microsoft states.
PLATFORM_LOOKBACK: dict[str, LookbackPolicy] = {
    "google_ads": LookbackPolicy(hourly_days=3, full_days=30),
    "meta": LookbackPolicy(hourly_days=3, full_days=28),
    "tiktok": LookbackPolicy(hourly_days=3, full_days=7),
    "microsoft_ads": LookbackPolicy(hourly_days=3, full_days=30),
}

# The full re-read runs at this hour of the client's own day, which spreads the heavy runs
# of clients in different zones over the UTC day.
FULL_RUN_LOCAL_HOUR = 3


def full_lookback_days(client: Client) -> int:
    """Days the daily run re-reads for ``client``: the longest window of its platforms,
    and never less than the hourly runs re-read."""
    platforms = hourly_platforms(client)
    longest = max(
        client.lookback_override(platform) or PLATFORM_LOOKBACK[platform].full_days
        for platform in platforms
    )
    return max(longest, hourly_lookback_days(client))


def hourly_lookback_days(client: Client) -> int:
    platforms = hourly_platforms(client)
    return max(PLATFORM_LOOKBACK[platform].hourly_days for platform in platforms)


def hourly_platforms(client: Client) -> set[str]:
    """Return the client's platforms that the hourly runs read, or all of them for a client
    without accounts. Daily-only platforms have a schedule and lookback of their own."""
    listed = {account.platform for account in client.accounts}
    return (listed - set(DAILY_PLATFORMS)) or set(PLATFORM_LOOKBACK)


def is_full_run_hour(client: Client, closed_hour_end: datetime) -> bool:
    """True for the first hour end at or after FULL_RUN_LOCAL_HOUR:00 of the client's day.

    Comparing with the previous hour end gives exactly one full run per local day, also when
    a daylight-saving change skips 03:00 (Europe/Helsinki in spring) or repeats it (autumn).
    """
    zone = ZoneInfo(client.time_zone)
    now_local = closed_hour_end.astimezone(zone)
    before_local = (closed_hour_end - timedelta(hours=1)).astimezone(zone)
    return now_local.hour >= FULL_RUN_LOCAL_HOUR and (
        before_local.hour < FULL_RUN_LOCAL_HOUR or before_local.date() != now_local.date()
    )


def sync_window(client: Client, closed_hour_end: datetime) -> tuple[datetime, datetime, str]:
    """Return the UTC hours [start, end) a scheduled run re-reads, and which kind it is.

    The window ends with the hour that just closed and reaches back whole days of UTC hours.
    The fetch requests each account-local day the window touches once, so an account ahead
    of UTC gets its current local day too.

    A full run reaches back one day more than the lookback, because the local day exactly
    lookback days old takes its last restatement today (for Google Ads, the end of the 30-day
    conversion window). A window starting at 03:00 of that day would leave its first hours at
    the previous numbers for good. The extra day reads it from midnight, also for accounts
    whose zone is up to 21 hours ahead of the client's.
    """
    if is_full_run_hour(client, closed_hour_end):
        days, kind = full_lookback_days(client) + 1, "full"
    else:
        days, kind = hourly_lookback_days(client), "hourly"
    return closed_hour_end - timedelta(days=days), closed_hour_end, kind
