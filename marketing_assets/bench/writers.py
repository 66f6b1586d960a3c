"""The ways to load a frame into PostgreSQL that the write-path benchmark compares.

Each writer loads the same rows into a table with the unified table's columns, primary key
and indexes (dlt into a table it creates itself), starting from an empty table each time.
Work a caller does once per frame anyway (rendering CSV for raw COPY, converting to pandas
or Arrow for the peers) happens in ``prepare``, outside the timed ``write``.
"""

from __future__ import annotations

import importlib.util
import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from typing import Any

import polars as pl
import psycopg2.extensions
from psycopg2 import sql

from marketing_assets.bench.rows import BENCH_TABLE, BenchRows
from marketing_assets.storage.connection import connect
from marketing_assets.storage.partition_writer import replace_changed_partitions
from marketing_assets.storage.polars_handler import check_rows_inside_slice, conform_to_table
from marketing_assets.storage.postgres_client import lock_partitions
from marketing_assets.tables import SCHEMA_NAME

PEER_SCHEMA = "bench"
DLT_DATASET_PREFIX = "bench_dlt"
INSTALL_HINT = "pip install -e .[bench]"


@dataclass(frozen=True, slots=True)
class Database:
    """Connection details of the benchmark database, in the forms the client libraries take."""

    sqlalchemy_url: str
    socket_dir: str
    name: str

    @property
    def libpq_uri(self) -> str:
        return f"postgresql://postgres@/{self.name}?host={self.socket_dir}"


@dataclass
class Writer:
    """One way of loading rows: ``prepare`` runs untimed, ``write`` is what gets timed."""

    name: str
    write: Callable[[Any, Database], None]
    prepare: Callable[[BenchRows, Database], Any] = lambda rows, database: rows
    reset: Callable[[psycopg2.extensions.connection], None] = lambda connection: None
    requires: tuple[str, ...] = ()
    note: str = ""
    failures: dict[int, str] = field(default_factory=dict)

    def missing_modules(self) -> list[str]:
        return [module for module in self.requires if importlib.util.find_spec(module) is None]


def empty_peer_table(name: str) -> Callable[[psycopg2.extensions.connection], None]:
    """Return a reset that recreates ``bench.<name>`` like the unified table, indexes too."""

    def reset(connection: psycopg2.extensions.connection) -> None:
        with connection, connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(PEER_SCHEMA))
            )
            cursor.execute(
                sql.SQL("DROP TABLE IF EXISTS {}.{}").format(
                    sql.Identifier(PEER_SCHEMA), sql.Identifier(name)
                )
            )
            cursor.execute(
                sql.SQL("CREATE TABLE {}.{} (LIKE {}.{} INCLUDING ALL)").format(
                    sql.Identifier(PEER_SCHEMA),
                    sql.Identifier(name),
                    sql.Identifier(SCHEMA_NAME),
                    sql.Identifier(BENCH_TABLE),
                )
            )

    return reset


def empty_project_table(connection: psycopg2.extensions.connection) -> None:
    with connection, connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("TRUNCATE {}.{}").format(
                sql.Identifier(SCHEMA_NAME), sql.Identifier(BENCH_TABLE)
            )
        )
        cursor.execute(
            "DELETE FROM marketing.partition_hashes WHERE table_name = %s", (BENCH_TABLE,)
        )


def write_project(rows: BenchRows, database: Database) -> None:
    """Load as the IO manager does: conform, check, lock, hash, delete, COPY, commit."""
    connection = connect(database.sqlalchemy_url)
    try:
        with connection:
            frame = conform_to_table(rows.frame, rows.table_slice.table)
            check_rows_inside_slice(frame, rows.table_slice)
            with connection.cursor() as cursor:
                lock_partitions(cursor, rows.table_slice)
            replace_changed_partitions(connection, rows.table_slice, frame)
    finally:
        connection.close()


def render_csv(rows: BenchRows, database: Database) -> tuple[list[str], bytes]:
    payload = rows.frame.write_csv(include_header=False, quote_style="non_numeric")
    return rows.frame.columns, payload.encode("utf-8")


def preload_project(rows: BenchRows, database: Database) -> BenchRows:
    """Load the rows once, untimed, so the timed write finds every partition unchanged."""
    write_project(rows, database)
    return rows


def write_raw_copy(columns_and_payload: tuple[list[str], bytes], database: Database) -> None:
    """COPY pre-rendered CSV into the table in one transaction: the server's ingest limit."""
    columns, payload = columns_and_payload
    connection = connect(database.sqlalchemy_url)
    try:
        with connection, connection.cursor() as cursor:
            statement = sql.SQL("COPY {}.{} ({}) FROM STDIN WITH (FORMAT csv)").format(
                sql.Identifier(PEER_SCHEMA),
                sql.Identifier("raw_copy"),
                sql.SQL(", ").join(sql.Identifier(column) for column in columns),
            )
            cursor.copy_expert(statement.as_string(connection), io.BytesIO(payload))
    finally:
        connection.close()


def to_pandas(rows: BenchRows, database: Database) -> Any:
    return rows.frame.to_pandas()


def write_pandas(frame: Any, database: Database) -> None:
    """DataFrame.to_sql with its defaults, as hand-written sync scripts call it."""
    import sqlalchemy

    engine = sqlalchemy.create_engine(database.sqlalchemy_url)
    try:
        frame.to_sql("pandas_to_sql", engine, schema=PEER_SCHEMA, if_exists="append", index=False)
    finally:
        engine.dispose()


def write_polars_sqlalchemy(frame: pl.DataFrame, database: Database) -> None:
    frame.write_database(
        f"{PEER_SCHEMA}.polars_sqlalchemy",
        database.sqlalchemy_url,
        if_table_exists="append",
        engine="sqlalchemy",
    )


def cast_decimals_to_float(rows: BenchRows, database: Database) -> pl.DataFrame:
    return rows.frame.with_columns(pl.col(pl.Decimal).cast(pl.Float64))


def write_polars_float_sqlalchemy(frame: pl.DataFrame, database: Database) -> None:
    frame.write_database(
        f"{PEER_SCHEMA}.polars_float_sqlalchemy",
        database.sqlalchemy_url,
        if_table_exists="append",
        engine="sqlalchemy",
    )


def write_polars_adbc(frame: pl.DataFrame, database: Database) -> None:
    frame.write_database(
        f"{PEER_SCHEMA}.polars_adbc",
        database.libpq_uri,
        if_table_exists="append",
        engine="adbc",
    )


def frame_of(rows: BenchRows, database: Database) -> pl.DataFrame:
    return rows.frame


_dlt_runs = count()


def dlt_writer(loader_file_format: str | None) -> Callable[[Any, Database], None]:
    """Return a write that runs a dlt pipeline (postgres destination) into its own dataset.

    ``None`` keeps dlt's default loader file format for the destination (INSERT statements
    in dlt 1.x); ``"csv"`` makes dlt load through COPY.
    """

    def write(table: Any, database: Database) -> None:
        run_dlt_pipeline(table, database, loader_file_format)

    return write


def run_dlt_pipeline(table: Any, database: Database, loader_file_format: str | None) -> None:
    # dlt sends anonymous usage reports to its vendor unless telemetry is off, and a benchmark
    # sends nothing off this machine.
    os.environ["RUNTIME__DLTHUB_TELEMETRY"] = "false"
    import dlt

    run = next(_dlt_runs)
    # The embedded server trusts local socket connections, but dlt requires a password anyway;
    # the host query parameter points libpq at the server's socket folder.
    credentials = (
        f"postgresql://postgres:unused@localhost/{database.name}?host={database.socket_dir}"
    )
    with tempfile.TemporaryDirectory(prefix="bench-dlt-") as pipelines_dir:
        pipeline = dlt.pipeline(
            pipeline_name=f"bench_{run}",
            destination=dlt.destinations.postgres(credentials=credentials),
            dataset_name=f"{DLT_DATASET_PREFIX}_{run}",
            pipelines_dir=pipelines_dir,
        )
        pipeline.run(
            table,
            table_name="campaign_performance_hourly",
            write_disposition="append",
            loader_file_format=loader_file_format,
        )


def to_arrow(rows: BenchRows, database: Database) -> Any:
    return rows.frame.to_arrow()


def drop_dlt_datasets(connection: psycopg2.extensions.connection) -> None:
    with connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s",
            (f"{DLT_DATASET_PREFIX}%",),
        )
        for (schema,) in cursor.fetchall():
            cursor.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def all_writers() -> list[Writer]:
    """Return the writers in report order; raw COPY first because ratios are against it."""
    return [
        Writer(
            "raw COPY (pre-rendered CSV)", write_raw_copy, render_csv, empty_peer_table("raw_copy")
        ),
        Writer("project writer (IO manager path)", write_project, reset=empty_project_table),
        Writer(
            "project writer, same rows again",
            write_project,
            preload_project,
            empty_project_table,
            note="every partition hash matches, so no row is rewritten",
        ),
        Writer(
            "polars write_database (ADBC)",
            write_polars_adbc,
            frame_of,
            empty_peer_table("polars_adbc"),
            requires=("adbc_driver_postgresql",),
        ),
        Writer(
            "polars write_database (SQLAlchemy)",
            write_polars_sqlalchemy,
            frame_of,
            empty_peer_table("polars_sqlalchemy"),
            # polars 2.1 writes through SQLAlchemy by way of pandas.
            requires=("sqlalchemy", "pandas"),
        ),
        Writer(
            "polars write_database (SQLAlchemy, Decimal cast to Float64)",
            write_polars_float_sqlalchemy,
            cast_decimals_to_float,
            empty_peer_table("polars_float_sqlalchemy"),
            requires=("sqlalchemy", "pandas"),
            note="loses exactness: money passes through binary floats",
        ),
        Writer(
            "pandas DataFrame.to_sql (defaults)",
            write_pandas,
            to_pandas,
            empty_peer_table("pandas_to_sql"),
            requires=("pandas", "sqlalchemy"),
        ),
        Writer(
            "dlt pipeline, postgres destination (default format)",
            dlt_writer(None),
            to_arrow,
            drop_dlt_datasets,
            requires=("dlt",),
            note="Arrow input; dlt creates its own table",
        ),
        Writer(
            "dlt pipeline, postgres destination (csv, COPY)",
            dlt_writer("csv"),
            to_arrow,
            drop_dlt_datasets,
            requires=("dlt",),
            note="Arrow input; dlt creates its own table",
        ),
    ]
