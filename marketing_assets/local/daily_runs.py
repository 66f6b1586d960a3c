"""Run the LinkedIn daily job for one client's days in this process, as the demo and chaos do."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import dagster as dg

from marketing_assets.jobs import linkedin_daily_sync_job
from marketing_assets.local.daily_truth import ClientDays
from marketing_assets.partitions import TRIGGER_TAG, client_day_range_tags


def run_linkedin_days(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    item: ClientDays,
    *,
    run_config: Mapping[str, object],
    trigger: str,
    days: tuple[date, date] | None = None,
) -> dg.ExecuteInProcessResult:
    """Execute linkedin_daily_sync_job over the client's days, or over ``days`` when given."""
    first_day, last_day = days or (item.first_day, item.last_day)
    return defs.resolve_job_def(linkedin_daily_sync_job.name).execute_in_process(
        instance=instance,
        tags={
            **client_day_range_tags(item.client.client_id, first_day, last_day),
            TRIGGER_TAG: trigger,
        },
        run_config=dict(run_config),
        raise_on_error=False,
    )
