"""A simulator serving only the on-call receivers, and a notifier pointed at it."""

from __future__ import annotations

import json
import threading
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from marketing_assets.alerts.models import Alert, freshness_dedup_key
from marketing_assets.alerts.notifier import AlertNotifier
from marketing_assets.local.environment import oncall_variables
from marketing_assets.simulator import FaultPlan, SimulatorCredentials, SimulatorServer
from marketing_assets.simulator.oncall_faults import receiver_of
from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse
from marketing_assets_tests.conftest import FIXED_NOW

CREDENTIALS = SimulatorCredentials()


class CountingPlan(FaultPlan):
    """Count the requests each on-call receiver gets, then pass them to `inner`."""

    def __init__(self, inner: FaultPlan | None = None) -> None:
        self.inner = inner or FaultPlan()
        self.requests: Counter[str] = Counter()
        self._lock = threading.Lock()

    def before_response(self, request: SimulatorRequest) -> SimulatorResponse | None:
        receiver = receiver_of(request)
        if receiver is not None:
            with self._lock:
                self.requests[receiver] += 1
        return self.inner.before_response(request)


@contextmanager
def oncall_simulator(plan: FaultPlan | None = None) -> Iterator[SimulatorServer]:
    server = SimulatorServer([], clock=lambda: FIXED_NOW, fault_plan=plan)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def notifier_for(server: SimulatorServer, **overrides: Any) -> AlertNotifier:
    variables = oncall_variables(server.url, CREDENTIALS)
    settings: dict[str, Any] = {
        "pagerduty_routing_key": variables["MARKETING_ASSETS_PAGERDUTY_ROUTING_KEY"],
        "pagerduty_events_url": variables["MARKETING_ASSETS_PAGERDUTY_EVENTS_URL"],
        "slack_webhook_url": variables["MARKETING_ASSETS_SLACK_WEBHOOK_URL"],
        "timeout_seconds": 5,
        "backoff_initial_seconds": 0.01,
    }
    return AlertNotifier(**{**settings, **overrides})


def received(server: SimulatorServer, receiver: str | None = None) -> list[dict[str, Any]]:
    """Read what the receivers accepted through GET /_simulator/oncall."""
    with urllib.request.urlopen(f"{server.url}/_simulator/oncall", timeout=5) as response:
        entries = json.load(response)
    return [entry for entry in entries if receiver is None or entry["receiver"] == receiver]


def stale_trigger(client_id: str = "kestrel-coffee", platform: str = "meta") -> Alert:
    return Alert(
        dedup_key=freshness_dedup_key(client_id, platform),
        action="trigger",
        summary=(
            f"{client_id} {platform} data is 4 h late: last good hour 2026-11-02T02:00Z,"
            " expected by 06:00Z"
        ),
        severity="critical",
        source="marketing_assets",
        component=platform,
        group=client_id,
        custom_details={"last_good_hour": "2026-11-02T02:00:00+00:00", "hours_late": 4},
        links=(
            (
                f"http://127.0.0.1:3000/assets/{platform}_campaign_performance_hourly",
                "Asset in Dagster",
            ),
        ),
    )


def fresh_resolve(client_id: str = "kestrel-coffee", platform: str = "meta") -> Alert:
    return Alert(
        dedup_key=freshness_dedup_key(client_id, platform),
        action="resolve",
        summary=f"{client_id} {platform} data is fresh again",
        severity="info",
        source="marketing_assets",
        component=platform,
        group=client_id,
    )
