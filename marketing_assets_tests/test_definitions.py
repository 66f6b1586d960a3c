"""The code location loads, with its assets, checks, job, schedule and sensor."""

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pytest

from marketing_assets.daily_schedules import linkedin_daily_sync_schedule
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
        "linkedin_campaign_daily_raw",
        "linkedin_campaign_performance_daily",
        "tiktok_campaign_hourly_raw",
        "tiktok_campaign_performance_hourly",
        "microsoft_ads_campaign_hourly_raw",
        "microsoft_ads_campaign_performance_hourly",
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
        "linkedin_raw_rows_valid",
        "linkedin_campaign_performance_daily_rows_valid",
        "linkedin_campaign_performance_daily_fresh_per_client",
        "tiktok_raw_rows_valid",
        "tiktok_campaign_performance_hourly_rows_valid",
        "tiktok_reconciles_with_platform_days",
        "tiktok_campaign_performance_hourly_fresh_per_client",
        "microsoft_ads_raw_rows_valid",
        "microsoft_ads_campaign_performance_hourly_rows_valid",
        "microsoft_ads_reconciles_with_platform_days",
        "microsoft_ads_campaign_performance_hourly_fresh_per_client",
    }
    assert repository.has_job("hourly_sync_job")
    assert repository.has_job("fx_rates_job")
    assert repository.has_job("linkedin_daily_sync_job")
    assert repository.has_schedule_def("hourly_sync_schedule")
    assert repository.has_schedule_def("linkedin_daily_sync_schedule")
    assert repository.has_schedule_def("fx_rates_schedule")
    assert repository.has_sensor_def("client_registry_sensor")
    assert repository.has_sensor_def("freshness_sensor")
    assert repository.has_sensor_def("hourly_run_failure_sensor")
    dimensions = defs.resolve_assets_def("meta_campaign_performance_hourly").partitions_def
    assert [dimension.name for dimension in dimensions.partitions_defs] == ["client", "hour"]


def test_tiktok_and_microsoft_are_hourly_with_blocking_checks():
    hourly = defs.resolve_job_def("hourly_sync_job").asset_layer.executable_asset_keys
    repository = defs.get_repository_def()
    for platform in ("tiktok", "microsoft_ads"):
        raw = dg.AssetKey(f"{platform}_campaign_hourly_raw")
        unified = dg.AssetKey(f"{platform}_campaign_performance_hourly")
        assert raw in hourly
        assert unified in hourly
        dimensions = defs.resolve_assets_def(unified.path[-1]).partitions_def
        assert [dimension.name for dimension in dimensions.partitions_defs] == ["client", "hour"]
        checks = {
            key.name: repository.asset_graph.get(key)
            for key in repository.asset_graph.asset_check_keys
            if key.name.startswith(platform)
        }
        assert checks[f"{platform}_raw_rows_valid"].blocking
        assert checks[f"{platform}_campaign_performance_hourly_rows_valid"].blocking
        assert f"{platform}_reconciles_with_platform_days" in checks


def test_linkedin_is_daily_and_outside_hourly_job():
    dimensions = defs.resolve_assets_def("linkedin_campaign_performance_daily").partitions_def
    assert [dimension.name for dimension in dimensions.partitions_defs] == ["client", "day"]
    hourly = defs.resolve_job_def("hourly_sync_job").asset_layer.executable_asset_keys
    assert not [key for key in hourly if key.path[-1].startswith("linkedin")]
    daily = defs.resolve_job_def("linkedin_daily_sync_job").asset_layer.executable_asset_keys
    assert {key.path[-1] for key in daily} == {
        "linkedin_campaign_daily_raw",
        "linkedin_campaign_performance_daily",
    }


def test_linkedin_schedule_rereads_recent_days_per_client(tmp_path):
    registry = tmp_path / "clients.yaml"
    registry.write_text(
        "clients:\n"
        "  - {id: alpha, name: Alpha, time_zone: UTC, currency: USD,"
        " accounts: {linkedin: ['501']}}\n"
        "  - {id: beta, name: Beta, time_zone: Pacific/Auckland, currency: NZD,"
        " accounts: {linkedin: ['502']}, lookback_days: {linkedin: 10}}\n"
        "  - {id: gamma, name: Gamma, time_zone: UTC, currency: USD,"
        " accounts: {meta: ['1']}}\n"
    )
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions(CLIENT_DIMENSION, ["alpha", "beta", "gamma"])
        # 14:20 UTC is 03:20 the next day in Auckland (UTC+13), the first tick after 03:00.
        context = dg.build_schedule_context(
            instance=instance,
            scheduled_execution_time=datetime(2026, 12, 4, 14, 20, tzinfo=UTC),
            resources={"registry": RegistryResource(path=str(registry))},
        )
        requests = linkedin_daily_sync_schedule(context)

    alpha, beta = requests
    assert alpha.tags["dagster/asset_partition_range_start"] == "alpha|2026-12-01"
    assert alpha.tags["dagster/asset_partition_range_end"] == "alpha|2026-12-04"
    assert alpha.tags["marketing_assets/trigger"] == "schedule-recent"
    assert beta.tags["dagster/asset_partition_range_start"] == "beta|2026-11-25"
    assert beta.tags["dagster/asset_partition_range_end"] == "beta|2026-12-05"
    assert beta.tags["marketing_assets/trigger"] == "schedule-full"
    assert alpha.run_key != beta.run_key


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


def test_platform_fetches_declare_platform_pools():
    # An operator caps each platform's concurrent API steps by setting its pool's limit.
    graph = defs.resolve_asset_graph()
    raw_assets = {
        "google_ads": "google_ads_campaign_hourly_raw",
        "meta": "meta_campaign_hourly_raw",
        "tiktok": "tiktok_campaign_hourly_raw",
        "microsoft_ads": "microsoft_ads_campaign_hourly_raw",
        "linkedin": "linkedin_campaign_daily_raw",
    }
    for platform, asset_name in raw_assets.items():
        assert graph.get(dg.AssetKey(asset_name)).pools == {platform}, asset_name
