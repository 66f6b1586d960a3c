"""Find the client-hour partitions whose last attempt failed, as hour ranges to rerun."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import dagster as dg
from dagster._core.storage.partition_status_cache import AssetPartitionStatus

from marketing_assets.partitions import (
    CLIENT_DIMENSION,
    HOUR_DIMENSION,
    HOUR_KEY_FORMAT,
    client_hour_partitions,
)

HOUR = timedelta(hours=1)


def hour_keys(client_id: str, start: datetime, end: datetime) -> list[str]:
    """Return the partition keys of one client's UTC hours [start, end)."""
    keys = []
    hour = start
    while hour < end:
        key = dg.MultiPartitionKey(
            {CLIENT_DIMENSION: client_id, HOUR_DIMENSION: hour.strftime(HOUR_KEY_FORMAT)}
        )
        keys.append(str(key))
        hour += HOUR
    return keys


def unfinished_hours(
    instance: dg.DagsterInstance,
    asset_keys: Sequence[dg.AssetKey],
    client_id: str,
    start: datetime,
    end: datetime,
) -> list[datetime]:
    """Return the hours in [start, end) where any of the assets failed or never materialized."""
    keys = hour_keys(client_id, start, end)
    unfinished: set[str] = set()
    for asset_key in asset_keys:
        statuses = instance.get_status_by_partition(asset_key, keys, client_hour_partitions) or {}
        unfinished |= {
            key for key in keys if statuses.get(key) != AssetPartitionStatus.MATERIALIZED
        }
    hours = [start + index * HOUR for index, key in enumerate(keys) if key in unfinished]
    return hours


def contiguous_ranges(hours: Sequence[datetime]) -> list[tuple[datetime, datetime]]:
    """Group sorted hours into [start, end) ranges, one per run of consecutive hours."""
    ranges: list[tuple[datetime, datetime]] = []
    for hour in sorted(hours):
        if ranges and ranges[-1][1] == hour:
            ranges[-1] = (ranges[-1][0], hour + HOUR)
        else:
            ranges.append((hour, hour + HOUR))
    return ranges
