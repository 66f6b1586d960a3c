"""Exactly one copy per partition when whole job runs race or die, in separate OS processes.

Each test starts ``python -m marketing_assets_tests.hourly_sync_process`` children that run
hourly_sync_job against the session's embedded PostgreSQL and simulator. To stop a child at a
known point of its write transaction without hooks in the product, the test holds an ordinary
PostgreSQL lock from its own connection and watches pg_stat_activity until the child waits on
it. Each child imports Dagster and the definitions before it runs, so the module starts only
four.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import dagster as dg
import httpx
import psycopg2.extensions
import pytest

from marketing_assets.definitions import defs
from marketing_assets.jobs import hourly_sync_job
from marketing_assets.local.demo import QUIET_CONSOLE
from marketing_assets.local.reconcile import AccountTotals, truth_totals
from marketing_assets.partitions import CLIENT_DIMENSION, client_range_tags
from marketing_assets.registry import Registry
from marketing_assets.registry.models import DAILY_PLATFORMS
from marketing_assets.simulator import SimulatorServer
from marketing_assets.storage.connection import connect

pytestmark = pytest.mark.multiprocess

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CHILD_MODULE = "marketing_assets_tests.hourly_sync_process"

CLIENT = "saffron-threads"
# Other test modules load this client only for the day before FIXED_NOW, so these hours hold
# rows from this module alone, whatever the order of the suite.
RACE_WINDOW = (datetime(2026, 10, 20, 3, tzinfo=UTC), datetime(2026, 10, 20, 9, tzinfo=UTC))
KILL_WINDOW = (datetime(2026, 10, 21, 3, tzinfo=UTC), datetime(2026, 10, 21, 9, tzinfo=UTC))

GOOGLE_RAW = "google_ads_campaign_hourly_raw"
META_RAW = "meta_campaign_hourly_raw"


@dataclass(frozen=True, slots=True)
class RawTable:
    """A raw landing table and the SQL that sums it like the simulator's ground truth."""

    name: str
    account_column: str
    currency_column: str
    spend_column: str
    # Google stores spend in micros of the account currency, Meta as a decimal amount.
    spend_divisor: int


RAW_TABLES = {
    "google_ads": RawTable(GOOGLE_RAW, "customer_id", "currency_code", "cost_micros", 1_000_000),
    "meta": RawTable(META_RAW, "account_id", "account_currency", "spend", 1),
}

# Each child waits at most this long for the database lock, and then for its run to finish.
LOCK_WAIT_TIMEOUT_SECONDS = 180.0
RUN_TIMEOUT_SECONDS = 300.0
POLL_SECONDS = 0.2


@dataclass
class ChildRun:
    """One child process running hourly_sync_job, identified in PostgreSQL by its
    application_name."""

    application_name: str
    process: subprocess.Popen[bytes]
    result_file: Path
    log_file: Path

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_file.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def outcome(self) -> dict:
        """Wait for the run to end and return the outcome the child wrote."""
        try:
            self.process.wait(timeout=RUN_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            raise AssertionError(
                f"Child {self.application_name} did not finish within {RUN_TIMEOUT_SECONDS} s. "
                f"Log tail:\n{self.log_tail()}"
            ) from None
        if not self.result_file.exists():
            raise AssertionError(
                f"Child {self.application_name} exited with status {self.process.returncode} "
                f"without writing its result. Log tail:\n{self.log_tail()}"
            )
        return json.loads(self.result_file.read_text(encoding="utf-8"))


@contextmanager
def child_runs() -> Iterator[list[ChildRun]]:
    """Collect started children, and kill the ones still running when the test ends."""
    children: list[ChildRun] = []
    try:
        yield children
    finally:
        for child in children:
            if child.process.poll() is None:
                child.process.kill()
                child.process.wait(timeout=30)


def start_child(
    children: list[ChildRun],
    directory: Path,
    application_name: str,
    window: tuple[datetime, datetime],
) -> ChildRun:
    """Start one run of hourly_sync_job for CLIENT over ``window`` in a new process."""
    environment = {
        **os.environ,
        # libpq sends this with every connection, so pg_stat_activity shows whose session it is.
        "PGAPPNAME": application_name,
        # A retried step could hide a failed write behind a successful run. The children
        # report every step error and the tests require none, so a retry need not wait.
        "MARKETING_ASSETS_STEP_RETRY_DELAY_SECONDS": "0",
    }
    result_file = directory / f"{application_name}.json"
    log_file = directory / f"{application_name}.log"
    start, end = window
    command = [sys.executable, "-m", CHILD_MODULE, CLIENT, start.isoformat(), end.isoformat()]
    with log_file.open("wb") as log:
        process = subprocess.Popen(
            [*command, str(result_file)],
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    child = ChildRun(application_name, process, result_file, log_file)
    children.append(child)
    return child


@dataclass(frozen=True, slots=True)
class LockWait:
    """A child session waiting on a lock, as pg_stat_activity showed it."""

    backend_pid: int
    wait_event: str
    blocked_by: tuple[int, ...]
    query: str


LOCK_WAITS = """
SELECT application_name, pid, wait_event, pg_blocking_pids(pid), query
FROM pg_stat_activity
WHERE datname = current_database() AND application_name = ANY(%s) AND wait_event_type = 'Lock'
"""


CHILD_SESSIONS = """
SELECT application_name, datname, pid, state, wait_event_type, wait_event,
       pg_blocking_pids(pid), left(query, 120)
FROM pg_stat_activity WHERE application_name = ANY(%s)
"""


def wait_until_blocked(
    observer: psycopg2.extensions.connection,
    blocker: psycopg2.extensions.connection,
    children: list[ChildRun],
) -> dict[str, LockWait]:
    """Return each child's lock wait once every child waits only on ``blocker`` or on another
    waiting child, so none of them can move until ``blocker`` ends its transaction."""
    names = [child.application_name for child in children]
    deadline = time.monotonic() + LOCK_WAIT_TIMEOUT_SECONDS
    blocker_pid = blocker.get_backend_pid()
    while time.monotonic() < deadline:
        for child in children:
            if child.process.poll() is not None:
                raise AssertionError(
                    f"Child {child.application_name} exited with status "
                    f"{child.process.returncode} before it waited on a lock. Log tail:\n"
                    f"{child.log_tail()}"
                )
        # The observer runs in autocommit mode, so each poll reads current activity rather than
        # the snapshot an open transaction would keep.
        with observer.cursor() as cursor:
            cursor.execute(LOCK_WAITS, (names,))
            rows = cursor.fetchall()
        waits = {
            name: LockWait(pid, event, tuple(blockers), query)
            for name, pid, event, blockers, query in rows
        }
        waiting_pids = {wait.backend_pid for wait in waits.values()}
        settled = len(waits) == len(children) and all(
            wait.blocked_by and set(wait.blocked_by) <= waiting_pids | {blocker_pid}
            for wait in waits.values()
        )
        if settled:
            return waits
        time.sleep(POLL_SECONDS)
    with observer.cursor() as cursor:
        cursor.execute(CHILD_SESSIONS, (names,))
        sessions = "\n".join(str(row) for row in cursor.fetchall())
    raise AssertionError(
        f"Children {names} were not all waiting on a lock after {LOCK_WAIT_TIMEOUT_SECONDS} s. "
        f"Their sessions:\n{sessions}"
    )


def query(database_url: str, statement: str, parameters: tuple[object, ...] = ()) -> list[tuple]:
    connection = connect(database_url)
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute(statement, parameters)
            return cursor.fetchall() if cursor.description else []
    finally:
        connection.close()


def loaded_totals(
    database_url: str, platform: str, window: tuple[datetime, datetime]
) -> dict[str, AccountTotals]:
    """Sum CLIENT's raw rows of one platform in ``window`` per account, as the truth does."""
    table = RAW_TABLES[platform]
    rows = query(
        database_url,
        f"SELECT {table.account_column}, count(*), coalesce(sum({table.spend_column}), 0),"
        " coalesce(sum(impressions), 0), coalesce(sum(clicks), 0),"
        f" coalesce(sum(conversions), 0), min({table.currency_column})"
        f" FROM marketing.{table.name} WHERE client_id = %s AND utc_hour >= %s AND utc_hour < %s"
        f" GROUP BY {table.account_column}",
        (CLIENT, *window),
    )
    return {
        account_id: AccountTotals(
            rows=count,
            spend=Decimal(spend_sum) / table.spend_divisor,
            impressions=int(impressions),
            clicks=int(clicks),
            conversions=Decimal(conversions),
            currency=currency,
        )
        for account_id, count, spend_sum, impressions, clicks, conversions, currency in rows
    }


def assert_raw_tables_equal_truth(
    database_url: str,
    simulator: SimulatorServer,
    registry: Registry,
    window: tuple[datetime, datetime],
) -> None:
    """Require one row per campaign hour and the simulator's totals for every account."""
    with httpx.Client(base_url=simulator.url, timeout=30) as http:
        for account in registry.client(CLIENT).accounts:
            # The hourly job loads no LinkedIn days, which test_linkedin_daily.py covers.
            if account.platform in DAILY_PLATFORMS:
                continue
            truth = truth_totals(http, account.platform, account.account_id, *window)
            loaded = loaded_totals(database_url, account.platform, window)
            assert truth.rows > 0, f"the simulator serves no rows for {account} in {window}"
            assert loaded.get(account.account_id) == truth, (account, window)
    for table in RAW_TABLES.values():
        duplicates = query(
            database_url,
            f"SELECT utc_hour, {table.account_column}, campaign_id, count(*)"
            f" FROM marketing.{table.name} WHERE client_id = %s"
            " AND utc_hour >= %s AND utc_hour < %s"
            f" GROUP BY utc_hour, {table.account_column}, campaign_id HAVING count(*) > 1",
            (CLIENT, *window),
        )
        assert duplicates == [], f"{table.name} holds campaign hours more than once"


def assert_clean_success(outcome: dict) -> None:
    assert outcome["success"], outcome["step_errors"]
    assert outcome["step_errors"] == []


@pytest.fixture
def client_partition(platform_environment, dagster_home, fx_rates_loaded) -> dg.DagsterInstance:
    """The Dagster instance the children share, with CLIENT registered as a partition."""
    instance = dg.DagsterInstance.get()
    if CLIENT not in instance.get_dynamic_partitions(CLIENT_DIMENSION):
        instance.add_dynamic_partitions(CLIENT_DIMENSION, [CLIENT])
    return instance


def test_simultaneous_runs_leave_one_copy(
    client_partition, database_url, simulator, sample_registry, tmp_path
):
    """Two processes run the same client and hours at once, and the second waits for the first.

    Protection tested: the per-client advisory lock taken at the start of each write
    transaction. The test holds SHARE locks on both raw tables, which let readers through and
    stop writers, until both children wait. With the advisory lock, the second child waits on
    the first child's advisory lock before reading the slice, then finds its content written
    and changes nothing. Without it, both children read the empty slice and both wait on the
    table: the wait events below differ, and the second COPY fails on the primary key (a step
    error, even when the step's retry then succeeds).
    """
    blocker = connect(database_url)
    observer = connect(database_url)
    observer.autocommit = True
    try:
        with child_runs() as children:
            with blocker.cursor() as cursor:
                cursor.execute(
                    f"LOCK TABLE marketing.{GOOGLE_RAW}, marketing.{META_RAW} IN SHARE MODE"
                )
            for name in ("process-safety-race-1", "process-safety-race-2"):
                start_child(children, tmp_path, name, RACE_WINDOW)
            waits = wait_until_blocked(observer, blocker, children)
            blocker.rollback()
            outcomes = [child.outcome() for child in children]
    finally:
        blocker.close()
        observer.close()

    events = sorted(wait.wait_event for wait in waits.values())
    assert events == ["advisory", "relation"], waits
    for outcome in outcomes:
        assert_clean_success(outcome)
    for table in (GOOGLE_RAW, META_RAW):
        changed = sorted(outcome["partitions_changed"][table] for outcome in outcomes)
        # The second writer of each table saw the first one's committed rows.
        assert changed[0] == 0, (table, changed)
        assert changed[1] > 0, (table, changed)
    assert_raw_tables_equal_truth(database_url, simulator, sample_registry, RACE_WINDOW)


SNAPSHOT = f"""
SELECT ctid::text, xmin::text, row_value::text FROM marketing.{GOOGLE_RAW} AS row_value
WHERE client_id = %s AND utc_hour >= %s AND utc_hour < %s
ORDER BY customer_id, campaign_id, utc_hour
"""

ADVISORY_LOCKS = """
SELECT pid, classid, objid FROM pg_locks
WHERE locktype = 'advisory'
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
"""

CHILD_LOCKS = """
SELECT locktype, mode, relation::regclass::text FROM pg_locks WHERE pid = %s AND granted
"""


def test_killed_run_keeps_copy_until_rerun(
    client_partition, database_url, simulator, sample_registry, tmp_path
):
    """A run killed with SIGKILL after its delete and COPY, before COMMIT, changes nothing.

    Protection tested: the delete and the COPY of a slice commit together, because the IO
    manager's connection commits only after the type handler returns. The test edits the stored
    Google Ads copy so every partition differs from the simulator, then row-locks the slice's
    partition_hashes rows, which the writer upserts after its delete and COPY. The child is
    killed while it waits there. If the delete or the COPY committed on its own, the killed run
    would have replaced the edited rows and the byte-for-byte comparison fails.
    """
    first = defs.resolve_job_def(hourly_sync_job.name).execute_in_process(
        instance=client_partition,
        tags=client_range_tags(CLIENT, *KILL_WINDOW),
        run_config=QUIET_CONSOLE,
        raise_on_error=False,
    )
    assert first.success
    query(
        database_url,
        f"UPDATE marketing.{GOOGLE_RAW} SET cost_micros = cost_micros + 1"
        " WHERE client_id = %s AND utc_hour >= %s AND utc_hour < %s",
        (CLIENT, *KILL_WINDOW),
    )
    previous = query(database_url, SNAPSHOT, (CLIENT, *KILL_WINDOW))
    hours_with_rows = len(
        query(
            database_url,
            f"SELECT DISTINCT utc_hour FROM marketing.{GOOGLE_RAW}"
            " WHERE client_id = %s AND utc_hour >= %s AND utc_hour < %s",
            (CLIENT, *KILL_WINDOW),
        )
    )
    assert hours_with_rows > 0
    window_hours = (KILL_WINDOW[1] - KILL_WINDOW[0]) // timedelta(hours=1)

    blocker = connect(database_url)
    observer = connect(database_url)
    observer.autocommit = True
    try:
        with child_runs() as children:
            with blocker.cursor() as cursor:
                cursor.execute(
                    "SELECT 1 FROM marketing.partition_hashes"
                    " WHERE table_name = %s AND client_id = %s"
                    " AND utc_hour >= %s AND utc_hour < %s FOR UPDATE",
                    (GOOGLE_RAW, CLIENT, *KILL_WINDOW),
                )
                assert cursor.rowcount == window_hours
            killed = start_child(children, tmp_path, "process-safety-killed", KILL_WINDOW)
            (wait,) = wait_until_blocked(observer, blocker, children).values()
            with observer.cursor() as cursor:
                cursor.execute(CHILD_LOCKS, (wait.backend_pid,))
                granted_locks = cursor.fetchall()

            os.kill(killed.process.pid, signal.SIGKILL)
            assert killed.process.wait(timeout=30) == -signal.SIGKILL
            # PostgreSQL notices the lost client only after the blocked statement ends, so the
            # row locks go first.
            blocker.rollback()
            wait_for_backend_exit(observer, wait.backend_pid)
    finally:
        blocker.close()
        observer.close()

    assert wait.query.lstrip().startswith("INSERT INTO marketing.partition_hashes"), wait
    assert ("advisory", "ExclusiveLock", None) in granted_locks, granted_locks
    raw_table_lock = ("relation", "RowExclusiveLock", f"marketing.{GOOGLE_RAW}")
    assert raw_table_lock in granted_locks, granted_locks
    assert query(database_url, SNAPSHOT, (CLIENT, *KILL_WINDOW)) == previous
    assert query(database_url, ADVISORY_LOCKS) == [], "advisory locks outlived the killed run"

    with child_runs() as children:
        outcome = start_child(children, tmp_path, "process-safety-rerun", KILL_WINDOW).outcome()
    assert_clean_success(outcome)
    assert outcome["partitions_changed"][GOOGLE_RAW] == hours_with_rows
    assert outcome["partitions_changed"][META_RAW] == 0
    assert_raw_tables_equal_truth(database_url, simulator, sample_registry, KILL_WINDOW)


def wait_for_backend_exit(observer: psycopg2.extensions.connection, backend_pid: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with observer.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (backend_pid,))
            if cursor.fetchone() is None:
                return
        time.sleep(POLL_SECONDS)
    raise AssertionError(f"PostgreSQL backend {backend_pid} of the killed run is still alive.")
