"""Wall-clock hours of a local date, with their UTC spans."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# Every current UTC offset and DST transition falls on a quarter hour (Asia/Kathmandu is
# +05:45), so sampling UTC in 15-minute steps finds every local hour and both DST folds.
_STEP = timedelta(minutes=15)


@dataclass(frozen=True)
class HourPart:
    """One continuous stretch of a local hour label; a fall-back hour has two (fold 0 and 1)."""

    fold: int
    utc_start: datetime
    utc_end: datetime

    @property
    def minutes(self) -> int:
        return int((self.utc_end - self.utc_start).total_seconds() // 60)


@dataclass(frozen=True)
class LocalHour:
    """A wall-clock hour label (0-23) of a local date and the UTC stretches it covers."""

    day: date
    hour: int
    parts: tuple[HourPart, ...]

    @property
    def utc_start(self) -> datetime:
        """The first instant of the hour, in UTC (the first occurrence on a fall-back day)."""
        return self.parts[0].utc_start

    @property
    def utc_end(self) -> datetime:
        return self.parts[-1].utc_end

    def is_closed(self, now: datetime) -> bool:
        """Tell whether the hour has ended, counting the second half of a repeated hour."""
        return self.utc_end <= now


@functools.lru_cache(maxsize=4096)
def local_hours(day: date, time_zone: str) -> tuple[LocalHour, ...]:
    """List every hour label that exists on `day` in `time_zone`, in order.

    A spring-forward day has 23 labels; a fall-back day has 24 labels and the repeated
    label carries two parts.
    """
    zone = ZoneInfo(time_zone)
    naive_midnight = datetime.combine(day, time())
    # Offsets stay within +-15 hours, so this UTC range covers the whole local day.
    instant = (naive_midnight - timedelta(hours=15)).replace(tzinfo=UTC)
    stop = instant + timedelta(hours=54)
    spans: dict[tuple[int, int], list[datetime]] = {}
    while instant < stop:
        local = instant.astimezone(zone)
        if local.date() == day:
            key = (local.hour, local.fold)
            span = spans.setdefault(key, [instant, instant + _STEP])
            span[1] = instant + _STEP
        instant += _STEP

    hours: list[LocalHour] = []
    for hour in sorted({hour for hour, _ in spans}):
        parts = tuple(
            HourPart(fold, spans[(hour, fold)][0], spans[(hour, fold)][1])
            for fold in (0, 1)
            if (hour, fold) in spans
        )
        hours.append(LocalHour(day, hour, parts))
    return tuple(hours)


def local_today(time_zone: str, now: datetime) -> date:
    return now.astimezone(ZoneInfo(time_zone)).date()
