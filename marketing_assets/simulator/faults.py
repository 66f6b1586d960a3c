"""The hooks every simulator request passes through before and after its handler runs."""

from __future__ import annotations

from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse


class FaultPlan:
    """Decides, per request, whether to return an injected fault instead of real data.

    The server calls `before_response` for every request (platform APIs and `/_simulator`
    endpoints alike) after reading it and before routing it. Returning a
    `SimulatorResponse` sends that response as is and skips the handler; returning None
    lets the request through. The server then passes the handler's response to
    `after_response`, which may return a changed copy, for example a truncated body.
    A response built with `wire.dropped_connection()` from either hook makes the server close
    the socket without responding. This base plan injects nothing.

    `RandomFaultPlan` in `random_faults` injects the platforms' real error shapes at a seeded
    random rate. Both hooks run on the server's request threads, so a plan that counts
    requests must lock its own state.
    """

    def before_response(self, request: SimulatorRequest) -> SimulatorResponse | None:
        return None

    def after_response(
        self, request: SimulatorRequest, response: SimulatorResponse
    ) -> SimulatorResponse:
        return response
