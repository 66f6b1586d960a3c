"""Hourly cycles, backfills and a large client's run, timed with their processes counted."""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from marketing_assets.bench.measure import Usage, measured
from marketing_assets.bench.run_worker import (
    RunOutcome,
    run_client_window,
    run_naive_client_hour,
    start_worker,
)
from marketing_assets.bench.simulator_plan import LatencyPlan
from marketing_assets.registry import Client
from marketing_assets.sync.lookback import sync_window
from marketing_assets.sync.window import SyncWindow

logger = logging.getLogger(__name__)


@dataclass
class CycleResult:
    """One measured batch of runs: what it cost and what it asked of the platforms."""

    label: str
    clients: int
    client_hours: int
    usage: Usage
    outcomes: list[RunOutcome]
    processes: int
    requests: dict[str, int]
    account_days: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def runs(self) -> int:
        return len(self.outcomes)

    @property
    def failed_runs(self) -> int:
        return sum(not outcome.success for outcome in self.outcomes)

    @property
    def total_requests(self) -> int:
        return sum(self.requests.values())

    @property
    def peak_rss_megabytes(self) -> float:
        return max((outcome.worker_peak_rss_megabytes for outcome in self.outcomes), default=0.0)


def run_in_workers(
    function: Callable[..., RunOutcome], tasks: Sequence[tuple[object, ...]], *, workers: int
) -> list[RunOutcome]:
    """Run ``function`` over ``tasks`` in a pool of spawned processes and wait for all of them.

    Joining the pool before returning lets the caller's measurement include the workers' CPU.
    """
    context = multiprocessing.get_context("spawn")
    pool = context.Pool(workers, initializer=start_worker)
    try:
        outcomes = pool.starmap(function, tasks, chunksize=1)
    finally:
        pool.close()
        pool.join()
    for outcome in outcomes:
        if not outcome.success:
            logger.warning("Run %s failed: %s", outcome.run_id, outcome.failure)
    return outcomes


def call_into_queue(
    function: Callable[..., RunOutcome], task: tuple[object, ...], results: multiprocessing.Queue
) -> None:
    results.put(function(*task))


def run_in_fresh_processes(
    function: Callable[..., RunOutcome], tasks: Sequence[tuple[object, ...]]
) -> list[RunOutcome]:
    """Run each task in a new process, one at a time, as Dagster's default run launcher does.

    A pool's workers are daemonic and may not start processes, but the multiprocess executor
    starts one per step, so each run gets a plain child process.
    """
    context = multiprocessing.get_context("spawn")
    outcomes = []
    for task in tasks:
        results = context.Queue()
        process = context.Process(target=call_into_queue, args=(function, task, results))
        process.start()
        outcomes.append(results.get())
        process.join()
    for outcome in outcomes:
        if not outcome.success:
            logger.warning("Run %s failed: %s", outcome.run_id, outcome.failure)
    return outcomes


def account_days(clients: Sequence[Client], start: datetime, end: datetime) -> int:
    """Count the account-local days the window touches, summed over the clients' accounts."""
    window = SyncWindow(tuple(client.client_id for client in clients), start, end)
    return sum(
        len(window.local_days(client.time_zone)) * len(client.accounts) for client in clients
    )


def batched_cycle(
    label: str,
    clients: Sequence[Client],
    closed_hour_end: datetime,
    plan: LatencyPlan,
    *,
    workers: int,
) -> CycleResult:
    """Run the hourly schedule's requests: one run per client over its trailing window."""
    tasks = []
    client_hours = 0
    full_runs = 0
    for client in clients:
        start, end, kind = sync_window(client, closed_hour_end)
        tasks.append((client.client_id, start, end, f"bench-{kind}"))
        client_hours += int((end - start) / timedelta(hours=1))
        full_runs += kind == "full"
    plan.reset()
    with measured() as usage:
        outcomes = run_in_workers(run_client_window, tasks, workers=workers)
    result = CycleResult(
        label, len(clients), client_hours, usage, outcomes, workers, plan.requests()
    )
    if full_runs:
        result.notes.append(
            f"{full_runs} of the runs were the daily full re-read (03:00 in the client's zone)"
        )
    return result


def naive_sample(
    clients: Sequence[Client], closed_hour_end: datetime, plan: LatencyPlan
) -> CycleResult:
    """Run one client-hour partition per client, each in a fresh run process, one at a time."""
    hour = closed_hour_end - timedelta(hours=1)
    tasks = [(client.client_id, hour) for client in clients]
    plan.reset()
    with measured() as usage:
        outcomes = run_in_fresh_processes(run_naive_client_hour, tasks)
    processes = len(outcomes) + sum(outcome.step_processes for outcome in outcomes)
    return CycleResult(
        "naive sample", len(clients), len(clients), usage, outcomes, processes, plan.requests()
    )


def backfill(
    clients: Sequence[Client], end: datetime, days: int, plan: LatencyPlan, *, workers: int
) -> CycleResult:
    """Backfill ``days`` of hours for each client as the single-run policy launches it."""
    start = end - timedelta(days=days)
    tasks = [(client.client_id, start, end, "bench-backfill") for client in clients]
    plan.reset()
    with measured() as usage:
        outcomes = run_in_workers(run_client_window, tasks, workers=workers)
    return CycleResult(
        f"backfill {days} days",
        len(clients),
        len(clients) * days * 24,
        usage,
        outcomes,
        workers,
        plan.requests(),
        account_days=account_days(clients, start, end),
    )


def large_client_run(client: Client, end: datetime, hours: int, plan: LatencyPlan) -> CycleResult:
    """Run one window of a client with many accounts in a fresh process; report its peak RSS."""
    start = end - timedelta(hours=hours)
    plan.reset()
    with measured() as usage:
        outcomes = run_in_workers(
            run_client_window, [(client.client_id, start, end, "bench-large")], workers=1
        )
    return CycleResult("large client", 1, hours, usage, outcomes, 1, plan.requests())


def naive_projection(sample: CycleResult, clients: int, cores: int) -> dict[str, float]:
    """Extrapolate the naive layout to ``clients`` client-hour runs from the measured sample.

    CPU scales per run. Wall time assumes the runs share ``cores`` fully, the best case for
    the naive layout, because its cost is CPU for process starts.
    """
    cpu_per_run = sample.usage.total_cpu_seconds / max(sample.runs, 1)
    processes_per_run = sample.processes / max(sample.runs, 1)
    return {
        "runs": clients,
        "cpu_seconds": cpu_per_run * clients,
        "wall_seconds": cpu_per_run * clients / cores,
        "processes": processes_per_run * clients,
        "cpu_per_run": cpu_per_run,
        "wall_per_run": sample.usage.wall_seconds / max(sample.runs, 1),
    }
