"""The code location loads, with its assets, checks, job, schedule and sensor."""

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pytest

from marketing_assets.definitions import defs
from marketing_assets.partitions import CLIENT_DIMENSION
from marketing_assets.registry import RegistryError
from marketing_assets.resources import RegistryResource
from marketing_assets.schedules import hourly_sync_schedule
from marketing_assets.sensors import client_registry_sensor

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def test_definitions_hold_assets_checks_schedule_and_sensor():
    repository = defs.get_repository_def()
    asset_keys = {key.to_user_string() for key in repository.asset_graph.get_all_asset_keys()}
    assert asset_keys == {
        "fx_rates",
        "google_ads_campaign_hourly_raw",
        "meta_campaign_hourly_raw",
        "google_ads_campaign_performance_hourly",
        "meta_campaign_performance_hourly",
    }
    check_names = {key.name for key in repository.asset_graph.asset_check_keys}
    assert check_names == {
        "google_ads_raw_rows_valid",
        "meta_raw_rows_valid",
        "google_ads_campaign_performance_hourly_rows_valid",
        "meta_campaign_performance_hourly_rows_valid",
        "google_ads_reconciles_with_platform_days",
        "meta_reconciles_with_platform_days",
        "google_ads_campaign_performance_hourly_fresh_per_client",
        "meta_campaign_performance_hourly_fresh_per_client",
    }
    assert repository.has_job("hourly_sync_job")
    assert repository.has_job("fx_rates_job")
    assert repository.has_schedule_def("hourly_sync_schedule")
    assert repository.has_schedule_def("fx_rates_schedule")
    assert repository.has_sensor_def("client_registry_sensor")
    assert repository.has_sensor_def("freshness_sensor")
    assert repository.has_sensor_def("hourly_run_failure_sensor")
    dimensions = defs.resolve_assets_def("meta_campaign_performance_hourly").partitions_def
    assert [dimension.name for dimension in dimensions.partitions_defs] == ["client", "hour"]


def test_dg_check_defs_loads_the_code_location(tmp_path):
    environment = {**os.environ, "DAGSTER_HOME": str(tmp_path)}
    dg_command = Path(sys.executable).with_name("dg")
    result = subprocess.run(
        [str(dg_command), "check", "defs"],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All definitions loaded successfully" in result.stdout + result.stderr


def test_schedule_rereads_trailing_window_per_client(tmp_path):
    registry = tmp_path / "clients.yaml"
    registry.write_text(
        "clients:\n"
        "  - {id: alpha, name: Alpha, time_zone: UTC, currency: USD,"
        " accounts: {meta: ['1']}}\n"
        "  - {id: beta, name: Beta, time_zone: Asia/Kolkata, currency: INR,"
        " accounts: {google_ads: ['1234567890']}, lookback_days: {google_ads: 60}}\n"
        "  - {id: gamma, name: Gamma, time_zone: UTC, currency: USD}\n"
    )
    with dg.instance_for_test() as instance:
        # gamma is registered but the sensor has not added it yet; omega was removed.
        instance.add_dynamic_partitions(CLIENT_DIMENSION, ["alpha", "beta", "omega"])
        # The hour closing at 22:00 UTC closes at 03:30 in Kolkata, so beta gets its daily
        # full re-read.
        context = dg.build_schedule_context(
            instance=instance,
            scheduled_execution_time=datetime(2026, 3, 8, 22, 5, tzinfo=UTC),
            resources={"registry": RegistryResource(path=str(registry))},
            repository_def=defs.get_repository_def(),
        )
        requests = hourly_sync_schedule(context)

    alpha, beta = requests
    assert alpha.tags["dagster/asset_partition_range_start"] == "alpha|2026-03-05-22:00"
    assert alpha.tags["dagster/asset_partition_range_end"] == "alpha|2026-03-08-21:00"
    assert alpha.tags["marketing_assets/trigger"] == "schedule-hourly"
    assert beta.tags["dagster/asset_partition_range_start"] == "beta|2026-01-06-22:00"
    assert beta.tags["dagster/asset_partition_range_end"] == "beta|2026-03-08-21:00"
    assert beta.tags["marketing_assets/trigger"] == "schedule-full"
    assert alpha.run_key != beta.run_key
    # Each run selects only the platforms its client has accounts on, with their checks.
    assert {key.path[-1] for key in alpha.asset_selection} == {
        "meta_campaign_hourly_raw",
        "meta_campaign_performance_hourly",
    }
    assert {key.name for key in alpha.asset_check_keys} == {
        "meta_raw_rows_valid",
        "meta_campaign_performance_hourly_rows_valid",
        "meta_reconciles_with_platform_days",
    }
    assert {key.path[-1] for key in beta.asset_selection} == {
        "google_ads_campaign_hourly_raw",
        "google_ads_campaign_performance_hourly",
    }
    assert all(key.name.startswith("google_ads") for key in beta.asset_check_keys)


def test_registry_sensor_adds_and_removes_clients(tmp_path):
    registry = tmp_path / "clients.yaml"
    registry.write_text(
        "clients:\n"
        "  - {id: alpha, name: Alpha, time_zone: UTC, currency: USD}\n"
        "  - {id: delta, name: Delta, time_zone: UTC, currency: USD}\n"
    )
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions(CLIENT_DIMENSION, ["alpha", "omega"])
        context = dg.build_sensor_context(
            instance=instance, resources={"registry": RegistryResource(path=str(registry))}
        )
        result = client_registry_sensor(context)

    add, delete = result.dynamic_partitions_requests
    assert list(add.partition_keys) == ["delta"]
    assert list(delete.partition_keys) == ["omega"]


def test_sensor_rejects_invalid_registry(tmp_path):
    registry = tmp_path / "clients.yaml"
    registry.write_text("clients:\n  - {id: Bad Id, name: B, time_zone: UTC, currency: USD}\n")
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions(CLIENT_DIMENSION, ["alpha"])
        context = dg.build_sensor_context(
            instance=instance, resources={"registry": RegistryResource(path=str(registry))}
        )
        with pytest.raises(RegistryError) as error:
            client_registry_sensor(context)
        assert instance.get_dynamic_partitions(CLIENT_DIMENSION) == ["alpha"]
    assert "client #1" in str(error.value)
    assert "field 'id'" in str(error.value)
