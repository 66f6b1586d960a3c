"""The alert outbox and incident state in the embedded PostgreSQL, delivering to the simulator."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from marketing_assets.alerts.incidents import open_or_refresh, resolve
from marketing_assets.alerts.outbox import DELIVERY_LOCK_KEY, deliver_pending, enqueue
from marketing_assets.simulator.oncall_faults import OnCallOutage
from marketing_assets.storage.connection import connect
from marketing_assets.storage.postgres_client import ensure_migrated
from marketing_assets_tests.conftest import FIXED_NOW
from marketing_assets_tests.oncall_receivers import (
    CREDENTIALS,
    CountingPlan,
    fresh_resolve,
    notifier_for,
    oncall_simulator,
    received,
    stale_trigger,
)

KEY = stale_trigger().dedup_key
INTERVAL = timedelta(minutes=30)


@pytest.fixture
def connection(database_url):
    ensure_migrated(database_url)
    connection = connect(database_url)
    with connection, connection.cursor() as cursor:
        cursor.execute("TRUNCATE marketing.alert_outbox, marketing.alert_state")
    yield connection
    connection.close()


def outbox_rows(connection) -> list[tuple]:
    with connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT action, attempts, last_error, delivered_to, rejected_by,"
            " delivered_at IS NOT NULL FROM marketing.alert_outbox ORDER BY id"
        )
        return cursor.fetchall()


def alert_state(connection) -> tuple:
    with connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT state, suppressed_triggers FROM marketing.alert_state WHERE dedup_key = %s",
            (KEY,),
        )
        return cursor.fetchone()


def test_outbox_delivers_once_after_outage(connection):
    outage = OnCallOutage()
    with oncall_simulator(outage) as server:
        notifier = notifier_for(server, max_attempts=2)
        enqueue(connection, stale_trigger())
        during = [deliver_pending(connection, notifier, now=FIXED_NOW) for _ in range(3)]
        rows_during = outbox_rows(connection)
        outage.end()
        recovered = deliver_pending(connection, notifier, now=FIXED_NOW)
        again = deliver_pending(connection, notifier, now=FIXED_NOW)
        entries = received(server)

    assert [report.failed for report in during] == [2, 2, 2]
    assert [report.pending_alerts for report in during] == [1, 1, 1]
    assert outage.faulted() == {"pagerduty": 6, "slack": 6}
    ((action, attempts, last_error, delivered_to, rejected_by, finished),) = rows_during
    assert action == "trigger"
    assert attempts == 6
    assert "HTTP 503 after 2 attempts" in last_error
    assert (delivered_to, rejected_by, finished) == ([], [], False)
    assert (recovered.sent, recovered.finished_alerts, recovered.pending_alerts) == (2, 1, 0)
    assert (again.sent, again.pending_alerts) == (0, 0)
    assert [entry["receiver"] for entry in entries] == ["pagerduty", "slack"]
    assert outbox_rows(connection)[0][3:] == (["pagerduty", "slack"], [], True)


def test_down_destination_spares_other(connection):
    outage = OnCallOutage(receivers=("pagerduty",))
    with oncall_simulator(outage) as server:
        notifier = notifier_for(server, max_attempts=1)
        enqueue(connection, stale_trigger())
        enqueue(connection, fresh_resolve())
        first = deliver_pending(connection, notifier, now=FIXED_NOW)
        slack_during = [entry["body"]["text"] for entry in received(server, "slack")]
        outage.end()
        second = deliver_pending(connection, notifier, now=FIXED_NOW)
        pagerduty = [entry["body"]["event_action"] for entry in received(server, "pagerduty")]

    assert (first.sent, first.failed, first.held_back, first.pending_alerts) == (2, 1, 1, 2)
    assert len(slack_during) == 2
    assert slack_during[1].startswith(":white_check_mark: Resolved")
    assert (second.sent, second.pending_alerts) == (2, 0)
    assert pagerduty == ["trigger", "resolve"]


def test_resolve_waits_for_its_trigger(connection):
    # PagerDuty fails only the first request: the trigger. The resolve must not overtake it.
    outage = OnCallOutage(requests=1, receivers=("pagerduty",))
    with oncall_simulator(outage) as server:
        notifier = notifier_for(server, max_attempts=1, slack_webhook_url="")
        enqueue(connection, stale_trigger())
        enqueue(connection, fresh_resolve())
        enqueue(connection, stale_trigger("other-client"))
        first = deliver_pending(connection, notifier, now=FIXED_NOW)
        before = received(server, "pagerduty")
        deliver_pending(connection, notifier, now=FIXED_NOW)
        after = [
            (entry["body"]["dedup_key"], entry["body"]["event_action"])
            for entry in received(server, "pagerduty")
        ]

    assert (first.failed, first.held_back) == (1, 2)
    assert before == []
    assert after == [
        (KEY, "trigger"),
        (KEY, "resolve"),
        ("marketing-assets/freshness/other-client/meta", "trigger"),
    ]


def test_rejected_alert_finishes_without_retry(connection):
    plan = CountingPlan()
    with oncall_simulator(plan) as server:
        notifier = notifier_for(server, pagerduty_routing_key="canary-wrong-routing-key")
        enqueue(connection, stale_trigger())
        enqueue(connection, fresh_resolve())
        first = deliver_pending(connection, notifier, now=FIXED_NOW)
        second = deliver_pending(connection, notifier, now=FIXED_NOW)

    assert (first.sent, first.rejected, first.finished_alerts) == (2, 2, 2)
    assert (second.sent, second.rejected) == (0, 0)
    assert plan.requests == {"pagerduty": 2, "slack": 2}
    rows = outbox_rows(connection)
    assert [row[3:] for row in rows] == [(["slack"], ["pagerduty"], True)] * 2
    assert all("HTTP 400" in row[2] for row in rows)
    assert all("canary-wrong-routing-key" not in row[2] for row in rows)


def test_outbox_never_stores_routing_key(connection):
    with oncall_simulator() as server:
        enqueue(connection, stale_trigger())
        deliver_pending(connection, notifier_for(server), now=FIXED_NOW)
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT payload::text, coalesce(last_error, '') FROM marketing.alert_outbox")
        stored = " ".join(cursor.fetchone())

    assert KEY in stored
    assert CREDENTIALS.pagerduty_routing_key not in stored


def test_delivery_skips_when_lock_held(connection, database_url):
    holder = connect(database_url)
    try:
        with holder, holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", (DELIVERY_LOCK_KEY,))
        with oncall_simulator() as server:
            enqueue(connection, stale_trigger())
            report = deliver_pending(connection, notifier_for(server), now=FIXED_NOW)
            entries = received(server)
    finally:
        holder.close()

    assert report.busy
    assert report.pending_alerts == 1
    assert entries == []


def test_open_or_refresh_pages_once_per_incident(connection):
    first = open_or_refresh(
        connection, stale_trigger(), now=FIXED_NOW, min_retrigger_interval=INTERVAL
    )
    second = open_or_refresh(
        connection,
        stale_trigger(),
        now=FIXED_NOW + timedelta(minutes=5),
        min_retrigger_interval=INTERVAL,
    )

    assert first is True
    assert second is False
    assert [row[0] for row in outbox_rows(connection)] == ["trigger"]
    assert alert_state(connection) == ("open", 0)


def test_flapping_key_pages_once_per_interval(connection):
    def trigger_at(minutes: int) -> bool:
        return open_or_refresh(
            connection,
            stale_trigger(),
            now=FIXED_NOW + timedelta(minutes=minutes),
            min_retrigger_interval=INTERVAL,
        )

    opened = trigger_at(0)
    resolved = resolve(connection, KEY, fresh_resolve(), now=FIXED_NOW + timedelta(minutes=10))
    suppressed = [trigger_at(15), trigger_at(39)]
    state_while_suppressed = alert_state(connection)
    reopened = trigger_at(41)

    assert (opened, resolved) == (True, True)
    assert suppressed == [False, False]
    assert state_while_suppressed == ("resolved", 2)
    assert reopened is True
    assert [row[0] for row in outbox_rows(connection)] == ["trigger", "resolve", "trigger"]
    assert alert_state(connection) == ("open", 2)


def test_resolve_only_when_open(connection):
    before_open = resolve(connection, KEY, fresh_resolve(), now=FIXED_NOW)
    open_or_refresh(connection, stale_trigger(), now=FIXED_NOW, min_retrigger_interval=INTERVAL)
    while_open = resolve(connection, KEY, fresh_resolve(), now=FIXED_NOW)
    after_resolved = resolve(connection, KEY, fresh_resolve(), now=FIXED_NOW)

    assert (before_open, while_open, after_resolved) == (False, True, False)
    assert [row[0] for row in outbox_rows(connection)] == ["trigger", "resolve"]


def test_incident_calls_reject_mismatched_alerts(connection):
    with pytest.raises(ValueError, match="Expected a trigger alert"):
        open_or_refresh(connection, fresh_resolve(), now=FIXED_NOW, min_retrigger_interval=INTERVAL)
    with pytest.raises(ValueError, match="differs from the incident"):
        resolve(connection, "another-key", fresh_resolve(), now=FIXED_NOW)
    with pytest.raises(ValueError, match="has no time zone"):
        resolve(connection, KEY, fresh_resolve(), now=FIXED_NOW.replace(tzinfo=None))
    assert outbox_rows(connection) == []


def test_concurrent_open_pages_once(connection, database_url):
    connections = [connect(database_url) for _ in range(4)]
    try:
        with ThreadPoolExecutor(max_workers=len(connections)) as pool:
            opened = list(
                pool.map(
                    lambda each: open_or_refresh(
                        each, stale_trigger(), now=FIXED_NOW, min_retrigger_interval=INTERVAL
                    ),
                    connections,
                )
            )
    finally:
        for each in connections:
            each.close()

    assert sorted(opened) == [False, False, False, True]
    assert [row[0] for row in outbox_rows(connection)] == ["trigger"]
