"""Request bodies for the PagerDuty Events API v2 and Slack incoming webhooks."""

from __future__ import annotations

from typing import Any

from marketing_assets.alerts.models import Alert

# Slack mrkdwn treats these three characters as control characters; its docs ask senders to
# escape them as HTML entities.
_MRKDWN_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))


def pagerduty_event(alert: Alert, routing_key: str) -> dict[str, Any]:
    """Build the Events API v2 body. A resolve needs only the routing key and dedup key."""
    event: dict[str, Any] = {
        "routing_key": routing_key,
        "event_action": alert.action,
        "dedup_key": alert.dedup_key,
    }
    if alert.action == "resolve":
        return event
    event["payload"] = {
        "summary": alert.summary,
        "source": alert.source,
        "severity": alert.severity,
        "component": alert.component,
        "group": alert.group,
        "custom_details": dict(alert.custom_details),
    }
    if alert.links:
        event["links"] = [{"href": href, "text": text} for href, text in alert.links]
    return event


def slack_message(alert: Alert) -> dict[str, Any]:
    """Build the webhook body: mrkdwn `text` (the notification) and, for a trigger, blocks."""
    client = escape_mrkdwn(alert.group)
    platform = escape_mrkdwn(alert.component)
    summary = escape_mrkdwn(alert.summary)
    if alert.action == "resolve":
        return {"text": f":white_check_mark: Resolved: {summary} (client `{client}`, {platform})"}

    severity = alert.severity.upper()
    fields = [
        {"type": "mrkdwn", "text": f"*Client*\n{client}"},
        {"type": "mrkdwn", "text": f"*Platform*\n{platform}"},
        *(
            {"type": "mrkdwn", "text": f"*{detail_label(name)}*\n{format_detail(value)}"}
            for name, value in alert.custom_details.items()
        ),
    ]
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*{severity}*: {summary}"}},
        # Slack allows at most 10 fields in one section block.
        *(
            {"type": "section", "fields": fields[start : start + 10]}
            for start in range(0, len(fields), 10)
        ),
    ]
    if alert.links:
        link_text = " | ".join(f"<{href}|{escape_mrkdwn(text)}>" for href, text in alert.links)
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": link_text}]})
    return {"text": f":rotating_light: *{severity}*: {summary}", "blocks": blocks}


def detail_label(name: str) -> str:
    """Turn a custom_details key such as `last_good_hour` into the label `Last good hour`."""
    return escape_mrkdwn(name.replace("_", " ").strip().capitalize())


def format_detail(value: object) -> str:
    return "unknown" if value is None else escape_mrkdwn(str(value))


def escape_mrkdwn(text: str) -> str:
    for character, entity in _MRKDWN_ESCAPES:
        text = text.replace(character, entity)
    return text
