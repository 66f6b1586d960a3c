"""Read each registered client's freshness per platform from marketing.data_freshness_at."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

import psycopg2.extensions

FreshnessStatus = Literal["fresh", "late", "stale"]

UTC_HOUR_FORMAT = "%Y-%m-%d %H:00 UTC"

# The same function the view marketing.data_freshness calls with now(), so the sensor and the
# dashboards classify by one rule. The sensor passes its own clock.
READ_FRESHNESS = """
SELECT client_id, client_name, platform, last_loaded_utc_hour, loaded_at, lag,
    warn_after_minutes, fail_after_minutes, status, last_complete_day
FROM marketing.data_freshness_at(%s)
"""


@dataclass(frozen=True, slots=True)
class ClientFreshness:
    """Freshness of one client's data on one platform at the evaluation instant."""

    client_id: str
    client_name: str
    platform: str
    # Start of the latest UTC hour written, hours with no rows included, or None if none was.
    # Always None for a daily-only platform, which has last_complete_day instead.
    last_loaded_utc_hour: datetime | None
    loaded_at: datetime | None
    # Hourly platforms: time since the end of last_loaded_utc_hour. Daily-only platforms: how
    # long the day after last_complete_day has been complete without being loaded, 0 before.
    # None if nothing was loaded.
    lag: timedelta | None
    warn_after_minutes: int
    fail_after_minutes: int
    status: FreshnessStatus
    # Daily-only platforms: the latest reported date loaded after it was complete (ended in
    # the client's time zone, plus the platform's reporting delay). None for hourly platforms.
    last_complete_day: date | None = None


def read_client_freshness(
    connection: psycopg2.extensions.connection, *, as_of: datetime
) -> list[ClientFreshness]:
    """Return every registered client's freshness per platform at ``as_of``, by client id."""
    with connection.cursor() as cursor:
        cursor.execute(READ_FRESHNESS, (as_of,))
        rows = cursor.fetchall()
    return [ClientFreshness(*row) for row in rows]


def describe_lag(lag: timedelta | None) -> str:
    """Return ``lag`` as hours and minutes, such as '7 h 5 min', or 'never loaded'."""
    if lag is None:
        return "never loaded"
    minutes = max(int(lag.total_seconds() // 60), 0)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"
