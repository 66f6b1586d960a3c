"""LinkedIn assets: campaign days as reported, and in the unified daily shape.

LinkedIn's adAnalytics has no hourly grain, so these assets are partitioned by client and
day. Their rows reach the daily views and never the hourly view: a day is not spread over
hours it was not reported in.
"""

from datetime import UTC, datetime

import dagster as dg
import polars as pl

from marketing_assets.assets.column_schemas import column_schema_metadata
from marketing_assets.assets.freshness import DAILY_FRESHNESS_POLICY
from marketing_assets.assets.fx import fx_rates
from marketing_assets.assets.metadata import spend_by_currency
from marketing_assets.assets.policies import (
    SINGLE_RUN,
    no_step_retry_for_permanent_errors,
    platform_pool,
    platform_retry_policy,
)
from marketing_assets.assets.unified import unified_metadata
from marketing_assets.partitions import client_day_partitions
from marketing_assets.platforms.linkedin.resource import LinkedInResource
from marketing_assets.resources import RegistryResource
from marketing_assets.storage.clients import upsert_clients
from marketing_assets.storage.warehouse import WarehouseResource
from marketing_assets.sync.days import DayWindow, day_window_from_partition_keys
from marketing_assets.sync.linkedin import fetch_linkedin_window
from marketing_assets.sync.reporting_currency import load_rate_table, with_reporting_spend
from marketing_assets.sync.stats import FetchStats, counting_retries
from marketing_assets.sync.unify_daily import linkedin_to_unified_daily
from marketing_assets.tables import CAMPAIGN_PERFORMANCE_DAILY, LINKEDIN_RAW
from marketing_assets.validation_daily import CampaignPerformanceDailySchema, LinkedInRawSchema

GROUP = "linkedin"
# Tells the IO manager which column each partition dimension maps to.
DAY_PARTITION_COLUMNS = {"partition_expr": {"client": "client_id", "day": "local_date"}}
REPORTED_DAY = (
    "local_date is the date LinkedIn reported, a day in the ad account's time zone. LinkedIn "
    "exposes no account time zone, so freshness and the schedule take the client's."
)


@dg.asset(
    partitions_def=client_day_partitions,
    backfill_policy=SINGLE_RUN,
    retry_policy=platform_retry_policy(),
    io_manager_key="warehouse_io_manager",
    metadata={**DAY_PARTITION_COLUMNS, **column_schema_metadata(LinkedInRawSchema, LINKEDIN_RAW)},
    group_name=GROUP,
    pool=platform_pool(GROUP),
    kinds={"polars", "postgres"},
    owners=["team:data-engineering"],
    description=(
        "LinkedIn adAnalytics campaign days (pivot=CAMPAIGN, timeGranularity=DAILY), one row "
        "per campaign and day with costInLocalCurrency as the exact decimal LinkedIn sent. "
        f"{REPORTED_DAY} LinkedIn has no hourly figures, so these rows have no hour."
    ),
)
def linkedin_campaign_daily_raw(
    context: dg.AssetExecutionContext, linkedin: LinkedInResource, registry: RegistryResource
) -> pl.DataFrame:
    window = day_window_from_partition_keys(context.partition_keys)
    stats = FetchStats()
    context.log.info("Fetching LinkedIn campaign days for %s", window.describe())
    with no_step_retry_for_permanent_errors(), counting_retries(stats):
        frame = fetch_linkedin_window(
            linkedin,
            registry.load(),
            window,
            run_id=context.run.run_id,
            loaded_at=datetime.now(UTC),
            stats=stats,
            log=context.log,
        )
    context.log.info("Fetched %d rows with %d API requests", frame.height, stats.requests)
    context.add_output_metadata(fetch_metadata(frame, window, stats))
    return frame


@dg.asset(
    ins={"raw": dg.AssetIn(linkedin_campaign_daily_raw.key)},
    partitions_def=client_day_partitions,
    backfill_policy=SINGLE_RUN,
    freshness_policy=DAILY_FRESHNESS_POLICY,
    io_manager_key="warehouse_io_manager",
    metadata={
        **DAY_PARTITION_COLUMNS,
        **column_schema_metadata(CampaignPerformanceDailySchema, CAMPAIGN_PERFORMANCE_DAILY),
    },
    deps=[fx_rates],
    group_name=GROUP,
    kinds={"polars", "postgres"},
    owners=["team:data-engineering"],
    description=(
        "LinkedIn rows of the daily views (campaign_performance_daily and the rollups above "
        "it), never of the hourly view: one row per client, account, campaign and day, with "
        "spend as an exact decimal in the account currency and converted into the client's "
        f"reporting currency, impressions, clicks and conversions. {REPORTED_DAY} No "
        "reconciliation check: adAnalytics is LinkedIn's only report of these figures, so "
        "there is no independent total to compare with. Built from linkedin_campaign_daily_raw."
    ),
)
def linkedin_campaign_performance_daily(
    context: dg.AssetExecutionContext,
    raw: pl.DataFrame,
    registry: RegistryResource,
    warehouse: WarehouseResource,
) -> pl.DataFrame:
    window = day_window_from_partition_keys(context.partition_keys)
    frame = linkedin_to_unified_daily(raw, run_id=context.run.run_id, loaded_at=datetime.now(UTC))
    frame = convert_to_reporting_currency(frame, window, registry, warehouse)
    context.log.info("Unified %d LinkedIn rows", frame.height)
    context.add_output_metadata(unified_metadata(frame))
    return frame


def convert_to_reporting_currency(
    frame: pl.DataFrame,
    window: DayWindow,
    registry: RegistryResource,
    warehouse: WarehouseResource,
) -> pl.DataFrame:
    """Add spend in each client's reporting currency, then record the clients' settings."""
    registered = registry.load()
    clients = [registered.client(client_id) for client_id in window.client_ids]
    reporting_currency = {client.client_id: client.currency for client in clients}
    with warehouse.connection() as connection:
        rates = load_rate_table(connection, frame, reporting_currency)
        frame = with_reporting_spend(frame, reporting_currency, rates)
        # Only after the conversion succeeded: a failed run must not relabel the client.
        upsert_clients(connection, clients)
    return frame


def fetch_metadata(frame: pl.DataFrame, window: DayWindow, stats: FetchStats) -> dict[str, object]:
    """Describe one fetch: rows, days, requests, retries, seconds, spend per currency."""
    return {
        "rows": frame.height,
        "clients": len(window.client_ids),
        "days": window.days,
        "api_requests": stats.requests,
        "http_retries": stats.retries,
        "fetch_seconds": dg.MetadataValue.float(round(stats.seconds(), 3)),
        "spend_by_currency": dg.MetadataValue.json(
            spend_by_currency(
                frame, spend=pl.col("cost_in_local_currency"), currency="account_currency"
            )
        ),
    }


LINKEDIN_ASSETS = (linkedin_campaign_daily_raw, linkedin_campaign_performance_daily)
