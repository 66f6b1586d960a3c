"""TikTok Business API client: report parsing, error codes under HTTP 200, and the simulator."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from marketing_assets.platforms.errors import (
    PlatformAuthError,
    PlatformDataError,
    PlatformError,
    PlatformRateLimitError,
    PlatformRequestError,
    PlatformResponseError,
    PlatformTransientError,
)
from marketing_assets.platforms.tiktok import TikTokResource
from marketing_assets.platforms.tiktok.parse import (
    check_unique_campaign_days,
    parse_daily_report_page,
    parse_report_page,
)
from marketing_assets.simulator import tiktok_faults
from marketing_assets.simulator.data import campaign_hours
from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse
from marketing_assets_tests.extra_platforms_server import (
    FIXED_NOW,
    TIKTOK_KATHMANDU,
    TIKTOK_NEW_YORK,
    ExtraPlatformsServer,
)

DAY = dt.date(2026, 12, 3)
ADVERTISER = "7012345678901234567"
TOKEN = "sim-tiktok-access-token"


def envelope(rows: list[dict[str, Any]], *, page: int = 1, total_page: int = 1) -> str:
    data = {
        "list": rows,
        "page_info": {
            "page": page,
            "page_size": 1000,
            "total_number": len(rows),
            "total_page": total_page,
        },
    }
    return json.dumps({"code": 0, "message": "OK", "request_id": "r1", "data": data})


def report_row(**metrics: Any) -> dict[str, Any]:
    values = {"campaign_name": "Brand", "spend": "20.00", "impressions": "4696", "clicks": "31"}
    values.update(metrics)
    return {
        "dimensions": {
            "campaign_id": "1790000000000000001",
            "stat_time_hour": "2026-12-03 09:00:00",
        },
        "metrics": {name: value for name, value in values.items() if value is not ...},
    }


def parse(text: str) -> list:
    return parse_report_page(text, account_id=ADVERTISER, day=DAY).records


def test_report_page_parses_string_metrics_exactly() -> None:
    [record] = parse(envelope([report_row(conversion="3")]))
    assert record.campaign_id == "1790000000000000001"
    assert record.date == DAY
    assert record.hour == 9
    assert record.spend == Decimal("20.00")
    assert record.impressions == 4696
    assert record.clicks == 31
    assert record.conversions == Decimal(3)


def test_report_page_accepts_numeric_metrics() -> None:
    [record] = parse(envelope([report_row(spend=20.1, impressions=4696, clicks=31)]))
    assert record.spend == Decimal("20.1")
    assert record.impressions == 4696


def test_report_page_counts_omitted_metric_as_zero() -> None:
    [record] = parse(envelope([report_row(clicks=...)]))
    assert record.clicks == 0


@pytest.mark.parametrize(
    ("metrics", "expected"),
    [
        ({"spend": "-1.00"}, "expected 0 or more"),
        ({"spend": ""}, "an empty one is invalid"),
        ({"spend": "NaN"}, "expected a finite number"),
        ({"impressions": "-5"}, "expected 0 or more"),
    ],
)
def test_report_page_rejects_bad_metric(metrics: dict[str, Any], expected: str) -> None:
    with pytest.raises(PlatformDataError) as caught:
        parse(envelope([report_row(**metrics)]))
    assert expected in str(caught.value)
    assert "TikTok account 7012345678901234567 on 2026-12-03" in str(caught.value)


def test_report_page_rejects_fractional_count() -> None:
    with pytest.raises(PlatformResponseError, match="expected an integer"):
        parse(envelope([report_row(impressions=4696.5)]))


@pytest.mark.parametrize(
    "stat_time_hour", ["2026-12-04 09:00:00", "2026-12-03 09:30:00", "2026-12-03 24:00:00", ""]
)
def test_report_page_rejects_bad_stat_time_hour(stat_time_hour: str) -> None:
    row = report_row()
    row["dimensions"]["stat_time_hour"] = stat_time_hour
    with pytest.raises(PlatformDataError, match="stat_time_hour"):
        parse(envelope([row]))


@pytest.mark.parametrize(
    ("code", "error_class", "hint"),
    [
        (40100, PlatformRateLimitError, "rate-limited"),
        (60001, PlatformTransientError, "temporary TikTok error"),
        (40105, PlatformAuthError, "TIKTOK_ACCESS_TOKEN"),
        (40002, PlatformAuthError, "Business Center"),
        (40067, PlatformRequestError, "lower page_size"),
        (40000, PlatformRequestError, "check account_id"),
    ],
)
def test_error_code_under_http_200_is_classified(code: int, error_class: type, hint: str) -> None:
    body = json.dumps({"code": code, "message": "Something failed", "request_id": "r9", "data": {}})
    with pytest.raises(PlatformError) as caught:
        parse(body)
    assert type(caught.value) is error_class
    assert hint in str(caught.value)
    assert f"code {code}" in str(caught.value)
    assert "2026-12-03" in str(caught.value)


def expected_hours(account, day: dt.date) -> dict[tuple[str, int], tuple[Decimal, int, int]]:
    return {
        (hour.campaign.campaign_id, hour.hour): (hour.spend, hour.impressions, hour.clicks)
        for hour in campaign_hours(account, day, FIXED_NOW)
        if hour.impressions > 0
    }


def resource(server: ExtraPlatformsServer, **overrides: Any) -> TikTokResource:
    settings = {
        "access_token": TOKEN,
        "base_url": f"{server.url}/tiktok",
        "page_size": 7,
        "backoff_initial_seconds": 0,
        "max_attempts": 3,
    }
    settings.update(overrides)
    return TikTokResource(**settings)


@pytest.mark.parametrize("account", [TIKTOK_NEW_YORK, TIKTOK_KATHMANDU])
def test_simulator_hours_match_truth_over_pages(account) -> None:
    with ExtraPlatformsServer() as server:
        records = resource(server).fetch_campaign_hours(account_id=account.account_id, day=DAY)
        pages = [r for r in server.requests if r.path.endswith("/report/integrated/get/")]
    fetched = {(r.campaign_id, r.hour): (r.spend, r.impressions, r.clicks) for r in records}
    assert fetched == expected_hours(account, DAY)
    assert len(pages) == -(-len(records) // 7)
    assert len(pages) > 1


def test_simulator_advertiser_has_time_zone_and_currency() -> None:
    with ExtraPlatformsServer() as server:
        advertiser = resource(server).fetch_advertiser(account_id=TIKTOK_KATHMANDU.account_id)
    assert advertiser.time_zone == "Asia/Kathmandu"
    assert advertiser.currency == "NPR"


def fault_once(fault: Callable[[SimulatorRequest], SimulatorResponse]):
    """Build an intercept that replaces the response to the first report request with `fault`."""
    faulted: list[SimulatorRequest] = []

    def intercept(request: SimulatorRequest, call_handler) -> SimulatorResponse:
        if tiktok_faults.is_report(request) and not faulted:
            faulted.append(request)
            return fault(request)
        return call_handler()

    return intercept


@pytest.mark.parametrize(
    "fault",
    [lambda request: tiktok_faults.rate_limit(), lambda request: tiktok_faults.maintenance()],
)
def test_simulator_retryable_code_is_retried(fault) -> None:
    with ExtraPlatformsServer(intercept=fault_once(fault)) as server:
        records = resource(server).fetch_campaign_hours(account_id=ADVERTISER, day=DAY)
    fetched = {(r.campaign_id, r.hour): (r.spend, r.impressions, r.clicks) for r in records}
    assert fetched == expected_hours(TIKTOK_NEW_YORK, DAY)


def test_simulator_revoked_token_fails_without_retry() -> None:
    intercept = fault_once(lambda request: tiktok_faults.revoked_token())
    with ExtraPlatformsServer(intercept=intercept) as server:
        with pytest.raises(PlatformAuthError) as caught:
            resource(server).fetch_campaign_hours(account_id=ADVERTISER, day=DAY)
        attempts = len(server.requests)
    assert attempts == 1
    assert TOKEN not in str(caught.value)
    assert "code 40105" in str(caught.value)


def test_simulator_wrong_token_is_auth_error() -> None:
    with ExtraPlatformsServer() as server, pytest.raises(PlatformAuthError, match="code 40105"):
        resource(server, access_token="wrong").fetch_campaign_hours(account_id=ADVERTISER, day=DAY)


def test_simulator_numeric_and_repeated_rows_parse_the_same() -> None:
    def intercept(request: SimulatorRequest, call_handler) -> SimulatorResponse:
        response = call_handler()
        if not tiktok_faults.is_report(request):
            return response
        numeric = tiktok_faults.numeric_metrics(response, random.Random(1)) or response
        return tiktok_faults.repeat_rows(numeric, repeated_rows=2) or numeric

    with ExtraPlatformsServer(intercept=intercept) as server:
        records = resource(server).fetch_campaign_hours(account_id=ADVERTISER, day=DAY)
    fetched = {(r.campaign_id, r.hour): (r.spend, r.impressions, r.clicks) for r in records}
    assert fetched == expected_hours(TIKTOK_NEW_YORK, DAY)
    assert len(records) == len(fetched)


FIRST_DAY = dt.date(2026, 12, 2)


def day_row(stat_time_day: str = "2026-12-03 00:00:00", **metrics: Any) -> dict[str, Any]:
    values = {"campaign_name": "Brand", "spend": "120.40", "impressions": "9001", "clicks": "77"}
    values["conversion"] = "5"
    values.update(metrics)
    return {
        "dimensions": {"campaign_id": "1790000000000000001", "stat_time_day": stat_time_day},
        "metrics": values,
    }


def parse_days(text: str) -> list:
    return parse_daily_report_page(
        text, account_id=ADVERTISER, first_day=FIRST_DAY, last_day=DAY
    ).records


def test_daily_page_parses_each_requested_day() -> None:
    first, second = parse_days(
        envelope([day_row("2026-12-02 00:00:00"), day_row(spend=120.4, impressions=9001)])
    )
    assert (first.date, second.date) == (FIRST_DAY, DAY)
    assert first.spend == second.spend == Decimal("120.40")
    assert (first.impressions, first.clicks, first.conversions) == (9001, 77, Decimal(5))


@pytest.mark.parametrize(
    "stat_time_day", ["2026-12-04 00:00:00", "2026-12-01 00:00:00", "2026-12-03 09:00:00"]
)
def test_daily_page_rejects_day_outside_request(stat_time_day: str) -> None:
    with pytest.raises(PlatformDataError) as caught:
        parse_days(envelope([day_row(stat_time_day)]))
    assert f"stat_time_day is {stat_time_day!r}" in str(caught.value)
    assert f"TikTok account {ADVERTISER} from 2026-12-02 to 2026-12-03" in str(caught.value)


def test_differing_daily_repeats_rejected() -> None:
    records = parse_days(envelope([day_row(), day_row(spend="1.00")]))
    with pytest.raises(PlatformDataError, match="from 2026-12-02 to 2026-12-03"):
        check_unique_campaign_days(
            records, account_id=ADVERTISER, first_day=FIRST_DAY, last_day=DAY
        )
    exact = parse_days(envelope([day_row(), day_row()]))
    unique = check_unique_campaign_days(
        exact, account_id=ADVERTISER, first_day=FIRST_DAY, last_day=DAY
    )
    assert len(unique) == 1


def test_simulator_daily_report_equals_hourly_sums_over_days() -> None:
    with ExtraPlatformsServer() as server:
        client = resource(server)
        days = client.fetch_campaign_days(
            account_id=TIKTOK_KATHMANDU.account_id, first_day=FIRST_DAY, last_day=DAY
        )
        hours = [
            record
            for day in (FIRST_DAY, DAY)
            for record in client.fetch_campaign_hours(
                account_id=TIKTOK_KATHMANDU.account_id, day=day
            )
        ]
        daily_requests = [
            r for r in server.requests if "stat_time_day" in r.query.get("dimensions", "")
        ]
    for day in (FIRST_DAY, DAY):
        daily = [record for record in days if record.date == day]
        hourly = [record for record in hours if record.date == day]
        assert sum(record.spend for record in daily) == sum(record.spend for record in hourly)
        assert sum(r.impressions for r in daily) == sum(r.impressions for r in hourly)
        assert sum(r.conversions for r in daily) == sum(r.conversions for r in hourly)
    assert {request.query["start_date"] for request in daily_requests} == {"2026-12-02"}
    assert {request.query["end_date"] for request in daily_requests} == {"2026-12-03"}


def test_simulator_daily_error_names_both_days() -> None:
    intercept = fault_once(lambda request: tiktok_faults.query_too_large())
    with (
        ExtraPlatformsServer(intercept=intercept) as server,
        pytest.raises(PlatformRequestError) as caught,
    ):
        resource(server).fetch_campaign_days(
            account_id=ADVERTISER, first_day=FIRST_DAY, last_day=DAY
        )
    assert f"advertiser {ADVERTISER} from 2026-12-02 to 2026-12-03" in str(caught.value)
    assert caught.value.last_day == DAY
