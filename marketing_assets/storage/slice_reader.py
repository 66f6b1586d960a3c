"""Read a table slice (a run's clients and hours) back as a typed polars frame."""

from __future__ import annotations

import io

import polars as pl
import psycopg2.extensions
from dagster._core.storage.db_io_manager import TableSlice
from psycopg2 import sql

from marketing_assets.storage.table_slice_sql import table_identifier, where_clause
from marketing_assets.tables import TABLE_SCHEMAS


def read_slice(connection: psycopg2.extensions.connection, table_slice: TableSlice) -> pl.DataFrame:
    schema = TABLE_SCHEMAS[table_slice.table]
    condition, parameters = where_clause(table_slice)
    query = sql.SQL("SELECT {columns} FROM {table} WHERE {condition} ORDER BY {order}").format(
        columns=sql.SQL(", ").join(sql.Identifier(column) for column in schema),
        table=table_identifier(table_slice),
        condition=condition,
        order=sql.SQL(", ").join(
            sql.Identifier(dimension.partition_expr)
            for dimension in table_slice.partition_dimensions
        )
        or sql.SQL("1"),
    )
    with connection.cursor() as cursor:
        # COPY takes no bind parameters, so the driver quotes them into the text (mogrify).
        bound = cursor.mogrify(query, parameters).decode("utf-8")
        buffer = io.BytesIO()
        cursor.copy_expert(f"COPY ({bound}) TO STDOUT WITH (FORMAT csv)", buffer)
    buffer.seek(0)
    if not buffer.getbuffer().nbytes:
        return pl.DataFrame(schema=schema)
    return pl.read_csv(buffer, has_header=False, new_columns=list(schema), schema=schema)
