"""How far back each sync re-reads, because platforms revise past numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from marketing_assets.registry import Client


@dataclass(frozen=True, slots=True)
class LookbackPolicy:
    """Days re-read on every hourly run, and on the once-a-day full run."""

    hourly_days: int
    full_days: int


# Meta revises insights for up to 28 days, most of it in the first 3. Google revises
# conversions over the conversion window (30 days by default, up to 90) and credits invalid
# clicks within about 3 days. Commercial connectors default to the same windows.
PLATFORM_LOOKBACK: dict[str, LookbackPolicy] = {
    "google_ads": LookbackPolicy(hourly_days=3, full_days=30),
    "meta": LookbackPolicy(hourly_days=3, full_days=28),
}

# The full re-read runs at this hour of the client's own day, which spreads the heavy runs
# of clients in different zones over the UTC day.
FULL_RUN_LOCAL_HOUR = 3


def full_lookback_days(client: Client) -> int:
    """Days the daily run re-reads for ``client``: the longest window of its platforms."""
    platforms = {account.platform for account in client.accounts} or set(PLATFORM_LOOKBACK)
    return max(
        client.lookback_override(platform) or PLATFORM_LOOKBACK[platform].full_days
        for platform in platforms
    )


def hourly_lookback_days(client: Client) -> int:
    platforms = {account.platform for account in client.accounts} or set(PLATFORM_LOOKBACK)
    return max(PLATFORM_LOOKBACK[platform].hourly_days for platform in platforms)


def is_full_run_hour(client: Client, closed_hour_end: datetime) -> bool:
    """True when the hour that just closed ends at FULL_RUN_LOCAL_HOUR in the client's zone."""
    return closed_hour_end.astimezone(ZoneInfo(client.time_zone)).hour == FULL_RUN_LOCAL_HOUR


def sync_window(client: Client, closed_hour_end: datetime) -> tuple[datetime, datetime, str]:
    """Return the UTC hours [start, end) a scheduled run re-reads, and which kind it is.

    The window ends with the hour that just closed and reaches back whole days of UTC hours.
    The fetch asks for each account-local day the window touches once, so an account ahead
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
