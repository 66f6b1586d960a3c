"""Microsoft Advertising's hourly assets and checks: the one place that lists what they are
built from."""

import polars as pl

from marketing_assets.assets.hourly_platform import HourlyPlatformSpec, build_hourly_platform
from marketing_assets.sync.microsoft_ads import fetch_microsoft_ads_window
from marketing_assets.sync.reconciliation_microsoft_ads import microsoft_ads_day_comparisons
from marketing_assets.tables import MICROSOFT_ADS_RAW
from marketing_assets.validation import MicrosoftAdsRawSchema

MICROSOFT_ADS_SPEC = HourlyPlatformSpec(
    platform="microsoft_ads",
    label="Microsoft Advertising",
    resource_key="microsoft_ads",
    fetch_window=fetch_microsoft_ads_window,
    raw_columns=MICROSOFT_ADS_RAW,
    raw_schema=MicrosoftAdsRawSchema,
    raw_description=(
        "Microsoft Advertising campaign performance per hour of the report's time zone "
        "(Hourly aggregation, TimePeriod like 2023-11-11|01), with Spend and Revenue as the "
        "decimals Microsoft reported, the time zone the report stated, and the UTC hour each "
        "local hour maps to."
    ),
    spend=pl.col("spend"),
    currency_column="currency_code",
    compare_days=microsoft_ads_day_comparisons,
)

MICROSOFT_ADS = build_hourly_platform(MICROSOFT_ADS_SPEC)
