"""A PagerDuty Events API v2 receiver: `POST /pagerduty/v2/enqueue`.

It validates events the way the public docs describe (the routing key, `event_action`,
`dedup_key` of at most 255 characters, and a trigger's `payload`) and responds in PagerDuty's
shapes. The wording of each entry in `errors` is the simulator's own.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from marketing_assets.simulator.context import SimulatorContext
from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse, json_response

EVENT_ACTIONS = ("trigger", "acknowledge", "resolve")
SEVERITIES = ("critical", "error", "warning", "info")
MAX_DEDUP_KEY_LENGTH = 255
MAX_SUMMARY_LENGTH = 1024
_OPTIONAL_TEXT_FIELDS = ("component", "group", "class")


def handle_pagerduty(
    request: SimulatorRequest, path: str, context: SimulatorContext
) -> SimulatorResponse:
    """Route a request whose path, after the /pagerduty prefix, is `path`."""
    if path != "/v2/enqueue":
        return json_response(404, {"status": "not found", "message": f"No route {path!r}."})
    if request.method != "POST":
        return json_response(405, {"status": "method not allowed", "message": "Use POST."})
    try:
        event = json.loads(request.body)
    except ValueError:
        return _invalid(["Request body is not valid JSON."])
    if not isinstance(event, dict):
        return _invalid(["Request body must be a JSON object."])

    errors = event_errors(event, context.credentials.pagerduty_routing_key)
    if errors:
        return _invalid(errors)
    # PagerDuty generates a key for a trigger sent without one.
    dedup_key = event.get("dedup_key") or uuid.uuid4().hex
    context.oncall_inbox.record("pagerduty", event, context.clock().isoformat())
    return json_response(
        202, {"status": "success", "message": "Event processed", "dedup_key": dedup_key}
    )


def event_errors(event: dict[str, Any], routing_key: str) -> list[str]:
    """Return what is invalid in an Events API v2 body, or an empty list."""
    errors: list[str] = []
    if event.get("routing_key") != routing_key:
        errors.append("'routing_key' is missing or is not a known integration key.")
    action = event.get("event_action")
    if action not in EVENT_ACTIONS:
        errors.append(f"'event_action' must be one of {', '.join(EVENT_ACTIONS)}.")
    dedup_key = event.get("dedup_key")
    if dedup_key is not None and (not isinstance(dedup_key, str) or not dedup_key):
        errors.append("'dedup_key' must be a non-empty string.")
    elif isinstance(dedup_key, str) and len(dedup_key) > MAX_DEDUP_KEY_LENGTH:
        errors.append(f"'dedup_key' must be at most {MAX_DEDUP_KEY_LENGTH} characters.")
    if action in ("acknowledge", "resolve") and dedup_key is None:
        errors.append(f"'dedup_key' is required for event_action {action!r}.")
    if action == "trigger":
        errors.extend(_payload_errors(event.get("payload")))
    errors.extend(_links_errors(event.get("links")))
    return errors


def _payload_errors(payload: object) -> list[str]:
    if not isinstance(payload, dict):
        return ["'payload' is required for a trigger and must be an object."]
    errors: list[str] = []
    summary = payload.get("summary")
    if not isinstance(summary, str) or not summary:
        errors.append("'payload.summary' is required.")
    elif len(summary) > MAX_SUMMARY_LENGTH:
        errors.append(f"'payload.summary' must be at most {MAX_SUMMARY_LENGTH} characters.")
    source = payload.get("source")
    if not isinstance(source, str) or not source:
        errors.append("'payload.source' is required.")
    if payload.get("severity") not in SEVERITIES:
        errors.append(f"'payload.severity' must be one of {', '.join(SEVERITIES)}.")
    timestamp = payload.get("timestamp")
    if timestamp is not None and not _is_iso_timestamp(timestamp):
        errors.append("'payload.timestamp' must be an ISO 8601 date and time.")
    for name in _OPTIONAL_TEXT_FIELDS:
        if name in payload and not isinstance(payload[name], str):
            errors.append(f"'payload.{name}' must be a string.")
    details = payload.get("custom_details")
    if details is not None and not isinstance(details, dict):
        errors.append("'payload.custom_details' must be an object.")
    return errors


def _links_errors(links: object) -> list[str]:
    if links is None:
        return []
    if not isinstance(links, list) or not all(
        isinstance(link, dict) and isinstance(link.get("href"), str) for link in links
    ):
        return ["'links' must be a list of objects with an 'href' string."]
    return []


def _is_iso_timestamp(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _invalid(errors: list[str]) -> SimulatorResponse:
    return json_response(
        400, {"status": "invalid event", "message": "Event object is invalid", "errors": errors}
    )
