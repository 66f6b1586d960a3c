"""The client x UTC-hour window a run covers, and the account-local days it needs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import dagster as dg

from marketing_assets.partitions import CLIENT_DIMENSION, HOUR_DIMENSION, HOUR_KEY_FORMAT

HOUR = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class SyncWindow:
    """Clients and the half-open UTC interval [start, end) of whole hours a run loads."""

    client_ids: tuple[str, ...]
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("SyncWindow bounds must be timezone-aware UTC datetimes.")
        if self.end <= self.start:
            raise ValueError(f"SyncWindow end {self.end} is not after its start {self.start}.")

    @property
    def hours(self) -> int:
        return int((self.end - self.start) / HOUR)

    def local_days(self, time_zone: str) -> list[date]:
        """Return every date, in ``time_zone``, that some instant of the window falls on."""
        zone = ZoneInfo(time_zone)
        first = self.start.astimezone(zone).date()
        last = (self.end - timedelta(microseconds=1)).astimezone(zone).date()
        return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]

    def describe(self) -> str:
        clients = ", ".join(self.client_ids[:5])
        more = f" and {len(self.client_ids) - 5} more" if len(self.client_ids) > 5 else ""
        return (
            f"clients {clients}{more}, UTC {self.start:%Y-%m-%d %H:%M} to {self.end:%Y-%m-%d %H:%M}"
        )


def parse_hour_key(key: str) -> datetime:
    return datetime.strptime(key, HOUR_KEY_FORMAT).replace(tzinfo=UTC)


def window_from_partition_keys(keys: Iterable[str | dg.MultiPartitionKey]) -> SyncWindow:
    """Build the window from multi-partition keys ("client|hour").

    A Dagster run over a multi-partition key range covers the full product of its client keys
    and its hours, so the window is that rectangle.
    """
    clients: set[str] = set()
    hours: set[datetime] = set()
    for key in keys:
        by_dimension = (
            key.keys_by_dimension
            if isinstance(key, dg.MultiPartitionKey)
            else dict(zip((CLIENT_DIMENSION, HOUR_DIMENSION), str(key).split("|"), strict=True))
        )
        clients.add(by_dimension[CLIENT_DIMENSION])
        hours.add(parse_hour_key(by_dimension[HOUR_DIMENSION]))
    if not clients:
        raise ValueError("The run has no partitions; select at least one client and hour.")
    return SyncWindow(tuple(sorted(clients)), min(hours), max(hours) + HOUR)


def window_from_context(context: dg.AssetExecutionContext) -> SyncWindow:
    return window_from_partition_keys(context.partition_keys)
