"""The hourly schedule: re-read each registered client's trailing window of hours."""

from datetime import timedelta

import dagster as dg

from marketing_assets.jobs import hourly_sync_job
from marketing_assets.partitions import (
    CLIENT_DIMENSION,
    HOUR_KEY_FORMAT,
    TRIGGER_TAG,
    client_range_tags,
)
from marketing_assets.resources import RegistryResource
from marketing_assets.run_selection import hourly_platform_selection
from marketing_assets.sync.lookback import sync_window


@dg.schedule(
    job=hourly_sync_job,
    # Five minutes past the hour gives the platforms a moment to close the hour's counters.
    cron_schedule="5 * * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description=(
        "Every hour, one run per registered client over the hours that just closed: the "
        "last 3 days each hour, and the platform's full restatement window once a day at "
        "03:00 in the client's time zone. Unchanged hours are not rewritten."
    ),
)
def hourly_sync_schedule(
    context: dg.ScheduleEvaluationContext, registry: RegistryResource
) -> list[dg.RunRequest] | dg.SkipReason:
    scheduled = context.scheduled_execution_time
    closed_hour_end = scheduled.replace(minute=0, second=0, microsecond=0)
    # Only clients that are both registered and already partitions: the registry sensor adds
    # new clients to the partition set within a minute.
    partitioned = set(context.instance.get_dynamic_partitions(CLIENT_DIMENSION))
    clients = [client for client in registry.load().clients if client.client_id in partitioned]
    if not clients:
        return dg.SkipReason(
            "No registered client is a partition yet; the registry sensor adds them."
        )
    asset_graph = context.repository_def.asset_graph
    requests = []
    for client in clients:
        selection = hourly_platform_selection(asset_graph, client.platforms)
        if selection.empty:
            continue
        start, end, kind = sync_window(client, closed_hour_end)
        last_hour_key = (end - timedelta(hours=1)).strftime(HOUR_KEY_FORMAT)
        # One run per client keeps a failing client from failing the others' partitions.
        requests.append(
            dg.RunRequest(
                run_key=f"{client.client_id}|{last_hour_key}",
                # Only the client's own platforms: the others would fetch nothing.
                asset_selection=sorted(selection.asset_keys, key=str),
                asset_check_keys=sorted(selection.check_keys, key=str),
                tags={
                    **client_range_tags(client.client_id, start, end),
                    TRIGGER_TAG: f"schedule-{kind}",
                },
            )
        )
    return requests
