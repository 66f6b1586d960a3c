"""The per-client freshness checks of the unified assets, as the UI shows them.

The freshness sensor reports these checks without a run every few minutes. Executing them
from the UI evaluates the same rule at that moment.
"""

from collections.abc import Iterator
from datetime import UTC, datetime

import dagster as dg

from marketing_assets.freshness.alerts import unified_asset_key
from marketing_assets.freshness.evaluate import read_client_freshness
from marketing_assets.freshness.report import platform_outcome
from marketing_assets.registry.models import DAILY_PLATFORMS, PLATFORMS
from marketing_assets.resources import RegistryResource
from marketing_assets.storage.clients import sync_freshness_settings
from marketing_assets.storage.warehouse import WarehouseResource


def freshness_check_name(platform: str) -> str:
    return f"{unified_asset_key(platform).path[-1]}_fresh_per_client"


def freshness_check_description(platform: str) -> str:
    thresholds = (
        "fails with severity WARN when a client is past its warn threshold and ERROR when one "
        "is past its fail threshold (registry field 'freshness')."
    )
    if platform in DAILY_PLATFORMS:
        return (
            f"Every registered client with {platform} accounts has its latest complete day "
            "loaded, where a day is complete once it has ended in the client's time zone and "
            "the platform's reporting delay has passed. The lag counts from the moment the next "
            f"day became complete, so the thresholds are minutes past that moment: {thresholds} "
            "The table lists each client's last complete day and lag."
        )
    return (
        f"Every registered client with {platform} accounts has a recent hour loaded: "
        f"{thresholds} The table lists each client's last loaded UTC hour and lag."
    )


FRESHNESS_CHECK_SPECS = tuple(
    dg.AssetCheckSpec(
        name=freshness_check_name(platform),
        asset=unified_asset_key(platform),
        description=freshness_check_description(platform),
    )
    for platform in PLATFORMS
)


def freshness_check_key(platform: str) -> dg.AssetCheckKey:
    return dg.AssetCheckKey(unified_asset_key(platform), freshness_check_name(platform))


@dg.multi_asset_check(specs=FRESHNESS_CHECK_SPECS, can_subset=True)
def client_freshness_checks(
    context: dg.AssetCheckExecutionContext,
    registry: RegistryResource,
    warehouse: WarehouseResource,
) -> Iterator[dg.AssetCheckResult]:
    now = datetime.now(UTC)
    with warehouse.connection() as connection, connection:
        sync_freshness_settings(connection, registry.load().clients, now=now)
        rows = read_client_freshness(connection, as_of=now)
    for platform in PLATFORMS:
        if freshness_check_key(platform) not in context.selected_asset_check_keys:
            continue
        outcome = platform_outcome(platform, rows, as_of=now)
        yield dg.AssetCheckResult(
            asset_key=unified_asset_key(platform),
            check_name=freshness_check_name(platform),
            passed=outcome.passed,
            severity=outcome.severity,
            description=outcome.description,
            metadata=outcome.metadata,
        )
