"""Sensors that page on stale client data and report failed hourly runs to Slack."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import dagster as dg

from marketing_assets.alerts.errors import AlertDeliveryError
from marketing_assets.alerts.notifier import AlertNotifier
from marketing_assets.freshness.run_failures import run_failure_alert
from marketing_assets.freshness.settings import min_retrigger_interval
from marketing_assets.freshness.tick import evaluate_freshness_tick
from marketing_assets.jobs import hourly_sync_job, linkedin_daily_sync_job
from marketing_assets.partitions import CLIENT_TAG
from marketing_assets.resources import RegistryResource
from marketing_assets.storage.warehouse import WarehouseResource

FRESHNESS_SENSOR_INTERVAL_SECONDS = 300


@dg.sensor(
    minimum_interval_seconds=FRESHNESS_SENSOR_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        "Every 5 minutes: evaluates each registered client's data freshness per platform, "
        "reports the per-client freshness checks, pages once per stale client and platform, "
        "resolves the page when the data is fresh again, and sends pending alerts."
    ),
)
def freshness_sensor(
    context: dg.SensorEvaluationContext,
    registry: RegistryResource,
    warehouse: WarehouseResource,
    alert_notifier: AlertNotifier,
) -> dg.SkipReason:
    with warehouse.connection() as connection:
        summary = evaluate_freshness_tick(
            instance=context.instance,
            registry=registry.load(),
            connection=connection,
            notifier=alert_notifier,
            now=datetime.now(UTC),
            min_retrigger_interval=min_retrigger_interval(),
        )
    context.log.info(summary.describe())
    # The sensor requests no runs, because its work is the checks and alerts reported above.
    return dg.SkipReason(summary.describe())


@dg.run_failure_sensor(
    monitored_jobs=[hourly_sync_job, linkedin_daily_sync_job],
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        "Posts a failed hourly or LinkedIn daily run to Slack with its client, partitions and "
        "failure message, once per job and client within the alert retrigger interval. Failed "
        "runs do not page: a client that keeps failing turns stale, and the freshness sensor "
        "pages then."
    ),
)
def hourly_run_failure_sensor(
    context: dg.RunFailureSensorContext, alert_notifier: AlertNotifier
) -> None:
    run = context.dagster_run
    earlier = earlier_failures(context.instance, run, within=min_retrigger_interval())
    if earlier:
        context.log.info(
            "Not posting run %s: run %s of the same job and client already failed within the "
            "retrigger interval",
            run.run_id,
            earlier[0].run_id,
        )
        return
    failure_message = context.failure_event.message if context.failure_event else None
    alert = run_failure_alert(run, failure_message, dagster_ui_url=alert_notifier.dagster_ui_url)
    # NOTE: sent directly, not through the outbox, because the outbox sends every alert to all
    # configured destinations and run failures go to Slack only. A Slack outage longer than
    # the notifier's retries therefore loses this message; the log and the run keep the facts.
    try:
        alert_notifier.send(alert, destinations=("slack",))
    except AlertDeliveryError as error:
        context.log.error("Posting the failure of run %s to Slack failed: %s", run.run_id, error)


def earlier_failures(
    instance: dg.DagsterInstance, run: dg.DagsterRun, *, within: timedelta
) -> list[dg.DagsterRun]:
    """Return other failed runs of the run's job and client that ended within ``within``."""
    client_id = run.tags.get(CLIENT_TAG)
    if client_id is None or within <= timedelta(0):
        return []
    failed = instance.get_runs(
        filters=dg.RunsFilter(
            job_name=run.job_name,
            statuses=[dg.DagsterRunStatus.FAILURE],
            tags={CLIENT_TAG: client_id},
            updated_after=datetime.now(UTC) - within,
        )
    )
    return [other for other in failed if other.run_id != run.run_id]
