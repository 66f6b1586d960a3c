"""The Slack alert for a failed hourly run, named by job and client."""

from __future__ import annotations

import dagster as dg

from marketing_assets.alerts.models import MAX_SUMMARY_LENGTH, Alert
from marketing_assets.partitions import CLIENT_TAG, TRIGGER_TAG

RUN_FAILURE_SOURCE = "marketing-assets hourly_run_failure_sensor"
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def run_failure_dedup_key(job_name: str, client_id: str) -> str:
    return f"marketing-assets/run-failure/{job_name}/{client_id}"


def run_failure_alert(
    run: dg.DagsterRun, failure_message: str | None, *, dagster_ui_url: str
) -> Alert:
    """Build the alert of a failed run: job, client, hours and the failure, with a run link."""
    client_id = run.tags.get(CLIENT_TAG, "unknown-client")
    hours = f"{run.tags.get(RANGE_START_TAG, '?')} to {run.tags.get(RANGE_END_TAG, '?')}"
    reason = (failure_message or "no failure message").strip()
    summary = f"Run {run.run_id[:8]} of {run.job_name} for client {client_id} failed: {reason}"
    if len(summary) > MAX_SUMMARY_LENGTH:
        summary = summary[: MAX_SUMMARY_LENGTH - 1] + "…"
    return Alert(
        dedup_key=run_failure_dedup_key(run.job_name, client_id),
        action="trigger",
        summary=summary,
        severity="error",
        source=RUN_FAILURE_SOURCE,
        component=run.job_name,
        group=client_id,
        custom_details={
            "client": client_id,
            "job": run.job_name,
            "run_id": run.run_id,
            "partitions": hours,
            "trigger": run.tags.get(TRIGGER_TAG),
        },
        links=((f"{dagster_ui_url.rstrip('/')}/runs/{run.run_id}", "Run in Dagster"),),
    )
