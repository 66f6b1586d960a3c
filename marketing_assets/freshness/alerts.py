"""Build the on-call alerts for one client's platform going stale and catching up."""

from __future__ import annotations

from datetime import datetime

import dagster as dg

from marketing_assets.alerts.models import Alert, freshness_dedup_key
from marketing_assets.freshness.evaluate import UTC_HOUR_FORMAT, ClientFreshness, describe_lag
from marketing_assets.registry.models import DAILY_PLATFORMS

ALERT_SOURCE = "marketing-assets freshness_sensor"


def unified_asset_key(platform: str) -> dg.AssetKey:
    """Return the asset dashboards read for ``platform``: its daily table for a daily-only
    platform, else its hourly one."""
    grain = "daily" if platform in DAILY_PLATFORMS else "hourly"
    return dg.AssetKey(f"{platform}_campaign_performance_{grain}")


def asset_url(dagster_ui_url: str, asset_key: dg.AssetKey) -> str:
    """Return the asset's partitions page in the Dagster UI, where failed hours show."""
    return f"{dagster_ui_url.rstrip('/')}/assets/{'/'.join(asset_key.path)}?view=partitions"


def stale_alert(row: ClientFreshness, *, dagster_ui_url: str, as_of: datetime) -> Alert:
    """Build the trigger for a client's platform past its fail threshold."""
    summary = (
        f"{row.platform} data of {row.client_name} ({row.client_id}) is stale: "
        f"{describe_staleness(row)} (fail threshold {row.fail_after_minutes} min)."
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
            f"{describe_last_loaded(row)}."
        ),
        severity="info",
        source=ALERT_SOURCE,
        component=row.platform,
        group=row.client_id,
        custom_details=freshness_details(row, as_of),
        links=((asset_url(dagster_ui_url, unified_asset_key(row.platform)), "Asset in Dagster"),),
    )


def freshness_details(row: ClientFreshness, as_of: datetime) -> dict[str, str | int | None]:
    daily = (
        {"last_complete_day": row.last_complete_day.isoformat() if row.last_complete_day else None}
        if row.platform in DAILY_PLATFORMS
        else {}
    )
    return {
        "client": row.client_id,
        "platform": row.platform,
        "status": row.status,
        "last_good_hour": last_hour_text(row) if row.last_loaded_utc_hour else None,
        **daily,
        "loaded_at": row.loaded_at.strftime("%Y-%m-%d %H:%M UTC") if row.loaded_at else None,
        "lag": describe_lag(row.lag),
        "lag_minutes": None if row.lag is None else int(row.lag.total_seconds() // 60),
        "warn_after_minutes": row.warn_after_minutes,
        "fail_after_minutes": row.fail_after_minutes,
        "evaluated_at": as_of.strftime("%Y-%m-%d %H:%M UTC"),
    }


def describe_staleness(row: ClientFreshness) -> str:
    """Describe what is loaded and how far behind it is, in the platform's grain."""
    lag = describe_lag(row.lag)
    if row.platform in DAILY_PLATFORMS:
        if row.last_complete_day is None:
            return "no complete day loaded yet"
        return f"last complete day {row.last_complete_day.isoformat()}, next day {lag} overdue"
    if row.last_loaded_utc_hour is None:
        return "no hour loaded yet"
    return f"last loaded hour {last_hour_text(row)}, {lag} behind"


def describe_last_loaded(row: ClientFreshness) -> str:
    if row.platform in DAILY_PLATFORMS:
        day = row.last_complete_day.isoformat() if row.last_complete_day else "none"
        return f"last complete day {day}"
    return f"last loaded hour {last_hour_text(row)}"


def last_hour_text(row: ClientFreshness) -> str:
    if row.last_loaded_utc_hour is None:
        return "none"
    return row.last_loaded_utc_hour.strftime(UTC_HOUR_FORMAT)
