"""One evaluation of the freshness sensor: checks for the UI, incidents, then delivery."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import dagster as dg
import httpx
import psycopg2
import psycopg2.extensions
from dagster._core.definitions.freshness import FreshnessState, FreshnessStateRecord

from marketing_assets.alerts import incidents, outbox
from marketing_assets.alerts.errors import AlertDeliveryError
from marketing_assets.alerts.models import Alert
from marketing_assets.alerts.notifier import AlertNotifier
from marketing_assets.freshness.alerts import (
    ALERT_SOURCE,
    asset_url,
    recovered_alert,
    stale_alert,
    unified_asset_key,
)
from marketing_assets.freshness.checks import freshness_check_name
from marketing_assets.freshness.evaluate import ClientFreshness, read_client_freshness
from marketing_assets.freshness.report import platform_outcome
from marketing_assets.registry import Registry
from marketing_assets.registry.models import PLATFORMS
from marketing_assets.storage.clients import sync_freshness_settings

logger = logging.getLogger(__name__)

# The daemon's asset-level state, which turns FAIL only when no client of a platform loaded.
PLATFORM_WIDE_GROUP = "all-clients"


@dataclass
class FreshnessTickSummary:
    """Incident keys one tick paged and resolved, and the delivery failures it logged."""

    triggered: list[str] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)
    delivery_errors: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return (
            f"Triggered {len(self.triggered)} {self.triggered}, resolved "
            f"{len(self.resolved)} {self.resolved}, delivery errors {len(self.delivery_errors)}."
        )


def evaluate_freshness_tick(
    *,
    instance: dg.DagsterInstance,
    registry: Registry,
    connection: psycopg2.extensions.connection,
    notifier: AlertNotifier,
    now: datetime,
    min_retrigger_interval: timedelta,
) -> FreshnessTickSummary:
    """Evaluate every client's freshness at ``now``, report the checks, page and resolve.

    Incidents are opened and resolved in PostgreSQL before anything is sent, and the outbox
    sends what is pending, so a receiver that is down delays alerts to a later tick instead
    of losing them.
    """
    with connection:
        sync_freshness_settings(connection, registry.clients, now=now)
        rows = read_client_freshness(connection, as_of=now)
    report_freshness_checks(instance, rows, now=now)

    summary = FreshnessTickSummary()
    for row in rows:
        update_client_incident(connection, row, notifier, now, min_retrigger_interval, summary)
    for platform in PLATFORMS:
        update_platform_incident(instance, connection, platform, notifier, now, summary)
    deliver_safely(connection, notifier, now=now, summary=summary)
    return summary


def report_freshness_checks(
    instance: dg.DagsterInstance, rows: list[ClientFreshness], *, now: datetime
) -> None:
    """Record one runless evaluation of each platform's per-client freshness check."""
    for platform in PLATFORMS:
        outcome = platform_outcome(platform, rows, as_of=now)
        instance.report_runless_asset_event(
            dg.AssetCheckEvaluation(
                asset_key=unified_asset_key(platform),
                check_name=freshness_check_name(platform),
                passed=outcome.passed,
                severity=outcome.severity,
                description=outcome.description,
                metadata=outcome.metadata,
            )
        )


def update_client_incident(
    connection: psycopg2.extensions.connection,
    row: ClientFreshness,
    notifier: AlertNotifier,
    now: datetime,
    min_retrigger_interval: timedelta,
    summary: FreshnessTickSummary,
) -> None:
    # A late client neither pages nor resolves. An open incident stays open until the data is
    # fresh again, so a client hovering at its fail threshold does not flap.
    ui_url = notifier.dagster_ui_url
    if row.status == "stale":
        alert = stale_alert(row, dagster_ui_url=ui_url, as_of=now)
        if incidents.open_or_refresh(
            connection, alert, now=now, min_retrigger_interval=min_retrigger_interval
        ):
            summary.triggered.append(alert.dedup_key)
    elif row.status == "fresh":
        alert = recovered_alert(row, dagster_ui_url=ui_url, as_of=now)
        if incidents.resolve(connection, alert.dedup_key, alert, now=now):
            summary.resolved.append(alert.dedup_key)


def update_platform_incident(
    instance: dg.DagsterInstance,
    connection: psycopg2.extensions.connection,
    platform: str,
    notifier: AlertNotifier,
    now: datetime,
    summary: FreshnessTickSummary,
) -> None:
    """Page on the freshness daemon's FAIL state of a unified asset, and resolve on PASS."""
    asset_key = unified_asset_key(platform)
    record = instance.get_freshness_state_records([asset_key]).get(asset_key)
    # WARN and UNKNOWN leave an open incident as it is, like a late client.
    if record is None or record.freshness_state not in (FreshnessState.FAIL, FreshnessState.PASS):
        return
    alert = platform_state_alert(platform, record, notifier)
    if alert.action == "trigger":
        # One page per platform-wide outage is enough, however long it lasts.
        if incidents.open_or_refresh(
            connection, alert, now=now, min_retrigger_interval=timedelta(days=365)
        ):
            summary.triggered.append(alert.dedup_key)
    elif incidents.resolve(connection, alert.dedup_key, alert, now=now):
        summary.resolved.append(alert.dedup_key)


def platform_state_alert(
    platform: str, record: FreshnessStateRecord, notifier: AlertNotifier
) -> Alert:
    asset_key = unified_asset_key(platform)
    state = record.freshness_state.value
    since_text = record.updated_at.strftime("%Y-%m-%d %H:%M UTC")
    failing = record.freshness_state == FreshnessState.FAIL
    return Alert(
        dedup_key=f"marketing-assets/freshness/{PLATFORM_WIDE_GROUP}/{platform}",
        action="trigger" if failing else "resolve",
        summary=(
            f"No {platform} client loaded within the freshness policy of "
            f"{asset_key.to_user_string()}: Dagster's freshness state is FAIL since {since_text}."
            if failing
            else f"{asset_key.to_user_string()} passes its freshness policy again."
        ),
        severity="critical" if failing else "info",
        source=ALERT_SOURCE,
        component=platform,
        group=PLATFORM_WIDE_GROUP,
        custom_details={"platform": platform, "freshness_state": state, "since": since_text},
        links=((asset_url(notifier.dagster_ui_url, asset_key), "Asset in Dagster"),),
    )


def deliver_safely(
    connection: psycopg2.extensions.connection,
    notifier: AlertNotifier,
    *,
    now: datetime,
    summary: FreshnessTickSummary,
) -> None:
    """Send pending alerts, or log why not and leave them queued for the next tick."""
    try:
        outbox.deliver_pending(connection, notifier, now=now)
    except (AlertDeliveryError, httpx.HTTPError, psycopg2.Error, OSError) as error:
        logger.error("Delivering pending alerts failed, so the next tick retries them: %s", error)
        summary.delivery_errors.append(str(error))
        if not connection.closed:
            connection.rollback()
