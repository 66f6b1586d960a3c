"""Dagster instance storage on PostgreSQL that reuses its connections between calls.

dagster-postgres (0.29) creates the run, event log and schedule storages with SQLAlchemy's
NullPool everywhere except in the web server, so every storage call opens a new connection,
and PostgreSQL forks a new backend process for each. One client's 72-hour run made about
1,750 such calls. Keeping a small pool per storage instead roughly halved a run's wall time
and cut PostgreSQL's CPU about threefold (docs/benchmarks.md has the measurement).
"""

from __future__ import annotations

from dagster._core.storage.config import PostgresStorageConfig
from dagster._serdes import ConfigurableClassData
from dagster_postgres import DagsterPostgresStorage
from dagster_postgres.utils import get_token_provider_from_config, pg_url_from_config

# Each storage keeps one connection open and opens up to this many more while threads (the
# daemon's, the web server's) hold the first. A run process uses one at a time.
MAX_OVERFLOW_CONNECTIONS = 4
# Connections older than this are replaced on checkout, so a PostgreSQL restart or a pooler
# that drops idle sessions costs at most one failed-then-retried connect per storage.
POOL_RECYCLE_SECONDS = 600
# 0 sets no statement timeout on these connections, because a run may make long queries.
STATEMENT_TIMEOUT_MILLISECONDS = 0


class PooledPostgresStorage(DagsterPostgresStorage):
    """DagsterPostgresStorage whose three storages each keep a small connection pool.

    Takes the same settings as the `postgres` storage in dagster.yaml. The pool is set up
    with the storages' public optimize_for_webserver method, which the web server uses.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for storage in (self.run_storage, self.event_log_storage, self.schedule_storage):
            storage.optimize_for_webserver(
                statement_timeout=STATEMENT_TIMEOUT_MILLISECONDS,
                pool_recycle=POOL_RECYCLE_SECONDS,
                max_overflow=MAX_OVERFLOW_CONNECTIONS,
            )

    @classmethod
    def from_config_value(  # type: ignore[override]
        cls, inst_data: ConfigurableClassData | None, config_value: PostgresStorageConfig
    ) -> PooledPostgresStorage:
        return cls(
            inst_data=inst_data,
            postgres_url=pg_url_from_config(config_value),
            should_autocreate_tables=config_value.get("should_autocreate_tables", True),
            token_provider=get_token_provider_from_config(config_value),
        )
