"""The client x day window a run of a daily-only platform covers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import dagster as dg

from marketing_assets.partitions import CLIENT_DIMENSION, DAY_DIMENSION, DAY_KEY_FORMAT

DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class DayWindow:
    """Clients and the reported dates first_day to last_day (both included) a run loads."""

    client_ids: tuple[str, ...]
    first_day: date
    last_day: date

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise ValueError(
                f"DayWindow last day {self.last_day} is before its first day {self.first_day}."
            )

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def day_ranges(self, max_days: int) -> Iterator[tuple[date, date]]:
        """Split the days into consecutive ranges of at most ``max_days`` days each."""
        first = self.first_day
        while first <= self.last_day:
            last = min(first + (max_days - 1) * DAY, self.last_day)
            yield first, last
            first = last + DAY

    def time_window(self) -> dg.TimeWindow:
        """Return the days as the UTC-midnight time window Dagster gives day partitions."""
        start = datetime.combine(self.first_day, time(), tzinfo=UTC)
        return dg.TimeWindow(start, start + self.days * DAY)

    def describe(self) -> str:
        clients = ", ".join(self.client_ids[:5])
        more = f" and {len(self.client_ids) - 5} more" if len(self.client_ids) > 5 else ""
        return f"clients {clients}{more}, days {self.first_day} to {self.last_day}"


def parse_day_key(key: str) -> date:
    return datetime.strptime(key, DAY_KEY_FORMAT).date()


def day_window_from_partition_keys(keys: Iterable[str | dg.MultiPartitionKey]) -> DayWindow:
    """Build the window from multi-partition keys ("client|day").

    A Dagster run over a multi-partition key range covers the full product of its client keys
    and its days, so the window is that rectangle.
    """
    clients: set[str] = set()
    days: set[date] = set()
    for key in keys:
        by_dimension = (
            key.keys_by_dimension
            if isinstance(key, dg.MultiPartitionKey)
            else dict(zip((CLIENT_DIMENSION, DAY_DIMENSION), str(key).split("|"), strict=True))
        )
        clients.add(by_dimension[CLIENT_DIMENSION])
        days.add(parse_day_key(by_dimension[DAY_DIMENSION]))
    if not clients:
        raise ValueError("The run has no partitions; select at least one client and day.")
    return DayWindow(tuple(sorted(clients)), min(days), max(days))
