"""The DbClient that Dagster's database IO manager uses to reach PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg2.extensions
from dagster import InputContext, OutputContext, TimeWindow
from dagster._core.storage.db_io_manager import DbClient, TableSlice

from marketing_assets.storage.connection import connect
from marketing_assets.storage.migrations import apply_migrations
from marketing_assets.storage.table_slice_sql import describe_slice

_migrated_urls: set[str] = set()
_migration_guard = threading.Lock()


def ensure_migrated(database_url: str) -> None:
    """Apply pending migrations once per process and database, on a connection of its own."""
    with _migration_guard:
        if database_url in _migrated_urls:
            return
        connection = connect(database_url)
        try:
            apply_migrations(connection)
        finally:
            connection.close()
        _migrated_urls.add(database_url)


class PostgresDbClient(DbClient[psycopg2.extensions.connection]):
    """Deletes and selects table slices; one connection is one transaction."""

    @staticmethod
    @contextmanager
    def connect(
        context: OutputContext | InputContext, table_slice: TableSlice
    ) -> Iterator[psycopg2.extensions.connection]:
        # The IO manager deletes the old slice and copies the new rows inside this block, so
        # committing only at its end makes a partition rewrite all-or-nothing: a killed or
        # failed run leaves the previous copy in place.
        connection = connect(context.resource_config["database_url"])
        try:
            with connection:
                yield connection
        finally:
            connection.close()

    @staticmethod
    def ensure_schema_exists(
        context: OutputContext, table_slice: TableSlice, connection: psycopg2.extensions.connection
    ) -> None:
        ensure_migrated(context.resource_config["database_url"])

    @staticmethod
    def delete_table_slice(
        context: OutputContext, table_slice: TableSlice, connection: psycopg2.extensions.connection
    ) -> None:
        # Only locks: the type handler then deletes and re-copies just the partitions whose
        # content hash changed, in this same transaction.
        with connection.cursor() as cursor:
            lock_partitions(cursor, table_slice)

    @staticmethod
    def get_select_statement(table_slice: TableSlice) -> str:
        return describe_slice(table_slice)


def lock_partitions(cursor: psycopg2.extensions.cursor, table_slice: TableSlice) -> None:
    """Serialise writers of the same table and keys until the transaction ends.

    Two runs of one partition at the same time would otherwise both delete the old rows and
    both insert, leaving two copies. Locks are taken per key of the non-time dimensions (the
    client), in sorted order so two runs over overlapping clients cannot deadlock.
    """
    keys: list[str] = []
    for dimension in table_slice.partition_dimensions:
        if not isinstance(dimension.partitions, TimeWindow):
            keys.extend(str(key) for key in dimension.partitions)
    if not keys:
        keys = ["*"]
    for key in sorted(set(keys)):
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
            (f"{table_slice.schema}.{table_slice.table}:{key}",),
        )
