"""The LinkedIn schedule: re-read each registered client's recent LinkedIn days."""

from __future__ import annotations

from datetime import timedelta

import dagster as dg

from marketing_assets.jobs import linkedin_daily_sync_job
from marketing_assets.partitions import (
    CLIENT_DIMENSION,
    TRIGGER_TAG,
    client_day_range_tags,
)
from marketing_assets.platforms.linkedin import settings
from marketing_assets.resources import RegistryResource
from marketing_assets.sync.day_lookback import linkedin_reread_days

# Every 2 hours: a day that becomes complete waits at most that long, plus the run's own time,
# to be loaded, which stays inside the default per-client warn threshold of 180 minutes.
LINKEDIN_INTERVAL = timedelta(hours=2)


@dg.schedule(
    job=linkedin_daily_sync_job,
    cron_schedule="20 */2 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description=(
        "Every 2 hours, one run per client with LinkedIn accounts over its reported days: the "
        f"current day and the {settings.RECENT_DAYS} before it, and once a day at 03:00 in the "
        f"client's time zone the last {settings.CONVERSION_WINDOW_DAYS} days (or the client's "
        "lookback_days.linkedin), since LinkedIn revises recent days. Unchanged days are not "
        "rewritten."
    ),
)
def linkedin_daily_sync_schedule(
    context: dg.ScheduleEvaluationContext, registry: RegistryResource
) -> list[dg.RunRequest] | dg.SkipReason:
    tick = context.scheduled_execution_time
    # Only clients the registry sensor has already added as partitions.
    partitioned = set(context.instance.get_dynamic_partitions(CLIENT_DIMENSION))
    clients = [
        client
        for client in registry.load().clients
        if client.client_id in partitioned and client.accounts_on(settings.PLATFORM)
    ]
    if not clients:
        return dg.SkipReason("No client that is a partition yet has a LinkedIn account.")
    requests = []
    for client in clients:
        first_day, last_day, kind = linkedin_reread_days(client, tick, LINKEDIN_INTERVAL)
        # One run per client keeps a failing client from failing the others' partitions.
        requests.append(
            dg.RunRequest(
                run_key=f"{client.client_id}|{tick:%Y-%m-%dT%H:%M}",
                tags={
                    **client_day_range_tags(client.client_id, first_day, last_day),
                    TRIGGER_TAG: f"schedule-{kind}",
                },
            )
        )
    return requests
