"""LinkedIn adAnalytics client: daily element parsing, error statuses and the simulator."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import httpx
import pytest

from marketing_assets.platforms.errors import (
    PlatformAuthError,
    PlatformDataError,
    PlatformRequestError,
    PlatformResponseError,
)
from marketing_assets.platforms.linkedin import LinkedInResource
from marketing_assets.platforms.linkedin.parse import parse_analytics
from marketing_assets.simulator import linkedin_faults
from marketing_assets.simulator.data import campaign_hours
from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse
from marketing_assets_tests.extra_platforms_server import (
    FIXED_NOW,
    LINKEDIN_LONDON,
    ExtraPlatformsServer,
)

DAY = dt.date(2026, 12, 3)
ACCOUNT = "507123456"
TOKEN = "sim-linkedin-access-token"
DATE = {"year": 2026, "month": 12, "day": 3}


def element(**overrides: Any) -> dict[str, Any]:
    values = {
        "pivotValues": ["urn:li:sponsoredCampaign:1111"],
        "dateRange": {"start": DATE, "end": DATE},
        "impressions": 19090,
        "clicks": 100,
        "costInLocalCurrency": "190.12",
        "externalWebsiteConversions": 4,
        "conversionValueInLocalCurrency": "80.5",
    }
    values.update(overrides)
    return {name: value for name, value in values.items() if value is not ...}


def parse(*elements: dict[str, Any], last_day: dt.date = DAY) -> list:
    body = json.dumps({"paging": {"start": 0, "count": 10}, "elements": list(elements)})
    return parse_analytics(body, account_id=ACCOUNT, first_day=DAY, last_day=last_day)


def test_analytics_element_parses_local_cost_exactly() -> None:
    [record] = parse(element())
    assert record.campaign_id == "1111"
    assert record.date == DAY
    assert record.cost == Decimal("190.12")
    assert record.impressions == 19090
    assert record.clicks == 100
    assert record.conversions == Decimal(4)
    assert record.conversion_value == Decimal("80.5")


def test_analytics_without_activity_is_empty() -> None:
    assert parse() == []


def test_analytics_omitted_metric_counts_as_zero() -> None:
    [record] = parse(element(clicks=...))
    assert record.clicks == 0


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"pivotValues": ["urn:li:sponsoredCreative:1"]}, "sponsoredCampaign URN"),
        ({"dateRange": {"start": {**DATE, "day": 4}}}, "outside the requested day"),
        ({"dateRange": {"start": {**DATE, "month": 13}}}, "not a calendar date"),
        ({"costInLocalCurrency": "-1"}, "expected 0 or more"),
        ({"costInLocalCurrency": None}, "an empty one is invalid"),
        ({"impressions": -3}, "expected 0 or more"),
    ],
)
def test_analytics_rejects_bad_element(overrides: dict[str, Any], expected: str) -> None:
    with pytest.raises(PlatformDataError) as caught:
        parse(element(**overrides))
    assert expected in str(caught.value)
    assert "LinkedIn account 507123456 on 2026-12-03" in str(caught.value)


def test_analytics_rejects_repeated_campaign() -> None:
    with pytest.raises(PlatformDataError, match="repeat campaign"):
        parse(element(), element())


def test_analytics_range_parses_one_record_per_campaign_day() -> None:
    next_date = {**DATE, "day": 4}
    records = parse(
        element(),
        element(dateRange={"start": next_date, "end": next_date}, costInLocalCurrency="1.5"),
        last_day=dt.date(2026, 12, 5),
    )
    assert [(record.date, record.cost) for record in records] == [
        (DAY, Decimal("190.12")),
        (dt.date(2026, 12, 4), Decimal("1.5")),
    ]


def test_analytics_range_error_names_row_day() -> None:
    next_date = {**DATE, "day": 4}
    bad = element(dateRange={"start": next_date, "end": next_date}, impressions=-1)
    with pytest.raises(PlatformDataError) as caught:
        parse(element(), bad, last_day=dt.date(2026, 12, 5))
    assert "LinkedIn account 507123456 on 2026-12-04" in str(caught.value)


def test_analytics_range_rejects_day_outside_range() -> None:
    late = {**DATE, "day": 6}
    with pytest.raises(PlatformDataError) as caught:
        parse(element(dateRange={"start": late, "end": late}), last_day=dt.date(2026, 12, 5))
    message = str(caught.value)
    assert "outside the requested days 2026-12-03 to 2026-12-05" in message
    assert "LinkedIn account 507123456 from 2026-12-03 to 2026-12-05" in message


def test_analytics_rejects_element_spanning_days() -> None:
    with pytest.raises(PlatformDataError, match="spans several days"):
        parse(
            element(dateRange={"start": DATE, "end": {**DATE, "day": 4}}),
            last_day=dt.date(2026, 12, 4),
        )


def test_analytics_rejects_cost_beyond_six_decimals() -> None:
    with pytest.raises(PlatformDataError, match="more than 6 decimal places"):
        parse(element(costInLocalCurrency="1.0000001"))


def test_analytics_rejects_response_at_element_cap() -> None:
    elements = [
        element(pivotValues=[f"urn:li:sponsoredCampaign:{index}"]) for index in range(15_000)
    ]
    with pytest.raises(PlatformResponseError, match="cut the response short"):
        parse(*elements)


def test_analytics_rejects_cost_as_float_text() -> None:
    with pytest.raises(PlatformResponseError, match="expected a decimal number"):
        parse(element(costInLocalCurrency="1e3"))


def resource(server: ExtraPlatformsServer, **overrides: Any) -> LinkedInResource:
    settings: dict[str, Any] = {
        "access_token": TOKEN,
        "base_url": f"{server.url}/linkedin",
        "backoff_initial_seconds": 0,
        "max_attempts": 3,
    }
    settings.update(overrides)
    return LinkedInResource(**settings)


def expected_days(day: dt.date) -> dict[str, tuple[Decimal, int, int]]:
    totals: dict[str, tuple[Decimal, int, int]] = {}
    for hour in campaign_hours(LINKEDIN_LONDON, day, FIXED_NOW):
        cost, impressions, clicks = totals.get(hour.campaign.campaign_id, (Decimal(0), 0, 0))
        totals[hour.campaign.campaign_id] = (
            cost + hour.spend,
            impressions + hour.impressions,
            clicks + hour.clicks,
        )
    return {campaign: total for campaign, total in totals.items() if total[1] > 0}


def test_simulator_days_match_hourly_truth() -> None:
    with ExtraPlatformsServer() as server:
        records = resource(server).fetch_campaign_days(account_id=ACCOUNT, day=DAY)
    fetched = {r.campaign_id: (r.cost, r.impressions, r.clicks) for r in records}
    assert fetched == expected_days(DAY)
    assert fetched


def test_simulator_day_range_is_one_request() -> None:
    last_day = dt.date(2026, 12, 5)
    with ExtraPlatformsServer() as server:
        records = resource(server).fetch_campaign_day_range(
            account_id=ACCOUNT, first_day=DAY, last_day=last_day
        )
        analytics_requests = [r for r in server.requests if linkedin_faults.is_analytics(r)]
    assert len(analytics_requests) == 1
    for day in (DAY, dt.date(2026, 12, 4)):
        fetched = {
            r.campaign_id: (r.cost, r.impressions, r.clicks) for r in records if r.date == day
        }
        assert fetched == expected_days(day)
        assert fetched
    # The simulator's clock is at midnight UTC of 2026-12-05, so London's day is open.
    assert not [record for record in records if record.date == last_day]


def test_simulator_truth_rows_equal_served_days() -> None:
    query = {"platform": "linkedin", "account_id": ACCOUNT}
    days = {"first_day": "2026-12-03", "last_day": "2026-12-04"}
    with ExtraPlatformsServer() as server:
        records = resource(server).fetch_campaign_day_range(
            account_id=ACCOUNT, first_day=DAY, last_day=dt.date(2026, 12, 4)
        )
        truth = httpx.get(f"{server.url}/_simulator/truth/rows", params={**query, **days})
        hourly = httpx.get(f"{server.url}/_simulator/truth/rows", params=query)
    served = {
        (r.campaign_id, r.date.isoformat()): (r.cost, r.impressions, r.clicks, r.conversions)
        for r in records
    }
    expected = {
        (row["campaign_id"], row["local_date"]): (
            Decimal(row["spend"]),
            row["impressions"],
            row["clicks"],
            Decimal(row["conversions"]),
        )
        for row in truth.json()["rows"]
    }
    assert truth.json()["currency"] == "GBP"
    assert served == expected
    assert hourly.status_code == 400
    assert "first_day and last_day" in hourly.json()["error"]


def test_resource_rejects_range_over_31_days() -> None:
    with pytest.raises(ValueError, match="from 1 to 31 days"):
        LinkedInResource(access_token=TOKEN).fetch_campaign_day_range(
            account_id=ACCOUNT, first_day=DAY, last_day=DAY + dt.timedelta(days=31)
        )


def test_simulator_future_day_is_empty() -> None:
    with ExtraPlatformsServer() as server:
        records = resource(server).fetch_campaign_days(
            account_id=ACCOUNT, day=dt.date(2026, 12, 20)
        )
    assert records == []


def test_simulator_ad_account_has_currency() -> None:
    with ExtraPlatformsServer() as server:
        account = resource(server).fetch_ad_account(account_id=ACCOUNT)
    assert account.currency == "GBP"
    assert account.account_id == ACCOUNT


def fault_first(fault):
    faulted: list[SimulatorRequest] = []

    def intercept(request: SimulatorRequest, call_handler) -> SimulatorResponse:
        if linkedin_faults.is_analytics(request) and not faulted:
            faulted.append(request)
            return fault(request)
        return call_handler()

    return intercept


@pytest.mark.parametrize(
    "fault",
    [
        lambda request: linkedin_faults.throttled(retry_after_seconds=0),
        lambda request: linkedin_faults.internal_error(),
    ],
)
def test_simulator_retryable_status_is_retried(fault) -> None:
    with ExtraPlatformsServer(intercept=fault_first(fault)) as server:
        records = resource(server).fetch_campaign_days(account_id=ACCOUNT, day=DAY)
        attempts = len(server.requests)
    assert {r.campaign_id for r in records} == set(expected_days(DAY))
    assert attempts == 2


def test_simulator_revoked_token_fails_without_retry() -> None:
    intercept = fault_first(lambda request: linkedin_faults.revoked_token())
    with (
        ExtraPlatformsServer(intercept=intercept) as server,
        pytest.raises(PlatformAuthError) as caught,
    ):
        resource(server).fetch_campaign_days(account_id=ACCOUNT, day=DAY)
    assert len(server.requests) == 1
    assert "REVOKED_ACCESS_TOKEN" in str(caught.value)
    assert "LINKEDIN_ACCESS_TOKEN" in str(caught.value)
    assert TOKEN not in str(caught.value)


def test_simulator_retired_version_names_api_version() -> None:
    with (
        ExtraPlatformsServer() as server,
        pytest.raises(PlatformRequestError, match="set api_version"),
    ):
        resource(server, api_version="202001").fetch_campaign_days(account_id=ACCOUNT, day=DAY)


def test_simulator_unknown_account_is_permission_error() -> None:
    with (
        ExtraPlatformsServer() as server,
        pytest.raises(PlatformAuthError, match="r_ads_reporting"),
    ):
        resource(server).fetch_campaign_days(account_id="999", day=DAY)
