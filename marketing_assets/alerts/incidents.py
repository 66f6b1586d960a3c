"""One page per incident: open, refresh and resolve incidents by dedup key.

The freshness sensors call these every tick while a client's data is stale or fresh again.
`marketing.alert_state` keeps each key's state, and the outbox row is written in the same
transaction as the state change, so a page is queued exactly when an incident opens.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import psycopg2.extensions

from marketing_assets.alerts.models import Alert
from marketing_assets.alerts.outbox import insert_alert

logger = logging.getLogger(__name__)


def open_or_refresh(
    connection: psycopg2.extensions.connection,
    alert: Alert,
    *,
    now: datetime,
    min_retrigger_interval: timedelta,
) -> bool:
    """Queue `alert` (a trigger) if it opens an incident; return whether it was queued.

    An open incident with the same dedup key is only marked as seen at `now`. A key resolved
    less than `min_retrigger_interval` before `now` is flapping: no trigger is queued, the
    held-back trigger is counted in `suppressed_triggers`, and a later call pages once the
    interval has passed. Commits before returning.
    """
    _check_alert(alert, "trigger", alert.dedup_key, now)
    with connection, connection.cursor() as cursor:
        # The insert waits on a concurrent insert of the same key, so only one caller opens.
        cursor.execute(
            "INSERT INTO marketing.alert_state"
            " (dedup_key, state, opened_at, last_triggered_at, last_seen_at)"
            " VALUES (%s, 'open', %s, %s, %s) ON CONFLICT (dedup_key) DO NOTHING"
            " RETURNING dedup_key",
            (alert.dedup_key, now, now, now),
        )
        if cursor.fetchone() is not None:
            insert_alert(cursor, alert)
            logger.info("Opened incident %s", alert.dedup_key)
            return True

        cursor.execute(
            "SELECT state, resolved_at FROM marketing.alert_state WHERE dedup_key = %s FOR UPDATE",
            (alert.dedup_key,),
        )
        state, resolved_at = cursor.fetchone()
        if state == "open":
            cursor.execute(
                "UPDATE marketing.alert_state SET last_seen_at = %s WHERE dedup_key = %s",
                (now, alert.dedup_key),
            )
            return False
        if resolved_at is not None and now - resolved_at < min_retrigger_interval:
            cursor.execute(
                "UPDATE marketing.alert_state SET suppressed_triggers = suppressed_triggers + 1,"
                " last_suppressed_at = %s, last_seen_at = %s WHERE dedup_key = %s",
                (now, now, alert.dedup_key),
            )
            logger.warning(
                "Not paging for %s again: it resolved at %s, less than %s before %s",
                alert.dedup_key,
                resolved_at.isoformat(),
                min_retrigger_interval,
                now.isoformat(),
            )
            return False

        cursor.execute(
            "UPDATE marketing.alert_state SET state = 'open', opened_at = %s,"
            " last_triggered_at = %s, last_seen_at = %s, resolved_at = NULL"
            " WHERE dedup_key = %s",
            (now, now, now, alert.dedup_key),
        )
        insert_alert(cursor, alert)
        logger.info("Reopened incident %s", alert.dedup_key)
        return True


def resolve(
    connection: psycopg2.extensions.connection,
    dedup_key: str,
    alert: Alert,
    *,
    now: datetime,
) -> bool:
    """Queue `alert` (a resolve) if the incident `dedup_key` is open; return whether it was.

    Commits before returning.
    """
    _check_alert(alert, "resolve", dedup_key, now)
    with connection, connection.cursor() as cursor:
        cursor.execute(
            "UPDATE marketing.alert_state SET state = 'resolved', resolved_at = %s,"
            " last_seen_at = %s WHERE dedup_key = %s AND state = 'open' RETURNING dedup_key",
            (now, now, dedup_key),
        )
        if cursor.fetchone() is None:
            return False
        insert_alert(cursor, alert)
    logger.info("Resolved incident %s", dedup_key)
    return True


def _check_alert(alert: Alert, action: str, dedup_key: str, now: datetime) -> None:
    if alert.action != action:
        raise ValueError(
            f"Expected a {action} alert for {dedup_key!r}, got a {alert.action}: build the"
            f" Alert with action={action!r}."
        )
    if alert.dedup_key != dedup_key:
        raise ValueError(
            f"The alert's dedup_key {alert.dedup_key!r} differs from the incident"
            f" {dedup_key!r}: pass the same key to both."
        )
    if now.tzinfo is None:
        raise ValueError(f"now={now.isoformat()} has no time zone: pass an aware datetime.")
