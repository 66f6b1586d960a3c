"""Build the on-call alerts for one client's platform going stale and catching up."""

from __future__ import annotations

from datetime import datetime

import dagster as dg

from marketing_assets.alerts.models import Alert, freshness_dedup_key
from marketing_assets.freshness.evaluate import ClientFreshness, describe_lag
from marketing_assets.freshness.report import UTC_HOUR_FORMAT

ALERT_SOURCE = "marketing-assets freshness_sensor"


def unified_asset_key(platform: str) -> dg.AssetKey:
    return dg.AssetKey(f"{platform}_campaign_performance_hourly")


def asset_url(dagster_ui_url: str, asset_key: dg.AssetKey) -> str:
    """Return the asset's partitions page in the Dagster UI, where failed hours show."""
    return f"{dagster_ui_url.rstrip('/')}/assets/{'/'.join(asset_key.path)}?view=partitions"


def stale_alert(row: ClientFreshness, *, dagster_ui_url: str, as_of: datetime) -> Alert:
    """Build the trigger for a client's platform past its fail threshold."""
    last_hour = last_hour_text(row)
    lag = describe_lag(row.lag)
    summary = (
        f"{row.platform} data of {row.client_name} ({row.client_id}) is stale: "
        + (
            f"last loaded hour {last_hour}, {lag} behind"
            if row.last_loaded_utc_hour
            else "no hour loaded yet"
        )
        + f" (fail threshold {row.fail_after_minutes} min)."
    )
    return Alert(
        dedup_key=freshness_dedup_key(row.client_id, row.platform),
        action="trigger",
        summary=summary,
        severity="critical",
        source=ALERT_SOURCE,
        component=row.platform,
        group=row.client_id,
        custom_details=freshness_details(row, as_of),
        links=((asset_url(dagster_ui_url, unified_asset_key(row.platform)), "Asset in Dagster"),),
    )


def recovered_alert(row: ClientFreshness, *, dagster_ui_url: str, as_of: datetime) -> Alert:
    """Build the resolve for a client's platform that is fresh again."""
    return Alert(
        dedup_key=freshness_dedup_key(row.client_id, row.platform),
        action="resolve",
        summary=(
            f"{row.platform} data of {row.client_name} ({row.client_id}) is fresh again: "
            f"last loaded hour {last_hour_text(row)}."
        ),
        severity="info",
        source=ALERT_SOURCE,
        component=row.platform,
        group=row.client_id,
        custom_details=freshness_details(row, as_of),
        links=((asset_url(dagster_ui_url, unified_asset_key(row.platform)), "Asset in Dagster"),),
    )


def freshness_details(row: ClientFreshness, as_of: datetime) -> dict[str, str | int | None]:
    return {
        "client": row.client_id,
        "platform": row.platform,
        "status": row.status,
        "last_good_hour": last_hour_text(row) if row.last_loaded_utc_hour else None,
        "loaded_at": row.loaded_at.strftime("%Y-%m-%d %H:%M UTC") if row.loaded_at else None,
        "lag": describe_lag(row.lag),
        "lag_minutes": None if row.lag is None else int(row.lag.total_seconds() // 60),
        "warn_after_minutes": row.warn_after_minutes,
        "fail_after_minutes": row.fail_after_minutes,
        "evaluated_at": as_of.strftime("%Y-%m-%d %H:%M UTC"),
    }


def last_hour_text(row: ClientFreshness) -> str:
    if row.last_loaded_utc_hour is None:
        return "none"
    return row.last_loaded_utc_hour.strftime(UTC_HOUR_FORMAT)
