"""Simulator tests: daily totals without the hourly breakdown, and Meta's pixel conversions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from marketing_assets.simulator import SimulatorServer
from marketing_assets.simulator.random_faults import RandomFaultPlan
from marketing_assets_tests.test_simulator import (
    ACCOUNTS,
    FIXED_NOW,
    GOOGLE_BERLIN,
    META_KOLKATA,
    META_NEW_YORK,
    search_stream,
    stream_rows,
)
from marketing_assets_tests.test_simulator_meta import HOURLY, fetch_all_pages, insights_params
from marketing_assets_tests.test_simulator_meta import insights_url as meta_insights_url
from marketing_assets_tests.test_simulator_truth import google_rows, truth

PIXEL_TYPES = ("offsite_conversion.fb_pixel_purchase", "offsite_conversion.fb_pixel_lead")
ON_META_TYPES = ("purchase", "lead")


def action_sum(rows: list[dict[str, Any]], key: str, types: tuple[str, ...]) -> Decimal:
    return sum(
        (
            Decimal(item["value"])
            for row in rows
            for item in row.get(key, [])
            if item["action_type"] in types
        ),
        Decimal(0),
    )


def meta_report(
    server: SimulatorServer, account_id: str, since: str, until: str, *, hourly: bool
) -> list[dict[str, Any]]:
    breakdowns = {} if hourly else {"breakdowns": ""}
    params = insights_params(since, until, limit="500", **breakdowns)
    pages = fetch_all_pages(meta_insights_url(server, account_id), params)
    return [row for page in pages for row in page["data"]]


@pytest.fixture
def simulator() -> Iterator[SimulatorServer]:
    with SimulatorServer(ACCOUNTS, clock=lambda: FIXED_NOW) as server:
        yield server


def daily_query(first_day: str, last_day: str) -> str:
    return (
        "SELECT campaign.id, segments.date, metrics.impressions, metrics.clicks,"
        " metrics.cost_micros, metrics.conversions, metrics.conversions_value FROM campaign"
        f" WHERE segments.date BETWEEN '{first_day}' AND '{last_day}'"
    )


def test_search_stream_daily_query_sums_hours(simulator: SimulatorServer) -> None:
    query = daily_query("2026-12-02", "2026-12-03")
    daily = stream_rows(search_stream(simulator, GOOGLE_BERLIN.account_id, query))
    hourly = google_rows(simulator, GOOGLE_BERLIN, "2026-12-02", "2026-12-03")

    expected: dict[tuple[str, str], Counter[str]] = {}
    for row in hourly:
        key = (row["campaign"]["id"], row["segments"]["date"])
        totals = expected.setdefault(key, Counter())
        for metric, value in row["metrics"].items():
            totals[metric] += Decimal(value)
    served = {
        (row["campaign"]["id"], row["segments"]["date"]): Counter(
            {metric: Decimal(value) for metric, value in row["metrics"].items()}
        )
        for row in daily
    }
    assert len(served) == len(daily)
    assert all("hour" not in row["segments"] for row in daily)
    assert served == expected


def test_insights_daily_has_one_row_per_campaign_day(simulator: SimulatorServer) -> None:
    daily = meta_report(
        simulator, META_KOLKATA.account_id, "2026-12-02", "2026-12-03", hourly=False
    )
    hourly = meta_report(
        simulator, META_KOLKATA.account_id, "2026-12-02", "2026-12-03", hourly=True
    )

    keys = [(row["campaign_id"], row["date_start"]) for row in daily]
    campaigns = {row["campaign_id"] for row in hourly}
    assert len(keys) == len(set(keys))
    assert set(keys) == {
        (campaign, day) for campaign in campaigns for day in ("2026-12-02", "2026-12-03")
    }
    assert all(HOURLY not in row for row in daily)
    assert all(row["date_start"] == row["date_stop"] for row in daily)
    for key in keys:
        hours = [
            row
            for row in hourly
            if HOURLY in row and (row["campaign_id"], row["date_start"]) == key
        ]
        row = daily[keys.index(key)]
        assert int(row["impressions"]) == sum(int(hour["impressions"]) for hour in hours)
        assert int(row["clicks"]) == sum(int(hour["clicks"]) for hour in hours)
        assert Decimal(row["spend"]) == sum(Decimal(hour["spend"]) for hour in hours)


def test_insights_pixel_conversions_only_in_daily_rows(simulator: SimulatorServer) -> None:
    daily = meta_report(
        simulator, META_NEW_YORK.account_id, "2026-12-03", "2026-12-03", hourly=False
    )
    hourly = meta_report(
        simulator, META_NEW_YORK.account_id, "2026-12-03", "2026-12-03", hourly=True
    )

    hourly_types = {item["action_type"] for row in hourly for item in row.get("actions", [])}
    daily_types = {item["action_type"] for row in daily for item in row.get("actions", [])}
    assert hourly_types.isdisjoint(PIXEL_TYPES)
    assert set(PIXEL_TYPES) <= daily_types
    assert action_sum(daily, "actions", ON_META_TYPES) == action_sum(
        hourly, "actions", ON_META_TYPES
    )
    daily_all = action_sum(daily, "actions", ON_META_TYPES + PIXEL_TYPES)
    assert daily_all > action_sum(hourly, "actions", ON_META_TYPES)
    pixel_values = action_sum(daily, "action_values", PIXEL_TYPES[:1])
    assert pixel_values > 0


def test_truth_daily_conversions_match_daily_report(simulator: SimulatorServer) -> None:
    day = "2026-12-03"
    daily = meta_report(simulator, META_NEW_YORK.account_id, day, day, hourly=False)
    hourly = meta_report(simulator, META_NEW_YORK.account_id, day, day, hourly=True)
    payload = truth(simulator, META_NEW_YORK, date=day)

    value_types = ("purchase", PIXEL_TYPES[0])
    assert Decimal(payload["conversions"]) == action_sum(hourly, "actions", ON_META_TYPES)
    assert Decimal(payload["daily_conversions"]) == action_sum(
        daily, "actions", ON_META_TYPES + PIXEL_TYPES
    )
    assert Decimal(payload["daily_conversion_value"]) == action_sum(
        daily, "action_values", value_types
    )
    assert Decimal(payload["daily_conversions"]) > Decimal(payload["conversions"])


def test_truth_google_daily_conversions_equal_hourly(simulator: SimulatorServer) -> None:
    payload = truth(simulator, GOOGLE_BERLIN, date="2026-12-03")

    assert Decimal(payload["daily_conversions"]) == Decimal(payload["conversions"])
    assert Decimal(payload["daily_conversion_value"]) == Decimal(payload["conversion_value"])


def test_truth_window_has_no_daily_keys(simulator: SimulatorServer) -> None:
    payload = truth(
        simulator, META_NEW_YORK, utc_start="2026-12-03T05:00:00Z", utc_end="2026-12-04T05:00:00Z"
    )

    assert "daily_conversions" not in payload
    assert "conversions" in payload


def test_insights_daily_range_pages_in_day_order(simulator: SimulatorServer) -> None:
    params = insights_params("2026-11-28", "2026-12-03", limit="4", breakdowns="")
    pages = fetch_all_pages(meta_insights_url(simulator, META_KOLKATA.account_id), params)
    rows = [row for page in pages for row in page["data"]]

    days = [row["date_start"] for row in rows]
    assert len(pages) > 1
    assert days == sorted(days)
    assert set(days) == {f"2026-11-{day}" for day in (28, 29, 30)} | {
        f"2026-12-0{day}" for day in (1, 2, 3)
    }
    assert all(row["date_stop"] == row["date_start"] for row in rows)


def test_faults_apply_to_ranged_daily_reports() -> None:
    kinds = ["meta_duplicate_rows", "google_missing_metrics"]
    plan = RandomFaultPlan(1.0, seed=3, kinds=kinds)
    with SimulatorServer(ACCOUNTS, clock=lambda: FIXED_NOW, fault_plan=plan) as server:
        daily = meta_report(
            server, META_KOLKATA.account_id, "2026-12-01", "2026-12-03", hourly=False
        )
        search_stream(server, GOOGLE_BERLIN.account_id, daily_query("2026-12-01", "2026-12-03"))

    keys = [(row["campaign_id"], row["date_start"]) for row in daily]
    assert len(keys) > len(set(keys))
    assert plan.injected() == {"meta_duplicate_rows": 1, "google_missing_metrics": 1}
