"""Rows that break the pandera schemas stop at the blocking checks; dashboards keep old rows."""

import json
from datetime import timedelta

import dagster as dg
import psycopg2
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
from marketing_assets.storage.connection import libpq_dsn
from marketing_assets_tests.conftest import FIXED_NOW, simulator_with_plan

CLIENT = "rheinwerk-moebel"


class NegativeSpendPlan(FaultPlan):
    """Returns one row of negative spend for every Meta insights request, once enabled."""

    def __init__(self) -> None:
        self.enabled = False

    def before_response(self, request: SimulatorRequest) -> SimulatorResponse | None:
        if not self.enabled or not request.path.endswith("/insights"):
            return None
        day = json.loads(request.query["time_range"])["since"]
        row = {
            "campaign_id": "990001",
            "campaign_name": "Refund glitch",
            "account_currency": "EUR",
            "spend": "-5.00",
            "impressions": "10",
            "clicks": "1",
            "date_start": day,
            "date_stop": day,
            "hourly_stats_aggregated_by_advertiser_time_zone": "05:00:00 - 05:59:59",
        }
        return json_response(200, {"data": [row], "paging": {"cursors": {"before": "a"}}})


@pytest.fixture
def faulty_simulator(sample_registry, monkeypatch):
    plan = NegativeSpendPlan()
    with simulator_with_plan(sample_registry, plan, monkeypatch):
        yield plan


def unified_rows(database_url: str) -> list[tuple]:
    connection = psycopg2.connect(libpq_dsn(database_url))
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT platform, account_id, campaign_id, utc_hour, spend, dagster_run_id"
                " FROM marketing.campaign_performance_hourly WHERE client_id = %s"
                " ORDER BY 1, 2, 3, 4",
                (CLIENT,),
            )
            return cursor.fetchall()
    finally:
        connection.close()


def test_invalid_rows_keep_last_good_copy(
    platform_environment, dagster_home, fx_rates_loaded, database_url, faulty_simulator
):
    instance = dg.DagsterInstance.get()
    instance.add_dynamic_partitions(CLIENT_DIMENSION, [CLIENT])
    end = closed_hours_window(FIXED_NOW)[1]
    tags = client_range_tags(CLIENT, end - timedelta(hours=2), end)
    job = defs.resolve_job_def(hourly_sync_job.name)

    assert job.execute_in_process(instance=instance, tags=tags).success
    good = unified_rows(database_url)
    assert any(row[0] == "meta" for row in good)

    faulty_simulator.enabled = True
    result = job.execute_in_process(instance=instance, tags=tags, raise_on_error=False)

    assert not result.success
    evaluations = {item.check_name: item for item in result.get_asset_check_evaluations()}
    failed = evaluations["meta_raw_rows_valid"]
    assert not failed.passed
    failing_rows = failed.metadata["failing_rows"].value
    assert "spend" in failing_rows
    assert "990001" in failing_rows
    assert result.asset_materializations_for_node("campaign_performance_hourly") == []
    assert unified_rows(database_url) == good
