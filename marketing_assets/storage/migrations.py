"""Idempotent, ordered schema migrations kept as SQL files beside this module."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib import resources

import psycopg2.extensions

from marketing_assets.tables import SCHEMA_NAME

logger = logging.getLogger(__name__)

# Any constant works; it only has to be the same in every process that migrates.
MIGRATION_LOCK_KEY = 7_305_118_204


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations() -> list[Migration]:
    """Return the packaged migrations ordered by the number that starts each file name."""
    folder = resources.files("marketing_assets.storage").joinpath("migrations")
    migrations = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            migrations.append(Migration(version, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(migrations, key=lambda migration: migration.version)


def apply_migrations(connection: psycopg2.extensions.connection) -> list[str]:
    """Apply every migration not yet recorded, in one transaction; return the names applied.

    An advisory lock serialises concurrent callers (several runs starting at once), and the
    schema_migrations table makes a second call a no-op.
    """
    applied: list[str] = []
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_KEY,))
        cursor.execute(f'CREATE SCHEMA IF NOT EXISTS "{SCHEMA_NAME}"')
        cursor.execute(
            f'CREATE TABLE IF NOT EXISTS "{SCHEMA_NAME}".schema_migrations ('
            " version integer PRIMARY KEY, name text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        cursor.execute(f'SELECT version FROM "{SCHEMA_NAME}".schema_migrations')
        done = {row[0] for row in cursor.fetchall()}
        for migration in load_migrations():
            if migration.version in done:
                continue
            cursor.execute(migration.sql)
            cursor.execute(
                f'INSERT INTO "{SCHEMA_NAME}".schema_migrations (version, name) VALUES (%s, %s)',
                (migration.version, migration.name),
            )
            applied.append(migration.name)
    for name in applied:
        logger.info("Applied database migration %s", name)
    return applied
