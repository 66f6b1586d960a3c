"""The project's instance storage reuses PostgreSQL connections across storage calls."""

import dagster as dg
import psycopg2

from marketing_assets.instance_storage import PooledPostgresStorage
from marketing_assets.storage.connection import libpq_dsn


def sessions_opened(storage_url: str) -> int:
    """Count the sessions PostgreSQL has started on the instance's database so far."""
    connection = psycopg2.connect(libpq_dsn(storage_url))
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT sessions FROM pg_stat_database WHERE datname = current_database()"
            )
            return int(cursor.fetchone()[0])
    finally:
        connection.close()


def make_storage_calls(storage, calls: int) -> None:
    """Read the run and event storages as a run's steps do, one call at a time."""
    for index in range(calls):
        storage.run_storage.has_run(f"probe-{index}")
        storage.event_log_storage.get_logs_for_run(f"probe-{index}")


def sessions_for_calls(storage, storage_url: str, calls: int) -> int:
    make_storage_calls(storage, 2)  # tables exist and pools are warm
    before = sessions_opened(storage_url)
    make_storage_calls(storage, calls)
    # Each sessions_opened call opens one session of its own.
    return sessions_opened(storage_url) - before - 1


def test_project_instance_uses_pooled_storage(dagster_home, dagster_storage_url):
    with dg.DagsterInstance.get() as instance:
        storage = instance.get_ref().storage_data.rehydrate()
        assert isinstance(storage, PooledPostgresStorage)
        opened = sessions_for_calls(storage, dagster_storage_url, 100)

    # 200 storage calls: dagster-postgres's default NullPool would open 200 sessions.
    assert opened <= 2, f"{opened} PostgreSQL sessions for 200 storage calls"


def test_stock_storage_opens_session_per_call(dagster_home, dagster_storage_url):
    """What the pool saves: the stock storage starts a session for every call."""
    from dagster_postgres import DagsterPostgresStorage

    opened = sessions_for_calls(
        DagsterPostgresStorage(dagster_storage_url), dagster_storage_url, 100
    )

    assert opened >= 200, f"only {opened} PostgreSQL sessions for 200 storage calls"
