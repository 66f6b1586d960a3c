"""TikTok's hourly assets and checks: the one place that lists what they are built from."""

import polars as pl

from marketing_assets.assets.hourly_platform import HourlyPlatformSpec, build_hourly_platform
from marketing_assets.sync.reconciliation_tiktok import tiktok_day_comparisons
from marketing_assets.sync.tiktok import fetch_tiktok_window
from marketing_assets.tables import TIKTOK_RAW
from marketing_assets.validation import TikTokRawSchema

TIKTOK_SPEC = HourlyPlatformSpec(
    platform="tiktok",
    label="TikTok",
    resource_key="tiktok",
    fetch_window=fetch_tiktok_window,
    raw_columns=TIKTOK_RAW,
    raw_schema=TikTokRawSchema,
    raw_description=(
        "TikTok campaign metrics per advertiser-local hour (integrated report, dimension "
        "stat_time_hour), with spend as the decimal TikTok reported in the advertiser's "
        "currency, the advertiser's time zone and the UTC hour each local hour maps to. The "
        "report carries no conversion value."
    ),
    spend=pl.col("spend"),
    currency_column="currency",
    compare_days=tiktok_day_comparisons,
)

TIKTOK = build_hourly_platform(TIKTOK_SPEC)
