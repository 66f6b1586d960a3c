"""Jobs over the platform assets: client x hour, and client x day for daily-only platforms."""

from __future__ import annotations

import dagster as dg

from marketing_assets.freshness.checks import client_freshness_checks
from marketing_assets.partitions import client_day_partitions, client_hour_partitions
from marketing_assets.registry.models import DAILY_PLATFORMS, PLATFORMS

# All three assets and their checks run in one process: starting a Dagster step process costs
# seconds of CPU for imports, more than a client-hour of work.
hourly_sync_job = dg.define_asset_job(
    name="hourly_sync_job",
    # The per-client freshness checks read every client, so the freshness sensor reports them
    # instead of each client's run. Daily-only platforms (LinkedIn) have day partitions and a
    # job of their own.
    selection=dg.AssetSelection.groups(*PLATFORMS)
    - dg.AssetSelection.groups(*DAILY_PLATFORMS)
    - dg.AssetSelection.checks(client_freshness_checks),
    partitions_def=client_hour_partitions,
    executor_def=dg.in_process_executor,
    description="Fetch, validate and load campaign hours for the selected clients and hours.",
)

# In one process for the same reason as hourly_sync_job.
linkedin_daily_sync_job = dg.define_asset_job(
    name="linkedin_daily_sync_job",
    selection=dg.AssetSelection.groups("linkedin")
    - dg.AssetSelection.checks(client_freshness_checks),
    partitions_def=client_day_partitions,
    executor_def=dg.in_process_executor,
    description=(
        "Fetch, validate and load LinkedIn campaign days for the selected clients and days "
        "(dates as LinkedIn reports them, in the ad account's time zone)."
    ),
)
