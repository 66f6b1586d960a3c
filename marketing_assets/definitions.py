"""The code location: assets, checks, job, schedule, sensor and resources."""

from __future__ import annotations

import dagster as dg

from marketing_assets.alerts.notifier import AlertNotifier
from marketing_assets.assets.checks import (
    google_ads_campaign_performance_hourly_rows_valid,
    google_ads_raw_rows_valid,
    meta_campaign_performance_hourly_rows_valid,
    meta_raw_rows_valid,
)
from marketing_assets.assets.fx import fx_rates, fx_rates_job, fx_rates_schedule
from marketing_assets.assets.hourly_platforms import SPEC_PLATFORM_ASSETS, SPEC_PLATFORM_CHECKS
from marketing_assets.assets.linkedin import LINKEDIN_ASSETS
from marketing_assets.assets.linkedin_checks import LINKEDIN_CHECKS
from marketing_assets.assets.raw import google_ads_campaign_hourly_raw, meta_campaign_hourly_raw
from marketing_assets.assets.reconciliation import RECONCILIATION_CHECKS
from marketing_assets.assets.unified import UNIFIED_ASSETS
from marketing_assets.daily_schedules import linkedin_daily_sync_schedule
from marketing_assets.freshness.checks import client_freshness_checks
from marketing_assets.freshness.sensors import freshness_sensor, hourly_run_failure_sensor
from marketing_assets.fx.resource import EcbRatesResource
from marketing_assets.jobs import hourly_sync_job, linkedin_daily_sync_job
from marketing_assets.platforms.google_ads.resource import GoogleAdsResource
from marketing_assets.platforms.linkedin.resource import LinkedInResource
from marketing_assets.platforms.meta.resource import MetaResource
from marketing_assets.platforms.microsoft_ads.resource import MicrosoftAdsResource
from marketing_assets.platforms.tiktok.resource import TikTokResource
from marketing_assets.resources import RegistryResource
from marketing_assets.schedules import hourly_sync_schedule
from marketing_assets.sensors import client_registry_sensor
from marketing_assets.settings import (
    http_settings,
    microsoft_ads_poll_settings,
    notifier_settings,
)
from marketing_assets.storage.io_manager import PostgresPolarsIOManager
from marketing_assets.storage.warehouse import WarehouseResource

# Every value below that differs between deployments comes from an environment variable,
# resolved when a run starts; README.md lists them.
defs = dg.Definitions(
    assets=[
        fx_rates,
        google_ads_campaign_hourly_raw,
        meta_campaign_hourly_raw,
        *UNIFIED_ASSETS,
        *SPEC_PLATFORM_ASSETS,
        *LINKEDIN_ASSETS,
    ],
    asset_checks=[
        google_ads_raw_rows_valid,
        meta_raw_rows_valid,
        google_ads_campaign_performance_hourly_rows_valid,
        meta_campaign_performance_hourly_rows_valid,
        *RECONCILIATION_CHECKS,
        *SPEC_PLATFORM_CHECKS,
        *LINKEDIN_CHECKS,
        client_freshness_checks,
    ],
    jobs=[hourly_sync_job, linkedin_daily_sync_job, fx_rates_job],
    schedules=[hourly_sync_schedule, linkedin_daily_sync_schedule, fx_rates_schedule],
    sensors=[client_registry_sensor, freshness_sensor, hourly_run_failure_sensor],
    resources={
        "google_ads": GoogleAdsResource(
            base_url=dg.EnvVar("GOOGLE_ADS_API_URL"),
            developer_token=dg.EnvVar("GOOGLE_ADS_DEVELOPER_TOKEN"),
            access_token=dg.EnvVar("GOOGLE_ADS_ACCESS_TOKEN"),
            **http_settings(),
        ),
        "meta": MetaResource(
            base_url=dg.EnvVar("META_API_URL"),
            access_token=dg.EnvVar("META_ACCESS_TOKEN"),
            **http_settings(),
        ),
        "tiktok": TikTokResource(
            base_url=dg.EnvVar("TIKTOK_API_URL"),
            access_token=dg.EnvVar("TIKTOK_ACCESS_TOKEN"),
            **http_settings(),
        ),
        "microsoft_ads": MicrosoftAdsResource(
            base_url=dg.EnvVar("MICROSOFT_ADS_API_URL"),
            access_token=dg.EnvVar("MICROSOFT_ADS_ACCESS_TOKEN"),
            developer_token=dg.EnvVar("MICROSOFT_ADS_DEVELOPER_TOKEN"),
            customer_id=dg.EnvVar("MICROSOFT_ADS_CUSTOMER_ID"),
            **http_settings(),
            **microsoft_ads_poll_settings(),
        ),
        "linkedin": LinkedInResource(
            base_url=dg.EnvVar("LINKEDIN_API_URL"),
            access_token=dg.EnvVar("LINKEDIN_ACCESS_TOKEN"),
            **http_settings(),
        ),
        "ecb_rates": EcbRatesResource(url=dg.EnvVar("FX_RATES_URL")),
        "registry": RegistryResource(),
        "warehouse": WarehouseResource(database_url=dg.EnvVar("MARKETING_ASSETS_DATABASE_URL")),
        "alert_notifier": AlertNotifier(**notifier_settings()),
        "warehouse_io_manager": PostgresPolarsIOManager(
            database_url=dg.EnvVar("MARKETING_ASSETS_DATABASE_URL")
        ),
    },
)
