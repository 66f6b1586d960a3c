"""The hourly schedule: load the hour that just closed for every registered client."""

from datetime import timedelta

import dagster as dg

from marketing_assets.jobs import hourly_sync_job
from marketing_assets.partitions import CLIENT_DIMENSION, HOUR_DIMENSION, HOUR_KEY_FORMAT
from marketing_assets.resources import RegistryResource


@dg.schedule(
    job=hourly_sync_job,
    # Five minutes past the hour gives the platforms a moment to close the hour's counters.
    # Revisions that arrive later are picked up when past hours are read again.
    cron_schedule="5 * * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every hour, one run per registered client for the UTC hour that just closed.",
)
def hourly_sync_schedule(
    context: dg.ScheduleEvaluationContext, registry: RegistryResource
) -> list[dg.RunRequest] | dg.SkipReason:
    scheduled = context.scheduled_execution_time
    closed_hour = scheduled.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    hour_key = closed_hour.strftime(HOUR_KEY_FORMAT)
    # Only clients that are both registered and already partitions: the registry sensor adds
    # new clients to the partition set within a minute.
    partitioned = set(context.instance.get_dynamic_partitions(CLIENT_DIMENSION))
    clients = [client for client in registry.load().client_ids if client in partitioned]
    if not clients:
        return dg.SkipReason(
            "No registered client is a partition yet; the registry sensor adds them."
        )
    # One run per client keeps a failing client from failing the others' partitions.
    return [
        dg.RunRequest(
            run_key=f"{client}|{hour_key}",
            partition_key=dg.MultiPartitionKey(
                {CLIENT_DIMENSION: client, HOUR_DIMENSION: hour_key}
            ),
            tags={"marketing_assets/client": client},
        )
        for client in clients
    ]
