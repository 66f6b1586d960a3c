"""Simulator tests: Meta Graph insights and ad account node over HTTP."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from marketing_assets.simulator import SimulatorServer
from marketing_assets_tests.test_simulator import ACCOUNTS, FIXED_NOW, META_KOLKATA, META_NEW_YORK

META_TOKEN = "sim-meta-access-token"
HOURLY = "hourly_stats_aggregated_by_advertiser_time_zone"
INSIGHTS_FIELDS = (
    "campaign_id,campaign_name,account_currency,spend,impressions,clicks,actions,action_values"
)
HOUR_LABEL = re.compile(r"^(\d{2}):00:00 - \1:59:59$")


def insights_params(since: str, until: str | None = None, **overrides: str) -> dict[str, str]:
    params = {
        "level": "campaign",
        "fields": INSIGHTS_FIELDS,
        "time_range": json.dumps({"since": since, "until": until or since}),
        "time_increment": "1",
        "breakdowns": HOURLY,
        "access_token": META_TOKEN,
    }
    params.update(overrides)
    return {name: value for name, value in params.items() if value != ""}


def insights_url(server: SimulatorServer, account_id: str) -> str:
    return f"{server.url}/meta/v24.0/act_{account_id}/insights"


def fetch_all_pages(url: str, params: dict[str, str]) -> list[dict[str, Any]]:
    """Follow `paging.next` until a page has none, checking cursors on every page."""
    pages = []
    response = httpx.get(url, params=params)
    while True:
        assert response.status_code == 200, response.text
        page = response.json()
        pages.append(page)
        if page["data"]:
            assert set(page["paging"]["cursors"]) == {"before", "after"}
        next_url = page.get("paging", {}).get("next")
        if next_url is None:
            return pages
        response = httpx.get(next_url)


def graph_error(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["fbtrace_id"]
    return error


@pytest.fixture
def simulator() -> Iterator[SimulatorServer]:
    with SimulatorServer(ACCOUNTS, clock=lambda: FIXED_NOW) as server:
        yield server


def test_insights_wire_shape(simulator: SimulatorServer) -> None:
    response = httpx.get(
        insights_url(simulator, META_NEW_YORK.account_id),
        params=insights_params("2026-12-03", limit="500"),
    )

    assert response.status_code == 200
    rows = response.json()["data"]
    hourly_rows = [row for row in rows if HOURLY in row]
    assert hourly_rows
    for row in hourly_rows:
        assert HOUR_LABEL.match(row[HOURLY])
        assert row["date_start"] == row["date_stop"] == "2026-12-03"
        assert row["account_currency"] == "USD"
        assert re.fullmatch(r"\d+\.\d{2}", row["spend"])
        assert row["impressions"].isdigit()
        assert int(row["impressions"]) > 0
        assert int(row["clicks"]) <= int(row["impressions"])
        for action in row.get("actions", []):
            assert action["action_type"] in ("link_click", "purchase", "lead")
            assert action["value"].isdigit()
        for action_value in row.get("action_values", []):
            assert action_value["action_type"] == "purchase"
    assert any("actions" in row for row in hourly_rows)
    assert "x-business-use-case-usage" in response.headers


def test_insights_zero_impression_rows_have_no_hour(simulator: SimulatorServer) -> None:
    response = httpx.get(
        insights_url(simulator, META_NEW_YORK.account_id),
        params=insights_params("2026-12-03", limit="500"),
    )

    hourless = [row for row in response.json()["data"] if HOURLY not in row]
    assert hourless
    for row in hourless:
        assert row["spend"] == "0"
        assert "impressions" not in row
        assert "actions" not in row


def test_insights_paging_returns_every_row_once(simulator: SimulatorServer) -> None:
    url = insights_url(simulator, META_NEW_YORK.account_id)
    pages = fetch_all_pages(url, insights_params("2026-12-03", limit="7"))
    single = httpx.get(url, params=insights_params("2026-12-03", limit="500")).json()

    paged_rows = [row for page in pages for row in page["data"]]
    assert len(pages) > 2
    assert all(len(page["data"]) <= 7 for page in pages)
    assert all("next" in page["paging"] for page in pages[:-1])
    assert "next" not in pages[-1]["paging"]
    assert "next" not in single["paging"]
    assert paged_rows == single["data"]
    keys = [(row["campaign_id"], row.get(HOURLY)) for row in paged_rows]
    assert len(keys) == len(set(keys))


def test_insights_next_url_uses_request_host(simulator: SimulatorServer) -> None:
    response = httpx.get(
        insights_url(simulator, META_NEW_YORK.account_id),
        params=insights_params("2026-12-03", limit="5"),
    )

    assert response.json()["paging"]["next"].startswith(insights_url(simulator, "123456789012"))


def test_insights_default_limit_is_25(simulator: SimulatorServer) -> None:
    params = insights_params("2026-12-03")
    response = httpx.get(insights_url(simulator, META_NEW_YORK.account_id), params=params)

    assert len(response.json()["data"]) == 25


def test_insights_limit_is_capped_at_500(simulator: SimulatorServer) -> None:
    params = insights_params("2026-11-28", "2026-12-03", limit="5000")
    response = httpx.get(insights_url(simulator, META_NEW_YORK.account_id), params=params)

    assert len(response.json()["data"]) == 500
    assert "next" in response.json()["paging"]


def test_insights_without_time_increment_sums_days(simulator: SimulatorServer) -> None:
    url = insights_url(simulator, META_KOLKATA.account_id)
    daily = fetch_all_pages(url, insights_params("2026-12-02", "2026-12-03", limit="500"))
    summed = fetch_all_pages(
        url, insights_params("2026-12-02", "2026-12-03", time_increment="", limit="500")
    )

    expected: dict[tuple[str, str], int] = {}
    for row in (row for page in daily for row in page["data"] if HOURLY in row):
        key = (row["campaign_id"], row[HOURLY])
        expected[key] = expected.get(key, 0) + int(row["impressions"])
    summed_rows = [row for page in summed for row in page["data"] if HOURLY in row]
    assert {(row["date_start"], row["date_stop"]) for row in summed_rows} == {
        ("2026-12-02", "2026-12-03")
    }
    assert {(row["campaign_id"], row[HOURLY]): int(row["impressions"]) for row in summed_rows} == (
        expected
    )


def test_insights_dst_days_in_new_york(simulator: SimulatorServer) -> None:
    url = insights_url(simulator, META_NEW_YORK.account_id)
    spring = fetch_all_pages(url, insights_params("2026-03-08", limit="500"))
    fall = fetch_all_pages(url, insights_params("2026-11-01", limit="500"))

    spring_labels = {row[HOURLY] for page in spring for row in page["data"] if HOURLY in row}
    fall_keys = [
        (row["campaign_id"], row[HOURLY]) for page in fall for row in page["data"] if HOURLY in row
    ]
    assert "02:00:00 - 02:59:59" not in spring_labels
    assert len(spring_labels) <= 23
    assert "01:00:00 - 01:59:59" in {label for _, label in fall_keys}
    assert len(fall_keys) == len(set(fall_keys))


def test_insights_accepts_bearer_token(simulator: SimulatorServer) -> None:
    params = insights_params("2026-12-03", access_token="")
    response = httpx.get(
        insights_url(simulator, META_NEW_YORK.account_id),
        params=params,
        headers={"Authorization": f"Bearer {META_TOKEN}"},
    )

    assert response.status_code == 200
    assert response.json()["data"]


def test_insights_rejects_invalid_token(simulator: SimulatorServer) -> None:
    params = insights_params("2026-12-03", access_token="expired-token")
    response = httpx.get(insights_url(simulator, META_NEW_YORK.account_id), params=params)

    error = graph_error(response)
    assert error["code"] == 190
    assert error["type"] == "OAuthException"
    assert "expired-token" not in response.text


def test_insights_rejects_missing_token(simulator: SimulatorServer) -> None:
    params = insights_params("2026-12-03", access_token="")
    response = httpx.get(insights_url(simulator, META_NEW_YORK.account_id), params=params)

    error = graph_error(response)
    assert error["code"] == 104
    assert error["type"] == "OAuthException"


def test_insights_unknown_ad_account(simulator: SimulatorServer) -> None:
    response = httpx.get(insights_url(simulator, "999"), params=insights_params("2026-12-03"))

    error = graph_error(response)
    assert error["code"] == 100
    assert error["error_subcode"] == 33
    assert error["type"] == "GraphMethodException"
    assert "act_999" in error["message"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"fields": "campaign_id,reach"},
        {"time_range": "not json"},
        {"time_range": json.dumps({"since": "2026-12-03", "until": "2026-12-01"})},
        {"level": "ad"},
        {"breakdowns": "age"},
        {"time_increment": "7"},
        {"limit": "-1"},
        {"after": "not-a-cursor"},
    ],
)
def test_insights_rejects_invalid_parameter(
    simulator: SimulatorServer, overrides: dict[str, str]
) -> None:
    params = insights_params("2026-12-03", **overrides)
    response = httpx.get(insights_url(simulator, META_NEW_YORK.account_id), params=params)

    error = graph_error(response)
    assert error["code"] == 100
    assert error["message"].startswith("(#100)")


def test_ad_account_node(simulator: SimulatorServer) -> None:
    response = httpx.get(
        f"{simulator.url}/meta/v24.0/act_{META_KOLKATA.account_id}",
        params={"fields": "id,name,timezone_name,currency", "access_token": META_TOKEN},
    )

    assert response.status_code == 200
    assert response.json() == {
        "id": "act_234567890123",
        "name": "Simulated meta account 234567890123",
        "timezone_name": "Asia/Kolkata",
        "currency": "INR",
    }


def test_ad_account_node_rejects_unknown_field(simulator: SimulatorServer) -> None:
    response = httpx.get(
        f"{simulator.url}/meta/v24.0/act_{META_KOLKATA.account_id}",
        params={"fields": "id,balance_due", "access_token": META_TOKEN},
    )

    assert graph_error(response)["code"] == 100


def test_insights_same_across_simulators() -> None:
    bodies = []
    for _ in range(2):
        with SimulatorServer(ACCOUNTS, clock=lambda: FIXED_NOW) as server:
            url = insights_url(server, META_NEW_YORK.account_id)
            response = httpx.get(url, params=insights_params("2026-12-03", limit="500"))
            bodies.append(response.json()["data"])

    assert bodies[0] == bodies[1]
