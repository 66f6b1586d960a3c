"""Write polars frames into PostgreSQL with COPY, and read table slices back as frames."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
import psycopg2.extensions
from dagster import InputContext, OutputContext, TimeWindow
from dagster._core.storage.db_io_manager import DbTypeHandler, TableSlice

from marketing_assets.storage.partition_writer import replace_changed_partitions
from marketing_assets.storage.slice_reader import read_slice
from marketing_assets.storage.table_slice_sql import window_bounds
from marketing_assets.tables import TABLE_SCHEMAS


class SliceMismatchError(ValueError):
    """A frame contains rows outside the partitions its run writes."""


class PolarsPostgresTypeHandler(DbTypeHandler[pl.DataFrame]):
    """Stores polars frames in the project's tables, typed by ``TABLE_SCHEMAS``."""

    @property
    def supported_types(self) -> Sequence[type[object]]:
        return [pl.DataFrame]

    def handle_output(
        self,
        context: OutputContext,
        table_slice: TableSlice,
        obj: pl.DataFrame,
        connection: psycopg2.extensions.connection,
    ) -> dict[str, object]:
        frame = conform_to_table(obj, table_slice.table)
        check_rows_inside_slice(frame, table_slice)
        summary = replace_changed_partitions(connection, table_slice, frame)
        return {
            "dagster/row_count": frame.height,
            "partitions_changed": summary.changed,
            "partitions_unchanged": summary.unchanged,
            "rows_written": summary.rows_written,
        }

    def load_input(
        self,
        context: InputContext,
        table_slice: TableSlice,
        connection: psycopg2.extensions.connection,
    ) -> pl.DataFrame:
        return read_slice(connection, table_slice)


def table_schema(table: str) -> dict[str, pl.DataType]:
    try:
        return TABLE_SCHEMAS[table]
    except KeyError:
        raise KeyError(
            f"No column schema is declared for table {table!r}; add it to "
            "marketing_assets/tables.py and a migration that creates it."
        ) from None


def conform_to_table(frame: pl.DataFrame, table: str) -> pl.DataFrame:
    """Select the table's columns in table order and cast them to its types, strictly.

    NUL characters are removed from text, because PostgreSQL text cannot store them; every
    other character (emoji, right-to-left text, quotes, tabs, newlines) is kept as sent.
    """
    schema = table_schema(table)
    missing = [column for column in schema if column not in frame.columns]
    if missing:
        raise ValueError(f"The frame for table {table!r} lacks column(s) {missing}.")
    conformed = frame.select(
        pl.col(name).cast(dtype, strict=True) for name, dtype in schema.items()
    )
    text_columns = [name for name, dtype in schema.items() if dtype == pl.String()]
    return conformed.with_columns(
        pl.col(name).str.replace_all("\x00", "", literal=True) for name in text_columns
    )


def check_rows_inside_slice(frame: pl.DataFrame, table_slice: TableSlice) -> None:
    """Reject rows outside the run's partitions: replacing a slice must not touch others."""
    outside = pl.lit(False)
    for dimension in table_slice.partition_dimensions:
        column = pl.col(dimension.partition_expr)
        if isinstance(dimension.partitions, TimeWindow):
            start, end = window_bounds(table_slice.table, dimension)
            inside = (column >= start) & (column < end)
        else:
            inside = column.is_in(list(dimension.partitions))
        outside = outside | ~inside
    stray = frame.filter(outside)
    if stray.height:
        sample = stray.select(
            dimension.partition_expr for dimension in table_slice.partition_dimensions
        )
        raise SliceMismatchError(
            f"{stray.height} row(s) for {table_slice.schema}.{table_slice.table} fall outside the "
            f"partitions this run writes, for example {sample.head(3).rows()}. Nothing was written."
        )
