"""Open psycopg2 connections from the database URLs the project is configured with."""

from __future__ import annotations

import psycopg2
import psycopg2.extensions

# Dagster's instance storage needs SQLAlchemy URLs that name psycopg2, because SQLAlchemy 2.1
# picks psycopg 3 for a bare postgresql:// and dagster-postgres then fails on its NOTIFY. The
# same URL is accepted here, so one setting serves both.
SQLALCHEMY_DRIVER_PREFIXES = ("postgresql+psycopg2://", "postgres+psycopg2://")


def libpq_dsn(database_url: str) -> str:
    """Return ``database_url`` as a libpq connection URI (without a SQLAlchemy driver name)."""
    for prefix in SQLALCHEMY_DRIVER_PREFIXES:
        if database_url.startswith(prefix):
            return "postgresql://" + database_url[len(prefix) :]
    if database_url.startswith(("postgresql://", "postgres://")):
        return database_url
    raise ValueError(
        "The database URL must start with postgresql:// or postgresql+psycopg2://; got a URL "
        f"starting with {database_url.split(':', 1)[0]!r}. Check MARKETING_ASSETS_DATABASE_URL."
    )


def connect(database_url: str) -> psycopg2.extensions.connection:
    """Open a connection whose session time zone is UTC, so timestamps read back as UTC."""
    connection = psycopg2.connect(libpq_dsn(database_url), options="-c TimeZone=UTC")
    return connection
