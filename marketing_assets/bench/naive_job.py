"""The naive layout the cycle benchmark compares with: a run per client-hour, a process per step.

This is what a code location gets from the defaults: no backfill policy batching, and
Dagster's multiprocess executor, which starts a Python process for every step.
"""

from __future__ import annotations

import dagster as dg

from marketing_assets.jobs import hourly_sync_job
from marketing_assets.partitions import client_hour_partitions

# The benchmark's fleet has Google Ads and Meta accounts only (bench/fleet.py).
FLEET_PLATFORMS = ("google_ads", "meta")

NAIVE_JOB_NAME = "naive_hourly_sync_job"

naive_hourly_sync_job = dg.define_asset_job(
    name=NAIVE_JOB_NAME,
    # The same assets and checks as the batched runs of the fleet's clients.
    selection=hourly_sync_job.selection & dg.AssetSelection.groups(*FLEET_PLATFORMS),
    partitions_def=client_hour_partitions,
    executor_def=dg.multiprocess_executor,
)


def naive_job() -> dg.JobDefinition:
    """Return the naive job resolved against the code location's assets and resources.

    Module-level, so `dg.reconstructable` can rebuild it in each step process.
    """
    from marketing_assets.definitions import defs

    merged = dg.Definitions.merge(defs, dg.Definitions(jobs=[naive_hourly_sync_job]))
    return merged.resolve_job_def(NAIVE_JOB_NAME)
