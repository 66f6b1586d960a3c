"""Turn a Dagster table slice (the partitions a run covers) into parameterised SQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import polars as pl
from dagster import TimeWindow
from dagster._core.storage.db_io_manager import TablePartitionDimension, TableSlice
from psycopg2 import sql

from marketing_assets.tables import TABLE_SCHEMAS


def table_identifier(table_slice: TableSlice) -> sql.Composed:
    return sql.SQL("{}.{}").format(
        sql.Identifier(table_slice.schema), sql.Identifier(table_slice.table)
    )


def where_clause(table_slice: TableSlice) -> tuple[sql.Composable, list[object]]:
    """Return a WHERE condition selecting exactly the slice's partitions, and its parameters.

    A time dimension becomes a half-open range (start inclusive, end exclusive) and any other
    dimension a list of keys, so the condition matches a Dagster partition range exactly.
    """
    conditions: list[sql.Composable] = []
    parameters: list[object] = []
    for dimension in table_slice.partition_dimensions:
        column = sql.Identifier(dimension.partition_expr)
        if isinstance(dimension.partitions, TimeWindow):
            conditions.append(sql.SQL("({col} >= %s AND {col} < %s)").format(col=column))
            parameters.extend(window_bounds(table_slice.table, dimension))
        else:
            conditions.append(sql.SQL("{col} = ANY(%s)").format(col=column))
            parameters.append(list(dimension.partitions))
    if not conditions:
        return sql.SQL("TRUE"), []
    return sql.SQL(" AND ").join(conditions), parameters


def window_bounds(table: str, dimension: TablePartitionDimension) -> tuple[object, object]:
    """Return a time window's bounds as values of the dimension's column.

    Day partitions map to a date column and run from one UTC midnight to another, so their
    bounds are compared as dates, not as instants in the session's time zone.
    """
    window = dimension.partitions
    assert isinstance(window, TimeWindow)
    if TABLE_SCHEMAS.get(table, {}).get(dimension.partition_expr) == pl.Date():
        return window.start.astimezone(UTC).date(), window.end.astimezone(UTC).date()
    return window.start, window.end


def describe_slice(table_slice: TableSlice) -> str:
    """Return a human-readable SELECT for the slice, for metadata only; never executed."""
    parts = []
    for dimension in table_slice.partition_dimensions:
        parts.append(_describe_dimension(dimension))
    where = " AND ".join(parts) if parts else "TRUE"
    return f"SELECT * FROM {table_slice.schema}.{table_slice.table} WHERE {where}"


def _describe_dimension(dimension: TablePartitionDimension) -> str:
    if isinstance(dimension.partitions, TimeWindow):
        start, end = (_iso(dimension.partitions.start), _iso(dimension.partitions.end))
        return f"{dimension.partition_expr} >= '{start}' AND {dimension.partition_expr} < '{end}'"
    keys: Sequence[str] = list(dimension.partitions)
    shown = ", ".join(f"'{key}'" for key in keys[:20])
    more = f", ... ({len(keys)} keys)" if len(keys) > 20 else ""
    return f"{dimension.partition_expr} IN ({shown}{more})"


def _iso(moment: datetime) -> str:
    return moment.isoformat()
