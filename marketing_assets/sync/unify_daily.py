"""Reshape the raw rows of daily-only platforms into the rows of the unified daily tables."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from marketing_assets.sync.unify import REPORTING_COLUMNS
from marketing_assets.tables import CAMPAIGN_PERFORMANCE_DAILY


def linkedin_to_unified_daily(
    raw: pl.DataFrame, *, run_id: str, loaded_at: datetime
) -> pl.DataFrame:
    """Return LinkedIn's campaign days in the unified daily columns, except the
    reporting-currency columns. costInLocalCurrency is already a decimal of the account
    currency, so spend is that value unchanged."""
    frame = raw.select(
        "client_id",
        pl.lit("linkedin").alias("platform"),
        "account_id",
        "campaign_id",
        "local_date",
        pl.col("account_currency").alias("currency"),
        pl.col("cost_in_local_currency").alias("spend"),
        "impressions",
        "clicks",
        pl.col("external_website_conversions").alias("conversions"),
        pl.col("conversion_value_in_local_currency").alias("conversion_value"),
        loaded_at=pl.lit(loaded_at, dtype=CAMPAIGN_PERFORMANCE_DAILY["loaded_at"]),
        dagster_run_id=pl.lit(run_id),
    )
    return frame.select(
        pl.col(name).cast(dtype)
        for name, dtype in CAMPAIGN_PERFORMANCE_DAILY.items()
        if name not in REPORTING_COLUMNS
    ).sort("client_id", "local_date", "account_id", "campaign_id")
