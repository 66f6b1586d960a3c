"""A simulator hook that records the platform requests by kind and account, for counting."""

from __future__ import annotations

import json
import re
import threading
from collections import Counter

from marketing_assets.simulator import FaultPlan
from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse

_SEARCH_STREAM = re.compile(r"^/google-ads/v\d+/customers/(\d+)/googleAds:searchStream$")
_META_ACCOUNT = re.compile(r"^/meta/v\d+\.\d+/act_(\d+)(/insights)?/?$")


def request_kind(request: SimulatorRequest) -> tuple[str, str] | None:
    """Return (kind, account id) of a Google Ads or Meta request, or None for other paths.

    Kinds are "hourly report", "daily report" and "settings", prefixed with the platform.
    """
    google = _SEARCH_STREAM.match(request.path)
    if google and request.method == "POST":
        query = json.loads(request.body)["query"]
        if " FROM customer" in query:
            return "google_ads settings", google[1]
        kind = "hourly report" if "segments.hour" in query else "daily report"
        return f"google_ads {kind}", google[1]
    meta = _META_ACCOUNT.match(request.path)
    if meta and request.method == "GET":
        if not meta[2]:
            return "meta settings", meta[1]
        kind = "hourly report" if request.query.get("breakdowns") else "daily report"
        return f"meta {kind}", meta[1]
    return None


class RequestLog(FaultPlan):
    """Count each platform request by (kind, account id), then pass it to `inner`."""

    def __init__(self, inner: FaultPlan | None = None) -> None:
        self.inner = inner or FaultPlan()
        self.counts: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()

    def before_response(self, request: SimulatorRequest) -> SimulatorResponse | None:
        kind = request_kind(request)
        if kind is not None:
            with self._lock:
                self.counts[kind] += 1
        return self.inner.before_response(request)

    def after_response(
        self, request: SimulatorRequest, response: SimulatorResponse
    ) -> SimulatorResponse:
        return self.inner.after_response(request, response)

    def count(self, kind: str) -> dict[str, int]:
        """Return the requests of `kind` per account id."""
        with self._lock:
            return {account: n for (name, account), n in self.counts.items() if name == kind}

    def clear(self) -> None:
        with self._lock:
            self.counts.clear()
