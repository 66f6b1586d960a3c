"""The chaos run's LinkedIn part: runs over client days, and reruns of the days that failed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

import dagster as dg
from dagster._core.storage.partition_status_cache import AssetPartitionStatus

from marketing_assets.jobs import linkedin_daily_sync_job
from marketing_assets.local.daily_runs import run_linkedin_days
from marketing_assets.local.daily_truth import ClientDays
from marketing_assets.local.demo import failure_reasons
from marketing_assets.partitions import (
    CLIENT_DIMENSION,
    DAY_DIMENSION,
    DAY_KEY_FORMAT,
    client_day_partitions,
)

if TYPE_CHECKING:
    from marketing_assets.local.chaos import RunTally

DAY = timedelta(days=1)


def client_days(item: ClientDays) -> list[date]:
    return [
        item.first_day + offset * DAY for offset in range((item.last_day - item.first_day).days + 1)
    ]


def unfinished_days(
    instance: dg.DagsterInstance, asset_keys: Sequence[dg.AssetKey], item: ClientDays
) -> list[date]:
    """Return the client's days where one of the assets failed or never materialized."""
    days = client_days(item)
    keys = [
        str(
            dg.MultiPartitionKey(
                {
                    CLIENT_DIMENSION: item.client.client_id,
                    DAY_DIMENSION: day.strftime(DAY_KEY_FORMAT),
                }
            )
        )
        for day in days
    ]
    unfinished: set[str] = set()
    for asset_key in asset_keys:
        statuses = instance.get_status_by_partition(asset_key, keys, client_day_partitions) or {}
        unfinished |= {
            key for key in keys if statuses.get(key) != AssetPartitionStatus.MATERIALIZED
        }
    return [day for day, key in zip(days, keys, strict=True) if key in unfinished]


def pending_days(
    defs: dg.Definitions, instance: dg.DagsterInstance, items: Sequence[ClientDays]
) -> dict[str, list[date]]:
    """Return the days of each client where a LinkedIn asset is unfinished, for clients with
    any."""
    job = defs.resolve_job_def(linkedin_daily_sync_job.name)
    asset_keys = sorted(job.asset_layer.executable_asset_keys, key=str)
    pending = {item.client.client_id: unfinished_days(instance, asset_keys, item) for item in items}
    return {client_id: days for client_id, days in pending.items() if days}


def contiguous_day_ranges(days: Sequence[date]) -> list[tuple[date, date]]:
    """Group days into (first, last) ranges of consecutive days, both ends included."""
    ranges: list[tuple[date, date]] = []
    for day in sorted(days):
        if ranges and ranges[-1][1] + DAY == day:
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


def run_daily_round(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    items: Sequence[ClientDays],
    tally: RunTally,
    say: Callable[[str], None],
    *,
    label: str,
    run_config: dict[str, object],
    pending: dict[str, list[date]] | None = None,
) -> int:
    """Run the LinkedIn job over every client's days, or only over its ``pending`` days when
    given, with one run per range of consecutive days. Return the number of days run."""
    days_run = 0
    for item in items:
        days = client_days(item) if pending is None else pending.get(item.client.client_id, [])
        for first_day, last_day in contiguous_day_ranges(days):
            result = run_linkedin_days(
                defs,
                instance,
                item,
                run_config=run_config,
                trigger="chaos",
                days=(first_day, last_day),
            )
            days_run += (last_day - first_day).days + 1
            tally.runs += 1
            tally.run_ids.append(result.run_id)
            retries = sum(
                1 for event in result.all_events if event.event_type_value == "STEP_UP_FOR_RETRY"
            )
            tally.step_retries += retries
            status = "succeeded" if result.success else "FAILED"
            if not result.success:
                tally.failed_runs += 1
            say(
                f"{label}: run {result.run_id[:8]} for {item.client.client_id}, LinkedIn days "
                f"{first_day} to {last_day}: {status} ({retries} step retries)"
            )
            if not result.success:
                for reason in failure_reasons(result)[:3]:
                    say(f"    {reason[:300]}")
    return days_run
