"""The reconciliation check compares whole local days with the platforms' daily reports."""

from datetime import date, timedelta

import dagster as dg
import pytest

from marketing_assets.definitions import defs
from marketing_assets.jobs import hourly_sync_job
from marketing_assets.local.demo import closed_hours_window
from marketing_assets.partitions import CLIENT_DIMENSION, client_range_tags
from marketing_assets.simulator import (
    FaultPlan,
    SimulatorRequest,
    SimulatorResponse,
)
from marketing_assets.simulator.wire import json_response
from marketing_assets.sync.reconciliation import complete_local_days
from marketing_assets.sync.window import SyncWindow, parse_hour_key
from marketing_assets_tests.conftest import FIXED_NOW, simulator_with_plan

CLIENT = "rheinwerk-moebel"
CHECK = "meta_reconciles_with_platform_days"


class WrongDailySpendPlan(FaultPlan):
    """Once enabled, returns 1.00 of spend for Meta's daily insights (no hourly breakdown)."""

    def __init__(self) -> None:
        self.enabled = False

    def before_response(self, request: SimulatorRequest) -> SimulatorResponse | None:
        daily = request.path.endswith("/insights") and "breakdowns" not in request.query
        if not self.enabled or not daily:
            return None
        row = {
            "campaign_id": "1",
            "campaign_name": "Total",
            "account_currency": "EUR",
            "spend": "1.00",
            "impressions": "0",
            "clicks": "0",
            "date_start": "2026-11-01",
            "date_stop": "2026-11-01",
        }
        return json_response(200, {"data": [row], "paging": {"cursors": {"before": "a"}}})


@pytest.fixture
def plan(sample_registry, monkeypatch):
    fault_plan = WrongDailySpendPlan()
    with simulator_with_plan(sample_registry, fault_plan, monkeypatch):
        yield fault_plan


def reconciliation(result: dg.ExecuteInProcessResult):
    (evaluation,) = [
        item for item in result.get_asset_check_evaluations() if item.check_name == CHECK
    ]
    return evaluation


def test_reconciliation_passes_then_names_a_difference(
    platform_environment, dagster_home, fx_rates_loaded, plan
):
    instance = dg.DagsterInstance.get()
    instance.add_dynamic_partitions(CLIENT_DIMENSION, [CLIENT])
    end = closed_hours_window(FIXED_NOW)[1]
    tags = client_range_tags(CLIENT, end - timedelta(hours=48), end)
    job = defs.resolve_job_def(hourly_sync_job.name)

    passing = reconciliation(job.execute_in_process(instance=instance, tags=tags))
    assert passing.passed
    # The Meta check compares two Meta accounts, each with local day 2026-11-01 complete.
    assert passing.metadata["account_days_compared"].value == 2

    plan.enabled = True
    failing = reconciliation(
        job.execute_in_process(instance=instance, tags=tags, raise_on_error=False)
    )

    assert not failing.passed
    assert failing.metadata["account_days_different"].value == 2
    description = failing.description
    assert "client 'rheinwerk-moebel', meta account 310000000003" in description
    assert "local day 2026-11-01 (EUR)" in description
    assert "vs daily 1.00" in description
    assert "spend hourly" in description


def test_complete_local_days_need_every_hour_in_window():
    start = parse_hour_key("2026-10-31-23:00")
    window = SyncWindow(("a",), start, start + timedelta(hours=24))
    assert complete_local_days(window, "Europe/Berlin") == [date(2026, 11, 1)]
    assert complete_local_days(window, "UTC") == []
    # Kolkata's local day 2026-11-01 starts 2026-10-31 18:30 UTC, before the window.
    assert complete_local_days(window, "Asia/Kolkata") == []
