"""AlertNotifier against the simulator's PagerDuty and Slack receivers on 127.0.0.1."""

from __future__ import annotations

import logging
import socket
import time

import pytest

from marketing_assets.alerts.errors import AlertDeliveryError
from marketing_assets.alerts.models import Alert
from marketing_assets.alerts.notifier import AlertNotifier
from marketing_assets.alerts.redaction import REDACTED
from marketing_assets.simulator.oncall_faults import OnCallOutage
from marketing_assets.simulator.oncall_inbox import MASKED
from marketing_assets_tests.oncall_receivers import (
    CREDENTIALS,
    CountingPlan,
    fresh_resolve,
    notifier_for,
    oncall_simulator,
    received,
    stale_trigger,
)

CANARY_ROUTING_KEY = "canary-routing-key-3e81d0"
CANARY_WEBHOOK_PATH = "TCANARY/BCANARY/canarywebhook9c2f"


def test_trigger_reaches_pagerduty_in_exact_shape():
    alert = stale_trigger()
    with oncall_simulator() as server:
        result = notifier_for(server).send(alert)
        events = [entry["body"] for entry in received(server, "pagerduty")]

    assert result.delivered_to == ("pagerduty", "slack")
    assert events == [
        {
            "routing_key": MASKED,
            "event_action": "trigger",
            "dedup_key": "marketing-assets/freshness/kestrel-coffee/meta",
            "payload": {
                "summary": alert.summary,
                "source": "marketing_assets",
                "severity": "critical",
                "component": "meta",
                "group": "kestrel-coffee",
                "custom_details": {
                    "last_good_hour": "2026-11-02T02:00:00+00:00",
                    "hours_late": 4,
                },
            },
            "links": [
                {
                    "href": "http://127.0.0.1:3000/assets/meta_campaign_performance_hourly",
                    "text": "Asset in Dagster",
                }
            ],
        }
    ]


def test_trigger_reaches_slack_in_exact_shape():
    alert = stale_trigger()
    with oncall_simulator() as server:
        notifier_for(server).send(alert)
        messages = [entry["body"] for entry in received(server, "slack")]

    assert messages == [
        {
            "text": f":rotating_light: *CRITICAL*: {alert.summary}",
            "blocks": [
                {
                    "type": "section",
                    "text": {"type": "mrkdwn", "text": f"*CRITICAL*: {alert.summary}"},
                },
                {
                    "type": "section",
                    "fields": [
                        {"type": "mrkdwn", "text": "*Client*\nkestrel-coffee"},
                        {"type": "mrkdwn", "text": "*Platform*\nmeta"},
                        {"type": "mrkdwn", "text": "*Last good hour*\n2026-11-02T02:00:00+00:00"},
                        {"type": "mrkdwn", "text": "*Hours late*\n4"},
                    ],
                },
                {
                    "type": "context",
                    "elements": [
                        {
                            "type": "mrkdwn",
                            "text": "<http://127.0.0.1:3000/assets/meta_campaign_performance_hourly"
                            "|Asset in Dagster>",
                        }
                    ],
                },
            ],
        }
    ]


def test_resolve_sends_short_messages():
    with oncall_simulator() as server:
        notifier_for(server).send(fresh_resolve())
        entries = [(entry["receiver"], entry["body"]) for entry in received(server)]

    assert entries == [
        (
            "pagerduty",
            {
                "routing_key": MASKED,
                "event_action": "resolve",
                "dedup_key": "marketing-assets/freshness/kestrel-coffee/meta",
            },
        ),
        (
            "slack",
            {
                "text": ":white_check_mark: Resolved: kestrel-coffee meta data is fresh again"
                " (client `kestrel-coffee`, meta)"
            },
        ),
    ]


def test_slack_text_escapes_mrkdwn_control_characters():
    alert = Alert(
        dedup_key="k",
        action="resolve",
        summary="spend <5 & falling",
        severity="info",
        source="s",
        component="meta",
        group="a<b",
    )
    with oncall_simulator() as server:
        notifier_for(server, pagerduty_routing_key="").send(alert)
        (message,) = [entry["body"] for entry in received(server, "slack")]

    assert message["text"] == (
        ":white_check_mark: Resolved: spend &lt;5 &amp; falling (client `a&lt;b`, meta)"
    )


def test_only_configured_destinations_receive():
    plan = CountingPlan()
    with oncall_simulator(plan) as server:
        result = notifier_for(server, slack_webhook_url="").send(stale_trigger())

    assert result.delivered_to == ("pagerduty",)
    assert plan.requests == {"pagerduty": 1}


def test_retries_503_then_succeeds():
    outage = OnCallOutage(requests=2, receivers=("pagerduty",))
    with oncall_simulator(outage) as server:
        result = notifier_for(server).send(stale_trigger())
        events = received(server, "pagerduty")

    assert result.delivered_to == ("pagerduty", "slack")
    assert outage.faulted()["pagerduty"] == 2
    assert len(events) == 1


def test_retry_waits_for_retry_after():
    outage = OnCallOutage(status=429, requests=1, receivers=("slack",), retry_after_seconds=1)
    with oncall_simulator(outage) as server:
        started = time.monotonic()
        result = notifier_for(server, pagerduty_routing_key="").send(stale_trigger())
        elapsed = time.monotonic() - started

    assert result.delivered_to == ("slack",)
    assert outage.faulted()["slack"] == 1
    assert elapsed >= 1.0


def test_long_retry_after_not_waited():
    outage = OnCallOutage(status=429, receivers=("slack",), retry_after_seconds=120)
    plan = CountingPlan(outage)
    with oncall_simulator(plan) as server:
        notifier = notifier_for(server, pagerduty_routing_key="", max_retry_wait_seconds=5)
        with pytest.raises(AlertDeliveryError) as raised:
            notifier.send(stale_trigger())

    assert raised.value.status == 429
    assert raised.value.retryable
    assert raised.value.retry_after == 120
    assert plan.requests == {"slack": 1}


def test_gives_up_after_max_attempts():
    plan = CountingPlan(OnCallOutage(receivers=("pagerduty",)))
    with oncall_simulator(plan) as server, pytest.raises(AlertDeliveryError) as raised:
        notifier_for(server, max_attempts=3).send(stale_trigger())

    error = raised.value
    assert plan.requests == {"pagerduty": 3, "slack": 1}
    assert error.destination == "pagerduty"
    assert error.status == 503
    assert error.attempts == 3
    assert error.delivered_to == ("slack",)
    assert str(error) == (
        "PagerDuty responded to the trigger for dedup key"
        " 'marketing-assets/freshness/kestrel-coffee/meta' with HTTP 503 after 3 attempts"
        " (Service Unavailable). PagerDuty is down or rate-limiting; deliver again later."
    )


def test_400_is_not_retried():
    plan = CountingPlan()
    with oncall_simulator(plan) as server:
        notifier = notifier_for(server, pagerduty_routing_key=CANARY_ROUTING_KEY)
        with pytest.raises(AlertDeliveryError) as raised:
            notifier.send(stale_trigger(), destinations=("pagerduty",))

    error = raised.value
    assert plan.requests == {"pagerduty": 1}
    assert error.status == 400
    assert not error.retryable
    assert error.attempts == 1
    assert "it was not retried" in str(error)
    assert "Check pagerduty_routing_key" in str(error)


def test_unknown_slack_webhook_is_not_retried():
    plan = CountingPlan()
    with oncall_simulator(plan) as server:
        notifier = notifier_for(
            server,
            pagerduty_routing_key="",
            slack_webhook_url=f"{server.url}/slack/services/{CANARY_WEBHOOK_PATH}",
        )
        with pytest.raises(AlertDeliveryError) as raised:
            notifier.send(stale_trigger())

    assert plan.requests == {"slack": 1}
    assert raised.value.status == 404
    assert "no_service" in str(raised.value)
    assert "Check slack_webhook_url" in str(raised.value)


def test_unreachable_receiver_fails_without_status():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    notifier = AlertNotifier(
        pagerduty_routing_key=CANARY_ROUTING_KEY,
        pagerduty_events_url=f"http://127.0.0.1:{closed_port}/v2/enqueue",
        max_attempts=2,
        backoff_initial_seconds=0.01,
    )
    with pytest.raises(AlertDeliveryError) as raised:
        notifier.send(stale_trigger())

    assert raised.value.status is None
    assert raised.value.retryable
    assert raised.value.attempts == 2
    assert "could not be reached" in str(raised.value)


def test_secrets_absent_from_logs_and_errors(caplog):
    caplog.set_level(logging.DEBUG)
    errors: list[AlertDeliveryError] = []
    with oncall_simulator(OnCallOutage(requests=1)) as server:
        canary_webhook = f"{server.url}/slack/services/{CANARY_WEBHOOK_PATH}"
        good = notifier_for(server)
        good.send(stale_trigger())
        rejected = notifier_for(
            server, pagerduty_routing_key=CANARY_ROUTING_KEY, slack_webhook_url=canary_webhook
        )
        with pytest.raises(AlertDeliveryError) as raised:
            rejected.send(stale_trigger())
        errors.append(raised.value)

    secrets = [
        CREDENTIALS.pagerduty_routing_key,
        CREDENTIALS.slack_webhook_path,
        CANARY_ROUTING_KEY,
        CANARY_WEBHOOK_PATH,
    ]
    error_text = "\n".join(
        [str(error) for error in errors] + [note for error in errors for note in error.__notes__]
    )
    httpx_lines = [record.getMessage() for record in caplog.records if record.name == "httpx"]
    assert len(httpx_lines) >= 4
    assert all(REDACTED in line for line in httpx_lines if "/slack/" in line)
    for secret in secrets:
        assert secret not in caplog.text
        assert secret not in error_text
    assert errors[0].__cause__ is None


def test_alert_rejects_overlong_dedup_key():
    with pytest.raises(ValueError, match="use 1 to 255 characters"):
        Alert(
            dedup_key="k" * 256,
            action="trigger",
            summary="s",
            severity="info",
            source="s",
            component="meta",
            group="c",
        )
