"""Each platform's rows in the unified shape dashboards read.

Every platform has its own unified asset and table, and the view
marketing.campaign_performance_hourly stacks them. A platform that fails in a run then
leaves the other platforms' rows of that run loaded, instead of skipping one shared asset.
"""

from datetime import UTC, datetime

import dagster as dg
import polars as pl

from marketing_assets.assets.column_schemas import CAMPAIGN_PERFORMANCE_HOURLY_COLUMNS
from marketing_assets.assets.freshness import UNIFIED_FRESHNESS_POLICY
from marketing_assets.assets.fx import fx_rates
from marketing_assets.assets.metadata import PARTITION_COLUMNS, spend_by_currency
from marketing_assets.assets.policies import SINGLE_RUN
from marketing_assets.assets.raw import google_ads_campaign_hourly_raw, meta_campaign_hourly_raw
from marketing_assets.partitions import client_hour_partitions
from marketing_assets.resources import RegistryResource
from marketing_assets.storage.clients import upsert_clients
from marketing_assets.storage.warehouse import WarehouseResource
from marketing_assets.sync.reporting_currency import load_rate_table, with_reporting_spend
from marketing_assets.sync.unify import conform
from marketing_assets.sync.window import window_from_context

PLATFORM_TITLES = {"google_ads": "Google Ads", "meta": "Meta"}


def unified_asset(
    platform: str, raw_asset: dg.AssetsDefinition, title: str | None = None
) -> dg.AssetsDefinition:
    """Build the unified asset of one platform, reading that platform's raw asset.

    `title` names the platform in the description; PLATFORM_TITLES gives it when None.
    """
    raw_name = raw_asset.key.path[-1]
    title = title or PLATFORM_TITLES[platform]

    @dg.asset(
        name=f"{platform}_campaign_performance_hourly",
        ins={"raw": dg.AssetIn(raw_asset.key)},
        partitions_def=client_hour_partitions,
        backfill_policy=SINGLE_RUN,
        freshness_policy=UNIFIED_FRESHNESS_POLICY,
        io_manager_key="warehouse_io_manager",
        metadata={**PARTITION_COLUMNS, **CAMPAIGN_PERFORMANCE_HOURLY_COLUMNS},
        deps=[fx_rates],
        group_name=platform,
        kinds={"polars", "postgres"},
        owners=["team:data-engineering"],
        description=(
            f"{title} rows of the view campaign_performance_hourly: one row "
            "per client, account, campaign and UTC hour, with spend as an exact decimal in the "
            "account currency and converted into the client's reporting currency, impressions, "
            "clicks, conversions, and the account-local date, hour and time zone the platform "
            f"reported. Built from {raw_name}."
        ),
    )
    def _unified(
        context: dg.AssetExecutionContext,
        raw: pl.DataFrame,
        registry: RegistryResource,
        warehouse: WarehouseResource,
    ) -> pl.DataFrame:
        frame = conform(raw, platform, run_id=context.run.run_id, loaded_at=datetime.now(UTC))
        frame = convert_to_reporting_currency(context, frame, registry, warehouse)
        context.log.info("Unified %d %s rows", frame.height, platform)
        context.add_output_metadata(unified_metadata(frame))
        return frame

    return _unified


def convert_to_reporting_currency(
    context: dg.AssetExecutionContext,
    frame: pl.DataFrame,
    registry: RegistryResource,
    warehouse: WarehouseResource,
) -> pl.DataFrame:
    """Add spend in each client's reporting currency, then record the clients' settings."""
    registered = registry.load()
    clients = [
        registered.client(client_id) for client_id in window_from_context(context).client_ids
    ]
    reporting_currency = {client.client_id: client.currency for client in clients}
    with warehouse.connection() as connection:
        rates = load_rate_table(connection, frame, reporting_currency)
        frame = with_reporting_spend(frame, reporting_currency, rates)
        # Only after the conversion succeeded: a failed run must not relabel the client.
        upsert_clients(connection, clients)
    return frame


def unified_metadata(frame: pl.DataFrame) -> dict[str, object]:
    return {
        "rows": frame.height,
        "spend_by_currency": dg.MetadataValue.json(
            spend_by_currency(frame, spend=pl.col("spend"), currency="currency")
        ),
        "spend_by_reporting_currency": dg.MetadataValue.json(
            spend_by_currency(frame, spend=pl.col("spend_reporting"), currency="reporting_currency")
        ),
    }


google_ads_campaign_performance_hourly = unified_asset("google_ads", google_ads_campaign_hourly_raw)
meta_campaign_performance_hourly = unified_asset("meta", meta_campaign_hourly_raw)
UNIFIED_ASSETS = (google_ads_campaign_performance_hourly, meta_campaign_performance_hourly)
