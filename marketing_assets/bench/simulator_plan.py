"""A simulator hook that delays every platform response and counts the requests."""

from __future__ import annotations

import threading
import time
from collections import Counter

from marketing_assets.simulator import FaultPlan, SimulatorRequest, SimulatorResponse

PLATFORM_PREFIXES = ("/google-ads", "/meta")


class LatencyPlan(FaultPlan):
    """Wait ``latency_seconds`` before each platform API response and count it by platform.

    ECB and ground-truth requests pass without delay and are not counted, because the
    targets concern ad platform quotas. Hooks run on the server's request threads.
    """

    def __init__(self, latency_seconds: float) -> None:
        if latency_seconds < 0:
            raise ValueError(f"Invalid latency {latency_seconds!r}: use 0 seconds or more.")
        self.latency_seconds = latency_seconds
        self._lock = threading.Lock()
        self._requests: Counter[str] = Counter()

    def before_response(self, request: SimulatorRequest) -> SimulatorResponse | None:
        for prefix in PLATFORM_PREFIXES:
            if request.path.startswith(prefix):
                with self._lock:
                    self._requests[prefix.strip("/")] += 1
                time.sleep(self.latency_seconds)
        return None

    def requests(self) -> dict[str, int]:
        with self._lock:
            return dict(self._requests)

    def reset(self) -> None:
        with self._lock:
            self._requests.clear()
