"""The ECB euro reference rates that convert spend into each client's reporting currency."""

import dagster as dg

from marketing_assets.fx.resource import EcbRatesResource
from marketing_assets.storage.fx_rates import upsert_rates
from marketing_assets.storage.warehouse import WarehouseResource


@dg.asset(
    group_name="fx",
    kinds={"postgres"},
    owners=["team:data-engineering"],
    description=(
        "ECB euro foreign exchange reference rates (units per euro, one fixing per TARGET "
        "business day) in marketing.fx_rates; later fixings correct earlier ones in place."
    ),
)
def fx_rates(
    context: dg.AssetExecutionContext, ecb_rates: EcbRatesResource, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    rates = ecb_rates.fetch_rates()
    with warehouse.connection() as connection:
        count = upsert_rates(connection, rates)
    latest = max(rate.rate_date for rate in rates)
    currencies = sorted({rate.currency for rate in rates})
    context.log.info("Stored %d rates for %d currencies up to %s", count, len(currencies), latest)
    return dg.MaterializeResult(
        metadata={
            "rates": count,
            "latest_fixing": dg.MetadataValue.text(latest.isoformat()),
            "currencies": dg.MetadataValue.text(", ".join(currencies)),
        }
    )


fx_rates_job = dg.define_asset_job(
    name="fx_rates_job",
    selection=[fx_rates],
    executor_def=dg.in_process_executor,
    description="Fetch the ECB reference rates into marketing.fx_rates.",
)

fx_rates_schedule = dg.ScheduleDefinition(
    name="fx_rates_schedule",
    job=fx_rates_job,
    # The ECB publishes around 16:00 Frankfurt time on TARGET business days.
    cron_schedule="30 16 * * 1-5",
    execution_timezone="Europe/Berlin",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
