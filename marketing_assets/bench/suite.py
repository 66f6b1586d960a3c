"""Run every benchmark against one embedded PostgreSQL and simulator, side by side."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from marketing_assets.bench.cycles import (
    CycleResult,
    backfill,
    batched_cycle,
    large_client_run,
    naive_sample,
    run_in_workers,
)
from marketing_assets.bench.fleet import fleet_clients, large_client, write_registry
from marketing_assets.bench.machine import describe_machine
from marketing_assets.bench.run_worker import run_fx_rates
from marketing_assets.bench.settings import BenchSettings
from marketing_assets.bench.simulator_plan import LatencyPlan
from marketing_assets.bench.write_path import WriterResult, run_write_path
from marketing_assets.bench.writers import Database
from marketing_assets.local.demo import closed_hours_window, register_clients
from marketing_assets.local.environment import LocalEnvironment, local_environment
from marketing_assets.local.postgres import DATA_DATABASE
from marketing_assets.settings import REGISTRY_PATH_VARIABLE
from marketing_assets.storage.connection import connect
from marketing_assets.storage.postgres_client import ensure_migrated

logger = logging.getLogger(__name__)


@dataclass
class BenchReport:
    """Every figure of one benchmark run, with the machine and command that produced it."""

    settings: BenchSettings
    command: str
    machine: str = ""
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    write_path: list[WriterResult] = field(default_factory=list)
    cycles: list[CycleResult] = field(default_factory=list)
    naive: CycleResult | None = None
    backfill: CycleResult | None = None
    large_client: CycleResult | None = None
    large_client_rows: int = 0


@contextmanager
def registry_variable(path: Path) -> Iterator[None]:
    previous = os.environ.get(REGISTRY_PATH_VARIABLE)
    os.environ[REGISTRY_PATH_VARIABLE] = str(path)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(REGISTRY_PATH_VARIABLE, None)
        else:
            os.environ[REGISTRY_PATH_VARIABLE] = previous


def run_suite(settings: BenchSettings, state_dir: Path, command: str) -> BenchReport:
    """Measure the write path, hourly cycles, the naive sample, a backfill and a large client.

    Runs use an instance and data database in ``state_dir``; the simulator serves the
    synthetic fleet with ``settings.latency_seconds`` added to each platform response.
    """
    report = BenchReport(settings, command)
    registries = Path(tempfile.mkdtemp(prefix="bench-registry-"))
    fleet = write_registry(registries / "fleet.yaml", fleet_clients(settings.fleet_size))
    plan = LatencyPlan(settings.latency_seconds)
    with registry_variable(fleet), local_environment(state_dir, fault_plan=plan) as environment:
        try:
            measure_fleet(report, environment, plan)
            large = write_registry(
                registries / "large.yaml",
                [large_client(settings.large_client_accounts_per_platform)],
            )
            # NOTE: the large client runs without added latency: its 1,000 accounts would
            # otherwise spend minutes waiting, and the run measures memory, not time.
            large_plan = LatencyPlan(0.0)
            with (
                registry_variable(large),
                local_environment(state_dir, fault_plan=large_plan) as large_environment,
            ):
                measure_large_client(report, large_environment, large_plan)
        finally:
            if environment.postgres is not None:
                environment.postgres.stop()
            shutil.rmtree(registries, ignore_errors=True)
    return report


def measure_fleet(report: BenchReport, environment: LocalEnvironment, plan: LatencyPlan) -> None:
    settings = report.settings
    ensure_migrated(environment.database_url)
    connection = connect(environment.database_url)
    try:
        report.machine = describe_machine(connection)
        postgres = environment.postgres
        database = Database(
            environment.database_url, postgres.socket_dir if postgres else "", DATA_DATABASE
        )
        logger.info("Write path: %s", settings.write_repetitions)
        report.write_path = run_write_path(connection, database, settings.write_repetitions)
    finally:
        connection.close()

    register_clients(environment)
    fx = run_in_workers(run_fx_rates, [()], workers=1)
    if not fx[0].success:
        raise RuntimeError(
            f"Loading the ECB rates failed, so no run can convert spend: {fx[0].failure}"
        )
    clients = environment.registry.clients
    _, closed_hour_end = closed_hours_window(datetime.now(UTC), 1)

    offset = 0
    for size in settings.cycle_clients:
        group = clients[offset : offset + size]
        offset += size
        for state in ("first load", "steady state"):
            logger.info("Hourly cycle: %d clients, %s", size, state)
            report.cycles.append(
                batched_cycle(
                    f"{size} clients, {state}",
                    group,
                    closed_hour_end,
                    plan,
                    workers=settings.workers,
                )
            )
    logger.info("Naive layout: %d sample runs", settings.naive_sample_runs)
    report.naive = naive_sample(clients[: settings.naive_sample_runs], closed_hour_end, plan)
    backfill_group = clients[offset : offset + settings.backfill_clients]
    logger.info("Backfill: %d clients x %d days", len(backfill_group), settings.backfill_days)
    report.backfill = backfill(
        backfill_group, closed_hour_end, settings.backfill_days, plan, workers=settings.workers
    )


def measure_large_client(
    report: BenchReport, environment: LocalEnvironment, plan: LatencyPlan
) -> None:
    settings = report.settings
    register_clients(environment)
    (client,) = environment.registry.clients
    _, end = closed_hours_window(datetime.now(UTC), 1)
    logger.info("Large client: %d accounts", len(client.accounts))
    report.large_client = large_client_run(client, end, settings.large_client_hours, plan)
    report.large_client_rows = count_rows(environment.database_url, client.client_id)


def count_rows(database_url: str, client_id: str) -> int:
    connection = connect(database_url)
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM marketing.campaign_performance_hourly WHERE client_id = %s",
                (client_id,),
            )
            (rows,) = cursor.fetchone()
    finally:
        connection.close()
    return int(rows)
