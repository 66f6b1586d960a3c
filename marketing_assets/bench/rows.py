"""Synthetic rows in the unified table's shape, for the write-path benchmark."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import polars as pl
from dagster import TimeWindow
from dagster._core.storage.db_io_manager import TablePartitionDimension, TableSlice

from marketing_assets.tables import CAMPAIGN_PERFORMANCE_HOURLY, SCHEMA_NAME

BENCH_TABLE = "google_ads_campaign_performance_hourly"
CLIENTS = 10
CAMPAIGNS_PER_CLIENT_HOUR = 25
FIRST_HOUR = datetime(2026, 3, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class BenchRows:
    """A frame of unified rows and the table slice (clients x UTC hours) it fills exactly."""

    frame: pl.DataFrame
    table_slice: TableSlice


def bench_rows(row_count: int) -> BenchRows:
    """Build ``row_count`` rows: 10 clients x 25 campaigns x as many UTC hours as needed.

    Numbers vary per row, so every partition hash differs and nothing compresses trivially.
    """
    per_hour = CLIENTS * CAMPAIGNS_PER_CLIENT_HOUR
    hours = max(1, -(-row_count // per_hour))
    index = pl.int_range(0, row_count, eager=True).alias("row")
    frame = pl.DataFrame(index).with_columns(
        client_number=(pl.col("row") // CAMPAIGNS_PER_CLIENT_HOUR) % CLIENTS,
        campaign_number=pl.col("row") % CAMPAIGNS_PER_CLIENT_HOUR,
        hour_number=pl.col("row") // per_hour,
    )
    utc_hour = pl.lit(FIRST_HOUR) + pl.duration(hours=pl.col("hour_number"))
    money = (pl.col("row") * 7919 % 1_000_000_007).cast(pl.Decimal(38, 6)) / 1000
    frame = frame.select(
        client_id=pl.format("bench-client-{}", pl.col("client_number")),
        platform=pl.lit("google_ads"),
        account_id=pl.format("48201{}", pl.col("client_number") + 10000),
        campaign_id=pl.format("2100000{}", pl.col("campaign_number") + 1000),
        campaign_name=pl.format("Campaign {} - spring sale", pl.col("campaign_number")),
        utc_hour=utc_hour,
        local_date=utc_hour.dt.date(),
        local_hour=utc_hour.dt.hour().cast(pl.Int16),
        account_time_zone=pl.lit("Europe/Berlin"),
        currency=pl.lit("EUR"),
        spend=money,
        impressions=pl.col("row") % 5000,
        clicks=pl.col("row") % 97,
        conversions=(pl.col("row") % 13).cast(pl.Decimal(38, 9)) / 4,
        conversion_value=money * 3,
        reporting_currency=pl.lit("USD"),
        spend_reporting=(money * 1.08).round(6),
        fx_rate_date=utc_hour.dt.date(),
        loaded_at=pl.lit(FIRST_HOUR),
        dagster_run_id=pl.lit("bench-run"),
    )
    frame = frame.select(
        pl.col(name).cast(dtype) for name, dtype in CAMPAIGN_PERFORMANCE_HOURLY.items()
    )
    table_slice = TableSlice(
        table=BENCH_TABLE,
        schema=SCHEMA_NAME,
        partition_dimensions=[
            TablePartitionDimension(
                "client_id", [f"bench-client-{number}" for number in range(CLIENTS)]
            ),
            TablePartitionDimension(
                "utc_hour", TimeWindow(FIRST_HOUR, FIRST_HOUR + timedelta(hours=hours))
            ),
        ],
    )
    return BenchRows(frame, table_slice)
