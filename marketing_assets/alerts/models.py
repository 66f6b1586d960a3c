"""The alert record passed from the freshness sensors to the notifier and the outbox."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, get_args

AlertAction = Literal["trigger", "resolve"]
AlertSeverity = Literal["critical", "error", "warning", "info"]
DetailValue = str | int | float | None

ALERT_ACTIONS: tuple[str, ...] = get_args(AlertAction)
ALERT_SEVERITIES: tuple[str, ...] = get_args(AlertSeverity)
# PagerDuty Events API v2 limits: dedup_key at most 255 characters, summary at most 1024.
MAX_DEDUP_KEY_LENGTH = 255
MAX_SUMMARY_LENGTH = 1024


def freshness_dedup_key(client_id: str, platform: str) -> str:
    """Return the dedup key of the freshness incident of one client's platform."""
    return f"marketing-assets/freshness/{client_id}/{platform}"


@dataclass(frozen=True)
class Alert:
    """One decision to open (`trigger`) or close (`resolve`) an incident.

    `group` is the client id and `component` the platform, as PagerDuty names those fields.
    `custom_details` contains the facts the on-call person needs (for freshness: the last good
    hour and how late the data is), and Slack shows each entry as a field. `links` are
    (href, text) pairs, for example the asset in the Dagster UI.
    """

    dedup_key: str
    action: AlertAction
    summary: str
    severity: AlertSeverity
    source: str
    component: str
    group: str
    custom_details: dict[str, DetailValue] = field(default_factory=dict)
    links: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if not 0 < len(self.dedup_key) <= MAX_DEDUP_KEY_LENGTH:
            raise ValueError(
                f"Invalid alert dedup_key {self.dedup_key[:80]!r} ({len(self.dedup_key)}"
                f" characters): use 1 to {MAX_DEDUP_KEY_LENGTH} characters."
            )
        if self.action not in ALERT_ACTIONS:
            raise ValueError(
                f"Invalid action {self.action!r} for alert {self.dedup_key!r}: use one of"
                f" {ALERT_ACTIONS}."
            )
        if self.severity not in ALERT_SEVERITIES:
            raise ValueError(
                f"Invalid severity {self.severity!r} for alert {self.dedup_key!r}: use one of"
                f" {ALERT_SEVERITIES}."
            )
        if not 0 < len(self.summary) <= MAX_SUMMARY_LENGTH:
            raise ValueError(
                f"Invalid summary for alert {self.dedup_key!r}: it has {len(self.summary)}"
                f" characters; use 1 to {MAX_SUMMARY_LENGTH}."
            )
        for name in ("source", "component", "group"):
            if not getattr(self, name):
                raise ValueError(f"Missing {name} for alert {self.dedup_key!r}: set it.")
        for href, text in self.links:
            if not href.startswith(("http://", "https://")) or not text:
                raise ValueError(
                    f"Invalid link ({href!r}, {text!r}) for alert {self.dedup_key!r}: use an"
                    " http(s) URL and a non-empty text."
                )


def alert_to_json(alert: Alert) -> dict[str, Any]:
    """Return the alert as a JSON-ready dict, the form the outbox stores."""
    return {
        "dedup_key": alert.dedup_key,
        "action": alert.action,
        "summary": alert.summary,
        "severity": alert.severity,
        "source": alert.source,
        "component": alert.component,
        "group": alert.group,
        "custom_details": dict(alert.custom_details),
        "links": [[href, text] for href, text in alert.links],
    }


def alert_from_json(payload: dict[str, Any]) -> Alert:
    """Rebuild an alert stored by `alert_to_json`."""
    return Alert(
        dedup_key=payload["dedup_key"],
        action=payload["action"],
        summary=payload["summary"],
        severity=payload["severity"],
        source=payload["source"],
        component=payload["component"],
        group=payload["group"],
        custom_details=dict(payload.get("custom_details") or {}),
        links=tuple((href, text) for href, text in payload.get("links") or ()),
    )
