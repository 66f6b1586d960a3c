"""Content hashes per (client, period) partition, to rewrite only what changed.

A period is a UTC hour in the hourly tables and a reported date in the daily tables.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import polars as pl
from dagster import TimeWindow

from marketing_assets.tables import LOAD_COLUMNS

# Separators that cannot occur in the text of a value once NUL bytes are stripped.
FIELD_SEPARATOR = "\x1f"
NULL_MARKER = "\x1e"
EMPTY_PARTITION_HASH = hashlib.sha256(b"").hexdigest()


HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class PartitionGrain:
    """The storage of a table's time dimension: its column, its step and its hashes' table."""

    column: str
    step: timedelta
    hash_table: str

    def periods(self, window: TimeWindow) -> list[datetime] | list[date]:
        """List the periods of a Dagster time window as values of ``column``: UTC hours, or
        dates for day partitions, whose windows run from one UTC midnight to another."""
        if self.step == DAY:
            first, end = window.start.astimezone(UTC).date(), window.end.astimezone(UTC).date()
            return [first + offset * DAY for offset in range((end - first).days)]
        hours = []
        hour = window.start
        while hour < window.end:
            hours.append(hour)
            hour += self.step
        return hours


HOURLY = PartitionGrain(column="utc_hour", step=HOUR, hash_table="partition_hashes")
# Day partitions are keyed by the date a platform reported, so the hashes store that date.
DAILY = PartitionGrain(column="local_date", step=DAY, hash_table="daily_partition_hashes")
GRAINS = {grain.column: grain for grain in (HOURLY, DAILY)}


@dataclass(frozen=True, slots=True)
class PartitionKey:
    client_id: str
    period: datetime | date


def partition_hashes(
    frame: pl.DataFrame, grain: PartitionGrain = HOURLY
) -> dict[PartitionKey, tuple[str, int]]:
    """Return (sha256 hex, row count) for each (client_id, period) in ``frame``.

    The hash covers every column except the load columns (loaded_at, dagster_run_id), over
    rows in sorted order, so the same numbers fetched twice hash the same.
    """
    content_columns = [column for column in frame.columns if column not in LOAD_COLUMNS]
    if frame.is_empty():
        return {}
    lines = frame.select(
        "client_id",
        grain.column,
        pl.concat_str(
            [pl.col(column).cast(pl.String).fill_null(NULL_MARKER) for column in content_columns],
            separator=FIELD_SEPARATOR,
        ).alias("line"),
    )
    grouped = lines.group_by("client_id", grain.column).agg(pl.col("line").sort())
    hashes = {}
    for client_id, period, sorted_lines in grouped.iter_rows():
        digest = hashlib.sha256("\n".join(sorted_lines).encode("utf-8")).hexdigest()
        hashes[PartitionKey(client_id, period)] = (digest, len(sorted_lines))
    return hashes


def slice_partitions(
    client_ids: Iterable[str], window: TimeWindow, grain: PartitionGrain = HOURLY
) -> list[PartitionKey]:
    """List every (client, period) in the rectangle clients x window."""
    periods = grain.periods(window)
    return [PartitionKey(client_id, period) for client_id in client_ids for period in periods]
