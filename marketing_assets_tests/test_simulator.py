"""Simulator tests: Google Ads searchStream over HTTP, plus what both platforms share."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from marketing_assets.simulator import SimulatedAccount, SimulatorServer

FIXED_NOW = datetime(2026, 12, 5, 0, 0, tzinfo=UTC)

GOOGLE_BERLIN = SimulatedAccount("google_ads", "1234567890", "Europe/Berlin", "EUR", name="Acme DE")
GOOGLE_MANAGED = SimulatedAccount(
    "google_ads", "2345678901", "America/New_York", "USD", manager_id="9876543210"
)
GOOGLE_KATHMANDU = SimulatedAccount("google_ads", "3456789012", "Asia/Kathmandu", "NPR")
META_NEW_YORK = SimulatedAccount("meta", "123456789012", "America/New_York", "USD")
META_KOLKATA = SimulatedAccount("meta", "234567890123", "Asia/Kolkata", "INR")
ACCOUNTS = (GOOGLE_BERLIN, GOOGLE_MANAGED, GOOGLE_KATHMANDU, META_NEW_YORK, META_KOLKATA)

GOOGLE_HEADERS = {
    "Authorization": "Bearer sim-google-ads-access-token",
    "developer-token": "sim-google-ads-developer-token",
}
HOURLY_FIELDS = (
    "customer.id, customer.currency_code, customer.time_zone, campaign.id, campaign.name,"
    " campaign.status, segments.date, segments.hour, metrics.impressions, metrics.clicks,"
    " metrics.cost_micros, metrics.conversions, metrics.conversions_value"
)


def hourly_query(start: str, end: str | None = None) -> str:
    return (
        f"SELECT {HOURLY_FIELDS} FROM campaign"
        f" WHERE segments.date BETWEEN '{start}' AND '{end or start}'"
    )


def search_stream(
    server: SimulatorServer,
    customer_id: str,
    query: str,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    url = f"{server.url}/google-ads/v22/customers/{customer_id}/googleAds:searchStream"
    return httpx.post(
        url, json={"query": query}, headers=GOOGLE_HEADERS if headers is None else headers
    )


def exact_json(response: httpx.Response) -> Any:
    """Decode JSON keeping doubles as Decimal, so sums compare exactly."""
    return json.loads(response.text, parse_float=Decimal)


def stream_rows(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    return [row for batch in exact_json(response) for row in batch.get("results", [])]


def google_error_code(response: httpx.Response) -> dict[str, str]:
    failure = response.json()["error"]["details"][0]
    assert failure["@type"].endswith("errors.GoogleAdsFailure")
    assert failure["requestId"]
    return failure["errors"][0]["errorCode"]


@pytest.fixture
def simulator() -> Iterator[SimulatorServer]:
    with SimulatorServer(ACCOUNTS, clock=lambda: FIXED_NOW) as server:
        yield server


def test_search_stream_wire_shape(simulator: SimulatorServer) -> None:
    response = search_stream(simulator, GOOGLE_BERLIN.account_id, hourly_query("2026-12-03"))

    assert response.status_code == 200
    batches = response.json()
    assert isinstance(batches, list)
    assert batches[0]["fieldMask"] == (
        "customer.id,customer.currencyCode,customer.timeZone,campaign.id,campaign.name,"
        "campaign.status,segments.date,segments.hour,metrics.impressions,metrics.clicks,"
        "metrics.costMicros,metrics.conversions,metrics.conversionsValue"
    )
    assert all(batch["requestId"] == response.headers["request-id"] for batch in batches)
    assert "queryResourceConsumption" in batches[-1]
    row = batches[0]["results"][0]
    assert row["customer"] == {
        "resourceName": "customers/1234567890",
        "id": "1234567890",
        "currencyCode": "EUR",
        "timeZone": "Europe/Berlin",
    }
    assert row["campaign"]["resourceName"].startswith("customers/1234567890/campaigns/")
    assert row["campaign"]["status"] in ("ENABLED", "PAUSED")
    assert row["segments"]["date"] == "2026-12-03"
    assert isinstance(row["segments"]["hour"], int)
    for int64_metric in ("impressions", "clicks", "costMicros"):
        assert isinstance(row["metrics"][int64_metric], str)
    assert isinstance(row["metrics"]["conversions"], float)
    assert isinstance(row["metrics"]["conversionsValue"], float)


def test_search_stream_values_are_consistent(simulator: SimulatorServer) -> None:
    rows = stream_rows(
        search_stream(simulator, GOOGLE_BERLIN.account_id, hourly_query("2026-12-03"))
    )

    assert {row["segments"]["hour"] for row in rows} <= set(range(24))
    names = {row["campaign"]["name"] for row in rows}
    assert 2 <= len({row["campaign"]["id"] for row in rows}) <= 6
    assert any(not name.isascii() for name in names)
    for row in rows:
        metrics = row["metrics"]
        assert int(metrics["impressions"]) > 0
        assert 0 <= int(metrics["clicks"]) <= int(metrics["impressions"])
        assert metrics["conversions"] == metrics["conversions"].quantize(Decimal("0.01"))


def test_search_stream_splits_batches(simulator: SimulatorServer) -> None:
    response = search_stream(
        simulator, GOOGLE_BERLIN.account_id, hourly_query("2026-11-10", "2026-11-29")
    )

    batches = response.json()
    assert len(batches) >= 2
    assert all(len(batch["results"]) <= 1000 for batch in batches)
    assert ["queryResourceConsumption" in batch for batch in batches] == [False] * (
        len(batches) - 1
    ) + [True]
    keys = [
        (row["campaign"]["id"], row["segments"]["date"], row["segments"]["hour"])
        for batch in batches
        for row in batch["results"]
    ]
    assert len(keys) == len(set(keys))


def test_search_stream_returns_only_selected_fields(simulator: SimulatorServer) -> None:
    query = (
        "SELECT campaign.id, metrics.clicks FROM campaign"
        " WHERE segments.date = '2026-12-03' ORDER BY campaign.id"
    )
    response = search_stream(simulator, GOOGLE_BERLIN.account_id, query)
    hourly = stream_rows(
        search_stream(simulator, GOOGLE_BERLIN.account_id, hourly_query("2026-12-03"))
    )

    batches = response.json()
    assert batches[0]["fieldMask"] == "campaign.id,metrics.clicks"
    rows = stream_rows(response)
    assert all(set(row) == {"campaign", "metrics"} for row in rows)
    assert all(set(row["campaign"]) == {"resourceName", "id"} for row in rows)
    assert all(set(row["metrics"]) == {"clicks"} for row in rows)
    campaign_ids = [row["campaign"]["id"] for row in rows]
    assert campaign_ids == sorted({row["campaign"]["id"] for row in hourly})
    expected_clicks = {
        campaign_id: sum(
            int(row["metrics"]["clicks"]) for row in hourly if row["campaign"]["id"] == campaign_id
        )
        for campaign_id in campaign_ids
    }
    assert {row["campaign"]["id"]: int(row["metrics"]["clicks"]) for row in rows} == expected_clicks


@pytest.mark.parametrize(
    ("query", "error_code"),
    [
        (
            hourly_query("2026-12-03").replace("campaign.name", "campaign.nickname"),
            "UNRECOGNIZED_FIELD",
        ),
        ("SELEC campaign.id FROM campaign WHERE segments.date = '2026-12-03'", "EXPECTED_SELECT"),
        ("SELECT campaign.id WHERE segments.date = '2026-12-03'", "EXPECTED_FROM"),
        ("SELECT campaign.id FROM campaign", "EXPECTED_FILTERS_ON_DATE_RANGE"),
        (
            "SELECT campaign.id, ad_group.id FROM campaign WHERE segments.date = '2026-12-03'",
            "UNRECOGNIZED_FIELD",
        ),
        (
            "SELECT campaign.id FROM ad_group WHERE segments.date = '2026-12-03'",
            "BAD_RESOURCE_TYPE_IN_FROM_CLAUSE",
        ),
        ("SELECT campaign.id FROM campaign WHERE segments.date = '2026-13-40'", "BAD_VALUE"),
        (
            "SELECT campaign.id FROM campaign WHERE segments.date BETWEEN '2026-12-03'",
            "UNEXPECTED_END_OF_QUERY",
        ),
    ],
)
def test_search_stream_rejects_invalid_query(
    simulator: SimulatorServer, query: str, error_code: str
) -> None:
    response = search_stream(simulator, GOOGLE_BERLIN.account_id, query)

    assert response.status_code == 400
    assert response.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert google_error_code(response) == {"queryError": error_code}


def test_search_stream_error_is_bare_object(simulator: SimulatorServer) -> None:
    response = search_stream(simulator, GOOGLE_BERLIN.account_id, "SELECT nonsense")

    assert isinstance(response.json(), dict)
    assert response.json()["error"]["code"] == 400


@pytest.mark.parametrize(
    ("headers", "status", "error_code"),
    [
        (
            {"developer-token": "sim-google-ads-developer-token"},
            401,
            {"authenticationError": "OAUTH_TOKEN_HEADER_INVALID"},
        ),
        (
            {**GOOGLE_HEADERS, "Authorization": "Bearer expired"},
            401,
            {"authenticationError": "OAUTH_TOKEN_INVALID"},
        ),
        (
            {**GOOGLE_HEADERS, "developer-token": "wrong"},
            401,
            {"authenticationError": "DEVELOPER_TOKEN_INVALID"},
        ),
        (
            {"Authorization": GOOGLE_HEADERS["Authorization"]},
            401,
            {"authenticationError": "DEVELOPER_TOKEN_INVALID"},
        ),
    ],
)
def test_search_stream_rejects_bad_credentials(
    simulator: SimulatorServer, headers: dict[str, str], status: int, error_code: dict[str, str]
) -> None:
    response = search_stream(
        simulator, GOOGLE_BERLIN.account_id, hourly_query("2026-12-03"), headers
    )

    assert response.status_code == status
    assert response.json()["error"]["status"] == "UNAUTHENTICATED"
    assert google_error_code(response) == error_code
    assert "sim-google-ads" not in response.text


def test_search_stream_requires_manager_login_customer_id(simulator: SimulatorServer) -> None:
    query = hourly_query("2026-12-03")
    without = search_stream(simulator, GOOGLE_MANAGED.account_id, query)
    wrong = search_stream(
        simulator,
        GOOGLE_MANAGED.account_id,
        query,
        {**GOOGLE_HEADERS, "login-customer-id": "1111111111"},
    )
    right = search_stream(
        simulator,
        GOOGLE_MANAGED.account_id,
        query,
        {**GOOGLE_HEADERS, "login-customer-id": "9876543210"},
    )

    for response in (without, wrong):
        assert response.status_code == 403
        assert response.json()["error"]["status"] == "PERMISSION_DENIED"
        assert google_error_code(response) == {"authorizationError": "USER_PERMISSION_DENIED"}
    assert right.status_code == 200
    assert stream_rows(right)


def test_search_stream_unknown_customer_is_permission_denied(simulator: SimulatorServer) -> None:
    response = search_stream(simulator, "5555555555", hourly_query("2026-12-03"))

    assert response.status_code == 403
    assert google_error_code(response) == {"authorizationError": "USER_PERMISSION_DENIED"}


def test_search_stream_rejects_metrics_for_manager(simulator: SimulatorServer) -> None:
    response = search_stream(simulator, "9876543210", hourly_query("2026-12-03"))

    assert response.status_code == 400
    assert google_error_code(response) == {"queryError": "REQUESTED_METRICS_FOR_MANAGER"}


def test_list_accessible_customers(simulator: SimulatorServer) -> None:
    response = httpx.get(
        f"{simulator.url}/google-ads/v22/customers:listAccessibleCustomers", headers=GOOGLE_HEADERS
    )

    assert response.status_code == 200
    assert response.json() == {
        "resourceNames": ["customers/1234567890", "customers/3456789012", "customers/9876543210"]
    }


def test_search_stream_serves_closed_hours_only() -> None:
    # 15:30 UTC is 16:30 in Berlin, so local hours 0-15 have closed and 16 is still open.
    now = datetime(2026, 12, 3, 15, 30, tzinfo=UTC)
    with SimulatorServer(ACCOUNTS, clock=lambda: now) as server:
        today = stream_rows(
            search_stream(server, GOOGLE_BERLIN.account_id, hourly_query("2026-12-03"))
        )
        tomorrow = search_stream(server, GOOGLE_BERLIN.account_id, hourly_query("2026-12-04"))

    assert max(row["segments"]["hour"] for row in today) == 15
    assert tomorrow.status_code == 200
    assert "results" not in tomorrow.json()[0]
    assert len(tomorrow.json()) == 1


def test_search_stream_dst_days_in_new_york(simulator: SimulatorServer) -> None:
    headers = {**GOOGLE_HEADERS, "login-customer-id": "9876543210"}
    spring = stream_rows(
        search_stream(simulator, GOOGLE_MANAGED.account_id, hourly_query("2026-03-08"), headers)
    )
    fall = stream_rows(
        search_stream(simulator, GOOGLE_MANAGED.account_id, hourly_query("2026-11-01"), headers)
    )

    spring_hours = {row["segments"]["hour"] for row in spring}
    assert 2 not in spring_hours
    assert {0, 1, 3, 23} <= spring_hours
    fall_keys = [(row["campaign"]["id"], row["segments"]["hour"]) for row in fall]
    assert len(fall_keys) == len(set(fall_keys))
    assert {row["segments"]["hour"] for row in fall} <= set(range(24))


def test_simulators_with_same_accounts_serve_same_numbers() -> None:
    query = hourly_query("2026-12-01", "2026-12-03")
    bodies = []
    for _ in range(2):
        with SimulatorServer(ACCOUNTS, clock=lambda: FIXED_NOW) as server:
            response = search_stream(server, GOOGLE_BERLIN.account_id, query)
            bodies.append([batch["results"] for batch in response.json()])

    assert bodies[0] == bodies[1]


def test_simulator_revision_changes_numbers() -> None:
    query = hourly_query("2026-12-03")
    with SimulatorServer(ACCOUNTS, clock=lambda: FIXED_NOW, revision=1) as server:
        revised = stream_rows(search_stream(server, GOOGLE_BERLIN.account_id, query))
    with SimulatorServer(ACCOUNTS, clock=lambda: FIXED_NOW) as server:
        original = stream_rows(search_stream(server, GOOGLE_BERLIN.account_id, query))

    assert revised != original


def test_simulator_unknown_prefix_is_404(simulator: SimulatorServer) -> None:
    response = httpx.get(f"{simulator.url}/snapchat/v1/adsquads")

    assert response.status_code == 404


def test_simulated_account_rejects_dashed_customer_id() -> None:
    with pytest.raises(ValueError, match="123-456-7890"):
        SimulatedAccount("google_ads", "123-456-7890", "Europe/Berlin", "EUR")


def test_simulated_account_rejects_unknown_time_zone() -> None:
    with pytest.raises(ValueError, match="Mars/Olympus"):
        SimulatedAccount("meta", "1", "Mars/Olympus", "EUR")


def test_search_stream_filters_and_orders(simulator: SimulatorServer) -> None:
    hourly = stream_rows(
        search_stream(simulator, GOOGLE_BERLIN.account_id, hourly_query("2026-12-03"))
    )
    first_campaign = min(int(row["campaign"]["id"]) for row in hourly)
    query = (
        "SELECT campaign.id, segments.hour, metrics.impressions FROM campaign"
        f" WHERE segments.date >= '2026-12-03' AND segments.date <= '2026-12-03'"
        f" AND campaign.id > {first_campaign} AND metrics.impressions > 100"
        " ORDER BY metrics.impressions DESC LIMIT 5"
    )
    rows = stream_rows(search_stream(simulator, GOOGLE_BERLIN.account_id, query))

    impressions = [int(row["metrics"]["impressions"]) for row in rows]
    assert len(rows) == 5
    assert impressions == sorted(impressions, reverse=True)
    assert all(int(row["campaign"]["id"]) > first_campaign for row in rows)
    assert min(impressions) > 100
