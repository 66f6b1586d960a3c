"""Reshape each platform's raw rows into the rows of the unified hourly table."""

from __future__ import annotations

import polars as pl

from marketing_assets.tables import CAMPAIGN_PERFORMANCE_HOURLY, MONEY

# Added after unifying, from the client's reporting currency and the day's ECB rate.
REPORTING_COLUMNS = ("reporting_currency", "spend_reporting", "fx_rate_date")

MICROS_PER_UNIT = 1_000_000


def google_ads_to_unified(raw: pl.DataFrame) -> pl.DataFrame:
    # cost_micros is an integer count of millionths, so dividing as a decimal is exact.
    spend = pl.col("cost_micros").cast(MONEY) / pl.lit(MICROS_PER_UNIT).cast(MONEY)
    return raw.select(
        "client_id",
        pl.lit("google_ads").alias("platform"),
        pl.col("customer_id").alias("account_id"),
        "campaign_id",
        "campaign_name",
        "utc_hour",
        "local_date",
        "local_hour",
        pl.col("time_zone").alias("account_time_zone"),
        pl.col("currency_code").alias("currency"),
        spend.cast(MONEY).alias("spend"),
        "impressions",
        "clicks",
        "conversions",
        pl.col("conversions_value").alias("conversion_value"),
    )


def meta_to_unified(raw: pl.DataFrame) -> pl.DataFrame:
    return raw.select(
        "client_id",
        pl.lit("meta").alias("platform"),
        "account_id",
        "campaign_id",
        "campaign_name",
        "utc_hour",
        "local_date",
        "local_hour",
        pl.col("time_zone").alias("account_time_zone"),
        pl.col("account_currency").alias("currency"),
        "spend",
        "impressions",
        "clicks",
        "conversions",
        "conversion_value",
    )


def tiktok_to_unified(raw: pl.DataFrame) -> pl.DataFrame:
    # NOTE: TikTok's report as requested carries no conversion value, so conversion_value is
    # 0 rather than a value TikTok reported; ROAS from TikTok rows is not meaningful.
    return raw.select(
        "client_id",
        pl.lit("tiktok").alias("platform"),
        pl.col("advertiser_id").alias("account_id"),
        "campaign_id",
        "campaign_name",
        "utc_hour",
        "local_date",
        "local_hour",
        pl.col("time_zone").alias("account_time_zone"),
        "currency",
        "spend",
        "impressions",
        "clicks",
        "conversions",
        pl.lit(0).cast(MONEY).alias("conversion_value"),
    )


def microsoft_ads_to_unified(raw: pl.DataFrame) -> pl.DataFrame:
    # The hours follow the zone the report states, which may differ from the account's own.
    return raw.select(
        "client_id",
        pl.lit("microsoft_ads").alias("platform"),
        "account_id",
        "campaign_id",
        "campaign_name",
        "utc_hour",
        "local_date",
        "local_hour",
        pl.col("time_zone").alias("account_time_zone"),
        pl.col("currency_code").alias("currency"),
        "spend",
        "impressions",
        "clicks",
        "conversions",
        pl.col("revenue").alias("conversion_value"),
    )


def conform(raw: pl.DataFrame, platform: str, *, run_id: str, loaded_at: object) -> pl.DataFrame:
    """Reshape one platform's raw rows into the unified table's columns and types, except the
    reporting-currency columns."""
    frame = TO_UNIFIED[platform](raw).with_columns(
        loaded_at=pl.lit(loaded_at, dtype=CAMPAIGN_PERFORMANCE_HOURLY["loaded_at"]),
        dagster_run_id=pl.lit(run_id),
    )
    return frame.select(
        pl.col(name).cast(dtype)
        for name, dtype in CAMPAIGN_PERFORMANCE_HOURLY.items()
        if name not in REPORTING_COLUMNS
    ).sort("client_id", "utc_hour", "account_id", "campaign_id")


TO_UNIFIED = {
    "google_ads": google_ads_to_unified,
    "meta": meta_to_unified,
    "tiktok": tiktok_to_unified,
    "microsoft_ads": microsoft_ads_to_unified,
}
