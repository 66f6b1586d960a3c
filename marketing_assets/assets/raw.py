"""Raw landing assets: each platform's campaign hours as the platform reported them."""

from datetime import UTC, datetime

import dagster as dg
import polars as pl

from marketing_assets.assets.column_schemas import GOOGLE_ADS_RAW_COLUMNS, META_RAW_COLUMNS
from marketing_assets.assets.metadata import PARTITION_COLUMNS, fetch_metadata
from marketing_assets.assets.policies import (
    SINGLE_RUN,
    no_step_retry_for_permanent_errors,
    platform_pool,
    platform_retry_policy,
)
from marketing_assets.partitions import client_hour_partitions
from marketing_assets.platforms.google_ads.resource import GoogleAdsResource
from marketing_assets.platforms.meta.resource import MetaResource
from marketing_assets.resources import RegistryResource
from marketing_assets.sync.google_ads import fetch_google_ads_window
from marketing_assets.sync.meta import fetch_meta_window
from marketing_assets.sync.stats import FetchStats, counting_retries
from marketing_assets.sync.window import window_from_context


@dg.asset(
    partitions_def=client_hour_partitions,
    backfill_policy=SINGLE_RUN,
    retry_policy=platform_retry_policy(),
    io_manager_key="warehouse_io_manager",
    metadata={**PARTITION_COLUMNS, **GOOGLE_ADS_RAW_COLUMNS},
    group_name="google_ads",
    pool=platform_pool("google_ads"),
    kinds={"polars", "postgres"},
    owners=["team:data-engineering"],
    description=(
        "Google Ads campaign metrics per account-local hour, as searchStream returned them "
        "(cost in micros of the account currency), with the UTC hour each local hour maps to."
    ),
)
def google_ads_campaign_hourly_raw(
    context: dg.AssetExecutionContext, google_ads: GoogleAdsResource, registry: RegistryResource
) -> pl.DataFrame:
    window = window_from_context(context)
    stats = FetchStats()
    context.log.info("Fetching Google Ads campaign hours for %s", window.describe())
    with no_step_retry_for_permanent_errors(), counting_retries(stats):
        frame = fetch_google_ads_window(
            google_ads,
            registry.load(),
            window,
            run_id=context.run.run_id,
            loaded_at=datetime.now(UTC),
            stats=stats,
            log=context.log,
        )
    context.log.info("Fetched %d rows with %d API requests", frame.height, stats.requests)
    spend = pl.col("cost_micros").cast(pl.Decimal(38, 0)) / 1_000_000
    context.add_output_metadata(
        fetch_metadata(frame, window, stats, spend=spend, currency="currency_code")
    )
    return frame


@dg.asset(
    partitions_def=client_hour_partitions,
    backfill_policy=SINGLE_RUN,
    retry_policy=platform_retry_policy(),
    io_manager_key="warehouse_io_manager",
    metadata={**PARTITION_COLUMNS, **META_RAW_COLUMNS},
    group_name="meta",
    pool=platform_pool("meta"),
    kinds={"polars", "postgres"},
    owners=["team:data-engineering"],
    description=(
        "Meta campaign insights per ad-account-local hour (hourly_stats_aggregated_by_"
        "advertiser_time_zone), with spend as the decimal Meta reported and the UTC hour each "
        "local hour maps to."
    ),
)
def meta_campaign_hourly_raw(
    context: dg.AssetExecutionContext, meta: MetaResource, registry: RegistryResource
) -> pl.DataFrame:
    window = window_from_context(context)
    stats = FetchStats()
    context.log.info("Fetching Meta campaign hours for %s", window.describe())
    with no_step_retry_for_permanent_errors(), counting_retries(stats):
        frame = fetch_meta_window(
            meta,
            registry.load(),
            window,
            run_id=context.run.run_id,
            loaded_at=datetime.now(UTC),
            stats=stats,
            log=context.log,
        )
    context.log.info("Fetched %d rows with %d API requests", frame.height, stats.requests)
    context.add_output_metadata(
        fetch_metadata(frame, window, stats, spend=pl.col("spend"), currency="account_currency")
    )
    return frame
