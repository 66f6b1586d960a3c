"""A durable outbox in PostgreSQL, so an alert outlives a PagerDuty or Slack outage.

`enqueue` stores an alert; `deliver_pending` sends what is pending, oldest first, and marks
each destination that accepted it. Delivery is at least once: a process that dies between a
destination accepting an alert and the commit that records it sends that alert again on the
next run. PagerDuty folds a repeated trigger or resolve into the same incident by its dedup
key, but Slack would show the message twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import psycopg2.extensions
from psycopg2.extras import Json

from marketing_assets.alerts.errors import AlertDeliveryError
from marketing_assets.alerts.models import Alert, alert_from_json, alert_to_json
from marketing_assets.alerts.notifier import AlertNotifier

logger = logging.getLogger(__name__)

# Any constant differing from the migration lock works. Every delivering process uses the same
# one, so two sensor ticks never send the same alert at once.
DELIVERY_LOCK_KEY = 7_305_118_205


@dataclass(frozen=True)
class OutboxReport:
    """Counts of one `deliver_pending` call, per alert and destination.

    `held_back` counts deliveries not tried because an earlier alert with the same dedup key
    is still pending for that destination, or because the destination failed earlier in this
    call. `busy` is true when another process was delivering, so this call sent nothing.
    """

    sent: int = 0
    rejected: int = 0
    failed: int = 0
    held_back: int = 0
    finished_alerts: int = 0
    pending_alerts: int = 0
    busy: bool = False


@dataclass
class _PendingAlert:
    id: int
    alert: Alert
    delivered_to: list[str]
    rejected_by: list[str]


def enqueue(connection: psycopg2.extensions.connection, alert: Alert) -> int:
    """Store `alert` for delivery and commit; return its outbox id."""
    with connection, connection.cursor() as cursor:
        return insert_alert(cursor, alert)


def insert_alert(cursor: psycopg2.extensions.cursor, alert: Alert) -> int:
    """Store `alert` for delivery inside the cursor's transaction; return its outbox id."""
    cursor.execute(
        "INSERT INTO marketing.alert_outbox (dedup_key, action, payload)"
        " VALUES (%s, %s, %s) RETURNING id",
        (alert.dedup_key, alert.action, Json(alert_to_json(alert))),
    )
    (outbox_id,) = cursor.fetchone()
    logger.info("Queued the %s for %s as outbox alert %d", alert.action, alert.dedup_key, outbox_id)
    return outbox_id


def deliver_pending(
    connection: psycopg2.extensions.connection, notifier: AlertNotifier, *, now: datetime
) -> OutboxReport:
    """Send pending alerts to the notifier's configured destinations, oldest first.

    Each alert's outcome is committed before the next is sent. A destination that fails with
    a retryable error (rate limit, server error, no connection) is not tried again in this
    call, and the alert stays pending with its attempt count and error text. A destination
    that rejects an alert with a client error is recorded in `rejected_by` and not tried
    again. For each dedup key and destination, a later alert waits until every earlier one
    has been delivered or rejected, so a resolve never overtakes its trigger.
    """
    destinations = notifier.configured_destinations
    if not destinations:
        pending = count_pending(connection)
        logger.warning(
            "%d alerts wait in the outbox with no destination configured: set"
            " MARKETING_ASSETS_PAGERDUTY_ROUTING_KEY or MARKETING_ASSETS_SLACK_WEBHOOK_URL"
            " (the AlertNotifier fields pagerduty_routing_key and slack_webhook_url)",
            pending,
        )
        return OutboxReport(pending_alerts=pending)
    if not _try_delivery_lock(connection):
        logger.info("Another process is delivering the alert outbox; skipping this run")
        return OutboxReport(pending_alerts=count_pending(connection), busy=True)
    try:
        counts = _deliver_all(connection, notifier, destinations, now)
    finally:
        with connection, connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", (DELIVERY_LOCK_KEY,))
    return OutboxReport(**counts, pending_alerts=count_pending(connection))


def count_pending(connection: psycopg2.extensions.connection) -> int:
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM marketing.alert_outbox WHERE delivered_at IS NULL")
        return cursor.fetchone()[0]


def _deliver_all(
    connection: psycopg2.extensions.connection,
    notifier: AlertNotifier,
    destinations: tuple[str, ...],
    now: datetime,
) -> dict[str, int]:
    counts = dict.fromkeys(("sent", "rejected", "failed", "held_back", "finished_alerts"), 0)
    waiting: set[tuple[str, str]] = set()  # (dedup_key, destination) with an earlier alert due
    failed_destinations: set[str] = set()
    for pending in _pending_alerts(connection):
        attempts = 0
        last_error: str | None = None
        for destination in destinations:
            if destination in pending.delivered_to or destination in pending.rejected_by:
                continue
            key = (pending.alert.dedup_key, destination)
            if destination in failed_destinations or key in waiting:
                waiting.add(key)
                counts["held_back"] += 1
                continue
            attempts += 1
            try:
                notifier.send(pending.alert, destinations=(destination,))
            except AlertDeliveryError as error:
                last_error = str(error)
                if error.retryable:
                    failed_destinations.add(destination)
                    waiting.add(key)
                    counts["failed"] += 1
                else:
                    pending.rejected_by.append(destination)
                    counts["rejected"] += 1
            else:
                pending.delivered_to.append(destination)
                counts["sent"] += 1
        finished = all(
            name in pending.delivered_to or name in pending.rejected_by for name in destinations
        )
        # A finished alert with no attempt here had its last destination removed from the
        # configuration since the previous run.
        if attempts or finished:
            _record_outcome(connection, pending, attempts, last_error, now if finished else None)
        counts["finished_alerts"] += int(finished)
    return counts


def _pending_alerts(connection: psycopg2.extensions.connection) -> list[_PendingAlert]:
    with connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, payload, delivered_to, rejected_by FROM marketing.alert_outbox"
            " WHERE delivered_at IS NULL ORDER BY id"
        )
        return [
            _PendingAlert(row_id, alert_from_json(payload), list(delivered), list(rejected))
            for row_id, payload, delivered, rejected in cursor.fetchall()
        ]


def _record_outcome(
    connection: psycopg2.extensions.connection,
    pending: _PendingAlert,
    attempts: int,
    last_error: str | None,
    delivered_at: datetime | None,
) -> None:
    with connection, connection.cursor() as cursor:
        cursor.execute(
            "UPDATE marketing.alert_outbox SET attempts = attempts + %s,"
            " last_error = coalesce(%s, last_error), delivered_to = %s, rejected_by = %s,"
            " delivered_at = %s WHERE id = %s",
            (
                attempts,
                last_error,
                pending.delivered_to,
                pending.rejected_by,
                delivered_at,
                pending.id,
            ),
        )
    if last_error is not None and delivered_at is None:
        logger.warning(
            "Outbox alert %d (%s for %s) stays pending: %s",
            pending.id,
            pending.alert.action,
            pending.alert.dedup_key,
            last_error,
        )


def _try_delivery_lock(connection: psycopg2.extensions.connection) -> bool:
    # A session lock, not a transaction lock: it must outlive the commit after each alert.
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", (DELIVERY_LOCK_KEY,))
        return cursor.fetchone()[0]
