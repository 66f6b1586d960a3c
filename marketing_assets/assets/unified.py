"""The unified hourly table dashboards read."""

from datetime import UTC, datetime

import dagster as dg
import polars as pl

from marketing_assets.assets.metadata import PARTITION_COLUMNS, spend_by_currency
from marketing_assets.assets.raw import SINGLE_RUN
from marketing_assets.partitions import client_hour_partitions
from marketing_assets.sync.unify import unify


@dg.asset(
    partitions_def=client_hour_partitions,
    backfill_policy=SINGLE_RUN,
    io_manager_key="warehouse_io_manager",
    metadata=PARTITION_COLUMNS,
    group_name="reporting",
    kinds={"polars", "postgres"},
    owners=["team:data-engineering"],
    description=(
        "One row per client, platform, account, campaign and UTC hour: spend as an exact "
        "decimal in the account currency, impressions and clicks, conversions, and the "
        "account-local date, hour and time zone the platform reported."
    ),
)
def campaign_performance_hourly(
    context: dg.AssetExecutionContext,
    google_ads_campaign_hourly_raw: pl.DataFrame,
    meta_campaign_hourly_raw: pl.DataFrame,
) -> pl.DataFrame:
    frame = unify(
        google_ads_campaign_hourly_raw,
        meta_campaign_hourly_raw,
        run_id=context.run.run_id,
        loaded_at=datetime.now(UTC),
    )
    context.log.info("Unified %d rows", frame.height)
    context.add_output_metadata(
        {
            "rows": frame.height,
            "rows_by_platform": dg.MetadataValue.json(
                dict(frame.group_by("platform").len().sort("platform").rows())
            ),
            "spend_by_currency": dg.MetadataValue.json(
                spend_by_currency(frame, spend=pl.col("spend"), currency="currency")
            ),
        }
    )
    return frame
