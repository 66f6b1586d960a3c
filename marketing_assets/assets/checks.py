"""Blocking pandera checks: a failure stops bad rows before they reach the unified table.

Each check reads back the rows its asset just wrote for the run's clients and hours, so it
validates what dashboards would read.

Every check of a partitioned asset takes the asset's partitions. Dagster then records each
evaluation against the run's own keys, instead of listing every key of the definition per
run. NOTE: partitioned checks are a preview feature in dagster 1.13 (it warns at import).
A run over a range records one evaluation without a partition, so the UI's check list shows
such a check as Skipped, while its Latest execution panel shows Passed or Failed.
"""

import dagster as dg
import pandera.polars as pa

from marketing_assets.assets.raw import google_ads_campaign_hourly_raw, meta_campaign_hourly_raw
from marketing_assets.assets.unified import (
    google_ads_campaign_performance_hourly,
    meta_campaign_performance_hourly,
)
from marketing_assets.partitions import client_hour_partitions
from marketing_assets.storage.warehouse import WarehouseResource
from marketing_assets.sync.window import window_from_partition_keys
from marketing_assets.validation import (
    CampaignPerformanceHourlySchema,
    GoogleAdsRawSchema,
    MetaRawSchema,
    validation_result,
)


def validate_run_window(
    context: dg.AssetCheckExecutionContext,
    warehouse: WarehouseResource,
    asset: dg.AssetsDefinition,
    schema: type[pa.DataFrameModel],
) -> dg.AssetCheckResult:
    window = window_from_partition_keys(context.op_execution_context.partition_keys)
    frame = warehouse.read_window(asset.key.path[-1], window)
    return validation_result(schema, frame, asset_key=asset.key)


@dg.asset_check(
    partitions_def=client_hour_partitions,
    asset=google_ads_campaign_hourly_raw,
    blocking=True,
    description="Rows match GoogleAdsRawSchema: ids, hours 0-23, metrics >= 0, unique keys.",
)
def google_ads_raw_rows_valid(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    return validate_run_window(
        context, warehouse, google_ads_campaign_hourly_raw, GoogleAdsRawSchema
    )


@dg.asset_check(
    partitions_def=client_hour_partitions,
    asset=meta_campaign_hourly_raw,
    blocking=True,
    description="Rows match MetaRawSchema: ids, hours 0-23, non-negative metrics, unique keys.",
)
def meta_raw_rows_valid(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    return validate_run_window(context, warehouse, meta_campaign_hourly_raw, MetaRawSchema)


@dg.asset_check(
    partitions_def=client_hour_partitions,
    asset=google_ads_campaign_performance_hourly,
    blocking=True,
    description="Rows match CampaignPerformanceHourlySchema, one row per campaign and UTC hour.",
)
def google_ads_campaign_performance_hourly_rows_valid(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    return validate_run_window(
        context, warehouse, google_ads_campaign_performance_hourly, CampaignPerformanceHourlySchema
    )


@dg.asset_check(
    partitions_def=client_hour_partitions,
    asset=meta_campaign_performance_hourly,
    blocking=True,
    description="Rows match CampaignPerformanceHourlySchema, one row per campaign and UTC hour.",
)
def meta_campaign_performance_hourly_rows_valid(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    return validate_run_window(
        context, warehouse, meta_campaign_performance_hourly, CampaignPerformanceHourlySchema
    )
