"""The unified hourly table dashboards read."""

from datetime import UTC, datetime

import dagster as dg
import polars as pl

from marketing_assets.assets.fx import fx_rates
from marketing_assets.assets.metadata import PARTITION_COLUMNS, spend_by_currency
from marketing_assets.assets.raw import SINGLE_RUN
from marketing_assets.partitions import client_hour_partitions
from marketing_assets.resources import RegistryResource
from marketing_assets.storage.clients import upsert_clients
from marketing_assets.storage.warehouse import WarehouseResource
from marketing_assets.sync.reporting_currency import load_rate_table, with_reporting_spend
from marketing_assets.sync.unify import unify
from marketing_assets.sync.window import window_from_context


@dg.asset(
    partitions_def=client_hour_partitions,
    backfill_policy=SINGLE_RUN,
    io_manager_key="warehouse_io_manager",
    metadata=PARTITION_COLUMNS,
    deps=[fx_rates],
    group_name="reporting",
    kinds={"polars", "postgres"},
    owners=["team:data-engineering"],
    description=(
        "One row per client, platform, account, campaign and UTC hour: spend as an exact "
        "decimal in the account currency and converted into the client's reporting currency, "
        "impressions and clicks, conversions, and the account-local date, hour and time zone "
        "the platform reported."
    ),
)
def campaign_performance_hourly(
    context: dg.AssetExecutionContext,
    google_ads_campaign_hourly_raw: pl.DataFrame,
    meta_campaign_hourly_raw: pl.DataFrame,
    registry: RegistryResource,
    warehouse: WarehouseResource,
) -> pl.DataFrame:
    frame = unify(
        google_ads_campaign_hourly_raw,
        meta_campaign_hourly_raw,
        run_id=context.run.run_id,
        loaded_at=datetime.now(UTC),
    )
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
            "spend_by_reporting_currency": dg.MetadataValue.json(
                spend_by_currency(
                    frame, spend=pl.col("spend_reporting"), currency="reporting_currency"
                )
            ),
        }
    )
    return frame
