"""The reconciliation check compares whole local days with the platforms' daily reports."""

import json
from datetime import date, timedelta
from decimal import Decimal

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
from marketing_assets_tests.request_log import RequestLog, request_kind

CLIENT = "rheinwerk-moebel"
CHECK = "meta_reconciles_with_platform_days"
GOOGLE_CHECK = "google_ads_reconciles_with_platform_days"
GOOGLE_ACCOUNT = "7041227753"
# Berlin and Vienna, the zones of the client's accounts, are both UTC+1 in this window.
META_ACCOUNTS = ("310000000003", "310000000004")
# Local days 2026-10-29 to 2026-11-01 are complete in the 120 hours before 2026-11-02 07:00.
MULTI_DAY_HOURS = 120
COMPLETE_DAYS = 4


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


class InflatedDailySpendPlan(FaultPlan):
    """Add 1.00 of spend to every row of `day` in both platforms' daily reports."""

    def __init__(self, day: date) -> None:
        self.day = day.isoformat()

    def after_response(
        self, request: SimulatorRequest, response: SimulatorResponse
    ) -> SimulatorResponse:
        kind = request_kind(request)
        if response.status != 200 or kind is None or not kind[0].endswith("daily report"):
            return response
        body = json.loads(response.body)
        if kind[0].startswith("meta"):
            for row in body["data"]:
                if row["date_start"] == self.day:
                    row["spend"] = str(Decimal(row["spend"]) + 1)
        else:
            for batch in body:
                for row in batch.get("results", []):
                    if row["segments"]["date"] == self.day:
                        cost = int(row["metrics"].get("costMicros", "0")) + 1_000_000
                        row["metrics"]["costMicros"] = str(cost)
        return json_response(200, body, response.headers)


@pytest.fixture
def plan(sample_registry, monkeypatch):
    fault_plan = WrongDailySpendPlan()
    with simulator_with_plan(sample_registry, fault_plan, monkeypatch):
        yield fault_plan


def reconciliation(result: dg.ExecuteInProcessResult, check: str = CHECK):
    (evaluation,) = [
        item for item in result.get_asset_check_evaluations() if item.check_name == check
    ]
    return evaluation


def run_client_hours(hours: int, *, raise_on_error: bool = True) -> dg.ExecuteInProcessResult:
    instance = dg.DagsterInstance.get()
    instance.add_dynamic_partitions(CLIENT_DIMENSION, [CLIENT])
    end = closed_hours_window(FIXED_NOW)[1]
    tags = client_range_tags(CLIENT, end - timedelta(hours=hours), end)
    job = defs.resolve_job_def(hourly_sync_job.name)
    return job.execute_in_process(instance=instance, tags=tags, raise_on_error=raise_on_error)


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


def test_reconciliation_requests_one_daily_report_per_account(
    platform_environment, dagster_home, fx_rates_loaded, sample_registry, monkeypatch
):
    log = RequestLog()
    with simulator_with_plan(sample_registry, log, monkeypatch):
        result = run_client_hours(MULTI_DAY_HOURS)

    meta_check = reconciliation(result)
    google_check = reconciliation(result, GOOGLE_CHECK)
    assert meta_check.passed
    assert google_check.passed
    assert meta_check.metadata["account_days_compared"].value == 2 * COMPLETE_DAYS
    assert google_check.metadata["account_days_compared"].value == COMPLETE_DAYS
    assert log.count("google_ads daily report") == {GOOGLE_ACCOUNT: 1}
    assert log.count("meta daily report") == dict.fromkeys(META_ACCOUNTS, 1)
    # The hourly fetch requests the settings once per account, and the checks never do.
    assert log.count("google_ads settings") == {GOOGLE_ACCOUNT: 1}
    assert log.count("meta settings") == dict.fromkeys(META_ACCOUNTS, 1)
    # The window touches 6 local days of each account, one hourly report each.
    assert log.count("google_ads hourly report") == {GOOGLE_ACCOUNT: 6}
    assert log.count("meta hourly report") == dict.fromkeys(META_ACCOUNTS, 6)


def test_reconciliation_names_each_differing_day(
    platform_environment, dagster_home, fx_rates_loaded, sample_registry, monkeypatch
):
    plan = InflatedDailySpendPlan(date(2026, 10, 30))
    with simulator_with_plan(sample_registry, plan, monkeypatch):
        result = run_client_hours(MULTI_DAY_HOURS, raise_on_error=False)

    meta_check = reconciliation(result)
    google_check = reconciliation(result, GOOGLE_CHECK)
    assert not meta_check.passed
    assert meta_check.metadata["account_days_compared"].value == 2 * COMPLETE_DAYS
    assert meta_check.metadata["account_days_different"].value == 2
    for account_id in META_ACCOUNTS:
        assert f"meta account {account_id}, local day 2026-10-30 (EUR)" in meta_check.description
    assert "local day 2026-10-29" not in meta_check.description
    assert "local day 2026-10-31" not in meta_check.description
    assert not google_check.passed
    assert google_check.metadata["account_days_different"].value == 1
    assert (
        f"google_ads account {GOOGLE_ACCOUNT}, local day 2026-10-30 (EUR)"
        in google_check.description
    )
    table = google_check.metadata["comparison"].value
    assert table.count("| differs |") == 1
    assert table.count("| equal |") == COMPLETE_DAYS - 1
