"""The LinkedIn daily job end to end: simulator over HTTP, Dagster instance, PostgreSQL.

The session simulator's clock is at 2026-11-02 07:20 UTC, so the loaded days include
Europe/Berlin's 25-hour day of 2026-10-25 and each zone's open current day.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import dagster as dg
import psycopg2
import psycopg2.extensions
import pytest

from marketing_assets.definitions import defs
from marketing_assets.jobs import linkedin_daily_sync_job
from marketing_assets.local.daily_truth import ClientDays, compare_day_rows, reconcile_days
from marketing_assets.local.ground_truth import RowComparison
from marketing_assets.partitions import CLIENT_DIMENSION, client_day_range_tags
from marketing_assets.registry import Registry
from marketing_assets.simulator import FaultPlan
from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse, json_response
from marketing_assets.storage.connection import connect
from marketing_assets_tests.conftest import simulator_with_plan

CLIENTS = ("rheinwerk-moebel", "saffron-threads")
FIRST_DAY = date(2026, 10, 24)
LAST_DAY = date(2026, 11, 2)
DAYS = (LAST_DAY - FIRST_DAY).days + 1
ASSETS = ("linkedin_campaign_daily_raw", "linkedin_campaign_performance_daily")


def run_days(
    instance: dg.DagsterInstance, client_id: str, first_day: date = FIRST_DAY
) -> dg.ExecuteInProcessResult:
    job = defs.resolve_job_def(linkedin_daily_sync_job.name)
    return job.execute_in_process(
        instance=instance,
        tags=client_day_range_tags(client_id, first_day, LAST_DAY),
        raise_on_error=False,
    )


def selected_days(registry: Registry, clients: tuple[str, ...]) -> list[ClientDays]:
    return [ClientDays(registry.client(client_id), FIRST_DAY, LAST_DAY) for client_id in clients]


@pytest.fixture
def connection(database_url: str) -> Iterator[psycopg2.extensions.connection]:
    connection = connect(database_url)
    try:
        yield connection
    finally:
        connection.rollback()
        connection.close()


@pytest.fixture
def instance(platform_environment, dagster_home, fx_rates_loaded) -> dg.DagsterInstance:
    instance = dg.DagsterInstance.get()
    instance.add_dynamic_partitions(CLIENT_DIMENSION, list(CLIENTS))
    return instance


def fetch_all(connection: psycopg2.extensions.connection, query: str, *args: object) -> list:
    with connection.cursor() as cursor:
        cursor.execute(query, args)
        rows = cursor.fetchall()
    connection.rollback()
    return rows


def test_days_reconcile_and_rerun_changes_nothing(
    instance, database_url, simulator, sample_registry, connection
):
    results = [run_days(instance, client_id) for client_id in CLIENTS]
    assert all(result.success for result in results)

    clients = selected_days(sample_registry, CLIENTS)
    reconciliations = reconcile_days(
        clients, database_url=database_url, simulator_url=simulator.url
    )
    assert [item.account_id for item in reconciliations] == ["508100002", "508100003"]
    for item in reconciliations:
        assert item.matches, (item.client_id, item.differences)
        assert item.loaded.rows > 0
    rows = RowComparison()
    compare_day_rows(rows, clients, database_url=database_url, simulator_url=simulator.url)
    assert rows.truth_rows == rows.loaded_rows
    assert rows.lost == 0
    assert rows.duplicated == 0

    count_query = (
        "SELECT count(*), sum(spend), sum(spend_reporting)"
        " FROM marketing.linkedin_campaign_performance_daily WHERE client_id = ANY(%s)"
    )
    first = fetch_all(connection, count_query, list(CLIENTS))
    results = [run_days(instance, client_id) for client_id in CLIENTS]
    assert all(result.success for result in results)
    assert fetch_all(connection, count_query, list(CLIENTS)) == first
    for result in results:
        for asset_name in ASSETS:
            (materialization, *_) = result.asset_materializations_for_node(asset_name)
            assert materialization.metadata["partitions_changed"].value == 0
            assert materialization.metadata["partitions_unchanged"].value == DAYS


def test_linkedin_spend_converts_at_reported_day_rate(instance, connection):
    for client_id in CLIENTS:
        assert run_days(instance, client_id).success
    rows = fetch_all(
        connection,
        "SELECT client_id, currency, reporting_currency, bool_and(fx_rate_date IS NULL),"
        " bool_and(spend_reporting = spend), max(fx_rate_date) <= max(local_date)"
        " FROM marketing.linkedin_campaign_performance_daily WHERE client_id = ANY(%s)"
        " GROUP BY 1, 2, 3 ORDER BY 1",
        list(CLIENTS),
    )
    # Rheinwerk's account bills in EUR like its client; Saffron's in USD for an INR client.
    assert rows == [
        ("rheinwerk-moebel", "EUR", "EUR", True, True, None),
        ("saffron-threads", "USD", "INR", False, False, True),
    ]


def test_linkedin_days_reach_daily_views_not_hourly_view(instance, connection):
    client_id = "rheinwerk-moebel"
    assert run_days(instance, client_id).success

    hourly = fetch_all(
        connection,
        "SELECT count(*) FROM marketing.campaign_performance_hourly WHERE platform = 'linkedin'",
    )
    assert hourly == [(0,)]
    loaded = fetch_all(
        connection,
        "SELECT local_date, sum(spend_reporting), sum(impressions)"
        " FROM marketing.linkedin_campaign_performance_daily WHERE client_id = %s"
        " GROUP BY 1 ORDER BY 1",
        client_id,
    )
    rollup = fetch_all(
        connection,
        "SELECT client_date, spend, impressions FROM marketing.platform_performance_daily"
        " WHERE client_id = %s AND platform = 'linkedin' ORDER BY 1",
        client_id,
    )
    assert [day for day, *_ in loaded] == [
        day for day, *_ in rollup if FIRST_DAY <= day <= LAST_DAY
    ]
    assert [(day, spend, int(impressions)) for day, spend, impressions in rollup] == [
        (day, spend, int(impressions)) for day, spend, impressions in loaded
    ]
    campaign_names = fetch_all(
        connection,
        "SELECT DISTINCT campaign_name FROM marketing.campaign_performance_daily"
        " WHERE client_id = %s AND platform = 'linkedin'",
        client_id,
    )
    assert campaign_names == [(None,)]


def test_linkedin_rerun_repairs_edited_and_deleted_days(
    instance, database_url, simulator, sample_registry, connection
):
    client_id = "rheinwerk-moebel"
    assert run_days(instance, client_id).success
    with connection, connection.cursor() as cursor:
        cursor.execute(
            "UPDATE marketing.linkedin_campaign_performance_daily SET spend = spend + 1"
            " WHERE client_id = %s AND local_date = %s",
            (client_id, date(2026, 10, 25)),
        )
        cursor.execute(
            "DELETE FROM marketing.linkedin_campaign_performance_daily"
            " WHERE client_id = %s AND local_date = %s",
            (client_id, date(2026, 10, 28)),
        )

    result = run_days(instance, client_id)

    assert result.success
    (materialization, *_) = result.asset_materializations_for_node(ASSETS[1])
    assert materialization.metadata["partitions_changed"].value == 2
    (item,) = reconcile_days(
        selected_days(sample_registry, (client_id,)),
        database_url=database_url,
        simulator_url=simulator.url,
    )
    assert item.matches, item.differences


class InvalidLinkedInRow(FaultPlan):
    """Gives the first element of every adAnalytics response a negative impression count."""

    def after_response(
        self, request: SimulatorRequest, response: SimulatorResponse
    ) -> SimulatorResponse:
        if not request.path.startswith("/linkedin/rest/adAnalytics") or response.status != 200:
            return response
        body = json.loads(response.body)
        body["elements"][0]["impressions"] = -7
        return json_response(200, body)


def test_invalid_row_error_names_day(instance, sample_registry, monkeypatch, connection):
    client_id = "rheinwerk-moebel"
    before = fetch_all(
        connection,
        "SELECT count(*) FROM marketing.linkedin_campaign_daily_raw WHERE client_id = %s",
        client_id,
    )
    with simulator_with_plan(sample_registry, InvalidLinkedInRow(), monkeypatch):
        result = run_days(instance, client_id)

    assert not result.success
    (failure,) = result.get_step_failure_events()
    message = failure.step_failure_data.error.message
    assert f"Syncing client '{client_id}' failed" in message
    assert "LinkedIn account 508100002 on 2026-10-24" in message
    assert "impressions is -7" in message
    # The whole run fails before writing, so the raw table keeps what it had.
    after = fetch_all(
        connection,
        "SELECT count(*) FROM marketing.linkedin_campaign_daily_raw WHERE client_id = %s",
        client_id,
    )
    assert after == before
