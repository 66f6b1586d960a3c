"""A backfill from the command line: one run per client and range of hours, with progress.

It runs the hourly job in this process against the Dagster instance in DAGSTER_HOME, so the
runs, events and partition states appear in the UI as if launched there. `--failed-only`
reruns just the hours whose last attempt failed or never ran, as the UI's "failed and
missing" selection does.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import dagster as dg

from marketing_assets.local.demo import QUIET_CONSOLE, closed_hours_window, failure_reasons
from marketing_assets.local.failed_partitions import contiguous_ranges, unfinished_hours
from marketing_assets.local.text_table import text_table
from marketing_assets.partitions import (
    CLIENT_DIMENSION,
    TRIGGER_TAG,
    client_range_tags,
    hour_partitions,
)
from marketing_assets.registry import Registry
from marketing_assets.registry.models import DAILY_PLATFORMS
from marketing_assets.run_selection import (
    executable_keys,
    has_hourly_platform,
    hourly_job_for_platforms,
)

HOUR = timedelta(hours=1)


@dataclass
class ClientBackfill:
    """Hours, runs and time of one client's backfill."""

    client_id: str
    hours: int = 0
    runs: int = 0
    failed_runs: int = 0
    seconds: float = 0.0

    @property
    def status(self) -> str:
        if not self.runs:
            return "nothing to run"
        return "succeeded" if not self.failed_runs else f"{self.failed_runs} run(s) FAILED"


def check_backfill_range(start: datetime, end: datetime, now: datetime) -> None:
    """Raise ValueError naming the bound when [start, end) contains hours no run can load.

    Hours before the first hour partition have no partition, and hours whose local hours
    have not closed in every zone are not served yet: a run over them would wait through
    its step retries and fail.
    """
    first = hour_partitions.start
    latest_end = closed_hours_window(now)[1]
    if not start < end:
        raise ValueError(
            f"--start {start:%Y-%m-%dT%H:%MZ} must be before --end {end:%Y-%m-%dT%H:%MZ}."
        )
    if start < first:
        raise ValueError(
            f"--start {start:%Y-%m-%dT%H:%MZ} is before the first hour partition "
            f"{first:%Y-%m-%dT%H:%MZ}: start at or after it."
        )
    if end > latest_end:
        raise ValueError(
            f"--end {end:%Y-%m-%dT%H:%MZ} is after the latest hour closed in every time zone "
            f"({latest_end:%Y-%m-%dT%H:%MZ}): use an --end up to that hour."
        )


def backfill_ranges(
    instance: dg.DagsterInstance,
    asset_keys: Sequence[dg.AssetKey],
    client_id: str,
    start: datetime,
    end: datetime,
    *,
    failed_only: bool,
) -> list[tuple[datetime, datetime]]:
    """Return the hour ranges to run for one client: all of [start, end), or the unfinished."""
    if not failed_only:
        return [(start, end)]
    return contiguous_ranges(unfinished_hours(instance, asset_keys, client_id, start, end))


def run_backfill(
    registry: Registry,
    *,
    start: datetime,
    end: datetime,
    client_ids: Sequence[str] = (),
    failed_only: bool = False,
    refresh_fx_rates: bool = False,
) -> int:
    """Run the hourly job for each client over [start, end); return 0 when all succeeded.

    `refresh_fx_rates` materializes fx_rates first, for a fresh local database that has none.
    """
    from marketing_assets.assets.fx import fx_rates_job
    from marketing_assets.definitions import defs

    check_backfill_range(start, end, datetime.now(UTC))

    unknown = [client_id for client_id in client_ids if client_id not in registry.client_ids]
    if unknown:
        raise ValueError(
            f"Unknown client(s) {unknown}: use ids from the registry, such as "
            f"{registry.client_ids[:3]}."
        )
    selected = list(client_ids) or registry.client_ids
    instance = dg.DagsterInstance.get()
    existing = set(instance.get_dynamic_partitions(CLIENT_DIMENSION))
    missing = [client_id for client_id in selected if client_id not in existing]
    if missing:
        instance.add_dynamic_partitions(CLIENT_DIMENSION, missing)
    if refresh_fx_rates:
        fx_result = defs.resolve_job_def(fx_rates_job.name).execute_in_process(
            instance=instance, run_config=QUIET_CONSOLE, raise_on_error=False
        )
        print(f"fx_rates: {'succeeded' if fx_result.success else 'FAILED'}", flush=True)
    scope = "failed and missing hours" if failed_only else "all hours"
    print(
        f"backfill: {len(selected)} client(s), {scope} of UTC {start:%Y-%m-%d %H:%M} to "
        f"{end:%Y-%m-%d %H:%M}",
        flush=True,
    )
    results = []
    for position, client_id in enumerate(selected, start=1):
        summary = ClientBackfill(client_id)
        started = time.perf_counter()
        platforms = registry.client(client_id).platforms
        daily = [platform for platform in platforms if platform in DAILY_PLATFORMS]
        if daily:
            print(
                f"[{position}/{len(selected)}] {client_id}: this command loads hours only; "
                f"backfill its {', '.join(daily)} days from the partitions of "
                "linkedin_campaign_daily_raw in the UI (job linkedin_daily_sync_job)",
                flush=True,
            )
        if not has_hourly_platform(platforms):
            if not platforms:
                print(
                    f"[{position}/{len(selected)}] {client_id}: no accounts in the registry; "
                    "nothing to load",
                    flush=True,
                )
            results.append(summary)
            continue
        # The client's runs select only its own platforms, so only those can have failed.
        job = hourly_job_for_platforms(defs, platforms)
        ranges = backfill_ranges(
            instance, executable_keys(job), client_id, start, end, failed_only=failed_only
        )
        for range_start, range_end in ranges:
            hours = int((range_end - range_start) / HOUR)
            result = job.execute_in_process(
                instance=instance,
                tags={**client_range_tags(client_id, range_start, range_end), TRIGGER_TAG: "cli"},
                run_config=QUIET_CONSOLE,
                raise_on_error=False,
            )
            summary.hours += hours
            summary.runs += 1
            status = "succeeded" if result.success else "FAILED"
            print(
                f"[{position}/{len(selected)}] run {result.run_id[:8]} for {client_id}, "
                f"{range_start:%Y-%m-%d %H:%M} + {hours} h: {status}",
                flush=True,
            )
            if not result.success:
                summary.failed_runs += 1
                for reason in failure_reasons(result)[:3]:
                    print(f"    {reason[:300]}", flush=True)
        summary.seconds = time.perf_counter() - started
        results.append(summary)
    print()
    print(
        text_table(
            ("client", "hours", "runs", "seconds", "status"),
            [
                (item.client_id, item.hours, item.runs, f"{item.seconds:.1f}", item.status)
                for item in results
            ],
        )
    )
    failed = sum(item.failed_runs for item in results)
    print(f"\n{sum(item.runs for item in results)} run(s), {failed} failed.")
    return 1 if failed else 0
