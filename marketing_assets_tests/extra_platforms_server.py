"""A SimulatorServer that also serves TikTok, Microsoft Advertising and LinkedIn.

server.py routes only Google Ads, Meta and the helpers, so these tests route the three newer
platforms themselves, before the standard routes. A fault plan is a per-request function that
returns a replacement response, or None to let the handler respond.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from marketing_assets.simulator import SimulatorServer
from marketing_assets.simulator.linkedin import handle_linkedin
from marketing_assets.simulator.microsoft_ads import handle_microsoft_ads
from marketing_assets.simulator.models import SimulatedAccount
from marketing_assets.simulator.tiktok import handle_tiktok
from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse

EXTRA_ROUTES = (
    ("/tiktok", handle_tiktok),
    ("/microsoft-ads", handle_microsoft_ads),
    ("/linkedin", handle_linkedin),
)
FIXED_NOW = datetime(2026, 12, 5, 0, 0, tzinfo=UTC)

TIKTOK_NEW_YORK = SimulatedAccount("tiktok", "7012345678901234567", "America/New_York", "USD")
TIKTOK_KATHMANDU = SimulatedAccount("tiktok", "7098765432109876543", "Asia/Kathmandu", "NPR")
MICROSOFT_BERLIN = SimulatedAccount("microsoft_ads", "151234567", "Europe/Berlin", "EUR")
MICROSOFT_SYDNEY = SimulatedAccount("microsoft_ads", "152345678", "Australia/Sydney", "AUD")
LINKEDIN_LONDON = SimulatedAccount("linkedin", "507123456", "Europe/London", "GBP")
ACCOUNTS = (TIKTOK_NEW_YORK, TIKTOK_KATHMANDU, MICROSOFT_BERLIN, MICROSOFT_SYDNEY, LINKEDIN_LONDON)

Intercept = Callable[[SimulatorRequest, Callable[[], SimulatorResponse]], SimulatorResponse]


class ExtraPlatformsServer(SimulatorServer):
    """SimulatorServer with the newer platforms routed and an optional `intercept` hook.

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
            for prefix, handler in EXTRA_ROUTES:
                if request.path.startswith(prefix + "/"):
                    return handler(request, request.path.removeprefix(prefix), self.context)
            return super(ExtraPlatformsServer, self)._route(request)

        if self.intercept is None:
            return call_handler()
        return self.intercept(request, call_handler)
