"""Errors a retry cannot fix fail on the first attempt, with a message that names the fix.

Each case sends the simulator's copy of the platform's error for every platform request, and
the resource may retry up to 5 times.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from marketing_assets.platforms.errors import PlatformAuthError
from marketing_assets.platforms.google_ads import GoogleAdsResource
from marketing_assets.platforms.meta import MetaResource
from marketing_assets.simulator import FaultPlan, SimulatorServer
from marketing_assets.simulator.google_faults import authorization_denied
from marketing_assets.simulator.google_faults import expired_token as google_expired_token
from marketing_assets.simulator.meta_errors import invalid_token, permission_error
from marketing_assets.simulator.meta_faults import expired_token as meta_expired_token
from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse
from marketing_assets_tests.test_simulator import ACCOUNTS, FIXED_NOW, GOOGLE_BERLIN, META_NEW_YORK

DAY = dt.date(2026, 12, 3)


class AlwaysRespond(FaultPlan):
    """Replace every platform response with `build(request)` and count the requests."""

    def __init__(self, build: Callable[[SimulatorRequest], SimulatorResponse]) -> None:
        self.build = build
        self.requests = 0
        self._lock = threading.Lock()

    def before_response(self, request: SimulatorRequest) -> SimulatorResponse | None:
        with self._lock:
            self.requests += 1
        return self.build(request)


@contextmanager
def simulator_answering(plan: AlwaysRespond) -> Iterator[SimulatorServer]:
    with SimulatorServer(ACCOUNTS, clock=lambda: FIXED_NOW, fault_plan=plan) as server:
        yield server


def google(server: SimulatorServer) -> GoogleAdsResource:
    return GoogleAdsResource(
        developer_token="sim-google-ads-developer-token",
        access_token="sim-google-ads-access-token",
        base_url=f"{server.url}/google-ads",
        max_attempts=5,
        backoff_initial_seconds=0.01,
    )


def meta(server: SimulatorServer) -> MetaResource:
    return MetaResource(
        access_token="sim-meta-access-token",
        base_url=f"{server.url}/meta",
        max_attempts=5,
        backoff_initial_seconds=0.01,
    )


def google_authorization(error_code: str) -> Callable[[SimulatorRequest], SimulatorResponse]:
    return lambda request: authorization_denied(request, error_code)


@pytest.mark.parametrize(
    ("build", "status_code", "expected"),
    [
        (google_expired_token, 401, ["OAUTH_TOKEN_EXPIRED", "GOOGLE_ADS_ACCESS_TOKEN"]),
        (
            google_authorization("USER_PERMISSION_DENIED"),
            403,
            ["USER_PERMISSION_DENIED", "login_customer_id"],
        ),
        (
            google_authorization("DEVELOPER_TOKEN_NOT_APPROVED"),
            403,
            [
                "DEVELOPER_TOKEN_NOT_APPROVED",
                "Basic or Standard access",
                "GOOGLE_ADS_DEVELOPER_TOKEN",
            ],
        ),
        (
            google_authorization("CUSTOMER_NOT_ENABLED"),
            403,
            ["CUSTOMER_NOT_ENABLED", "reactivate the customer", "client registry"],
        ),
    ],
    ids=["expired-token", "user-permission-denied", "developer-token-not-approved", "not-enabled"],
)
def test_google_error_fails_on_first_attempt(build, status_code, expected):
    plan = AlwaysRespond(build)
    with simulator_answering(plan) as server, pytest.raises(PlatformAuthError) as raised:
        google(server).fetch_campaign_hours(customer_id=GOOGLE_BERLIN.account_id, day=DAY)

    message = str(raised.value)
    assert plan.requests == 1
    assert raised.value.status_code == status_code
    assert raised.value.platform == "google_ads"
    assert raised.value.account_id == GOOGLE_BERLIN.account_id
    assert message.startswith(f"Google Ads request for customer {GOOGLE_BERLIN.account_id} on ")
    assert "Do not retry:" in message
    for text in expected:
        assert text in message


@pytest.mark.parametrize(
    ("build", "status_code", "expected"),
    [
        (lambda request: invalid_token(), 400, ["error code 190", "META_ACCESS_TOKEN"]),
        (lambda request: meta_expired_token(), 400, ["subcode 463", "META_ACCESS_TOKEN"]),
        (lambda request: permission_error(10), 400, ["error code 10", "ads_read"]),
        (lambda request: permission_error(200), 403, ["error code 200", "ads_read"]),
        (lambda request: permission_error(294), 400, ["error code 294", "role on this ad"]),
    ],
    ids=["invalid-token", "expired-token", "code-10", "code-200", "code-294"],
)
def test_meta_error_fails_on_first_attempt(build, status_code, expected):
    plan = AlwaysRespond(build)
    with simulator_answering(plan) as server, pytest.raises(PlatformAuthError) as raised:
        meta(server).fetch_campaign_hours(account_id=META_NEW_YORK.account_id, day=DAY)

    message = str(raised.value)
    assert plan.requests == 1
    assert raised.value.status_code == status_code
    assert raised.value.platform == "meta"
    assert raised.value.account_id == META_NEW_YORK.account_id
    assert message.startswith(f"Meta request for ad account {META_NEW_YORK.account_id} on ")
    assert "Do not retry:" in message
    for text in expected:
        assert text in message
