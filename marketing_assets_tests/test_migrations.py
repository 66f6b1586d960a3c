"""Migrations carry the rows of a database created by an older release forward."""

from __future__ import annotations

from datetime import date

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


LINKEDIN_DAY_ROW = (
    "INSERT INTO marketing.linkedin_campaign_performance_daily VALUES ('old', 'linkedin', '5',"
    " '8', '2026-03-02', 'EUR', 4, 3, 2, 1, 0, 'USD', 7, '2026-03-02', now(), 'r')"
)


def test_linkedin_days_join_daily_views_of_older_database(
    embedded_postgres: EmbeddedPostgres,
) -> None:
    create_databases(embedded_postgres, ["migrate_to_0011"])
    connection = connect(embedded_postgres.url("migrate_to_0011"))
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute("CREATE SCHEMA marketing")
            cursor.execute(
                "CREATE TABLE marketing.schema_migrations (version integer PRIMARY KEY,"
                " name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            for migration in load_migrations():
                if migration.version >= 11:
                    break
                cursor.execute(migration.sql)
                cursor.execute(
                    "INSERT INTO marketing.schema_migrations (version, name) VALUES (%s, %s)",
                    (migration.version, migration.name),
                )
            cursor.execute(
                "INSERT INTO marketing.clients (client_id, name, time_zone, reporting_currency,"
                " updated_at) VALUES ('old', 'Old', 'UTC', 'USD', now())"
            )
            cursor.execute(
                HOUR_ROW.replace("campaign_performance_hourly", "meta_campaign_performance_hourly"),
                ("old", "meta", 5, 5),
            )

        applied = apply_migrations(connection)

        assert "0011_linkedin_daily.sql" in applied
        with connection.cursor() as cursor:
            cursor.execute(LINKEDIN_DAY_ROW)
            cursor.execute(
                "INSERT INTO marketing.partition_hashes VALUES ('meta_campaign_performance_hourly',"
                " 'old', '2026-03-02 01:00+00', 'h', 1, now(), now(), 'r')"
            )
            cursor.execute(
                "INSERT INTO marketing.daily_partition_hashes VALUES"
                " ('linkedin_campaign_performance_daily', 'old', '2026-03-02', 'h', 1, now(),"
                " now(), 'r')"
            )
            cursor.execute(
                "SELECT platform, client_date, spend, impressions"
                " FROM marketing.platform_performance_daily ORDER BY 1"
            )
            assert [
                (platform, day.isoformat(), int(spend), int(impressions))
                for platform, day, spend, impressions in cursor.fetchall()
            ] == [("linkedin", "2026-03-02", 7, 3), ("meta", "2026-03-02", 5, 1)]
            cursor.execute("SELECT DISTINCT platform FROM marketing.campaign_performance_hourly")
            assert cursor.fetchall() == [("meta",)]
            cursor.execute(
                "SELECT platform, status, last_complete_day FROM marketing.data_freshness"
                " ORDER BY 1"
            )
            # The old client row has no platform list, so the loaded partitions name them.
            assert cursor.fetchall() == [
                ("linkedin", "stale", date(2026, 3, 2)),
                ("meta", "stale", None),
            ]
            for view in ("campaign_performance_daily", "data_freshness"):
                cursor.execute(
                    "SELECT has_table_privilege('marketing_dashboard', %s, 'SELECT')",
                    (f"marketing.{view}",),
                )
                assert cursor.fetchone() == (True,)
        connection.rollback()
    finally:
        connection.close()


@pytest.mark.parametrize("platform", ["tiktok", "microsoft_ads"])
def test_new_platform_rows_reach_hourly_and_daily_views(database_url: str, platform: str) -> None:
    from marketing_assets.storage.postgres_client import ensure_migrated

    ensure_migrated(database_url)
    connection = connect(database_url)
    table = f"{platform}_campaign_performance_hourly"
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO marketing.clients VALUES ('view-check', 'View Check', 'UTC', 'USD',"
                " now()) ON CONFLICT (client_id) DO NOTHING"
            )
            cursor.execute(
                HOUR_ROW.replace("campaign_performance_hourly", table),
                ("view-check", platform, 12, 12),
            )
            cursor.execute(
                "SELECT platform, spend FROM marketing.campaign_performance_hourly"
                " WHERE client_id = 'view-check'"
            )
            hourly = cursor.fetchall()
            cursor.execute(
                "SELECT platform, spend FROM marketing.platform_performance_daily"
                " WHERE client_id = 'view-check'"
            )
            daily = cursor.fetchall()
            with pytest.raises(psycopg2.errors.CheckViolation):
                cursor.execute(
                    HOUR_ROW.replace("campaign_performance_hourly", table),
                    ("view-check", "meta", 1, 1),
                )
        connection.rollback()
    finally:
        connection.close()
    assert [(name, int(spend)) for name, spend in hourly] == [(platform, 12)]
    assert [(name, int(spend)) for name, spend in daily] == [(platform, 12)]
