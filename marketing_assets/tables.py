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

# TikTok report rows as landed: stat_time_hour is the raw dimension ("2025-03-01 09:00:00")
# in the advertiser's time zone, and the report carries no conversion value.
TIKTOK_RAW: dict[str, pl.DataType] = {
    "client_id": pl.String(),
    "advertiser_id": pl.String(),
    "campaign_id": pl.String(),
    "campaign_name": pl.String(),
    "currency": pl.String(),
    "time_zone": pl.String(),
    "local_date": pl.Date(),
    "local_hour": pl.Int16(),
    "stat_time_hour": pl.String(),
    "utc_hour": UTC_HOUR,
    "impressions": pl.Int64(),
    "clicks": pl.Int64(),
    "spend": MONEY,
    "conversions": CONVERSIONS,
    **LOAD_COLUMNS,
}

# Microsoft Advertising report rows as landed: time_period is the raw TimePeriod
# ("2023-11-11|01"), report_time_zone the report's "Time Zone" header and time_zone the IANA
# zone it names, which the hours follow. revenue is the Revenue column, the conversion value.
MICROSOFT_ADS_RAW: dict[str, pl.DataType] = {
    "client_id": pl.String(),
    "account_id": pl.String(),
    "campaign_id": pl.String(),
    "campaign_name": pl.String(),
    "currency_code": pl.String(),
    "time_zone": pl.String(),
    "report_time_zone": pl.String(),
    "local_date": pl.Date(),
    "local_hour": pl.Int16(),
    "time_period": pl.String(),
    "utc_hour": UTC_HOUR,
    "impressions": pl.Int64(),
    "clicks": pl.Int64(),
    "spend": MONEY,
    "conversions": CONVERSIONS,
    "revenue": MONEY,
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

# LinkedIn analytics as reported: one row per campaign and day, where local_date is the date
# LinkedIn reported, a day in the ad account's time zone. LinkedIn has no finer grain.
LINKEDIN_RAW: dict[str, pl.DataType] = {
    "client_id": pl.String(),
    "account_id": pl.String(),
    "campaign_id": pl.String(),
    "local_date": pl.Date(),
    "account_currency": pl.String(),
    "cost_in_local_currency": MONEY,
    "impressions": pl.Int64(),
    "clicks": pl.Int64(),
    "external_website_conversions": CONVERSIONS,
    "conversion_value_in_local_currency": MONEY,
    **LOAD_COLUMNS,
}

# The unified shape of platforms that report whole days only: the hourly table's columns
# without the UTC hour and the local hour and time zone, since a day has no hour.
CAMPAIGN_PERFORMANCE_DAILY: dict[str, pl.DataType] = {
    "client_id": pl.String(),
    "platform": pl.String(),
    "account_id": pl.String(),
    "campaign_id": pl.String(),
    "local_date": pl.Date(),
    "currency": pl.String(),
    "spend": MONEY,
    "impressions": pl.Int64(),
    "clicks": pl.Int64(),
    "conversions": CONVERSIONS,
    "conversion_value": MONEY,
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
    "tiktok_campaign_hourly_raw": TIKTOK_RAW,
    "tiktok_campaign_performance_hourly": CAMPAIGN_PERFORMANCE_HOURLY,
    "microsoft_ads_campaign_hourly_raw": MICROSOFT_ADS_RAW,
    "microsoft_ads_campaign_performance_hourly": CAMPAIGN_PERFORMANCE_HOURLY,
    "linkedin_campaign_daily_raw": LINKEDIN_RAW,
    "linkedin_campaign_performance_daily": CAMPAIGN_PERFORMANCE_DAILY,
}
