"""Replace the partitions of a slice whose content changed, inside the caller's transaction.

A partition is a client and a UTC hour, or a client and a reported date in the daily tables.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

import polars as pl
import psycopg2.extensions
from dagster import TimeWindow
from dagster._core.storage.db_io_manager import TableSlice
from psycopg2 import sql
from psycopg2.extras import execute_values

from marketing_assets.storage.partition_hashes import (
    EMPTY_PARTITION_HASH,
    GRAINS,
    PartitionGrain,
    PartitionKey,
    partition_hashes,
    slice_partitions,
)
from marketing_assets.storage.slice_reader import read_slice
from marketing_assets.storage.table_slice_sql import table_identifier

CLIENT_COLUMN = "client_id"

# {hash_table} and {period} come from a PartitionGrain, never from input.
UPSERT_HASHES = """
INSERT INTO marketing.{hash_table} AS stored
    (table_name, client_id, {period}, content_hash, row_count, checked_at, changed_at,
     dagster_run_id)
VALUES %s
ON CONFLICT (table_name, client_id, {period}) DO UPDATE SET
    content_hash = EXCLUDED.content_hash,
    row_count = EXCLUDED.row_count,
    checked_at = EXCLUDED.checked_at,
    changed_at = CASE WHEN stored.content_hash = EXCLUDED.content_hash
                      THEN stored.changed_at ELSE EXCLUDED.changed_at END,
    dagster_run_id = EXCLUDED.dagster_run_id
"""


@dataclass(frozen=True, slots=True)
class WriteSummary:
    changed: int
    unchanged: int
    rows_written: int


def replace_changed_partitions(
    connection: psycopg2.extensions.connection, table_slice: TableSlice, frame: pl.DataFrame
) -> WriteSummary:
    """Delete and re-copy only the slice's partitions whose content hash changed.

    A partition missing from ``frame`` counts as empty, so rows that disappeared at the
    platform are deleted. The caller holds the transaction (and the per-client locks), so
    readers see either the old or the new copy of every partition, never a mix.
    """
    client_ids, window, grain = slice_bounds(table_slice)
    new_hashes = partition_hashes(frame, grain)
    # Hash what the table contains now rather than trusting the recorded hashes, so rows edited
    # or deleted outside the pipeline are repaired by the next run of their partition.
    stored = {
        key: digest
        for key, (digest, _) in partition_hashes(read_slice(connection, table_slice), grain).items()
    }
    partitions = slice_partitions(client_ids, window, grain)
    changed = [
        key
        for key in partitions
        if stored.get(key, EMPTY_PARTITION_HASH)
        != new_hashes.get(key, (EMPTY_PARTITION_HASH, 0))[0]
    ]

    delete_partitions(connection, table_slice, changed, grain)
    changed_rows = rows_in_partitions(frame, changed, grain)
    copy_rows(connection, changed_rows, table_slice)
    record_hashes(connection, table_slice.table, partitions, new_hashes, run_id_of(frame), grain)
    return WriteSummary(len(changed), len(partitions) - len(changed), changed_rows.height)


def slice_bounds(table_slice: TableSlice) -> tuple[list[str], TimeWindow, PartitionGrain]:
    """Return the slice's clients, its time window and the grain of its time column."""
    client_ids: list[str] | None = None
    window: TimeWindow | None = None
    grain: PartitionGrain | None = None
    for dimension in table_slice.partition_dimensions:
        if dimension.partition_expr in GRAINS and isinstance(dimension.partitions, TimeWindow):
            window = dimension.partitions
            grain = GRAINS[dimension.partition_expr]
        elif dimension.partition_expr == CLIENT_COLUMN:
            client_ids = sorted(str(key) for key in dimension.partitions)
    if client_ids is None or window is None or grain is None:
        raise ValueError(
            f"Table {table_slice.table!r} must be partitioned by {CLIENT_COLUMN!r} and a time "
            f"window on one of {sorted(GRAINS)}; set partition_expr metadata to map both "
            "dimensions."
        )
    return client_ids, window, grain


def delete_partitions(
    connection: psycopg2.extensions.connection,
    table_slice: TableSlice,
    partitions: list[PartitionKey],
    grain: PartitionGrain,
) -> None:
    periods_by_client: dict[str, list[datetime | date]] = defaultdict(list)
    for key in partitions:
        periods_by_client[key.client_id].append(key.period)
    statement = sql.SQL("DELETE FROM {table} WHERE {client} = %s AND {period} = ANY(%s)").format(
        table=table_identifier(table_slice),
        client=sql.Identifier(CLIENT_COLUMN),
        period=sql.Identifier(grain.column),
    )
    with connection.cursor() as cursor:
        for client_id, periods in periods_by_client.items():
            cursor.execute(statement, (client_id, periods))


def rows_in_partitions(
    frame: pl.DataFrame, partitions: list[PartitionKey], grain: PartitionGrain
) -> pl.DataFrame:
    if not partitions or frame.is_empty():
        return frame.clear()
    keys = pl.DataFrame(
        {
            CLIENT_COLUMN: [key.client_id for key in partitions],
            grain.column: [key.period for key in partitions],
        },
        schema={CLIENT_COLUMN: pl.String(), grain.column: frame.schema[grain.column]},
    )
    return frame.join(keys, on=[CLIENT_COLUMN, grain.column], how="semi")


def copy_rows(
    connection: psycopg2.extensions.connection, frame: pl.DataFrame, table_slice: TableSlice
) -> None:
    if frame.is_empty():
        return
    # Quoting every non-numeric value keeps empty strings distinct from NULL, which PostgreSQL's
    # CSV format writes as an unquoted empty field.
    payload = frame.write_csv(include_header=False, quote_style="non_numeric").encode("utf-8")
    statement = sql.SQL("COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)").format(
        table=table_identifier(table_slice),
        columns=sql.SQL(", ").join(sql.Identifier(column) for column in frame.columns),
    )
    with connection.cursor() as cursor:
        cursor.copy_expert(statement.as_string(connection), io.BytesIO(payload))


def record_hashes(
    connection: psycopg2.extensions.connection,
    table: str,
    partitions: list[PartitionKey],
    new_hashes: dict[PartitionKey, tuple[str, int]],
    run_id: str,
    grain: PartitionGrain,
) -> None:
    now = datetime.now(UTC)
    values = []
    for key in partitions:
        digest, row_count = new_hashes.get(key, (EMPTY_PARTITION_HASH, 0))
        values.append((table, key.client_id, key.period, digest, row_count, now, now, run_id))
    statement = UPSERT_HASHES.format(hash_table=grain.hash_table, period=grain.column)
    with connection.cursor() as cursor:
        execute_values(cursor, statement, values, page_size=1000)


def run_id_of(frame: pl.DataFrame) -> str:
    if frame.is_empty() or "dagster_run_id" not in frame.columns:
        return ""
    return str(frame["dagster_run_id"][0])
