"""The chaos command's session: faults in, exact rows out, and a count that can fail."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from marketing_assets.local.chaos import run_chaos
from marketing_assets.local.demo import closed_hours_window
from marketing_assets.local.environment import LocalEnvironment
from marketing_assets.local.ground_truth import RowComparison, compare_client
from marketing_assets.local.leaks import count_leaks
from marketing_assets.registry import Registry
from marketing_assets.simulator import FaultPlan, SimulatorRequest, SimulatorResponse
from marketing_assets.simulator.fault_kinds import FAULT_KINDS, FaultSettings
from marketing_assets.simulator.random_faults import RandomFaultPlan
from marketing_assets.simulator.wire import json_response
from marketing_assets_tests.conftest import FIXED_NOW, simulator_with_plan

CLIENTS = ("rheinwerk-moebel", "kestrel-coffee")
FAST_FAULTS = FaultSettings(
    retry_delay_seconds=0, regain_access_minutes=0, slow_response_seconds=0.2
)


class InflatedImpressionsPlan(FaultPlan):
    """Adds one impression to every hourly Meta row: wrong numbers no check can see in a
    window without a whole local day."""

    def after_response(
        self, request: SimulatorRequest, response: SimulatorResponse
    ) -> SimulatorResponse:
        hourly = request.path.endswith("/insights") and "breakdowns" in request.query
        if not hourly or response.status != 200:
            return response
        page = json.loads(response.body)
        for row in page["data"]:
            if int(row.get("impressions", "0")) > 0:
                row["impressions"] = str(int(row["impressions"]) + 1)
        return json_response(200, page, response.headers)


def chaos_environment(sample_registry: Registry, server, platform_environment, database_url):
    registry = Registry(
        tuple(client for client in sample_registry.clients if client.client_id in CLIENTS)
    )
    return LocalEnvironment(
        registry,
        server,
        None,
        {**platform_environment, "MARKETING_ASSETS_DATABASE_URL": database_url},
    )


def last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


def test_chaos_session_loses_nothing(
    platform_environment, dagster_home, database_url, sample_registry, monkeypatch, capsys
):
    plan = RandomFaultPlan(0.3, seed=11, kinds=list(FAULT_KINDS), settings=FAST_FAULTS)
    with simulator_with_plan(sample_registry, plan, monkeypatch) as server:
        environment = chaos_environment(sample_registry, server, platform_environment, database_url)
        exit_code = run_chaos(
            environment, plan, end=closed_hours_window(FIXED_NOW)[1], hours=3, rerun_rounds=4
        )

    output = capsys.readouterr().out
    assert sum(plan.injected().values()) > 0
    assert last_line(output) == "lost=0 duplicated=0 leaked=0"
    assert exit_code == 0


def test_chaos_reruns_linkedin_days_after_revoked_token(
    platform_environment, dagster_home, database_url, sample_registry, monkeypatch, capsys
):
    plan = RandomFaultPlan(1.0, seed=0, kinds=["linkedin_401"], platforms=["linkedin"])
    with simulator_with_plan(sample_registry, plan, monkeypatch) as server:
        environment = chaos_environment(sample_registry, server, platform_environment, database_url)
        exit_code = run_chaos(
            environment, plan, end=closed_hours_window(FIXED_NOW)[1], hours=2, rerun_rounds=2
        )

    output = capsys.readouterr().out
    assert plan.injected() == {"linkedin_401": 1}
    assert "for rheinwerk-moebel, LinkedIn days 2026-11-01 to 2026-11-01: FAILED" in output
    assert "REVOKED_ACCESS_TOKEN" in output
    assert "round 2: run " in output
    assert "LinkedIn days 2026-11-01 to 2026-11-01: succeeded" in output
    assert last_line(output) == "lost=0 duplicated=0 leaked=0"
    assert exit_code == 0


def test_chaos_fails_on_wrong_numbers(
    platform_environment, dagster_home, database_url, sample_registry, monkeypatch, capsys
):
    plan = InflatedImpressionsPlan()
    plan.rate, plan.seed, plan.kinds = 0.0, 0, ()
    plan.injected = dict
    plan.platform_requests = lambda: 0
    plan.stop_injecting = lambda names: None
    with simulator_with_plan(sample_registry, plan, monkeypatch) as server:
        environment = chaos_environment(sample_registry, server, platform_environment, database_url)
        exit_code = run_chaos(environment, plan, end=closed_hours_window(FIXED_NOW)[1], hours=2)

    output = capsys.readouterr().out
    line = last_line(output)
    assert exit_code == 1, output
    assert line.startswith("lost=")
    assert not line.startswith("lost=0 ")


def test_row_comparison_counts_each_kind():
    key = ("meta", "1", "7", date(2026, 11, 1), 5)
    other = ("meta", "1", "8", date(2026, 11, 1), 5)
    extra = ("meta", "1", "9", date(2026, 11, 1), 5)
    values = (Decimal("1.50"), 10, 1, Decimal(0))
    comparison = RowComparison()
    compare_client(
        comparison,
        {key: values, other: values},
        [(key, values), (key, values), (extra, values)],
    )
    assert comparison.missing == [other]
    assert comparison.repeated == [key]
    assert comparison.unexpected == [extra]
    assert (comparison.lost, comparison.duplicated) == (1, 2)

    wrong = RowComparison()
    compare_client(wrong, {key: values}, [(key, (Decimal("1.51"), 10, 1, Decimal(0)))])
    assert wrong.wrong == [key]
    assert wrong.lost == 1


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["nothing here", "or here"], {}),
        (["Bearer sim-meta-token leaked", "again sim-meta-token"], {"sim...(14 characters)": 2}),
    ],
)
def test_count_leaks_masks_secret(texts, expected):
    found = count_leaks(["sim-meta-token"], texts)
    assert found == expected
    assert all("sim-meta-token" not in key for key in found)
