"""A fault plan that counts Meta insights calls into the usage headers and enforces a limit."""

from __future__ import annotations

import logging
import math
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from marketing_assets.simulator.faults import FaultPlan
from marketing_assets.simulator.meta_errors import graph_error
from marketing_assets.simulator.meta_faults import APP_RATE_LIMIT_CODE, RATE_LIMITS
from marketing_assets.simulator.meta_usage import usage_headers
from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse

logger = logging.getLogger(__name__)

_INSIGHTS = re.compile(r"^/meta/v\d+\.\d+/act_([^/]+)/insights/?$")
# "Too many calls to this ad-account", the error of the per-ad-account insights limit.
ACCOUNT_RATE_LIMIT_CODE = 80004
# Window key of the app, which counts the calls of every ad account. Ad account ids are
# digits, so the key cannot clash with one.
_APP = "app"


@dataclass
class _Window:
    """Calls counted since `started`, on the plan's timer."""

    started: float
    calls: int = 0


@dataclass(frozen=True)
class _Usage:
    account_percent: float
    app_percent: float
    reset_seconds: int


class MetaUsageLimit(FaultPlan):
    """Count Meta insights calls per ad account and for the app, as Meta's rate limits do.

    Each ad account may make `calls_per_window` insights calls in a window of `window_seconds`
    that opens with its first call, and all accounts together `app_calls_per_window` (ten
    times the account limit unless given). Every insights response carries Meta's usage
    headers with the share used so far, so a burst climbs to 100%, and reset_time_duration
    gives the seconds until the account's window closes, rounded up. A call past a limit
    gets Meta's rate-limit error instead (code 80004 for the account, 4 for the app), with
    estimated_time_to_regain_access set to the rest of the window in minutes, rounded up. Such
    a call is not counted.

    Windows run on `timer`, time.monotonic by default, and not on the simulator clock, because
    a client drains them by waiting and tests pin the simulator clock. The same calls within a
    window get the same headers. `inner` sees every request this plan lets through, so the
    limit can wrap a RandomFaultPlan; responses that `inner` injects keep their own headers.
    """

    def __init__(
        self,
        *,
        calls_per_window: int,
        window_seconds: float,
        app_calls_per_window: int | None = None,
        inner: FaultPlan | None = None,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        app_calls = 10 * calls_per_window if app_calls_per_window is None else app_calls_per_window
        for name, value in (
            ("calls_per_window", calls_per_window),
            ("app_calls_per_window", app_calls),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"Invalid {name} {value!r}: use a whole number of 1 or more.")
        if not window_seconds > 0:
            raise ValueError(f"Invalid window_seconds {window_seconds!r}: use a number above 0.")
        self.calls_per_window = calls_per_window
        self.app_calls_per_window = app_calls
        self.window_seconds = float(window_seconds)
        self.inner = inner or FaultPlan()
        self._timer = timer
        self._lock = threading.Lock()
        self._windows: dict[str, _Window] = {}
        self._rejected = 0
        # The usage counted in before_response, for after_response on the same request thread.
        self._pending = threading.local()

    def rejected(self) -> int:
        """Return how many calls were rejected for exceeding a limit."""
        with self._lock:
            return self._rejected

    def before_response(self, request: SimulatorRequest) -> SimulatorResponse | None:
        self._pending.usage = None
        match = _INSIGHTS.match(request.path) if request.method == "GET" else None
        if match is None:
            return self.inner.before_response(request)

        account_id = match[1]
        usage, rejection = self._count(account_id)
        if rejection is not None:
            logger.info("Rejected %s %s: Meta usage limit reached", request.method, request.path)
            return rejection
        injected = self.inner.before_response(request)
        if injected is None:
            self._pending.usage = (account_id, usage)
        return injected

    def after_response(
        self, request: SimulatorRequest, response: SimulatorResponse
    ) -> SimulatorResponse:
        response = self.inner.after_response(request, response)
        pending = getattr(self._pending, "usage", None)
        self._pending.usage = None
        if pending is None or response.drop_connection:
            return response
        account_id, usage = pending
        headers = {**response.headers, **_headers(account_id, usage)}
        return SimulatorResponse(response.status, response.body, headers)

    def _count(self, account_id: str) -> tuple[_Usage, SimulatorResponse | None]:
        """Count one call under the lock, or build the rate-limit error when a limit is full."""
        with self._lock:
            now = self._timer()
            account = self._window(account_id, now)
            app = self._window(_APP, now)
            account_full = account.calls >= self.calls_per_window
            app_full = app.calls >= self.app_calls_per_window
            if account_full or app_full:
                self._rejected += 1
            else:
                account.calls += 1
                app.calls += 1
            usage = _Usage(
                account_percent=100.0 * account.calls / self.calls_per_window,
                app_percent=100.0 * app.calls / self.app_calls_per_window,
                reset_seconds=math.ceil(self._seconds_left(account, now)),
            )
            full_windows = [
                window for window, full in ((account, account_full), (app, app_full)) if full
            ]
            regain_seconds = max(
                (self._seconds_left(window, now) for window in full_windows), default=0.0
            )

        if not full_windows:
            return usage, None
        code = ACCOUNT_RATE_LIMIT_CODE if account_full else APP_RATE_LIMIT_CODE
        message, subcode = RATE_LIMITS[code]
        headers = _headers(account_id, usage, regain_access_minutes=math.ceil(regain_seconds / 60))
        error = graph_error(
            code, message, error_subcode=subcode, is_transient=True, headers=headers
        )
        return usage, error

    def _seconds_left(self, window: _Window, now: float) -> float:
        return window.started + self.window_seconds - now

    def _window(self, key: str, now: float) -> _Window:
        window = self._windows.get(key)
        if window is None or now >= window.started + self.window_seconds:
            window = self._windows[key] = _Window(started=now)
        return window


def _headers(account_id: str, usage: _Usage, *, regain_access_minutes: int = 0) -> dict[str, str]:
    return usage_headers(
        account_id,
        account_percent=usage.account_percent,
        app_percent=usage.app_percent,
        reset_seconds=usage.reset_seconds,
        regain_access_minutes=regain_access_minutes,
    )
