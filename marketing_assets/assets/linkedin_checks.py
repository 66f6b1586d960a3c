"""Blocking pandera checks of the LinkedIn assets, over the client-day partitions of a run.

Each check reads back the rows its asset just wrote for the run's clients and days, so it
validates what the daily views would read.
"""

import dagster as dg
import pandera.polars as pa

from marketing_assets.assets.linkedin import (
    linkedin_campaign_daily_raw,
    linkedin_campaign_performance_daily,
)
from marketing_assets.partitions import client_day_partitions
from marketing_assets.storage.warehouse import WarehouseResource
from marketing_assets.sync.days import day_window_from_partition_keys
from marketing_assets.validation import validation_result
from marketing_assets.validation_daily import CampaignPerformanceDailySchema, LinkedInRawSchema


def validate_run_days(
    context: dg.AssetCheckExecutionContext,
    warehouse: WarehouseResource,
    asset: dg.AssetsDefinition,
    schema: type[pa.DataFrameModel],
) -> dg.AssetCheckResult:
    window = day_window_from_partition_keys(context.op_execution_context.partition_keys)
    frame = warehouse.read_days(asset.key.path[-1], window)
    return validation_result(schema, frame, asset_key=asset.key)


@dg.asset_check(
    partitions_def=client_day_partitions,
    asset=linkedin_campaign_daily_raw,
    blocking=True,
    description="Rows match LinkedInRawSchema: ids, metrics >= 0, one row per campaign and day.",
)
def linkedin_raw_rows_valid(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    return validate_run_days(context, warehouse, linkedin_campaign_daily_raw, LinkedInRawSchema)


@dg.asset_check(
    partitions_def=client_day_partitions,
    asset=linkedin_campaign_performance_daily,
    blocking=True,
    description="Rows match CampaignPerformanceDailySchema, one row per campaign and day.",
)
def linkedin_campaign_performance_daily_rows_valid(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    return validate_run_days(
        context, warehouse, linkedin_campaign_performance_daily, CampaignPerformanceDailySchema
    )


LINKEDIN_CHECKS = (linkedin_raw_rows_valid, linkedin_campaign_performance_daily_rows_valid)
