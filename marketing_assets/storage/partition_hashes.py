"""Content hashes per (client, UTC hour) partition, to rewrite only what changed."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import polars as pl

from marketing_assets.tables import LOAD_COLUMNS

# Separators that cannot occur in the text of a value once NUL bytes are stripped.
FIELD_SEPARATOR = "\x1f"
NULL_MARKER = "\x1e"
EMPTY_PARTITION_HASH = hashlib.sha256(b"").hexdigest()


@dataclass(frozen=True, slots=True)
class PartitionKey:
    client_id: str
    utc_hour: datetime


def partition_hashes(frame: pl.DataFrame) -> dict[PartitionKey, tuple[str, int]]:
    """Return (sha256 hex, row count) for each (client_id, utc_hour) in ``frame``.

    The hash covers every column except the load columns (loaded_at, dagster_run_id), over
    rows in sorted order, so the same numbers fetched twice hash the same.
    """
    content_columns = [column for column in frame.columns if column not in LOAD_COLUMNS]
    if frame.is_empty():
        return {}
    lines = frame.select(
        "client_id",
        "utc_hour",
        pl.concat_str(
            [pl.col(column).cast(pl.String).fill_null(NULL_MARKER) for column in content_columns],
            separator=FIELD_SEPARATOR,
        ).alias("line"),
    )
    grouped = lines.group_by("client_id", "utc_hour").agg(pl.col("line").sort())
    hashes = {}
    for client_id, utc_hour, sorted_lines in grouped.iter_rows():
        digest = hashlib.sha256("\n".join(sorted_lines).encode("utf-8")).hexdigest()
        hashes[PartitionKey(client_id, utc_hour)] = (digest, len(sorted_lines))
    return hashes


def slice_partitions(
    client_ids: Iterable[str], start: datetime, end: datetime
) -> list[PartitionKey]:
    """List every (client, hour) in the rectangle clients x [start, end)."""
    hours = []
    hour = start
    while hour < end:
        hours.append(hour)
        hour += timedelta(hours=1)
    return [PartitionKey(client_id, hour) for client_id in client_ids for hour in hours]
