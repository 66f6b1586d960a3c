"""A failed hourly run posts one Slack message per job and client, and never pages."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dagster as dg
import httpx
import pytest

from marketing_assets.definitions import defs
from marketing_assets.freshness.sensors import hourly_run_failure_sensor
from marketing_assets.jobs import hourly_sync_job
from marketing_assets.local.demo import QUIET_CONSOLE
from marketing_assets.partitions import client_range_tags
from marketing_assets_tests.clock_environment import ClockEnvironment, clock_environment
from marketing_assets_tests.test_freshness import notifier_for, registry_text, this_hour

# Each test has its own client, because the dedup looks up earlier failed runs of the client in
# the Dagster storage that all tests share.
CLIENT_IDS = {
    "test_failed_run_posts_to_slack_only": "failing-west",
    "test_second_failure_within_interval_is_not_posted": "failing-east",
}


@pytest.fixture
def client_id(request: pytest.FixtureRequest) -> str:
    return CLIENT_IDS[request.node.name]


@pytest.fixture
def environment(tmp_path: Path, database_url: str, dagster_storage_url: str, client_id: str):
    google_id = "75000000" + str(list(CLIENT_IDS.values()).index(client_id)).zfill(2)
    with clock_environment(
        registry_text({client_id: google_id}),
        tmp_path,
        now=this_hour(),
        database_url=database_url,
        dagster_storage_url=dagster_storage_url,
    ) as environment:
        yield environment


def failed_run(
    environment: ClockEnvironment, client_id: str, monkeypatch: pytest.MonkeyPatch
) -> dg.ExecuteInProcessResult:
    """Run one hour with a Google Ads token the simulator rejects, and return the result."""
    monkeypatch.setenv("GOOGLE_ADS_ACCESS_TOKEN", "revoked-token")
    hour = this_hour() - timedelta(hours=2)
    result = defs.resolve_job_def(hourly_sync_job.name).execute_in_process(
        instance=environment.instance,
        tags=client_range_tags(client_id, hour, hour + timedelta(hours=1)),
        run_config=QUIET_CONSOLE,
        raise_on_error=False,
    )
    assert not result.success
    return result


def report_failure(environment: ClockEnvironment, result: dg.ExecuteInProcessResult) -> None:
    context = dg.build_run_status_sensor_context(
        sensor_name=hourly_run_failure_sensor.name,
        dagster_event=result.get_run_failure_event(),
        dagster_instance=environment.instance,
        dagster_run=result.dagster_run,
        resources={"alert_notifier": notifier_for(environment)},
    ).for_run_failure()
    hourly_run_failure_sensor(context)


def oncall_entries(environment: ClockEnvironment, client_id: str) -> list[dict]:
    response = httpx.get(f"{environment.simulator.url}/_simulator/oncall", timeout=10)
    response.raise_for_status()
    return [entry for entry in response.json() if client_id in str(entry["body"])]


def test_failed_run_posts_to_slack_only(environment, client_id, monkeypatch):
    result = failed_run(environment, client_id, monkeypatch)
    report_failure(environment, result)

    entries = oncall_entries(environment, client_id)
    assert [entry["receiver"] for entry in entries] == ["slack"]
    message = entries[0]["body"]
    assert message["text"].startswith(":rotating_light: *ERROR*: Run ")
    assert f"of hourly_sync_job for client {client_id} failed" in message["text"]
    assert f"/runs/{result.run_id}|Run in Dagster>" in str(message["blocks"])


def test_second_failure_within_interval_is_not_posted(environment, client_id, monkeypatch):
    first = failed_run(environment, client_id, monkeypatch)
    report_failure(environment, first)
    second = failed_run(environment, client_id, monkeypatch)
    report_failure(environment, second)

    assert len(oncall_entries(environment, client_id)) == 1
