"""Replace the partitions of a slice whose content changed, inside the caller's transaction."""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

import polars as pl
import psycopg2.extensions
from dagster import TimeWindow
from dagster._core.storage.db_io_manager import TableSlice
from psycopg2 import sql
from psycopg2.extras import execute_values

from marketing_assets.storage.partition_hashes import (
    EMPTY_PARTITION_HASH,
    PartitionKey,
    partition_hashes,
    slice_partitions,
)
from marketing_assets.storage.slice_reader import read_slice
from marketing_assets.storage.table_slice_sql import table_identifier

CLIENT_COLUMN = "client_id"
HOUR_COLUMN = "utc_hour"

UPSERT_HASHES = """
INSERT INTO marketing.partition_hashes AS stored
    (table_name, client_id, utc_hour, content_hash, row_count, checked_at, changed_at,
     dagster_run_id)
VALUES %s
ON CONFLICT (table_name, client_id, utc_hour) DO UPDATE SET
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
    client_ids, window = slice_bounds(table_slice)
    new_hashes = partition_hashes(frame)
    # Hash what the table contains now rather than trusting the recorded hashes, so rows edited
    # or deleted outside the pipeline are repaired by the next run of their partition.
    stored = {
        key: digest
        for key, (digest, _) in partition_hashes(read_slice(connection, table_slice)).items()
    }
    partitions = slice_partitions(client_ids, window.start, window.end)
    changed = [
        key
        for key in partitions
        if stored.get(key, EMPTY_PARTITION_HASH)
        != new_hashes.get(key, (EMPTY_PARTITION_HASH, 0))[0]
    ]

    delete_partitions(connection, table_slice, changed)
    changed_rows = rows_in_partitions(frame, changed)
    copy_rows(connection, changed_rows, table_slice)
    record_hashes(connection, table_slice.table, partitions, new_hashes, run_id_of(frame))
    return WriteSummary(len(changed), len(partitions) - len(changed), changed_rows.height)


def slice_bounds(table_slice: TableSlice) -> tuple[list[str], TimeWindow]:
    client_ids: list[str] | None = None
    window: TimeWindow | None = None
    for dimension in table_slice.partition_dimensions:
        if dimension.partition_expr == HOUR_COLUMN and isinstance(dimension.partitions, TimeWindow):
            window = dimension.partitions
        elif dimension.partition_expr == CLIENT_COLUMN:
            client_ids = sorted(str(key) for key in dimension.partitions)
    if client_ids is None or window is None:
        raise ValueError(
            f"Table {table_slice.table!r} must be partitioned by {CLIENT_COLUMN!r} and a time "
            f"window on {HOUR_COLUMN!r}; set partition_expr metadata to map both dimensions."
        )
    return client_ids, window


def delete_partitions(
    connection: psycopg2.extensions.connection,
    table_slice: TableSlice,
    partitions: list[PartitionKey],
) -> None:
    hours_by_client: dict[str, list[datetime]] = defaultdict(list)
    for key in partitions:
        hours_by_client[key.client_id].append(key.utc_hour)
    statement = sql.SQL("DELETE FROM {table} WHERE {client} = %s AND {hour} = ANY(%s)").format(
        table=table_identifier(table_slice),
        client=sql.Identifier(CLIENT_COLUMN),
        hour=sql.Identifier(HOUR_COLUMN),
    )
    with connection.cursor() as cursor:
        for client_id, hours in hours_by_client.items():
            cursor.execute(statement, (client_id, hours))


def rows_in_partitions(frame: pl.DataFrame, partitions: list[PartitionKey]) -> pl.DataFrame:
    if not partitions or frame.is_empty():
        return frame.clear()
    keys = pl.DataFrame(
        {
            CLIENT_COLUMN: [key.client_id for key in partitions],
            HOUR_COLUMN: [key.utc_hour for key in partitions],
        },
        schema={CLIENT_COLUMN: pl.String(), HOUR_COLUMN: frame.schema[HOUR_COLUMN]},
    )
    return frame.join(keys, on=[CLIENT_COLUMN, HOUR_COLUMN], how="semi")


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
) -> None:
    now = datetime.now(UTC)
    values = []
    for key in partitions:
        digest, row_count = new_hashes.get(key, (EMPTY_PARTITION_HASH, 0))
        values.append((table, key.client_id, key.utc_hour, digest, row_count, now, now, run_id))
    with connection.cursor() as cursor:
        execute_values(cursor, UPSERT_HASHES, values, page_size=1000)


def run_id_of(frame: pl.DataFrame) -> str:
    if frame.is_empty() or "dagster_run_id" not in frame.columns:
        return ""
    return str(frame["dagster_run_id"][0])
