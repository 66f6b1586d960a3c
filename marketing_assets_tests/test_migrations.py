"""Migrations carry the rows of a database created by an older release forward."""

from __future__ import annotations

import psycopg2
import pytest

from marketing_assets.local.postgres import EmbeddedPostgres, create_databases
from marketing_assets.storage.connection import connect
from marketing_assets.storage.migrations import apply_migrations, load_migrations

HOUR_ROW = (
    "INSERT INTO marketing.campaign_performance_hourly VALUES (%s, %s, '1', '7', 'C',"
    " '2026-03-02 01:00+00', '2026-03-02', 1, 'UTC', 'USD', %s, 1, 0, 0, 0, now(), 'r',"
    " 'USD', %s, NULL)"
)


def test_unified_rows_move_to_platform_tables(
    embedded_postgres: EmbeddedPostgres,
) -> None:
    create_databases(embedded_postgres, ["migrate_from_0006"])
    connection = connect(embedded_postgres.url("migrate_from_0006"))
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute("CREATE SCHEMA marketing")
            cursor.execute(
                "CREATE TABLE marketing.schema_migrations (version integer PRIMARY KEY,"
                " name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            for migration in load_migrations():
                if migration.version > 6:
                    break
                cursor.execute(migration.sql)
                cursor.execute(
                    "INSERT INTO marketing.schema_migrations (version, name) VALUES (%s, %s)",
                    (migration.version, migration.name),
                )
            cursor.execute(HOUR_ROW, ("old", "google_ads", 10, 10))
            cursor.execute(HOUR_ROW, ("old", "meta", 5, 5))
            cursor.execute(
                "INSERT INTO marketing.clients VALUES ('old', 'Old', 'UTC', 'USD', now())"
            )

        applied = apply_migrations(connection)

        assert "0007_unified_table_per_platform.sql" in applied
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT platform, spend FROM marketing.google_ads_campaign_performance_hourly"
                " UNION ALL SELECT platform, spend FROM marketing.meta_campaign_performance_hourly"
                " ORDER BY 1"
            )
            assert [(platform, int(spend)) for platform, spend in cursor.fetchall()] == [
                ("google_ads", 10),
                ("meta", 5),
            ]
            cursor.execute("SELECT count(*) FROM marketing.campaign_performance_hourly")
            assert cursor.fetchone() == (2,)
            cursor.execute(
                "SELECT platform, spend FROM marketing.platform_performance_daily ORDER BY 1"
            )
            assert [(platform, int(spend)) for platform, spend in cursor.fetchall()] == [
                ("google_ads", 10),
                ("meta", 5),
            ]
            cursor.execute(
                "SELECT has_table_privilege('marketing_dashboard',"
                " 'marketing.client_performance_daily', 'SELECT')"
            )
            assert cursor.fetchone() == (True,)
        connection.rollback()
    finally:
        connection.close()


def test_platform_table_rejects_other_platform(database_url: str) -> None:
    from marketing_assets.storage.postgres_client import ensure_migrated

    ensure_migrated(database_url)
    connection = connect(database_url)
    try:
        with connection.cursor() as cursor, pytest.raises(psycopg2.errors.CheckViolation):
            cursor.execute(
                HOUR_ROW.replace("campaign_performance_hourly", "meta_campaign_performance_hourly"),
                ("wrong", "google_ads", 1, 1),
            )
        connection.rollback()
    finally:
        connection.close()
