"""A resource for the code that reads or writes the warehouse outside the IO manager."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import polars as pl
import psycopg2.extensions
from dagster._core.storage.db_io_manager import TablePartitionDimension, TableSlice
from pydantic import Field

from marketing_assets.storage.connection import connect
from marketing_assets.storage.postgres_client import ensure_migrated
from marketing_assets.storage.slice_reader import read_slice
from marketing_assets.sync.days import DayWindow
from marketing_assets.sync.window import SyncWindow
from marketing_assets.tables import SCHEMA_NAME


class WarehouseResource(dg.ConfigurableResource):
    """Connections to the PostgreSQL database that contains the marketing schema."""

    database_url: str = Field(
        description="PostgreSQL URL, postgresql:// or postgresql+psycopg2://, of the data database."
    )

    @contextmanager
    def connection(self) -> Iterator[psycopg2.extensions.connection]:
        """Yield a connection to the migrated schema, closed on exit."""
        ensure_migrated(self.database_url)
        connection = connect(self.database_url)
        try:
            yield connection
        finally:
            connection.close()

    def read_window(self, table: str, window: SyncWindow) -> pl.DataFrame:
        """Read the rows of ``table`` in the window's clients and UTC hours."""
        table_slice = TableSlice(
            table=table,
            schema=SCHEMA_NAME,
            partition_dimensions=[
                TablePartitionDimension("client_id", list(window.client_ids)),
                TablePartitionDimension("utc_hour", dg.TimeWindow(window.start, window.end)),
            ],
        )
        return self._read(table_slice)

    def read_days(self, table: str, window: DayWindow) -> pl.DataFrame:
        """Read the rows of a daily table in the window's clients and reported dates."""
        table_slice = TableSlice(
            table=table,
            schema=SCHEMA_NAME,
            partition_dimensions=[
                TablePartitionDimension("client_id", list(window.client_ids)),
                TablePartitionDimension("local_date", window.time_window()),
            ],
        )
        return self._read(table_slice)

    def _read(self, table_slice: TableSlice) -> pl.DataFrame:
        with self.connection() as connection:
            frame = read_slice(connection, table_slice)
            connection.rollback()
        return frame
