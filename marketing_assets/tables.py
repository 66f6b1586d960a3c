"""Column names and polars types of the tables the assets write, in table column order.

The migrations create the same columns. The writer and loader use these schemas, so a frame
read back from PostgreSQL has exactly the types it was written with.
"""

from __future__ import annotations

import polars as pl

SCHEMA_NAME = "marketing"

UTC_HOUR = pl.Datetime("us", "UTC")
# Money is exact: Google micros divide into 6 decimals, Meta spend strings carry 2.
MONEY = pl.Decimal(38, 6)
# Google reports conversions as a double with fractional attribution credit; 9 decimals
# keep every value the platforms send, down to a billionth of a conversion.
CONVERSIONS = pl.Decimal(38, 9)

LOAD_COLUMNS: dict[str, pl.DataType] = {
    "loaded_at": UTC_HOUR,
    "dagster_run_id": pl.String(),
}

GOOGLE_ADS_RAW: dict[str, pl.DataType] = {
    "client_id": pl.String(),
    "customer_id": pl.String(),
    "campaign_id": pl.String(),
    "campaign_name": pl.String(),
    "campaign_status": pl.String(),
    "currency_code": pl.String(),
    "time_zone": pl.String(),
    "local_date": pl.Date(),
    "local_hour": pl.Int16(),
    "utc_hour": UTC_HOUR,
    "impressions": pl.Int64(),
    "clicks": pl.Int64(),
    "cost_micros": pl.Int64(),
    "conversions": CONVERSIONS,
    "conversions_value": MONEY,
    **LOAD_COLUMNS,
}

META_RAW: dict[str, pl.DataType] = {
    "client_id": pl.String(),
    "account_id": pl.String(),
    "campaign_id": pl.String(),
    "campaign_name": pl.String(),
    "account_currency": pl.String(),
    "time_zone": pl.String(),
    "local_date": pl.Date(),
    "local_hour": pl.Int16(),
    "hourly_stats": pl.String(),
    "utc_hour": UTC_HOUR,
    "impressions": pl.Int64(),
    "clicks": pl.Int64(),
    "spend": MONEY,
    "conversions": CONVERSIONS,
    "conversion_value": MONEY,
    "actions": pl.String(),
    **LOAD_COLUMNS,
}

CAMPAIGN_PERFORMANCE_HOURLY: dict[str, pl.DataType] = {
    "client_id": pl.String(),
    "platform": pl.String(),
    "account_id": pl.String(),
    "campaign_id": pl.String(),
    "campaign_name": pl.String(),
    "utc_hour": UTC_HOUR,
    "local_date": pl.Date(),
    "local_hour": pl.Int16(),
    "account_time_zone": pl.String(),
    "currency": pl.String(),
    "spend": MONEY,
    "impressions": pl.Int64(),
    "clicks": pl.Int64(),
    "conversions": CONVERSIONS,
    "conversion_value": MONEY,
    # Spend converted at the ECB rate of the row's local date. fx_rate_date is the fixing
    # used, and it is null when the account already bills in the reporting currency.
    "reporting_currency": pl.String(),
    "spend_reporting": MONEY,
    "fx_rate_date": pl.Date(),
    **LOAD_COLUMNS,
}

TABLE_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "google_ads_campaign_hourly_raw": GOOGLE_ADS_RAW,
    "meta_campaign_hourly_raw": META_RAW,
    "google_ads_campaign_performance_hourly": CAMPAIGN_PERFORMANCE_HOURLY,
    "meta_campaign_performance_hourly": CAMPAIGN_PERFORMANCE_HOURLY,
}
