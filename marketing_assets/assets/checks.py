"""Blocking pandera checks: a failure stops bad rows before they reach the unified table."""

import dagster as dg
import polars as pl

from marketing_assets.assets.raw import google_ads_campaign_hourly_raw, meta_campaign_hourly_raw
from marketing_assets.assets.unified import campaign_performance_hourly
from marketing_assets.validation import (
    CampaignPerformanceHourlySchema,
    GoogleAdsRawSchema,
    MetaRawSchema,
    validation_result,
)

# Each check's input parameter shadows its asset's name, so the keys are taken here.
GOOGLE_ADS_RAW_KEY = google_ads_campaign_hourly_raw.key
META_RAW_KEY = meta_campaign_hourly_raw.key
UNIFIED_KEY = campaign_performance_hourly.key


@dg.asset_check(
    asset=google_ads_campaign_hourly_raw,
    blocking=True,
    description="Rows match GoogleAdsRawSchema: ids, hours 0-23, metrics >= 0, unique keys.",
)
def google_ads_raw_rows_valid(google_ads_campaign_hourly_raw: pl.DataFrame) -> dg.AssetCheckResult:
    return validation_result(
        GoogleAdsRawSchema,
        google_ads_campaign_hourly_raw,
        asset_key=GOOGLE_ADS_RAW_KEY,
    )


@dg.asset_check(
    asset=meta_campaign_hourly_raw,
    blocking=True,
    description="Rows match MetaRawSchema: ids, hours 0-23, non-negative metrics, unique keys.",
)
def meta_raw_rows_valid(meta_campaign_hourly_raw: pl.DataFrame) -> dg.AssetCheckResult:
    return validation_result(MetaRawSchema, meta_campaign_hourly_raw, asset_key=META_RAW_KEY)


@dg.asset_check(
    asset=campaign_performance_hourly,
    blocking=True,
    description="Rows match CampaignPerformanceHourlySchema, one row per campaign and UTC hour.",
)
def campaign_performance_hourly_rows_valid(
    campaign_performance_hourly: pl.DataFrame,
) -> dg.AssetCheckResult:
    return validation_result(
        CampaignPerformanceHourlySchema,
        campaign_performance_hourly,
        asset_key=UNIFIED_KEY,
    )
