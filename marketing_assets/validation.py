"""pandera schemas for the raw and unified frames, and their use as Dagster check results."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import dagster as dg
import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData
from pandera.engines.polars_engine import DateTime, Decimal

from marketing_assets.registry.currencies import ISO_4217_CODES
from marketing_assets.registry.models import DAILY_PLATFORMS, PLATFORMS

DIGITS = r"^[0-9]+$"
# Meta's hour label for hours 0-23, like "09:00:00 - 09:59:59".
HOUR_LABEL = r"^([01][0-9]|2[0-3]):00:00 - ([01][0-9]|2[0-3]):59:59$"
CURRENCY_CODES = sorted(ISO_4217_CODES)
HOURLY_PLATFORMS = [platform for platform in PLATFORMS if platform not in DAILY_PLATFORMS]
# TikTok's hour dimension for hours 0-23, like "2025-03-01 09:00:00".
STAT_TIME_HOUR = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} ([01][0-9]|2[0-3]):00:00$"
# Microsoft's hourly TimePeriod for hours 0-23, like "2023-11-11|01".
TIME_PERIOD = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\|([01][0-9]|2[0-3])$"
# Rows shown in a failed check's metadata; the count of all failures is shown beside it.
MAX_FAILURE_ROWS_SHOWN = 50


def currency_is_iso_4217(data: PolarsData) -> pl.LazyFrame:
    return data.lazyframe.select(pl.col(data.key).is_in(CURRENCY_CODES))


class _LoadColumns(pa.DataFrameModel):
    client_id: str = pa.Field(str_matches=r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
    utc_hour: DateTime = pa.Field(dtype_kwargs={"time_unit": "us", "time_zone": "UTC"})
    local_date: pl.Date
    local_hour: pl.Int16 = pa.Field(ge=0, le=23)
    impressions: pl.Int64 = pa.Field(ge=0)
    clicks: pl.Int64 = pa.Field(ge=0)
    conversions: Decimal = pa.Field(ge=0, dtype_kwargs={"precision": 38, "scale": 9})
    campaign_id: str = pa.Field(str_matches=DIGITS)
    campaign_name: str
    loaded_at: DateTime = pa.Field(dtype_kwargs={"time_unit": "us", "time_zone": "UTC"})
    dagster_run_id: str


class GoogleAdsRawSchema(_LoadColumns):
    """Google Ads campaign hours as landed: one row per customer, campaign and hour."""

    customer_id: str = pa.Field(str_matches=r"^[0-9]{10}$")
    campaign_status: str
    currency_code: str
    time_zone: str
    cost_micros: pl.Int64 = pa.Field(ge=0)
    conversions_value: Decimal = pa.Field(ge=0, dtype_kwargs={"precision": 38, "scale": 6})

    @pa.check("currency_code", name="iso_4217_currency_code")
    def _currency_code_is_iso_4217(cls, data: PolarsData) -> pl.LazyFrame:
        return currency_is_iso_4217(data)

    class Config:
        strict = True
        unique = ("client_id", "utc_hour", "customer_id", "campaign_id")


class MetaRawSchema(_LoadColumns):
    """Meta campaign hours as landed: one row per ad account, campaign and hour."""

    account_id: str = pa.Field(str_matches=DIGITS)
    account_currency: str
    time_zone: str
    hourly_stats: str = pa.Field(str_matches=HOUR_LABEL)
    spend: Decimal = pa.Field(ge=0, dtype_kwargs={"precision": 38, "scale": 6})
    conversion_value: Decimal = pa.Field(ge=0, dtype_kwargs={"precision": 38, "scale": 6})
    actions: str

    @pa.check("account_currency", name="iso_4217_currency_code")
    def _account_currency_is_iso_4217(cls, data: PolarsData) -> pl.LazyFrame:
        return currency_is_iso_4217(data)

    class Config:
        strict = True
        unique = ("client_id", "utc_hour", "account_id", "campaign_id")


class TikTokRawSchema(_LoadColumns):
    """TikTok campaign hours as landed: one row per advertiser, campaign and hour."""

    advertiser_id: str = pa.Field(str_matches=DIGITS)
    currency: str
    time_zone: str
    stat_time_hour: str = pa.Field(str_matches=STAT_TIME_HOUR)
    spend: Decimal = pa.Field(ge=0, dtype_kwargs={"precision": 38, "scale": 6})

    @pa.check("currency", name="iso_4217_currency_code")
    def _currency_is_iso_4217(cls, data: PolarsData) -> pl.LazyFrame:
        return currency_is_iso_4217(data)

    class Config:
        strict = True
        unique = ("client_id", "utc_hour", "advertiser_id", "campaign_id")


class MicrosoftAdsRawSchema(_LoadColumns):
    """Microsoft Advertising campaign hours as landed: one row per account, campaign and hour."""

    account_id: str = pa.Field(str_matches=DIGITS)
    currency_code: str
    time_zone: str
    report_time_zone: str
    time_period: str = pa.Field(str_matches=TIME_PERIOD)
    spend: Decimal = pa.Field(ge=0, dtype_kwargs={"precision": 38, "scale": 6})
    revenue: Decimal = pa.Field(ge=0, dtype_kwargs={"precision": 38, "scale": 6})

    @pa.check("currency_code", name="iso_4217_currency_code")
    def _currency_code_is_iso_4217(cls, data: PolarsData) -> pl.LazyFrame:
        return currency_is_iso_4217(data)

    class Config:
        strict = True
        unique = ("client_id", "utc_hour", "account_id", "campaign_id")


class CampaignPerformanceHourlySchema(_LoadColumns):
    """The unified table dashboards read."""

    platform: str = pa.Field(isin=HOURLY_PLATFORMS)
    account_id: str = pa.Field(str_matches=DIGITS)
    account_time_zone: str
    currency: str
    spend: Decimal = pa.Field(ge=0, dtype_kwargs={"precision": 38, "scale": 6})
    conversion_value: Decimal = pa.Field(ge=0, dtype_kwargs={"precision": 38, "scale": 6})
    reporting_currency: str
    spend_reporting: Decimal = pa.Field(ge=0, dtype_kwargs={"precision": 38, "scale": 6})
    fx_rate_date: pl.Date = pa.Field(nullable=True)

    @pa.check("currency", "reporting_currency", name="iso_4217_currency_code")
    def _currency_is_iso_4217(cls, data: PolarsData) -> pl.LazyFrame:
        return currency_is_iso_4217(data)

    class Config:
        strict = True
        unique = ("client_id", "platform", "account_id", "campaign_id", "utc_hour")


def validation_result(
    schema: type[pa.DataFrameModel], frame: pl.DataFrame, *, asset_key: dg.AssetKey
) -> dg.AssetCheckResult:
    """Validate ``frame`` against ``schema`` and return a check result listing failing rows."""
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = failure_cases(errors, frame)
        return dg.AssetCheckResult(
            asset_key=asset_key,
            passed=False,
            severity=dg.AssetCheckSeverity.ERROR,
            description=(
                f"{cases.height} value(s) in {frame.height} row(s) break {schema.__name__}; the "
                "failing rows are listed in the metadata. Downstream assets were not updated."
            ),
            metadata={
                "failure_count": cases.height,
                "rows_checked": frame.height,
                "failing_rows": dg.MetadataValue.md(
                    markdown_table(cases.head(MAX_FAILURE_ROWS_SHOWN))
                ),
            },
        )
    return dg.AssetCheckResult(
        asset_key=asset_key, passed=True, metadata={"rows_checked": frame.height}
    )


def failure_cases(errors: pa.errors.SchemaErrors, frame: pl.DataFrame) -> pl.DataFrame:
    """Join pandera's failure cases to the identifying columns of the rows they came from."""
    cases = errors.failure_cases.select(
        pl.col("column").cast(pl.String),
        pl.col("check").cast(pl.String),
        pl.col("failure_case").cast(pl.String),
        pl.col("index").cast(pl.Int64),
    )
    key_columns = [
        column
        for column in (
            "client_id",
            "utc_hour",
            "local_date",
            "account_id",
            "customer_id",
            "advertiser_id",
            "campaign_id",
        )
        if column in frame.columns
    ]
    keyed = frame.with_row_index("index").select(
        pl.col("index").cast(pl.Int64), *(pl.col(column).cast(pl.String) for column in key_columns)
    )
    return cases.join(keyed, on="index", how="left")


def markdown_table(frame: pl.DataFrame) -> str:
    return markdown_table_rows(frame.columns, frame.rows())


def markdown_table_rows(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Render rows as a Markdown table for Dagster metadata, escaping pipes and newlines."""

    def cell(value: object) -> str:
        return "" if value is None else str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines)
