"""The hook every simulator request passes through before the server responds."""

from __future__ import annotations

from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse


class FaultPlan:
    """Decides, per request, whether to return an injected fault instead of real data.

    The server calls `before_response` for every request (platform APIs and `/_simulator`
    endpoints alike) after reading it and before routing it. Returning a
    `SimulatorResponse` sends that response as is and skips the handler; returning None
    lets the request through. This base plan injects nothing.

    To add faults, subclass it and override `before_response`, for example to return a
    Google Ads 429 RESOURCE_EXHAUSTED error with `quotaErrorDetails.retryDelay`, a
    searchStream error wrapped in a one-element array, a Meta HTTP 400 rate-limit error
    (code 17, subcode 2446079) with `x-business-use-case-usage` headers, a 500, or a slow
    response. The method runs on the server's request threads, so a plan that counts
    requests must lock its own state.
    """

    def before_response(self, request: SimulatorRequest) -> SimulatorResponse | None:
        return None
