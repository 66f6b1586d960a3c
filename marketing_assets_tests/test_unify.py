"""Reshaping raw rows into the unified table keeps money exact."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import polars as pl

from marketing_assets.sync.unify import conform
from marketing_assets.tables import GOOGLE_ADS_RAW

# 2**53 + 1 micros: the smallest count a float64 cannot hold, so a float on the way shows.
BEYOND_FLOAT_MICROS = 9_007_199_254_740_993


def google_raw_row(cost_micros: int) -> pl.DataFrame:
    row = {
        "client_id": "kestrel-coffee",
        "customer_id": "5930116642",
        "campaign_id": "111",
        "campaign_name": "Brand",
        "campaign_status": "ENABLED",
        "currency_code": "USD",
        "time_zone": "America/New_York",
        "local_date": date(2026, 11, 1),
        "local_hour": 9,
        "utc_hour": datetime(2026, 11, 1, 14, tzinfo=UTC),
        "impressions": 10,
        "clicks": 1,
        "cost_micros": cost_micros,
        "conversions": Decimal("0.5"),
        "conversions_value": Decimal("12.34"),
        "loaded_at": datetime(2026, 11, 2, tzinfo=UTC),
        "dagster_run_id": "r",
    }
    return pl.DataFrame([row], schema=GOOGLE_ADS_RAW)


def test_google_micros_become_exact_spend():
    raw = google_raw_row(BEYOND_FLOAT_MICROS)

    unified = conform(raw, "google_ads", run_id="r", loaded_at=datetime.now(UTC))

    assert unified["spend"].to_list() == [Decimal("9007199254.740993")]
    assert unified["platform"].to_list() == ["google_ads"]
    assert unified["conversion_value"].to_list() == [Decimal("12.34")]
