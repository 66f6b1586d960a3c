"""The hourly job end to end: simulator over HTTP, Dagster instance and data in PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import dagster as dg
import psycopg2

from marketing_assets.definitions import defs
from marketing_assets.jobs import hourly_sync_job
from marketing_assets.local.demo import closed_hours_window
from marketing_assets.local.reconcile import reconcile_window
from marketing_assets.partitions import CLIENT_DIMENSION, client_range_tags
from marketing_assets_tests.conftest import FIXED_NOW

CLIENTS = ["saffron-threads", "kestrel-coffee"]
UNIFIED_ASSET_NAMES = ("google_ads_campaign_performance_hourly", "meta_campaign_performance_hourly")


def run_clients(instance: dg.DagsterInstance, clients: list[str], start, end) -> list:
    job = defs.resolve_job_def(hourly_sync_job.name)
    return [
        job.execute_in_process(
            instance=instance, tags=client_range_tags(client, start, end), raise_on_error=False
        )
        for client in clients
    ]


def table_counts(database_url: str) -> dict[str, tuple[int, object]]:
    connection = psycopg2.connect(database_url.replace("postgresql+psycopg2", "postgresql"))
    try:
        with connection.cursor() as cursor:
            counts = {}
            for table, spend in [
                ("campaign_performance_hourly", "sum(spend)"),
                ("google_ads_campaign_hourly_raw", "sum(cost_micros)"),
                ("meta_campaign_hourly_raw", "sum(spend)"),
            ]:
                cursor.execute(
                    f"SELECT count(*), {spend} FROM marketing.{table} WHERE client_id = ANY(%s)",
                    (CLIENTS,),
                )
                counts[table] = cursor.fetchone()
            return counts
    finally:
        connection.close()


def test_job_loads_and_reconciles_then_rerun_changes_nothing(
    platform_environment, dagster_home, fx_rates_loaded, database_url, simulator, sample_registry
):
    instance = dg.DagsterInstance.get()
    instance.add_dynamic_partitions(CLIENT_DIMENSION, CLIENTS)
    start, end = closed_hours_window(FIXED_NOW)

    results = run_clients(instance, CLIENTS, start, end)
    assert all(result.success for result in results)

    registry = type(sample_registry)(
        tuple(client for client in sample_registry.clients if client.client_id in CLIENTS)
    )
    reconciliations = reconcile_window(
        registry, database_url=database_url, simulator_url=simulator.url, start=start, end=end
    )
    assert len(reconciliations) == 4
    for item in reconciliations:
        assert item.matches, (item.client_id, item.platform, item.differences)
        assert item.loaded.rows > 0

    first = table_counts(database_url)
    assert first["campaign_performance_hourly"][0] == sum(
        item.loaded.rows for item in reconciliations
    )

    results = run_clients(instance, CLIENTS, start, end)
    assert all(result.success for result in results)
    assert table_counts(database_url) == first
    for result in results:
        for asset_name in UNIFIED_ASSET_NAMES:
            (materialization, *_) = result.asset_materializations_for_node(asset_name)
            assert materialization.metadata["partitions_changed"].value == 0
            assert materialization.metadata["partitions_unchanged"].value == 24


def test_materializations_carry_rows_and_spend_and_checks_pass(
    platform_environment, dagster_home, fx_rates_loaded, database_url
):
    instance = dg.DagsterInstance.get()
    instance.add_dynamic_partitions(CLIENT_DIMENSION, ["northwind-outdoor"])
    end = closed_hours_window(FIXED_NOW)[1]
    start = end - timedelta(hours=2)

    (result,) = run_clients(instance, ["northwind-outdoor"], start, end)
    assert result.success

    materializations = result.asset_materializations_for_node("meta_campaign_performance_hourly")
    assert len(materializations) == 2
    metadata = materializations[0].metadata
    assert metadata["rows"].value > 0
    assert "USD" in metadata["spend_by_currency"].value

    evaluations = result.get_asset_check_evaluations()
    assert {evaluation.check_name for evaluation in evaluations} == {
        "google_ads_raw_rows_valid",
        "meta_raw_rows_valid",
        "google_ads_campaign_performance_hourly_rows_valid",
        "meta_campaign_performance_hourly_rows_valid",
        "google_ads_reconciles_with_platform_days",
        "meta_reconciles_with_platform_days",
        "tiktok_raw_rows_valid",
        "tiktok_campaign_performance_hourly_rows_valid",
        "tiktok_reconciles_with_platform_days",
        "microsoft_ads_raw_rows_valid",
        "microsoft_ads_campaign_performance_hourly_rows_valid",
        "microsoft_ads_reconciles_with_platform_days",
    }
    assert all(evaluation.passed for evaluation in evaluations)
    by_name = {item.check_name: item.metadata for item in evaluations}
    checked = by_name["meta_campaign_performance_hourly_rows_valid"]["rows_checked"].value
    assert checked == metadata["rows"].value
