"""A SimulatorServer of TikTok, Microsoft Advertising and LinkedIn accounts that records
every request and lets a test intercept it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from marketing_assets.simulator import SimulatorServer
from marketing_assets.simulator.models import SimulatedAccount
from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse

FIXED_NOW = datetime(2026, 12, 5, 0, 0, tzinfo=UTC)

TIKTOK_NEW_YORK = SimulatedAccount("tiktok", "7012345678901234567", "America/New_York", "USD")
TIKTOK_KATHMANDU = SimulatedAccount("tiktok", "7098765432109876543", "Asia/Kathmandu", "NPR")
MICROSOFT_BERLIN = SimulatedAccount("microsoft_ads", "151234567", "Europe/Berlin", "EUR")
MICROSOFT_SYDNEY = SimulatedAccount("microsoft_ads", "152345678", "Australia/Sydney", "AUD")
LINKEDIN_LONDON = SimulatedAccount("linkedin", "507123456", "Europe/London", "GBP")
ACCOUNTS = (TIKTOK_NEW_YORK, TIKTOK_KATHMANDU, MICROSOFT_BERLIN, MICROSOFT_SYDNEY, LINKEDIN_LONDON)

Intercept = Callable[[SimulatorRequest, Callable[[], SimulatorResponse]], SimulatorResponse]


class ExtraPlatformsServer(SimulatorServer):
    """SimulatorServer of the newer platforms' accounts with an optional `intercept` hook.

    `intercept(request, call_handler)` returns the response to send; it may call the handler
    and change its response, or replace it with an injected fault.
    """

    def __init__(self, *, intercept: Intercept | None = None, **kwargs: object) -> None:
        kwargs.setdefault("clock", lambda: FIXED_NOW)
        super().__init__(ACCOUNTS, **kwargs)  # type: ignore[arg-type]
        self.intercept = intercept
        self.requests: list[SimulatorRequest] = []

    def _route(self, request: SimulatorRequest) -> SimulatorResponse:
        self.requests.append(request)

        def call_handler() -> SimulatorResponse:
            return super(ExtraPlatformsServer, self)._route(request)

        if self.intercept is None:
            return call_handler()
        return self.intercept(request, call_handler)
