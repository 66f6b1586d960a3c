"""Turn a Dagster table slice (the partitions a run covers) into parameterised SQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from dagster import TimeWindow
from dagster._core.storage.db_io_manager import TablePartitionDimension, TableSlice
from psycopg2 import sql


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
            parameters.extend([dimension.partitions.start, dimension.partitions.end])
        else:
            conditions.append(sql.SQL("{col} = ANY(%s)").format(col=column))
            parameters.append(list(dimension.partitions))
    if not conditions:
        return sql.SQL("TRUE"), []
    return sql.SQL(" AND ").join(conditions), parameters


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
