"""One platform's failure keeps the other platform's rows, and steps retry what may pass."""

from __future__ import annotations

import threading
from datetime import timedelta

import dagster as dg
import psycopg2
import pytest

from marketing_assets.assets.policies import (
    STEP_RETRY_DELAY_VARIABLE,
    step_retry_delay_seconds,
)
from marketing_assets.definitions import defs
from marketing_assets.jobs import hourly_sync_job
from marketing_assets.local.demo import closed_hours_window
from marketing_assets.partitions import CLIENT_DIMENSION, client_range_tags
from marketing_assets.simulator import FaultPlan, SimulatorRequest, SimulatorResponse, meta_faults
from marketing_assets.simulator.fault_kinds import platform_of
from marketing_assets.simulator.wire import json_response
from marketing_assets.storage.connection import libpq_dsn
from marketing_assets_tests.conftest import FIXED_NOW, simulator_with_plan

CLIENT = "rheinwerk-moebel"


class MetaFaultPlan(FaultPlan):
    """Replaces Meta responses with `respond()` while `remaining` is above 0 (-1: always)."""

    def __init__(self, respond, remaining: int = -1) -> None:
        self.respond = respond
        self.remaining = remaining
        self._lock = threading.Lock()

    def before_response(self, request: SimulatorRequest) -> SimulatorResponse | None:
        if platform_of(request) != "meta":
            return None
        with self._lock:
            if self.remaining == 0:
                return None
            self.remaining -= 1 if self.remaining > 0 else 0
        return self.respond()


def malformed_page() -> SimulatorResponse:
    """A JSON body outside the wire format: the HTTP client does not retry it, the step does."""
    return json_response(200, {"data": "not a list"})


def platform_rows(database_url: str) -> dict[str, int]:
    connection = psycopg2.connect(libpq_dsn(database_url))
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT platform, count(*) FROM marketing.campaign_performance_hourly"
                " WHERE client_id = %s GROUP BY 1",
                (CLIENT,),
            )
            return dict(cursor.fetchall())
    finally:
        connection.close()


def run_window(instance: dg.DagsterInstance) -> dg.ExecuteInProcessResult:
    instance.add_dynamic_partitions(CLIENT_DIMENSION, [CLIENT])
    end = closed_hours_window(FIXED_NOW)[1]
    return defs.resolve_job_def(hourly_sync_job.name).execute_in_process(
        instance=instance,
        tags=client_range_tags(CLIENT, end - timedelta(hours=3), end),
        raise_on_error=False,
    )


def step_events(result: dg.ExecuteInProcessResult, step_key: str, event_type: str) -> list:
    return [
        event
        for event in result.all_events
        if event.step_key == step_key and event.event_type_value == event_type
    ]


def test_expired_meta_token_keeps_google_rows(
    platform_environment, dagster_home, fx_rates_loaded, database_url, sample_registry, monkeypatch
):
    plan = MetaFaultPlan(meta_faults.expired_token)
    with simulator_with_plan(sample_registry, plan, monkeypatch):
        result = run_window(dg.DagsterInstance.get())

    assert not result.success
    assert platform_rows(database_url).get("google_ads", 0) > 0
    assert result.asset_materializations_for_node("google_ads_campaign_performance_hourly")
    assert result.asset_materializations_for_node("meta_campaign_performance_hourly") == []
    (failure,) = result.get_step_failure_events()
    assert failure.step_key == "meta_campaign_hourly_raw"
    message = failure.step_failure_data.error.message
    assert CLIENT in message
    assert "Meta request for ad account" in message
    assert step_events(result, "meta_campaign_hourly_raw", "STEP_UP_FOR_RETRY") == []


def test_step_retry_recovers_malformed_page(
    platform_environment, dagster_home, fx_rates_loaded, database_url, sample_registry, monkeypatch
):
    plan = MetaFaultPlan(malformed_page, remaining=1)
    with simulator_with_plan(sample_registry, plan, monkeypatch):
        result = run_window(dg.DagsterInstance.get())

    assert result.success
    assert len(step_events(result, "meta_campaign_hourly_raw", "STEP_UP_FOR_RETRY")) == 1
    assert platform_rows(database_url).get("meta", 0) > 0


def test_platform_steps_have_retry_policy():
    for name in ("google_ads_campaign_hourly_raw", "meta_campaign_hourly_raw"):
        policy = defs.resolve_assets_def(name).op.retry_policy
        assert policy is not None and policy.max_retries == 3, name


@pytest.mark.parametrize(("text", "expected"), [("", 60.0), ("0", 0.0), ("12.5", 12.5)])
def test_step_retry_delay_from_environment(monkeypatch, text, expected):
    monkeypatch.setenv(STEP_RETRY_DELAY_VARIABLE, text)
    assert step_retry_delay_seconds() == expected


@pytest.mark.parametrize("text", ["soon", "-1", "nan"])
def test_invalid_retry_delay_names_variable(monkeypatch, text):
    monkeypatch.setenv(STEP_RETRY_DELAY_VARIABLE, text)
    with pytest.raises(ValueError, match=STEP_RETRY_DELAY_VARIABLE):
        step_retry_delay_seconds()
