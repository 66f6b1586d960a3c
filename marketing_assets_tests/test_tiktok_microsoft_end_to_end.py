"""TikTok and Microsoft Advertising end to end: simulator over HTTP, Dagster and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import dagster as dg
import psycopg2
import pytest

from marketing_assets.definitions import defs
from marketing_assets.jobs import hourly_sync_job
from marketing_assets.local.chaos import run_chaos
from marketing_assets.local.demo import closed_hours_window
from marketing_assets.local.environment import LocalEnvironment
from marketing_assets.local.ground_truth import compare_rows
from marketing_assets.partitions import CLIENT_DIMENSION, client_range_tags
from marketing_assets.registry import Registry
from marketing_assets.simulator import (
    FaultPlan,
    RandomFaultPlan,
    SimulatorCredentials,
    SimulatorRequest,
    SimulatorResponse,
    SimulatorServer,
)
from marketing_assets.simulator.accounts import accounts_from_registry
from marketing_assets.simulator.fault_kinds import FAULT_KINDS, FaultSettings
from marketing_assets.simulator.microsoft_ads import decode_report_id
from marketing_assets.simulator.wire import json_response
from marketing_assets.storage.connection import libpq_dsn
from marketing_assets_tests.conftest import FIXED_NOW, simulator_with_plan

# fernhill-books has a TikTok and a Microsoft Advertising account in its own zone
# (Europe/London). himal-treks (Asia/Kathmandu, +05:45) has a TikTok advertiser in its zone
# and a Microsoft Advertising account whose reports are in Asia/Kolkata (+05:30).
CLIENTS = ["fernhill-books", "himal-treks"]
FERNHILL_TIKTOK = "7100000000000000001"
FERNHILL_MICROSOFT = "151000002"
HIMAL_MICROSOFT = "151000003"
NEW_PLATFORMS = ("tiktok", "microsoft_ads")
UNIFIED_ASSETS = tuple(f"{platform}_campaign_performance_hourly" for platform in NEW_PLATFORMS)
# 48 hours, so the window contains local day 2026-11-01 whole in London, Kathmandu and Kolkata.
WINDOW_HOURS = 48

# Rows whose UTC hour is not the hour holding the start of their local hour in the zone the
# row carries. Every row of this window is unambiguous in these zones (no clock change).
MISPLACED_HOURS = """
SELECT count(*) FROM marketing.campaign_performance_hourly
WHERE client_id = ANY(%s) AND platform = ANY(%s)
  AND utc_hour <> date_trunc(
      'hour', (local_date + make_interval(hours => local_hour)) AT TIME ZONE account_time_zone)
"""


def window() -> tuple:
    end = closed_hours_window(FIXED_NOW)[1]
    return end - timedelta(hours=WINDOW_HOURS), end


def run_client(instance: dg.DagsterInstance, client_id: str) -> dg.ExecuteInProcessResult:
    start, end = window()
    return defs.resolve_job_def(hourly_sync_job.name).execute_in_process(
        instance=instance, tags=client_range_tags(client_id, start, end), raise_on_error=False
    )


def registry_of(sample_registry: Registry, client_ids: list[str]) -> Registry:
    return Registry(
        tuple(client for client in sample_registry.clients if client.client_id in client_ids)
    )


def query(database_url: str, statement: str, parameters: tuple = ()) -> list[tuple]:
    connection = psycopg2.connect(libpq_dsn(database_url))
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement, parameters)
            return cursor.fetchall()
    finally:
        connection.close()


def rows_by_account(database_url: str) -> dict[tuple[str, str], tuple[int, object]]:
    rows = query(
        database_url,
        "SELECT platform, account_id, count(*), sum(spend)"
        " FROM marketing.campaign_performance_hourly"
        " WHERE client_id = ANY(%s) AND platform = ANY(%s) GROUP BY platform, account_id",
        (CLIENTS, list(NEW_PLATFORMS)),
    )
    return {(platform, account): (count, spend) for platform, account, count, spend in rows}


def evaluations(result: dg.ExecuteInProcessResult) -> dict[str, dg.AssetCheckEvaluation]:
    return {item.check_name: item for item in result.get_asset_check_evaluations()}


def step_failure_text(result: dg.ExecuteInProcessResult, step_key: str) -> str:
    messages = []
    for event in result.all_events:
        if event.is_step_failure and event.step_key == step_key:
            error = event.step_failure_data.error
            while error is not None:
                messages.append(error.message)
                error = error.cause
    return "\n".join(messages)


@pytest.fixture
def instance(platform_environment, dagster_home, fx_rates_loaded) -> dg.DagsterInstance:
    instance = dg.DagsterInstance.get()
    instance.add_dynamic_partitions(CLIENT_DIMENSION, CLIENTS)
    return instance


def test_rows_exact_and_rerun_unchanged(instance, database_url, simulator, sample_registry):
    results = [run_client(instance, client_id) for client_id in CLIENTS]

    for result in results:
        assert result.success, result.get_step_failure_events()
        checks = evaluations(result)
        for platform in NEW_PLATFORMS:
            assert checks[f"{platform}_raw_rows_valid"].passed
            assert checks[f"{platform}_campaign_performance_hourly_rows_valid"].passed
            reconciliation = checks[f"{platform}_reconciles_with_platform_days"]
            assert reconciliation.passed, reconciliation.description
            assert reconciliation.metadata["account_days_compared"].value >= 1
    start, end = window()
    comparison = compare_rows(
        registry_of(sample_registry, CLIENTS),
        database_url=database_url,
        simulator_url=simulator.url,
        start=start,
        end=end,
    )
    assert comparison.truth_rows > 0
    assert (comparison.lost, comparison.duplicated) == (0, 0)
    first = rows_by_account(database_url)
    assert set(first) == {
        ("tiktok", FERNHILL_TIKTOK),
        ("tiktok", "7100000000000000003"),
        ("microsoft_ads", FERNHILL_MICROSOFT),
        ("microsoft_ads", HIMAL_MICROSOFT),
    }
    assert query(database_url, MISPLACED_HOURS, (CLIENTS, list(NEW_PLATFORMS))) == [(0,)]
    zones = query(
        database_url,
        "SELECT DISTINCT account_time_zone FROM marketing.microsoft_ads_campaign_performance_hourly"
        " WHERE account_id = %s",
        (HIMAL_MICROSOFT,),
    )
    assert zones == [("Asia/Kolkata",)]
    freshness = query(
        database_url,
        "SELECT client_id, platform, last_loaded_utc_hour, status"
        " FROM marketing.data_freshness_at(%s) WHERE client_id = ANY(%s) AND platform = ANY(%s)",
        (end, CLIENTS, list(NEW_PLATFORMS)),
    )
    assert sorted((client, platform) for client, platform, _, _ in freshness) == [
        ("fernhill-books", "microsoft_ads"),
        ("fernhill-books", "tiktok"),
        ("himal-treks", "microsoft_ads"),
        ("himal-treks", "tiktok"),
    ]
    assert {(hour, status) for _, _, hour, status in freshness} == {
        (end - timedelta(hours=1), "fresh")
    }

    reruns = [run_client(instance, client_id) for client_id in CLIENTS]
    assert all(result.success for result in reruns)
    assert rows_by_account(database_url) == first
    for result in reruns:
        for asset_name in UNIFIED_ASSETS:
            (materialization, *_) = result.asset_materializations_for_node(asset_name)
            assert materialization.metadata["partitions_changed"].value == 0
            assert materialization.metadata["partitions_unchanged"].value == WINDOW_HOURS


@contextmanager
def revised_simulator(sample_registry: Registry, monkeypatch) -> Iterator[SimulatorServer]:
    """Run a simulator whose every number differs from the session simulator's (revision 1),
    and point the platform variables at it."""
    from marketing_assets.local.environment import simulator_variables

    server = SimulatorServer(
        accounts_from_registry(sample_registry), clock=lambda: FIXED_NOW, revision=1
    )
    server.start()
    try:
        for name, value in simulator_variables(server.url, SimulatorCredentials()).items():
            monkeypatch.setenv(name, value)
        yield server
    finally:
        server.stop()


def test_rerun_with_revised_numbers_replaces_rows_exactly(
    instance, database_url, simulator, sample_registry, monkeypatch
):
    start, end = window()
    registry = registry_of(sample_registry, ["fernhill-books"])

    def compared_with(server: SimulatorServer):
        return compare_rows(
            registry, database_url=database_url, simulator_url=server.url, start=start, end=end
        )

    assert run_client(instance, "fernhill-books").success
    assert (compared_with(simulator).lost, compared_with(simulator).duplicated) == (0, 0)
    with revised_simulator(sample_registry, monkeypatch) as revised:
        rerun = run_client(instance, "fernhill-books")
        after = compared_with(revised)

    assert rerun.success
    assert after.truth_rows > 0
    assert (after.lost, after.duplicated) == (0, 0)
    assert compared_with(simulator).lost > 0
    for asset_name in UNIFIED_ASSETS:
        (materialization, *_) = rerun.asset_materializations_for_node(asset_name)
        assert materialization.metadata["partitions_changed"].value > 0


class NegativeTikTokSpendPlan(FaultPlan):
    """Sets spend -1.00 on the first row of every TikTok hourly report page, once enabled."""

    def __init__(self) -> None:
        self.enabled = False
        self.rewritten: list[tuple[str, str]] = []

    def after_response(
        self, request: SimulatorRequest, response: SimulatorResponse
    ) -> SimulatorResponse:
        hourly = "stat_time_hour" in request.query.get("dimensions", "")
        if not self.enabled or not hourly or response.status != 200:
            return response
        body = json.loads(response.body)
        rows = body.get("data", {}).get("list", [])
        if rows:
            rows[0]["metrics"]["spend"] = "-1.00"
            dimensions = rows[0]["dimensions"]
            self.rewritten.append((dimensions["campaign_id"], dimensions["stat_time_hour"]))
        return json_response(200, body, response.headers)


def test_bad_tiktok_row_names_its_context(instance, database_url, sample_registry, monkeypatch):
    plan = NegativeTikTokSpendPlan()
    table = "tiktok_campaign_hourly_raw"
    with simulator_with_plan(sample_registry, plan, monkeypatch):
        first = run_client(instance, "fernhill-books")
        good = query(
            database_url,
            f"SELECT * FROM marketing.{table} WHERE client_id = 'fernhill-books'"
            " ORDER BY utc_hour, campaign_id",
        )
        plan.enabled = True
        second = run_client(instance, "fernhill-books")

    assert first.success
    assert good
    assert plan.rewritten
    assert not second.success
    assert second.asset_materializations_for_node(table) == []
    message = step_failure_text(second, table)
    assert "Syncing client 'fernhill-books' failed" in message
    assert f"TikTok account {FERNHILL_TIKTOK} on 2026-1" in message
    campaign_id, stat_time_hour = plan.rewritten[0]
    hour = int(stat_time_hour[11:13])
    assert f"in the row of campaign {campaign_id} at hour {hour}" in message
    assert "spend is '-1.00', expected 0 or more" in message
    retries = [
        event for event in second.all_events if event.event_type_value == "STEP_UP_FOR_RETRY"
    ]
    assert retries == []
    after = query(
        database_url,
        f"SELECT * FROM marketing.{table} WHERE client_id = 'fernhill-books'"
        " ORDER BY utc_hour, campaign_id",
    )
    assert after == good


def test_expired_microsoft_token_not_retried(instance, sample_registry, monkeypatch):
    plan = RandomFaultPlan(1.0, seed=3, kinds=["microsoft_ads_109"], platforms=["microsoft_ads"])
    with simulator_with_plan(sample_registry, plan, monkeypatch):
        result = run_client(instance, "fernhill-books")

    assert not result.success
    message = step_failure_text(result, "microsoft_ads_campaign_hourly_raw")
    assert "Syncing client 'fernhill-books' failed" in message
    assert (
        f"Microsoft Advertising report submit for account {FERNHILL_MICROSOFT} on 2026-" in message
    )
    assert "AuthenticationTokenExpired" in message
    assert "Do not retry" in message
    retries = [
        event for event in result.all_events if event.event_type_value == "STEP_UP_FOR_RETRY"
    ]
    assert retries == []
    # The other platforms of the client still load.
    assert result.asset_materializations_for_node("tiktok_campaign_performance_hourly")
    assert result.asset_materializations_for_node("meta_campaign_performance_hourly")


class InflatedDailySpendPlan(FaultPlan):
    """Adds 1 to the spend of every daily-report row of TikTok and Microsoft Advertising."""

    def after_response(
        self, request: SimulatorRequest, response: SimulatorResponse
    ) -> SimulatorResponse:
        if response.status != 200:
            return response
        if "stat_time_day" in request.query.get("dimensions", ""):
            body = json.loads(response.body)
            for row in body["data"]["list"]:
                row["metrics"]["spend"] = f"{float(row['metrics']['spend']) + 1:.2f}"
            return json_response(200, body, response.headers)
        if "/download/" in request.path:
            report_id = request.path.rsplit("/", 1)[-1].removesuffix(".zip")
            spec = decode_report_id(report_id)
            if spec is not None and spec.aggregation == "Daily":
                return SimulatorResponse(200, inflated_spend_zip(response.body), response.headers)
        return response


def inflated_spend_zip(content: bytes) -> bytes:
    """Add 1 to the Spend column of every data row of a report ZIP's CSV."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        (name,) = archive.namelist()
        text = archive.read(name).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header_index = next(index for index, row in enumerate(rows) if "Spend" in row)
    spend = rows[header_index].index("Spend")
    for row in rows[header_index + 1 :]:
        if len(row) == len(rows[header_index]):
            row[spend] = f"{float(row[spend]) + 1:.2f}"
    buffer = io.StringIO(newline="")
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    archive_bytes = io.BytesIO()
    with zipfile.ZipFile(archive_bytes, "w") as output:
        output.writestr(name, ("\ufeff" + buffer.getvalue()).encode())
    return archive_bytes.getvalue()


def test_reconciliation_names_account_day_that_differs(instance, sample_registry, monkeypatch):
    with simulator_with_plan(sample_registry, InflatedDailySpendPlan(), monkeypatch):
        result = run_client(instance, "fernhill-books")

    checks = evaluations(result)
    for platform, account_id in (
        ("tiktok", FERNHILL_TIKTOK),
        ("microsoft_ads", FERNHILL_MICROSOFT),
    ):
        check = checks[f"{platform}_reconciles_with_platform_days"]
        assert not check.passed
        assert check.metadata["account_days_different"].value >= 1
        assert (
            f"client 'fernhill-books', {platform} account {account_id}, local day 2026-11-01 (GBP)"
            in check.description
        )
        assert "spend hourly" in check.description


# 8 hours end at 06:00 UTC, so they span two London days: two reports per platform and run.
def test_chaos_on_new_platforms_loses_nothing(
    platform_environment, dagster_home, database_url, sample_registry, monkeypatch, capsys
):
    plan = RandomFaultPlan(
        0.4,
        seed=5,
        kinds=[name for name in FAULT_KINDS if name.startswith(NEW_PLATFORMS)],
        platforms=list(NEW_PLATFORMS),
        settings=FaultSettings(retry_delay_seconds=0, slow_response_seconds=0.2),
    )
    registry = registry_of(sample_registry, ["fernhill-books"])
    with simulator_with_plan(sample_registry, plan, monkeypatch) as server:
        environment = LocalEnvironment(
            registry,
            server,
            None,
            {**platform_environment, "MARKETING_ASSETS_DATABASE_URL": database_url},
        )
        exit_code = run_chaos(
            environment, plan, end=closed_hours_window(FIXED_NOW)[1], hours=8, rerun_rounds=4
        )

    output = capsys.readouterr().out
    injected = {name: count for name, count in plan.injected().items() if count}
    assert injected, output
    assert output.strip().splitlines()[-1] == "lost=0 duplicated=0 leaked=0"
    assert exit_code == 0
