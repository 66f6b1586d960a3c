"""Simulator tests: ground truth equals what the platform APIs serve."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from marketing_assets.simulator import SimulatedAccount, SimulatorServer
from marketing_assets.simulator.localtime import local_hours
from marketing_assets_tests.test_simulator import (
    ACCOUNTS,
    FIXED_NOW,
    GOOGLE_BERLIN,
    GOOGLE_HEADERS,
    GOOGLE_KATHMANDU,
    GOOGLE_MANAGED,
    META_KOLKATA,
    META_NEW_YORK,
    exact_json,
    hourly_query,
    search_stream,
)
from marketing_assets_tests.test_simulator_meta import (
    HOURLY,
    fetch_all_pages,
    insights_params,
    insights_url,
)

TOTAL_KEYS = ("rows", "spend", "impressions", "clicks", "conversions", "conversion_value")


def truth(server: SimulatorServer, account: SimulatedAccount, **params: str) -> dict[str, Any]:
    response = httpx.get(
        f"{server.url}/_simulator/truth",
        params={"platform": account.platform, "account_id": account.account_id, **params},
    )
    assert response.status_code == 200, response.text
    return response.json()


def exact_totals(payload: dict[str, Any]) -> dict[str, Any]:
    """Return the totals with decimal strings as Decimal, so '1.50' equals '1.5'."""
    return {
        key: Decimal(payload[key]) if isinstance(payload[key], str) else payload[key]
        for key in TOTAL_KEYS
    }


def google_totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    metrics = [row["metrics"] for row in rows]
    return {
        "rows": len(rows),
        "spend": sum(Decimal(m["costMicros"]) for m in metrics) / 1_000_000,
        "impressions": sum(int(m["impressions"]) for m in metrics),
        "clicks": sum(int(m["clicks"]) for m in metrics),
        "conversions": sum((m["conversions"] for m in metrics), Decimal(0)),
        "conversion_value": sum((m["conversionsValue"] for m in metrics), Decimal(0)),
    }


def google_rows(
    server: SimulatorServer, account: SimulatedAccount, start: str, end: str | None = None
) -> list[dict[str, Any]]:
    headers = dict(GOOGLE_HEADERS)
    if account.manager_id:
        headers["login-customer-id"] = account.manager_id
    response = search_stream(server, account.account_id, hourly_query(start, end), headers)
    assert response.status_code == 200, response.text
    return [row for batch in exact_json(response) for row in batch.get("results", [])]


def meta_rows(server: SimulatorServer, account: SimulatedAccount, day: str) -> list[dict[str, Any]]:
    url = insights_url(server, account.account_id)
    pages = fetch_all_pages(url, insights_params(day, limit="100"))
    return [row for page in pages for row in page["data"] if HOURLY in row]


def meta_totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def action_sum(row: dict[str, Any], key: str, types: tuple[str, ...]) -> Decimal:
        return sum(
            (Decimal(item["value"]) for item in row.get(key, []) if item["action_type"] in types),
            Decimal(0),
        )

    return {
        "rows": len(rows),
        "spend": sum(Decimal(row["spend"]) for row in rows),
        "impressions": sum(int(row["impressions"]) for row in rows),
        "clicks": sum(int(row["clicks"]) for row in rows),
        "conversions": sum(action_sum(row, "actions", ("purchase", "lead")) for row in rows),
        "conversion_value": sum(action_sum(row, "action_values", ("purchase",)) for row in rows),
    }


@pytest.fixture
def simulator() -> Iterator[SimulatorServer]:
    with SimulatorServer(ACCOUNTS, clock=lambda: FIXED_NOW) as server:
        yield server


def test_truth_response_shape(simulator: SimulatorServer) -> None:
    payload = truth(simulator, GOOGLE_BERLIN, date="2026-12-03")

    assert payload["platform"] == "google_ads"
    assert payload["account_id"] == "1234567890"
    assert payload["date"] == "2026-12-03"
    assert payload["time_zone"] == "Europe/Berlin"
    assert payload["currency"] == "EUR"
    assert isinstance(payload["rows"], int)
    assert isinstance(payload["impressions"], int)
    assert isinstance(payload["spend"], str)
    assert isinstance(payload["conversion_value"], str)


@pytest.mark.parametrize("day", ["2026-12-03", "2026-03-08", "2026-11-01"])
def test_truth_matches_google_rows(simulator: SimulatorServer, day: str) -> None:
    served = google_totals(google_rows(simulator, GOOGLE_MANAGED, day))

    assert exact_totals(truth(simulator, GOOGLE_MANAGED, date=day)) == served


@pytest.mark.parametrize("day", ["2026-12-03", "2026-03-08", "2026-11-01"])
def test_truth_matches_meta_rows(simulator: SimulatorServer, day: str) -> None:
    served = meta_totals(meta_rows(simulator, META_NEW_YORK, day))

    assert exact_totals(truth(simulator, META_NEW_YORK, date=day)) == served


def test_truth_dst_days_have_23_and_24_hours(simulator: SimulatorServer) -> None:
    spring = truth(simulator, GOOGLE_MANAGED, date="2026-03-08")
    fall = truth(simulator, GOOGLE_MANAGED, date="2026-11-01")
    kathmandu = truth(simulator, GOOGLE_KATHMANDU, date="2026-12-03")

    assert spring["hours"] == 23
    assert fall["hours"] == 24
    assert kathmandu["hours"] == 24
    served_spring_hours = {
        row["segments"]["hour"] for row in google_rows(simulator, GOOGLE_MANAGED, "2026-03-08")
    }
    assert 2 not in served_spring_hours


def test_truth_fall_back_day_spans_25_utc_hours(simulator: SimulatorServer) -> None:
    # 2026-11-01 in New York runs from 04:00 UTC (EDT) to 05:00 UTC the next day (EST).
    window = truth(
        simulator, GOOGLE_MANAGED, utc_start="2026-11-01T04:00:00Z", utc_end="2026-11-02T05:00:00Z"
    )
    short_window = truth(
        simulator, GOOGLE_MANAGED, utc_start="2026-11-01T04:00:00Z", utc_end="2026-11-02T04:00:00Z"
    )
    day = truth(simulator, GOOGLE_MANAGED, date="2026-11-01")

    assert exact_totals(window) == exact_totals(day)
    assert short_window["impressions"] < day["impressions"]


@pytest.mark.parametrize(
    ("account", "utc_start", "utc_end"),
    [
        (META_KOLKATA, "2026-12-02T18:30:00Z", "2026-12-03T18:30:00Z"),
        (GOOGLE_KATHMANDU, "2026-12-02T18:15:00Z", "2026-12-03T18:15:00Z"),
    ],
)
def test_truth_window_of_local_day_equals_date(
    simulator: SimulatorServer, account: SimulatedAccount, utc_start: str, utc_end: str
) -> None:
    window = truth(simulator, account, utc_start=utc_start, utc_end=utc_end)
    day = truth(simulator, account, date="2026-12-03")

    assert exact_totals(window) == exact_totals(day)
    assert window["rows"] > 0


def test_truth_utc_day_in_kathmandu_splits_local_days(simulator: SimulatorServer) -> None:
    # Kathmandu is UTC+05:45: local hour 6 of Dec 3 starts at 00:15 UTC, and local hour 5 of
    # Dec 4 starts at 23:15 UTC on Dec 3, so the UTC day contains local hours 6-23 and 0-5.
    rows = google_rows(simulator, GOOGLE_KATHMANDU, "2026-12-03", "2026-12-04")
    in_window = [
        row
        for row in rows
        if (row["segments"]["date"], row["segments"]["hour"] >= 6)
        in (("2026-12-03", True), ("2026-12-04", False))
    ]
    window = truth(
        simulator,
        GOOGLE_KATHMANDU,
        utc_start="2026-12-03T00:00:00Z",
        utc_end="2026-12-04T00:00:00Z",
    )

    assert exact_totals(window) == google_totals(in_window)


def test_truth_utc_day_in_kolkata_splits_local_days(simulator: SimulatorServer) -> None:
    # Kolkata is UTC+05:30: the UTC day Dec 3 contains local hours 6-23 of Dec 3 (06:00 local is
    # 00:30 UTC) and 0-5 of Dec 4 (05:00 local is 23:30 UTC on Dec 3).
    rows = meta_rows(simulator, META_KOLKATA, "2026-12-03")
    rows += meta_rows(simulator, META_KOLKATA, "2026-12-04")
    in_window = [
        row
        for row in rows
        if (row["date_start"], int(row[HOURLY][:2]) >= 6)
        in (("2026-12-03", True), ("2026-12-04", False))
    ]
    window = truth(
        simulator, META_KOLKATA, utc_start="2026-12-03T00:00:00Z", utc_end="2026-12-04T00:00:00Z"
    )

    assert exact_totals(window) == meta_totals(in_window)


def test_truth_counts_closed_hours_only() -> None:
    # 15:30 UTC is 16:30 in Berlin: hours 0-15 are closed.
    now = datetime(2026, 12, 3, 15, 30, tzinfo=UTC)
    with SimulatorServer(ACCOUNTS, clock=lambda: now) as server:
        served = google_totals(google_rows(server, GOOGLE_BERLIN, "2026-12-03"))
        today = truth(server, GOOGLE_BERLIN, date="2026-12-03")
        tomorrow = truth(server, GOOGLE_BERLIN, date="2026-12-04")

    assert exact_totals(today) == served
    assert tomorrow["rows"] == 0
    assert tomorrow["spend"] == "0"


def test_truth_rejects_unknown_account(simulator: SimulatorServer) -> None:
    response = httpx.get(
        f"{simulator.url}/_simulator/truth",
        params={"platform": "meta", "account_id": "1", "date": "2026-12-03"},
    )

    assert response.status_code == 404
    assert "account_id='1'" in response.json()["error"]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"date": "2026-13-01"},
        {"utc_start": "2026-12-03T00:00:00", "utc_end": "2026-12-04T00:00:00Z"},
        {"utc_start": "2026-12-04T00:00:00Z", "utc_end": "2026-12-03T00:00:00Z"},
    ],
)
def test_truth_rejects_invalid_parameters(
    simulator: SimulatorServer, params: dict[str, str]
) -> None:
    response = httpx.get(
        f"{simulator.url}/_simulator/truth",
        params={"platform": "google_ads", "account_id": GOOGLE_BERLIN.account_id, **params},
    )

    assert response.status_code == 400
    assert response.json()["error"]


def test_simulator_health_and_accounts(simulator: SimulatorServer) -> None:
    health = httpx.get(f"{simulator.url}/_simulator/health")
    accounts = httpx.get(f"{simulator.url}/_simulator/accounts")

    assert health.json() == {"status": "ok"}
    assert [account["account_id"] for account in accounts.json()] == [
        account.account_id for account in ACCOUNTS
    ]
    assert accounts.json()[1]["manager_id"] == "9876543210"


def test_local_hours_on_dst_and_offset_days() -> None:
    spring = local_hours(date(2026, 3, 8), "America/New_York")
    fall = local_hours(date(2026, 11, 1), "America/New_York")
    kathmandu = local_hours(date(2026, 12, 3), "Asia/Kathmandu")

    assert [hour.hour for hour in spring] == [0, 1, *range(3, 24)]
    assert [hour.hour for hour in fall] == list(range(24))
    repeated = fall[1]
    assert [part.fold for part in repeated.parts] == [0, 1]
    assert repeated.utc_start == datetime(2026, 11, 1, 5, 0, tzinfo=UTC)
    assert repeated.utc_end == datetime(2026, 11, 1, 7, 0, tzinfo=UTC)
    assert kathmandu[0].utc_start == datetime(2026, 12, 2, 18, 15, tzinfo=UTC)


def truth_rows_by_hour(server: SimulatorServer, account: SimulatedAccount, day: date) -> dict:
    """Return truth rows of the UTC window that spans `day` in the account's zone, by key."""
    hours = local_hours(day, account.time_zone)
    start = hours[0].utc_start.strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (hours[-1].utc_start + (hours[1].utc_start - hours[0].utc_start)).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    response = httpx.get(
        f"{server.url}/_simulator/truth/rows",
        params={
            "platform": account.platform,
            "account_id": account.account_id,
            "utc_start": start,
            "utc_end": end,
        },
    )
    assert response.status_code == 200, response.text
    return {
        (row["campaign_id"], row["local_hour"]): (
            Decimal(row["spend"]),
            row["impressions"],
            row["clicks"],
            Decimal(row["conversions"]),
        )
        for row in response.json()["rows"]
        if row["local_date"] == day.isoformat()
    }


def test_truth_rows_equal_tiktok_and_microsoft_reports() -> None:
    from marketing_assets.platforms.microsoft_ads import MicrosoftAdsResource
    from marketing_assets.platforms.tiktok import TikTokResource
    from marketing_assets_tests.extra_platforms_server import (
        MICROSOFT_SYDNEY,
        TIKTOK_KATHMANDU,
        ExtraPlatformsServer,
    )

    day = date(2026, 12, 3)
    with ExtraPlatformsServer() as server:
        tiktok = TikTokResource(
            access_token="sim-tiktok-access-token", base_url=f"{server.url}/tiktok"
        )
        microsoft = MicrosoftAdsResource(
            access_token="sim-microsoft-ads-access-token",
            developer_token="sim-microsoft-ads-developer-token",
            customer_id="1",
            base_url=f"{server.url}/microsoft-ads",
            poll_interval_seconds=0.01,
        )
        served = {
            TIKTOK_KATHMANDU: tiktok.fetch_campaign_hours(
                account_id=TIKTOK_KATHMANDU.account_id, day=day
            ),
            MICROSOFT_SYDNEY: microsoft.fetch_campaign_hours(
                account_id=MICROSOFT_SYDNEY.account_id, day=day
            ),
        }
        truth_by_account = {account: truth_rows_by_hour(server, account, day) for account in served}

    for account, records in served.items():
        expected = {
            (r.campaign_id, r.hour): (r.spend, r.impressions, r.clicks, r.conversions)
            for r in records
        }
        assert truth_by_account[account] == expected
        assert expected
