"""A fault plan that takes the simulator's PagerDuty and Slack receivers down for a while."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from http import HTTPStatus

from marketing_assets.simulator.faults import FaultPlan
from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse

RECEIVERS = ("pagerduty", "slack")


def receiver_of(request: SimulatorRequest) -> str | None:
    """Return "pagerduty" or "slack" for a request to an on-call receiver, else None."""
    for receiver in RECEIVERS:
        if request.path.startswith(f"/{receiver}/"):
            return receiver
    return None


class OnCallOutage(FaultPlan):
    """Respond with `status` to the next `requests` requests to the chosen on-call receivers.

    `requests=None` keeps the outage on until `end()`. With `retry_after_seconds` set, each
    faulted response carries `Retry-After`, as a rate limit (429) does. Ad platform, ECB and
    `/_simulator` requests pass through untouched.
    """

    def __init__(
        self,
        *,
        status: int = 503,
        requests: int | None = None,
        receivers: Sequence[str] = RECEIVERS,
        retry_after_seconds: int | None = None,
    ) -> None:
        if status != 429 and not 500 <= status <= 599:
            raise ValueError(f"Invalid outage status {status}: use 429 or a 5xx status.")
        if requests is not None and requests < 0:
            raise ValueError(f"Invalid outage length {requests!r}: use 0 or more requests.")
        unknown = [receiver for receiver in receivers if receiver not in RECEIVERS]
        if unknown:
            raise ValueError(f"Unknown on-call receivers {unknown!r}: use {RECEIVERS}.")
        self.status = status
        # PagerDuty's and Slack's bodies for these statuses are undocumented: send the phrase.
        try:
            self._reason = HTTPStatus(status).phrase
        except ValueError:
            self._reason = "Server Error"
        self.receivers = tuple(receivers)
        self.retry_after_seconds = retry_after_seconds
        self._remaining = requests
        self._ended = False
        self._faulted = dict.fromkeys(self.receivers, 0)
        self._lock = threading.Lock()

    def end(self) -> None:
        """Bring the receivers back for every later request."""
        with self._lock:
            self._ended = True

    def faulted(self) -> dict[str, int]:
        """Return how many requests to each receiver got the outage status."""
        with self._lock:
            return dict(self._faulted)

    def before_response(self, request: SimulatorRequest) -> SimulatorResponse | None:
        receiver = receiver_of(request)
        if receiver not in self.receivers:
            return None
        with self._lock:
            if self._ended or self._remaining == 0:
                return None
            if self._remaining is not None:
                self._remaining -= 1
            self._faulted[receiver] += 1
        headers = {"Content-Type": "text/plain; charset=utf-8"}
        if self.retry_after_seconds is not None:
            headers["Retry-After"] = str(self.retry_after_seconds)
        return SimulatorResponse(self.status, self._reason.encode(), headers)
