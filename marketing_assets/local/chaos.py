"""The chaos run: the demo's sync with every fault injected, then a count of what went wrong.

Each client's window runs once, as the hourly schedule would launch it, with the platform
steps' retry policy active, and so do the LinkedIn days of clients with LinkedIn accounts
(see daily_truth.closed_days). Partitions still failed afterwards are rerun, failed hours
and days only, as an operator's backfill of failed partitions would, without the
credential faults: an operator reruns after replacing the credentials. Then every row
dashboards read is compared with the simulator's ground truth, and the runs' event logs and
every log line are searched for the credentials.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import dagster as dg

from marketing_assets.local.chaos_daily import contiguous_day_ranges, pending_days, run_daily_round
from marketing_assets.local.daily_truth import compare_day_rows, daily_clients
from marketing_assets.local.demo import (
    failure_reasons,
    hours_before,
    register_clients,
)
from marketing_assets.local.environment import LocalEnvironment
from marketing_assets.local.failed_partitions import contiguous_ranges, unfinished_hours
from marketing_assets.local.ground_truth import RowComparison, compare_rows
from marketing_assets.local.leaks import capture_all_logs, count_leaks, event_log_text
from marketing_assets.local.text_table import text_table
from marketing_assets.partitions import TRIGGER_TAG, client_range_tags
from marketing_assets.run_selection import (
    executable_keys,
    has_hourly_platform,
    hourly_job_for_platforms,
)
from marketing_assets.simulator import SimulatorCredentials
from marketing_assets.simulator.fault_kinds import FAULT_KINDS, FaultSettings
from marketing_assets.simulator.random_faults import RandomFaultPlan

logger = logging.getLogger(__name__)

# Faults sized so a chaos run takes minutes: responses wait 2 s against a 1 s client timeout,
# Google's retryDelay is 1 s, and Meta's regain-access hint is 0 minutes.
CHAOS_FAULT_SETTINGS = FaultSettings(
    retry_delay_seconds=1, regain_access_minutes=0, slow_response_seconds=2.0
)
CHAOS_VARIABLES = {
    "MARKETING_ASSETS_HTTP_TIMEOUT_SECONDS": "1",
    "MARKETING_ASSETS_HTTP_MAX_RETRY_SECONDS": "20",
    "MARKETING_ASSETS_STEP_RETRY_DELAY_SECONDS": "1",
}
DEFAULT_RERUN_ROUNDS = 5
# Step failures are expected here and summed up per run, so Dagster's console logger prints
# only critical events. The event log in PostgreSQL keeps every event.
CHAOS_CONSOLE = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
HTTP_LOGGER = "marketing_assets.platforms.http"


def chaos_fault_plan(rate: float, seed: int) -> RandomFaultPlan:
    """Inject every fault kind, the non-retryable credential errors included."""
    return RandomFaultPlan(rate, seed, kinds=list(FAULT_KINDS), settings=CHAOS_FAULT_SETTINGS)


@contextmanager
def chaos_settings() -> Iterator[None]:
    """Set the short timeouts and retry delays of a chaos run, restoring them afterwards.

    The definitions read these when imported, so enter this before importing them.
    """
    previous = {name: os.environ.get(name) for name in CHAOS_VARIABLES}
    os.environ.update(CHAOS_VARIABLES)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@dataclass
class RunTally:
    """Counts of the runs, retries and reruns of a chaos session."""

    runs: int = 0
    failed_runs: int = 0
    step_retries: int = 0
    run_ids: list[str] = field(default_factory=list)
    rerun_hours: int = 0


class RetryCounter(logging.Handler):
    """Counts the HTTP client's retry log lines."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.retries = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("Retrying "):
            self.retries += 1


def run_chaos(
    environment: LocalEnvironment,
    plan: RandomFaultPlan,
    *,
    end: datetime | None = None,
    hours: int = 24,
    rerun_rounds: int = DEFAULT_RERUN_ROUNDS,
) -> int:
    """Run the chaos session and print its report; return 0 only when every partition
    succeeded in the end and nothing was lost, duplicated or leaked."""
    from marketing_assets.assets.fx import fx_rates_job
    from marketing_assets.definitions import defs

    start, end = hours_before(end, hours)
    instance = dg.DagsterInstance.get()
    client_ids = register_clients(environment, instance)
    # Each client's runs select only its own platforms, so only those can be unfinished.
    # A client on daily platforms only (LinkedIn) has no hourly runs.
    jobs = {
        client_id: hourly_job_for_platforms(defs, environment.registry.client(client_id).platforms)
        for client_id in client_ids
        if has_hourly_platform(environment.registry.client(client_id).platforms)
    }
    # LinkedIn reports whole days, so its runs cover client days, not the window's hours.
    daily_days = daily_clients(environment.registry, start, end)
    print(
        f"chaos: fault rate {plan.rate}, seed {plan.seed}, {len(plan.kinds)} fault kinds, "
        f"{len(client_ids)} clients x {hours} UTC hours from {start:%Y-%m-%d %H:%M}"
    )
    tally = RunTally()
    retry_counter = RetryCounter()
    logging.getLogger(HTTP_LOGGER).addHandler(retry_counter)
    printed: list[str] = []

    def say(line: str) -> None:
        printed.append(line)
        print(line, flush=True)

    try:
        with capture_all_logs() as captured:
            fx_result = defs.resolve_job_def(fx_rates_job.name).execute_in_process(
                instance=instance, run_config=CHAOS_CONSOLE, raise_on_error=False
            )
            tally.run_ids.append(fx_result.run_id)
            say(f"fx_rates: {'succeeded' if fx_result.success else 'FAILED'}")
            for client_id, job in jobs.items():
                run_window(job, instance, client_id, start, end, tally, say, label="round 1")
            run_daily_round(
                defs, instance, daily_days, tally, say, label="round 1", run_config=CHAOS_CONSOLE
            )
            # Failed credentials stay failed until someone replaces them, and a rerun comes
            # after that. So the reruns draw no credential or permission faults.
            plan.stop_injecting([name for name in plan.kinds if FAULT_KINDS[name].explicit_only])
            for round_number in range(2, rerun_rounds + 2):
                pending = {
                    client_id: unfinished_hours(
                        instance, executable_keys(jobs[client_id]), client_id, start, end
                    )
                    for client_id in jobs
                }
                pending = {client_id: found for client_id, found in pending.items() if found}
                pending_linkedin = pending_days(defs, instance, daily_days)
                if not pending and not pending_linkedin:
                    break
                for client_id, found in pending.items():
                    tally.rerun_hours += len(found)
                    for range_start, range_end in contiguous_ranges(found):
                        run_window(
                            jobs[client_id],
                            instance,
                            client_id,
                            range_start,
                            range_end,
                            tally,
                            say,
                            label=f"round {round_number}",
                        )
                tally.rerun_hours += run_daily_round(
                    defs,
                    instance,
                    daily_days,
                    tally,
                    say,
                    label=f"round {round_number}",
                    run_config=CHAOS_CONSOLE,
                    pending=pending_linkedin,
                )
            unfinished_linkedin = pending_days(defs, instance, daily_days)
            unfinished = {
                client_id: unfinished_hours(
                    instance, executable_keys(jobs[client_id]), client_id, start, end
                )
                for client_id in jobs
            }
    finally:
        logging.getLogger(HTTP_LOGGER).removeHandler(retry_counter)

    rows = compare_rows(
        environment.registry,
        database_url=environment.database_url,
        simulator_url=environment.simulator.url,
        start=start,
        end=end,
    )
    compare_day_rows(
        rows,
        daily_days,
        database_url=environment.database_url,
        simulator_url=environment.simulator.url,
    )
    credentials = SimulatorCredentials()
    secrets = [
        credentials.google_ads_access_token,
        credentials.google_ads_developer_token,
        credentials.meta_access_token,
        credentials.tiktok_access_token,
        credentials.microsoft_ads_access_token,
        credentials.microsoft_ads_developer_token,
        credentials.linkedin_access_token,
    ]
    texts = [*event_log_text(instance, tally.run_ids), *captured.lines, *printed]
    leaks = count_leaks(secrets, texts)
    partitions = len(jobs) * hours
    partitions += sum((item.last_day - item.first_day).days + 1 for item in daily_days)
    still_failed = sum(len(found) for found in unfinished.values())
    still_failed += sum(len(days) for days in unfinished_linkedin.values())
    print()
    print(
        format_report(
            plan=plan,
            tally=tally,
            http_retries=retry_counter.retries,
            partitions=partitions,
            still_failed=still_failed,
            rows=rows,
            leaks=leaks,
            texts_scanned=len(texts),
        )
    )
    for key in (rows.missing + rows.wrong)[:10]:
        print(f"LOST {key}")
    for key in (rows.repeated + rows.unexpected)[:10]:
        print(f"DUPLICATED {key}")
    for masked, count in leaks.items():
        print(f"LEAKED {masked} in {count} texts")
    for client_id, found in unfinished.items():
        for range_start, range_end in contiguous_ranges(found):
            print(f"STILL FAILED {client_id} {range_start:%Y-%m-%d %H:%M} to {range_end:%H:%M}")
    for client_id, days in unfinished_linkedin.items():
        for first_day, last_day in contiguous_day_ranges(days):
            print(f"STILL FAILED {client_id} LinkedIn days {first_day} to {last_day}")
    if still_failed:
        print(
            f"{still_failed} partitions still failed after {rerun_rounds} rerun rounds: rerun the "
            "client-hours with `marketing-assets backfill --failed-only` and the LinkedIn "
            "client-days from the partitions view of linkedin_campaign_performance_daily, or "
            "raise --rerun-rounds."
        )
    leaked = sum(leaks.values())
    print(f"lost={rows.lost} duplicated={rows.duplicated} leaked={leaked}")
    return 1 if rows.lost or rows.duplicated or leaked or still_failed else 0


def run_window(
    job: dg.JobDefinition,
    instance: dg.DagsterInstance,
    client_id: str,
    start: datetime,
    end: datetime,
    tally: RunTally,
    say: Callable[[str], None],
    *,
    label: str,
) -> None:
    result = job.execute_in_process(
        instance=instance,
        tags={**client_range_tags(client_id, start, end), TRIGGER_TAG: "chaos"},
        run_config=CHAOS_CONSOLE,
        raise_on_error=False,
    )
    tally.runs += 1
    tally.run_ids.append(result.run_id)
    retries = sum(1 for event in result.all_events if event.event_type_value == "STEP_UP_FOR_RETRY")
    tally.step_retries += retries
    status = "succeeded" if result.success else "FAILED"
    if not result.success:
        tally.failed_runs += 1
    hours = int((end - start) / timedelta(hours=1))
    say(
        f"{label}: run {result.run_id[:8]} for {client_id}, {hours} hours: {status}"
        f" ({retries} step retries)"
    )
    if not result.success:
        for reason in failure_reasons(result)[:3]:
            say(f"    {reason[:300]}")


def format_report(
    *,
    plan: RandomFaultPlan,
    tally: RunTally,
    http_retries: int,
    partitions: int,
    still_failed: int,
    rows: RowComparison,
    leaks: dict[str, int],
    texts_scanned: int,
) -> str:
    injected = plan.injected()
    faults = text_table(
        ("fault kind", "injected"),
        [(name, count) for name, count in sorted(injected.items())]
        + [("total", sum(injected.values()))],
    )
    summary = text_table(
        ("measure", "value"),
        [
            ("platform requests", plan.platform_requests()),
            ("client-hour and LinkedIn client-day partitions attempted", partitions),
            ("partitions succeeded", partitions - still_failed),
            ("partitions rerun after a failed run", tally.rerun_hours),
            ("runs launched (failed)", f"{tally.runs} ({tally.failed_runs})"),
            ("step retries (retry policy)", tally.step_retries),
            ("HTTP retries (client)", http_retries),
            ("rows in PostgreSQL", rows.loaded_rows),
            ("rows in ground truth", rows.truth_rows),
            ("rows missing", len(rows.missing)),
            ("rows with wrong numbers", len(rows.wrong)),
            ("rows repeated", len(rows.repeated)),
            ("rows the platform never served", len(rows.unexpected)),
            ("texts with a secret (event log, logs, output)", sum(leaks.values())),
            ("events, log lines and output lines scanned", texts_scanned),
        ],
    )
    return f"{faults}\n\n{summary}"
