"""Functions the benchmark's worker processes run: one Dagster run per call.

Each worker imports the definitions once, then executes runs in process, as a run worker
with a warm interpreter would. The parent counts the workers as the processes started.
"""

from __future__ import annotations

import resource
import warnings
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import dagster as dg

from marketing_assets.partitions import (
    CLIENT_DIMENSION,
    HOUR_DIMENSION,
    HOUR_KEY_FORMAT,
    TRIGGER_TAG,
    client_range_tags,
)

# Dagster's console logger prints every step event; the benchmark's own output is its report.
QUIET_CONSOLE = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


@dataclass(frozen=True, slots=True)
class RunOutcome:
    """Result of one run, as reported by the worker that executed it."""

    run_id: str
    success: bool
    failure: str
    worker_peak_rss_megabytes: float
    step_processes: int = 0


def start_worker() -> None:
    """Import the definitions before the first timed run, as a long-lived worker has."""
    warnings.filterwarnings("ignore")
    import marketing_assets.definitions  # noqa: F401


def peak_rss_megabytes() -> float:
    """Return this process's peak resident set size in MiB.

    Linux keeps ru_maxrss across exec, so a spawned worker would report its parent's peak;
    VmHWM in /proc/self/status starts afresh with the new program.
    """
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text(encoding="utf-8").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_client_window(client_id: str, start: datetime, end: datetime, trigger: str) -> RunOutcome:
    """Execute one batched run: one client over the UTC hours [start, end)."""
    from marketing_assets.definitions import defs
    from marketing_assets.registry import load_registry
    from marketing_assets.run_selection import hourly_job_for_platforms
    from marketing_assets.settings import registry_path

    platforms = load_registry(registry_path()).client(client_id).platforms
    job = hourly_job_for_platforms(defs, platforms)
    result = job.execute_in_process(
        instance=dg.DagsterInstance.get(),
        tags={**client_range_tags(client_id, start, end), TRIGGER_TAG: trigger},
        run_config=QUIET_CONSOLE,
        raise_on_error=False,
    )
    return RunOutcome(result.run_id, result.success, failure_text(result), peak_rss_megabytes())


def run_naive_client_hour(client_id: str, hour: datetime) -> RunOutcome:
    """Execute one naive run: one client-hour partition on the multiprocess executor."""
    from marketing_assets.bench.naive_job import naive_job

    key = dg.MultiPartitionKey(
        {CLIENT_DIMENSION: client_id, HOUR_DIMENSION: hour.strftime(HOUR_KEY_FORMAT)}
    )
    instance = dg.DagsterInstance.get()
    tags = {
        "dagster/partition": str(key),
        f"dagster/partition/{CLIENT_DIMENSION}": client_id,
        f"dagster/partition/{HOUR_DIMENSION}": key.keys_by_dimension[HOUR_DIMENSION],
        TRIGGER_TAG: "bench-naive",
    }
    with dg.execute_job(
        dg.reconstructable(naive_job), instance, run_config=QUIET_CONSOLE, tags=tags
    ) as result:
        workers = instance.all_logs(result.run_id, of_type=dg.DagsterEventType.STEP_WORKER_STARTED)
        return RunOutcome(
            result.run_id,
            result.success,
            "" if result.success else "naive run failed; see its event log",
            peak_rss_megabytes(),
            step_processes=len(workers),
        )


def failure_text(result: dg.ExecuteInProcessResult) -> str:
    if result.success:
        return ""
    from marketing_assets.local.demo import failure_reasons

    reasons = failure_reasons(result)
    return reasons[0] if reasons else "run failed without a step failure"


def run_fx_rates() -> RunOutcome:
    """Load the ECB rates the unified assets convert spend with."""
    from marketing_assets.assets.fx import fx_rates_job
    from marketing_assets.definitions import defs

    result = defs.resolve_job_def(fx_rates_job.name).execute_in_process(
        instance=dg.DagsterInstance.get(), run_config=QUIET_CONSOLE, raise_on_error=False
    )
    return RunOutcome(result.run_id, result.success, failure_text(result), peak_rss_megabytes())
