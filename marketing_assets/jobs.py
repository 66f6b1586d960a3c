"""Jobs over the client x hour assets."""

from __future__ import annotations

import dagster as dg

from marketing_assets.freshness.checks import client_freshness_checks
from marketing_assets.partitions import client_hour_partitions
from marketing_assets.registry.models import PLATFORMS

# All three assets and their checks run in one process: starting a Dagster step process costs
# seconds of CPU for imports, more than a client-hour of work.
hourly_sync_job = dg.define_asset_job(
    name="hourly_sync_job",
    # The per-client freshness checks read every client, so the freshness sensor reports them
    # instead of each client's run.
    selection=dg.AssetSelection.groups(*PLATFORMS)
    - dg.AssetSelection.checks(client_freshness_checks),
    partitions_def=client_hour_partitions,
    executor_def=dg.in_process_executor,
    description="Fetch, validate and load campaign hours for the selected clients and hours.",
)
