"""pandera schemas for the tables of daily-only platforms: one row per campaign and day."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData
from pandera.engines.polars_engine import DateTime, Decimal

from marketing_assets.validation import DIGITS, currency_is_iso_4217

CLIENT_ID = r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"


class _DayColumns(pa.DataFrameModel):
    client_id: str = pa.Field(str_matches=CLIENT_ID)
    account_id: str = pa.Field(str_matches=DIGITS)
    campaign_id: str = pa.Field(str_matches=DIGITS)
    local_date: pl.Date
    impressions: pl.Int64 = pa.Field(ge=0)
    clicks: pl.Int64 = pa.Field(ge=0)
    loaded_at: DateTime = pa.Field(dtype_kwargs={"time_unit": "us", "time_zone": "UTC"})
    dagster_run_id: str


class LinkedInRawSchema(_DayColumns):
    """LinkedIn campaign days as landed: one row per ad account, campaign and reported date."""

    account_currency: str
    cost_in_local_currency: Decimal = pa.Field(ge=0, dtype_kwargs={"precision": 38, "scale": 6})
    external_website_conversions: Decimal = pa.Field(
        ge=0, dtype_kwargs={"precision": 38, "scale": 9}
    )
    conversion_value_in_local_currency: Decimal = pa.Field(
        ge=0, dtype_kwargs={"precision": 38, "scale": 6}
    )

    @pa.check("account_currency", name="iso_4217_currency_code")
    def _account_currency_is_iso_4217(cls, data: PolarsData) -> pl.LazyFrame:
        return currency_is_iso_4217(data)

    class Config:
        strict = True
        unique = ("client_id", "local_date", "account_id", "campaign_id")


class CampaignPerformanceDailySchema(_DayColumns):
    """The unified daily table of a daily-only platform, which the daily views read."""

    platform: str = pa.Field(isin=["linkedin"])
    currency: str
    spend: Decimal = pa.Field(ge=0, dtype_kwargs={"precision": 38, "scale": 6})
    conversions: Decimal = pa.Field(ge=0, dtype_kwargs={"precision": 38, "scale": 9})
    conversion_value: Decimal = pa.Field(ge=0, dtype_kwargs={"precision": 38, "scale": 6})
    reporting_currency: str
    spend_reporting: Decimal = pa.Field(ge=0, dtype_kwargs={"precision": 38, "scale": 6})
    fx_rate_date: pl.Date = pa.Field(nullable=True)

    @pa.check("currency", "reporting_currency", name="iso_4217_currency_code")
    def _currency_is_iso_4217(cls, data: PolarsData) -> pl.LazyFrame:
        return currency_is_iso_4217(data)

    class Config:
        strict = True
        unique = ("client_id", "platform", "account_id", "campaign_id", "local_date")
