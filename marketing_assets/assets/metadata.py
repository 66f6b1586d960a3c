"""Materialization metadata the assets attach: rows, spend, requests, retries and duration."""

from __future__ import annotations

import dagster as dg
import polars as pl

from marketing_assets.sync.stats import FetchStats
from marketing_assets.sync.window import SyncWindow

# Tells Dagster's database IO manager which column each partition dimension maps to.
PARTITION_COLUMNS = {"partition_expr": {"client": "client_id", "hour": "utc_hour"}}


def spend_by_currency(frame: pl.DataFrame, *, spend: pl.Expr, currency: str) -> dict[str, str]:
    """Total spend per currency as exact decimal strings; currencies are never added up."""
    totals = frame.group_by(currency).agg(spend.sum().alias("spend")).sort(currency)
    return {row[0]: str(row[1]) for row in totals.rows()}


def fetch_metadata(
    frame: pl.DataFrame,
    window: SyncWindow,
    stats: FetchStats,
    *,
    spend: pl.Expr,
    currency: str,
) -> dict[str, dg.RawMetadataValue]:
    """Describe one fetch: rows, window size, requests, retries, seconds, spend per currency."""
    return {
        "rows": frame.height,
        "clients": len(window.client_ids),
        "utc_hours": window.hours,
        "api_requests": stats.requests,
        "http_retries": stats.retries,
        "fetch_seconds": dg.MetadataValue.float(round(stats.seconds(), 3)),
        "spend_by_currency": dg.MetadataValue.json(
            spend_by_currency(frame, spend=spend, currency=currency)
        ),
    }
