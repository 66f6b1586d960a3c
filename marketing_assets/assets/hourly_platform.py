"""The assets and checks of one hourly platform, built from a short spec of the platform.

A platform brings its client (platforms/<name>/), a fetch of a window's raw rows
(sync/<name>.py), a reshape to the unified table (sync/unify.py TO_UNIFIED) and a comparison
with its daily figures (sync/reconciliation_<name>.py). Its spec lists those, and
build_hourly_platform turns it into the raw asset, the unified asset, their blocking pandera
checks and the reconciliation check, named like the Google Ads and Meta ones.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import dagster as dg
import pandera.polars as pa
import polars as pl
import psycopg2.extensions

from marketing_assets.assets.checks import validate_run_window
from marketing_assets.assets.column_schemas import column_schema_metadata
from marketing_assets.assets.metadata import PARTITION_COLUMNS, fetch_metadata
from marketing_assets.assets.policies import (
    SINGLE_RUN,
    no_step_retry_for_permanent_errors,
    platform_pool,
    platform_retry_policy,
)
from marketing_assets.assets.reconciliation import RECONCILIATION_DESCRIPTION, reconcile_run_window
from marketing_assets.assets.unified import unified_asset
from marketing_assets.partitions import client_hour_partitions
from marketing_assets.registry import Client
from marketing_assets.sync.reconciliation import DayComparison
from marketing_assets.sync.stats import FetchStats, counting_retries
from marketing_assets.sync.window import SyncWindow, window_from_context
from marketing_assets.validation import CampaignPerformanceHourlySchema

# fetch_window(resource, registry, window, *, run_id, loaded_at, stats, log) -> raw rows.
FetchWindow = Callable[..., pl.DataFrame]
# compare_days(resource, connection, client, window, log) -> one comparison per account-day.
CompareDays = Callable[
    [
        Any,
        psycopg2.extensions.connection,
        Client,
        SyncWindow,
        logging.Logger | logging.LoggerAdapter,
    ],
    list[DayComparison],
]


@dataclass(frozen=True)
class HourlyPlatformSpec:
    """Settings and functions that one hourly platform's assets are built from.

    `platform` is the registry's name of the platform, which is also the asset group and
    the prefix of the asset, table and check names. `raw_columns` are the raw table's columns
    (tables.py), which `raw_schema` validates. `spend` computes spend in the account currency
    from raw columns, and `currency_column` contains that currency, for the fetch metadata.
    """

    platform: str
    label: str
    resource_key: str
    fetch_window: FetchWindow
    raw_columns: dict[str, pl.DataType]
    raw_schema: type[pa.DataFrameModel]
    raw_description: str
    spend: pl.Expr
    currency_column: str
    compare_days: CompareDays

    @property
    def raw_asset_name(self) -> str:
        return f"{self.platform}_campaign_hourly_raw"


@dataclass(frozen=True)
class HourlyPlatformDefinitions:
    """The raw and unified assets of one platform and the checks on them."""

    raw_asset: dg.AssetsDefinition
    unified_asset: dg.AssetsDefinition
    checks: tuple[dg.AssetChecksDefinition, ...]

    @property
    def assets(self) -> tuple[dg.AssetsDefinition, ...]:
        return (self.raw_asset, self.unified_asset)


def build_hourly_platform(spec: HourlyPlatformSpec) -> HourlyPlatformDefinitions:
    raw = raw_asset(spec)
    unified = unified_asset(spec.platform, raw, title=spec.label)
    checks = (
        rows_valid_check(
            raw,
            spec.raw_schema,
            name=f"{spec.platform}_raw_rows_valid",
            description=f"Rows match {spec.raw_schema.__name__}: ids, hours 0-23, metrics >= 0, "
            "unique keys.",
        ),
        rows_valid_check(
            unified,
            CampaignPerformanceHourlySchema,
            name=f"{unified.key.path[-1]}_rows_valid",
            description="Rows match CampaignPerformanceHourlySchema, one row per campaign and "
            "UTC hour.",
        ),
        reconciliation_check(spec, unified),
    )
    return HourlyPlatformDefinitions(raw, unified, checks)


def raw_asset(spec: HourlyPlatformSpec) -> dg.AssetsDefinition:
    @dg.asset(
        name=spec.raw_asset_name,
        partitions_def=client_hour_partitions,
        backfill_policy=SINGLE_RUN,
        retry_policy=platform_retry_policy(),
        io_manager_key="warehouse_io_manager",
        metadata={
            **PARTITION_COLUMNS,
            **column_schema_metadata(spec.raw_schema, spec.raw_columns),
        },
        group_name=spec.platform,
        pool=platform_pool(spec.platform),
        kinds={"polars", "postgres"},
        owners=["team:data-engineering"],
        description=spec.raw_description,
        required_resource_keys={spec.resource_key, "registry"},
    )
    def _raw(context: dg.AssetExecutionContext) -> pl.DataFrame:
        window = window_from_context(context)
        stats = FetchStats()
        context.log.info("Fetching %s campaign hours for %s", spec.label, window.describe())
        with no_step_retry_for_permanent_errors(), counting_retries(stats):
            frame = spec.fetch_window(
                getattr(context.resources, spec.resource_key),
                context.resources.registry.load(),
                window,
                run_id=context.run.run_id,
                loaded_at=datetime.now(UTC),
                stats=stats,
                log=context.log,
            )
        context.log.info("Fetched %d rows with %d API requests", frame.height, stats.requests)
        context.add_output_metadata(
            fetch_metadata(frame, window, stats, spend=spec.spend, currency=spec.currency_column)
        )
        return frame

    return _raw


def rows_valid_check(
    asset: dg.AssetsDefinition,
    schema: type[pa.DataFrameModel],
    *,
    name: str,
    description: str,
) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        partitions_def=client_hour_partitions,
        asset=asset,
        name=name,
        blocking=True,
        description=description,
        required_resource_keys={"warehouse"},
    )
    def _rows_valid(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
        return validate_run_window(context, context.resources.warehouse, asset, schema)

    return _rows_valid


def reconciliation_check(
    spec: HourlyPlatformSpec, unified: dg.AssetsDefinition
) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        partitions_def=client_hour_partitions,
        asset=unified,
        name=f"{spec.platform}_reconciles_with_platform_days",
        description=RECONCILIATION_DESCRIPTION,
        pool=platform_pool(spec.platform),
        required_resource_keys={spec.resource_key, "registry", "warehouse"},
    )
    def _reconciles(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
        resource = getattr(context.resources, spec.resource_key)
        return reconcile_run_window(
            context,
            context.resources.registry,
            context.resources.warehouse,
            lambda connection, client, window: spec.compare_days(
                resource, connection, client, window, context.log
            ),
        )

    return _reconciles
