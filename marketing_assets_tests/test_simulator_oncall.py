"""The simulator's PagerDuty and Slack receivers over HTTP on 127.0.0.1."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from marketing_assets.simulator.oncall_faults import OnCallOutage
from marketing_assets.simulator.oncall_inbox import MASKED
from marketing_assets_tests.oncall_receivers import CREDENTIALS, oncall_simulator, received

TRIGGER = {
    "routing_key": CREDENTIALS.pagerduty_routing_key,
    "event_action": "trigger",
    "dedup_key": "marketing-assets/freshness/kestrel-coffee/meta",
    "payload": {"summary": "Meta data is late", "source": "marketing_assets", "severity": "error"},
}


def pagerduty_url(server) -> str:
    return f"{server.url}/pagerduty/v2/enqueue"


def slack_url(server, path: str = CREDENTIALS.slack_webhook_path) -> str:
    return f"{server.url}/slack/services/{path}"


def test_pagerduty_accepts_trigger_and_masks_key():
    with oncall_simulator() as server:
        response = httpx.post(pagerduty_url(server), json=TRIGGER)
        entries = received(server)

    assert response.status_code == 202
    assert response.json() == {
        "status": "success",
        "message": "Event processed",
        "dedup_key": TRIGGER["dedup_key"],
    }
    assert entries == [
        {
            "receiver": "pagerduty",
            "received_at": "2026-11-02T07:20:00+00:00",
            "body": {**TRIGGER, "routing_key": MASKED},
        }
    ]


def test_pagerduty_generates_missing_dedup_key():
    event = {key: value for key, value in TRIGGER.items() if key != "dedup_key"}
    with oncall_simulator() as server:
        response = httpx.post(pagerduty_url(server), json=event)

    assert response.status_code == 202
    assert len(response.json()["dedup_key"]) == 32


@pytest.mark.parametrize(
    ("change", "expected_error"),
    [
        ({"routing_key": "someone-elses-key"}, "'routing_key'"),
        ({"event_action": "escalate"}, "'event_action'"),
        ({"dedup_key": "k" * 256}, "at most 255"),
        ({"payload": None}, "'payload' is required"),
        ({"payload": {**TRIGGER["payload"], "severity": "fatal"}}, "'payload.severity'"),
        ({"payload": {**TRIGGER["payload"], "summary": "s" * 1025}}, "at most 1024"),
        ({"payload": {"severity": "info"}}, "'payload.summary' is required"),
        ({"payload": {**TRIGGER["payload"], "timestamp": "yesterday"}}, "ISO 8601"),
        ({"payload": {**TRIGGER["payload"], "custom_details": [1]}}, "'payload.custom_details'"),
        ({"links": [{"text": "no href"}]}, "'links'"),
    ],
)
def test_pagerduty_rejects_invalid_event(change, expected_error):
    with oncall_simulator() as server:
        response = httpx.post(pagerduty_url(server), json={**TRIGGER, **change})
        entries = received(server)

    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "invalid event"
    assert body["message"] == "Event object is invalid"
    assert any(expected_error in error for error in body["errors"]), body["errors"]
    assert entries == []


def test_pagerduty_resolve_needs_dedup_key_only():
    resolve = {"routing_key": CREDENTIALS.pagerduty_routing_key, "event_action": "resolve"}
    with oncall_simulator() as server:
        missing = httpx.post(pagerduty_url(server), json=resolve)
        accepted = httpx.post(pagerduty_url(server), json={**resolve, "dedup_key": "k"})

    assert missing.status_code == 400
    assert "'dedup_key' is required for event_action 'resolve'." in missing.json()["errors"]
    assert accepted.status_code == 202


def test_pagerduty_rejects_body_that_is_not_json():
    with oncall_simulator() as server:
        response = httpx.post(pagerduty_url(server), content=b"{not json")

    assert response.status_code == 400
    assert response.json()["errors"] == ["Request body is not valid JSON."]


def test_slack_accepts_message_as_plain_ok():
    message = {"text": "hello", "blocks": [{"type": "section", "text": {"type": "mrkdwn"}}]}
    with oncall_simulator() as server:
        response = httpx.post(slack_url(server), json=message)
        entries = received(server, "slack")

    assert response.status_code == 200
    assert response.text == "ok"
    assert response.headers["content-type"].startswith("text/plain")
    assert [entry["body"] for entry in entries] == [message]


@pytest.mark.parametrize("body", [b"not json", b"[]", b"{}", b'{"text": 5}', b'{"blocks": []}'])
def test_slack_rejects_invalid_payload(body):
    with oncall_simulator() as server:
        response = httpx.post(slack_url(server), content=body)
        entries = received(server)

    assert response.status_code == 400
    assert response.text == "invalid_payload"
    assert entries == []


def test_slack_unknown_webhook_is_no_service():
    with oncall_simulator() as server:
        response = httpx.post(slack_url(server, "T1/B1/wrong"), json={"text": "hi"})

    assert response.status_code == 404
    assert response.text == "no_service"


def test_outage_answers_503_then_recovers():
    outage = OnCallOutage(requests=2)
    with oncall_simulator(outage) as server:
        statuses = [httpx.post(pagerduty_url(server), json=TRIGGER).status_code for _ in range(3)]
        platform_path = httpx.get(f"{server.url}/_simulator/health")

    assert statuses == [503, 503, 202]
    assert outage.faulted() == {"pagerduty": 2, "slack": 0}
    assert platform_path.status_code == 200


def test_rate_limit_sends_retry_after_until_ended():
    outage = OnCallOutage(status=429, retry_after_seconds=7, receivers=("slack",))
    with oncall_simulator(outage) as server:
        limited = httpx.post(slack_url(server), json={"text": "hi"})
        pagerduty = httpx.post(pagerduty_url(server), json=TRIGGER)
        outage.end()
        after = httpx.post(slack_url(server), json={"text": "hi"})

    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "7"
    assert pagerduty.status_code == 202
    assert after.status_code == 200


def test_outage_rejects_non_retryable_status():
    with pytest.raises(ValueError, match="use 429 or a 5xx status"):
        OnCallOutage(status=400)


def test_inbox_survives_clock_change():
    with oncall_simulator() as server:
        httpx.post(slack_url(server), json={"text": "before"})
        server.set_clock(lambda: datetime(2027, 1, 1, tzinfo=UTC))
        httpx.post(slack_url(server), json={"text": "after"})
        entries = received(server)

    assert [entry["body"]["text"] for entry in entries] == ["before", "after"]
    assert entries[1]["received_at"] == "2027-01-01T00:00:00+00:00"
