"""Simulator tests: MetaUsageLimit reports growing usage over HTTP and rejects calls past it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from marketing_assets.simulator import RandomFaultPlan, SimulatorServer
from marketing_assets.simulator.meta_usage_limit import MetaUsageLimit
from marketing_assets_tests.test_simulator import ACCOUNTS, FIXED_NOW, META_KOLKATA, META_NEW_YORK
from marketing_assets_tests.test_simulator_meta import insights_params, insights_url

DAY = "2026-12-03"


class FakeTimer:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


@contextmanager
def limited_simulator(plan: MetaUsageLimit) -> Iterator[SimulatorServer]:
    with SimulatorServer(ACCOUNTS, clock=lambda: FIXED_NOW, fault_plan=plan) as server:
        yield server


def insights(server: SimulatorServer, account_id: str = META_NEW_YORK.account_id) -> httpx.Response:
    return httpx.get(insights_url(server, account_id), params=insights_params(DAY))


def header(response: httpx.Response, name: str) -> dict:
    return json.loads(response.headers[name])


def business_entry(response: httpx.Response, account_id: str = META_NEW_YORK.account_id) -> dict:
    return header(response, "x-business-use-case-usage")[account_id][0]


def test_usage_climbs_with_each_call():
    timer = FakeTimer()
    plan = MetaUsageLimit(calls_per_window=4, window_seconds=30, timer=timer)
    with limited_simulator(plan) as server:
        responses = []
        for _ in range(4):
            responses.append(insights(server))
            timer.now += 5

    assert [response.status_code for response in responses] == [200] * 4
    assert [business_entry(r)["call_count"] for r in responses] == [25, 50, 75, 100]
    assert [header(r, "x-ad-account-usage")["acc_id_util_pct"] for r in responses] == [
        25,
        50,
        75,
        100,
    ]
    assert [header(r, "x-ad-account-usage")["reset_time_duration"] for r in responses] == [
        30,
        25,
        20,
        15,
    ]
    assert [header(r, "x-app-usage")["call_count"] for r in responses] == [2, 5, 7, 10]
    assert all(business_entry(r)["estimated_time_to_regain_access"] == 0 for r in responses)
    assert all(business_entry(r)["type"] == "ads_insights" for r in responses)
    assert header(responses[-1], "x-fb-ads-insights-throttle") == {
        "app_id_util_pct": 10,
        "acc_id_util_pct": 100,
    }


def test_call_past_limit_gets_80004():
    timer = FakeTimer()
    plan = MetaUsageLimit(calls_per_window=2, window_seconds=90, timer=timer)
    with limited_simulator(plan) as server:
        insights(server)
        insights(server)
        response = insights(server)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == 80004
    assert error["error_subcode"] == 2446079
    assert error["is_transient"] is True
    # 90 s of the window are left, which Meta reports as 2 whole minutes.
    assert business_entry(response)["estimated_time_to_regain_access"] == 2
    assert business_entry(response)["call_count"] == 100
    assert plan.rejected() == 1


def test_rejected_call_is_not_counted():
    timer = FakeTimer()
    plan = MetaUsageLimit(calls_per_window=1, window_seconds=10, timer=timer)
    with limited_simulator(plan) as server:
        insights(server)
        for _ in range(3):
            assert insights(server).status_code == 400
        timer.now += 10
        response = insights(server)

    assert response.status_code == 200
    assert business_entry(response)["call_count"] == 100
    assert plan.rejected() == 3


def test_window_resets_after_window_seconds():
    timer = FakeTimer()
    plan = MetaUsageLimit(calls_per_window=4, window_seconds=10, timer=timer)
    with limited_simulator(plan) as server:
        for _ in range(4):
            insights(server)
        timer.now += 10
        response = insights(server)

    assert response.status_code == 200
    assert business_entry(response)["call_count"] == 25
    assert header(response, "x-ad-account-usage")["reset_time_duration"] == 10


def test_accounts_have_separate_limits():
    timer = FakeTimer()
    plan = MetaUsageLimit(calls_per_window=2, window_seconds=10, timer=timer)
    with limited_simulator(plan) as server:
        insights(server)
        insights(server)
        other = insights(server, META_KOLKATA.account_id)

    assert other.status_code == 200
    assert business_entry(other, META_KOLKATA.account_id)["call_count"] == 50
    assert header(other, "x-app-usage")["call_count"] == 15


def test_app_limit_covers_all_accounts():
    timer = FakeTimer()
    plan = MetaUsageLimit(
        calls_per_window=10, window_seconds=10, app_calls_per_window=3, timer=timer
    )
    with limited_simulator(plan) as server:
        insights(server)
        insights(server, META_KOLKATA.account_id)
        third = insights(server)
        fourth = insights(server, META_KOLKATA.account_id)

    assert third.status_code == 200
    assert header(third, "x-app-usage")["call_count"] == 100
    assert fourth.status_code == 400
    assert fourth.json()["error"]["code"] == 4
    assert header(fourth, "x-app-usage")["call_count"] == 100


def test_only_insights_calls_are_counted():
    timer = FakeTimer()
    plan = MetaUsageLimit(calls_per_window=1, window_seconds=10, timer=timer)
    with limited_simulator(plan) as server:
        node = httpx.get(
            f"{server.url}/meta/v24.0/act_{META_NEW_YORK.account_id}",
            params={"fields": "id", "access_token": "sim-meta-access-token"},
        )
        response = insights(server)

    assert node.status_code == 200
    assert "x-business-use-case-usage" not in node.headers
    assert response.status_code == 200


def test_inner_plan_still_injects_faults():
    inner = RandomFaultPlan(1.0, seed=1, kinds=["meta_2"])
    plan = MetaUsageLimit(calls_per_window=5, window_seconds=10, inner=inner, timer=FakeTimer())
    with limited_simulator(plan) as server:
        response = insights(server)

    assert response.status_code == 500
    assert response.json()["error"]["code"] == 2
    assert inner.injected() == {"meta_2": 1}


def test_default_simulator_sends_low_usage():
    with SimulatorServer(ACCOUNTS, clock=lambda: FIXED_NOW) as server:
        responses = [insights(server) for _ in range(3)]

    for response in responses:
        assert business_entry(response)["call_count"] == 1
        assert header(response, "x-ad-account-usage") == {
            "acc_id_util_pct": 1,
            "reset_time_duration": 0,
        }
        assert header(response, "x-app-usage")["call_count"] == 0


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"calls_per_window": 0, "window_seconds": 1}, "calls_per_window 0"),
        ({"calls_per_window": 2, "window_seconds": 0}, "window_seconds 0"),
        (
            {"calls_per_window": 2, "window_seconds": 1, "app_calls_per_window": 0},
            "app_calls_per_window 0",
        ),
    ],
)
def test_invalid_settings_are_rejected(settings: dict, message: str):
    with pytest.raises(ValueError, match=message):
        MetaUsageLimit(**settings)
