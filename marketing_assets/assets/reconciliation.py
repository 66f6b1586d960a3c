"""Asset check: each whole local day in a run equals the platform's own daily report."""

from collections.abc import Callable

import dagster as dg
import psycopg2.extensions

from marketing_assets.assets.policies import platform_pool
from marketing_assets.assets.unified import (
    google_ads_campaign_performance_hourly,
    meta_campaign_performance_hourly,
)
from marketing_assets.partitions import client_hour_partitions
from marketing_assets.platforms.google_ads.resource import GoogleAdsResource
from marketing_assets.platforms.meta.resource import MetaResource
from marketing_assets.registry import Client
from marketing_assets.resources import RegistryResource
from marketing_assets.storage.warehouse import WarehouseResource
from marketing_assets.sync.reconciliation import (
    DayComparison,
    google_ads_day_comparisons,
    meta_day_comparisons,
)
from marketing_assets.sync.window import SyncWindow, window_from_partition_keys
from marketing_assets.validation import markdown_table_rows

RECONCILIATION_DESCRIPTION = (
    "For every account-local day wholly inside the run, the hourly rows' spend, impressions, "
    "clicks and conversions equal the platform's report for that day without the hourly "
    "breakdown."
)


@dg.asset_check(
    partitions_def=client_hour_partitions,
    asset=google_ads_campaign_performance_hourly,
    name="google_ads_reconciles_with_platform_days",
    pool=platform_pool("google_ads"),
    description=RECONCILIATION_DESCRIPTION,
)
def google_ads_reconciles_with_platform_days(
    context: dg.AssetCheckExecutionContext,
    google_ads: GoogleAdsResource,
    registry: RegistryResource,
    warehouse: WarehouseResource,
) -> dg.AssetCheckResult:
    return reconcile_run_window(
        context,
        registry,
        warehouse,
        lambda connection, client, window: google_ads_day_comparisons(
            google_ads, connection, client, window, context.log
        ),
    )


@dg.asset_check(
    partitions_def=client_hour_partitions,
    asset=meta_campaign_performance_hourly,
    name="meta_reconciles_with_platform_days",
    pool=platform_pool("meta"),
    description=RECONCILIATION_DESCRIPTION
    + " Conversions tracked off Meta appear only in daily reports and are shown, not compared.",
)
def meta_reconciles_with_platform_days(
    context: dg.AssetCheckExecutionContext,
    meta: MetaResource,
    registry: RegistryResource,
    warehouse: WarehouseResource,
) -> dg.AssetCheckResult:
    return reconcile_run_window(
        context,
        registry,
        warehouse,
        lambda connection, client, window: meta_day_comparisons(
            meta, connection, client, window, context.log
        ),
    )


RECONCILIATION_CHECKS = (
    google_ads_reconciles_with_platform_days,
    meta_reconciles_with_platform_days,
)

CompareDays = Callable[[psycopg2.extensions.connection, Client, SyncWindow], list[DayComparison]]


def reconcile_run_window(
    context: dg.AssetCheckExecutionContext,
    registry: RegistryResource,
    warehouse: WarehouseResource,
    compare_days: CompareDays,
) -> dg.AssetCheckResult:
    """Compare every whole account-local day of the run's clients; fail on any difference."""
    window = window_from_partition_keys(context.op_execution_context.partition_keys)
    clients = registry.load()
    comparisons: list[DayComparison] = []
    with warehouse.connection() as connection:
        for client_id in window.client_ids:
            comparisons += compare_days(connection, clients.client(client_id), window)
        connection.rollback()
    mismatches = [item for item in comparisons if item.differences]
    for item in mismatches:
        context.log.error("Reconciliation failed for %s", item.describe_differences())
    description = (
        f"{len(mismatches)} of {len(comparisons)} account-days differ from the platform's daily "
        "report: " + " | ".join(item.describe_differences() for item in mismatches[:5])
        if mismatches
        else f"{len(comparisons)} account-days equal the platform's daily reports."
    )
    return dg.AssetCheckResult(
        passed=not mismatches,
        severity=dg.AssetCheckSeverity.ERROR,
        description=description,
        metadata={
            "account_days_compared": len(comparisons),
            "account_days_different": len(mismatches),
            "comparison": dg.MetadataValue.md(comparison_table(comparisons)),
        },
    )


def comparison_table(comparisons: list[DayComparison]) -> str:
    header = [
        "client",
        "platform",
        "account",
        "local day",
        "currency",
        "spend hourly",
        "spend daily",
        "clicks hourly",
        "clicks daily",
        "conversions hourly",
        "conversions daily",
        "off-platform conversions",
        "status",
    ]
    rows = [
        [
            item.client_id,
            item.platform,
            item.account_id,
            item.local_date,
            item.currency,
            item.hourly.spend,
            item.daily.spend,
            item.hourly.clicks,
            item.daily.clicks,
            item.hourly.conversions,
            item.daily.conversions,
            item.off_platform_conversions,
            "differs" if item.differences else "equal",
        ]
        for item in comparisons
    ]
    return markdown_table_rows(header, rows)
