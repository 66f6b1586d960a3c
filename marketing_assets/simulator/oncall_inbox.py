"""Notifications the simulator's PagerDuty and Slack receivers accepted, kept in memory."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse, json_response

if TYPE_CHECKING:
    # Only for the annotation: the context module imports this one.
    from marketing_assets.simulator.context import SimulatorContext

MASKED = "***"


class OnCallInbox:
    """The accepted PagerDuty events and Slack messages, in arrival order.

    Each entry is `{"receiver", "received_at", "body"}`, with the PagerDuty routing key in
    the body replaced by `MASKED`. Handlers run on the server's request threads, hence the lock.
    """

    def __init__(self) -> None:
        self._entries: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def record(self, receiver: str, body: dict[str, Any], received_at: str) -> None:
        masked = {**body, "routing_key": MASKED} if "routing_key" in body else dict(body)
        with self._lock:
            self._entries.append({"receiver": receiver, "received_at": received_at, "body": masked})

    def entries(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._entries)


def handle_oncall_log(
    request: SimulatorRequest, path: str, context: SimulatorContext
) -> SimulatorResponse:
    """Serve GET /_simulator/oncall: the accepted notifications as a JSON list."""
    if path not in ("", "/"):
        return json_response(
            404, {"error": f"Unknown simulator endpoint /_simulator/oncall{path}."}
        )
    if request.method != "GET":
        return json_response(405, {"error": "Use GET for /_simulator/oncall."})
    return json_response(200, context.oncall_inbox.entries())
