"""Dagster IO manager that stores polars frames in PostgreSQL tables, one slice per run."""

from __future__ import annotations

import polars as pl
from dagster import (
    ConfigurableIOManagerFactory,
    InitResourceContext,
    InputContext,
    OutputContext,
    partition_loading_context,
)
from dagster._core.storage.db_io_manager import DbIOManager, TableSlice
from pydantic import Field

from marketing_assets.storage.polars_handler import PolarsPostgresTypeHandler
from marketing_assets.storage.postgres_client import PostgresDbClient
from marketing_assets.storage.run_table_slice import table_slice_from_run_tags
from marketing_assets.tables import SCHEMA_NAME


class DynamicPartitionsDbIOManager(DbIOManager):
    """Dagster's DbIOManager, able to resolve dynamic partition keys (the client dimension).

    The base class lists the keys of a multi-partition range without an instance, which fails
    for a dynamic dimension. This subclass lends it the run's instance to read them from.
    """

    def handle_output(self, context: OutputContext, obj: object) -> None:
        with partition_loading_context(dynamic_partitions_store=context.step_context.instance):
            super().handle_output(context, obj)

    def load_input(self, context: InputContext) -> object:
        with partition_loading_context(dynamic_partitions_store=context.instance):
            return super().load_input(context)

    # NOTE: overrides a private DbIOManager method (dagster 1.13, pinned below 1.14 in
    # pyproject.toml); test_postgres_io_manager.py compares both slices.
    def _get_table_slice(
        self, context: OutputContext | InputContext, output_context: OutputContext
    ) -> TableSlice:
        from_tags = table_slice_from_run_tags(
            context, output_context, schema=self._schema, database=self._database
        )
        if from_tags is not None:
            return from_tags
        return super()._get_table_slice(context, output_context)


class PostgresPolarsIOManager(ConfigurableIOManagerFactory):
    """Writes each asset's partitions into the PostgreSQL table named after the asset.

    Assets declare ``partition_expr`` metadata mapping each partition dimension to a column.
    Writing replaces exactly the rows of the run's partitions in one transaction, so reruns
    never duplicate rows and a failed run leaves the previous copy intact. A run may cover
    many partitions at once (a client x hour range).
    """

    database_url: str = Field(
        description="PostgreSQL URL, postgresql:// or postgresql+psycopg2://, of the data database."
    )
    schema_name: str = Field(default=SCHEMA_NAME, description="Schema holding the tables.")

    def create_io_manager(self, context: InitResourceContext) -> DbIOManager:
        return DynamicPartitionsDbIOManager(
            type_handlers=[PolarsPostgresTypeHandler()],
            db_client=PostgresDbClient(),
            database="",
            schema=self.schema_name,
            io_manager_name="PostgresPolarsIOManager",
            default_load_type=pl.DataFrame,
        )
