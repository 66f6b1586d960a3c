"""Retries, paging and request details of fetch_campaign_days, against a scripted local server."""

import datetime as dt
import json
import logging

import pytest

from marketing_assets.platforms.errors import (
    PlatformAuthError,
    PlatformResponseError,
    PlatformTransientError,
)
from marketing_assets.platforms.meta.resource import MetaReduceDataError
from marketing_assets_tests import test_platform_retry
from marketing_assets_tests.test_platform_retry import (
    ACCOUNT,
    CUSTOMER,
    DAY,
    HOUR_FIELD,
    ScriptedServer,
    google,
    google_error,
    meta,
    meta_rate_limit,
)

# The scripted 127.0.0.1 server fixture, registered in this module under its name `server`.
server = test_platform_retry.server

FIRST_DAY = DAY - dt.timedelta(days=2)


def google_day_stream(
    campaign_ids: tuple[str, ...] = ("7",), days: tuple[dt.date, ...] = (DAY,)
) -> list[dict]:
    rows = [
        {
            "customer": {"id": CUSTOMER, "currencyCode": "USD"},
            "campaign": {"id": campaign_id},
            "segments": {"date": day.isoformat()},
            "metrics": {"impressions": "240", "clicks": "24", "costMicros": "60000000"},
        }
        for day in days
        for campaign_id in campaign_ids
    ]
    return [{"results": rows, "fieldMask": "customer.id", "requestId": "r1"}]


def meta_day_page(campaign_ids: range, after: str | None, day: dt.date = DAY) -> dict:
    rows = [
        {
            "campaign_id": str(campaign_id),
            "campaign_name": f"Campaign {campaign_id}",
            "account_currency": "USD",
            "spend": "30.00",
            "impressions": "2400",
            "clicks": "72",
            "actions": [{"action_type": "offsite_conversion.fb_pixel_lead", "value": "2"}],
            "date_start": day.isoformat(),
            "date_stop": day.isoformat(),
        }
        for campaign_id in campaign_ids
    ]
    paging: dict = {"cursors": {"before": "b", "after": after or "end"}}
    if after is not None:
        # A real next URL carries the access token, so the client must not request it.
        paging["next"] = f"http://127.0.0.1:9/must-not-be-requested?access_token=x&after={after}"
    return {"data": rows, "paging": paging}


def test_google_days_send_daily_query(server: ScriptedServer):
    server.add(200, google_day_stream(("7", "8")))

    records = google(server).fetch_campaign_days(
        customer_id=CUSTOMER, first_day=DAY, last_day=DAY, login_customer_id="9999999999"
    )

    assert [record.campaign_id for record in records] == ["7", "8"]
    request = server.requests[0]
    assert request.path == f"/google-ads/v22/customers/{CUSTOMER}/googleAds:searchStream"
    assert request.headers["login-customer-id"] == "9999999999"
    query = json.loads(request.body)["query"]
    assert "segments.date" in query
    assert "segments.hour" not in query
    assert query.endswith("WHERE segments.date BETWEEN '2026-12-03' AND '2026-12-03'")


def test_google_days_wait_for_retry_delay(server: ScriptedServer, caplog):
    quota = {"quotaError": "RESOURCE_EXHAUSTED"}
    server.add(429, [google_error(429, "RESOURCE_EXHAUSTED", quota, "0.1s")])
    server.add(500, google_error(500, "INTERNAL"))
    server.add(200, google_day_stream())
    caplog.set_level(logging.WARNING, logger="marketing_assets.platforms")

    records = google(server).fetch_campaign_days(customer_id=CUSTOMER, first_day=DAY, last_day=DAY)

    assert len(records) == 1
    assert len(server.requests) == 3
    assert (
        "Retrying Google Ads daily searchStream for customer 1234567890 on 2026-12-03 in 0.1 s"
        in caplog.text
    )


def test_google_days_stop_after_max_attempts(server: ScriptedServer):
    for _ in range(3):
        server.add(503, google_error(503, "UNAVAILABLE"))

    with pytest.raises(PlatformTransientError, match="HTTP 503 UNAVAILABLE") as raised:
        google(server, max_attempts=2).fetch_campaign_days(
            customer_id=CUSTOMER, first_day=DAY, last_day=DAY
        )

    assert len(server.requests) == 2
    assert raised.value.day == DAY


def test_google_days_never_retry_auth_error(server: ScriptedServer):
    denied = {"authorizationError": "USER_PERMISSION_DENIED"}
    server.add(403, [google_error(403, "PERMISSION_DENIED", denied)])
    server.add(200, google_day_stream())

    with pytest.raises(PlatformAuthError, match="login_customer_id"):
        google(server).fetch_campaign_days(customer_id=CUSTOMER, first_day=DAY, last_day=DAY)

    assert len(server.requests) == 1


def test_meta_days_follow_cursors_without_breakdowns(server: ScriptedServer):
    server.add(200, meta_day_page(range(0, 2), after="c1"))
    server.add(200, meta_day_page(range(2, 4), after="c2"))
    server.add(200, meta_day_page(range(4, 5), after=None))

    records = meta(server, page_size=2).fetch_campaign_days(
        account_id=ACCOUNT, first_day=DAY, last_day=DAY
    )

    assert [record.campaign_id for record in records] == ["0", "1", "2", "3", "4"]
    assert [record.all_conversions for record in records] == [2] * 5
    assert [request.path for request in server.requests] == [
        f"/meta/v24.0/act_{ACCOUNT}/insights"
    ] * 3
    assert [request.query.get("after") for request in server.requests] == [None, ["c1"], ["c2"]]
    first = server.requests[0].query
    assert "breakdowns" not in first
    assert first["limit"] == ["2"]
    assert first["time_increment"] == ["1"]
    assert json.loads(first["time_range"][0]) == {"since": "2026-12-03", "until": "2026-12-03"}
    assert "access_token" not in first


def test_meta_days_reject_cursor_loop(server: ScriptedServer):
    server.add(200, meta_day_page(range(1), after="same"))
    server.add(200, meta_day_page(range(1, 2), after="same"))

    with pytest.raises(PlatformResponseError, match="'same' repeats an earlier page's cursor"):
        meta(server).fetch_campaign_days(account_id=ACCOUNT, first_day=DAY, last_day=DAY)

    assert len(server.requests) == 2


def test_meta_days_retry_rate_limit_mid_paging(server: ScriptedServer, caplog):
    server.add(200, meta_day_page(range(0, 1), after="c1"))
    server.add(400, meta_rate_limit())
    server.add(200, meta_day_page(range(1, 2), after=None))
    caplog.set_level(logging.WARNING, logger="marketing_assets.platforms")

    records = meta(server, page_size=1).fetch_campaign_days(
        account_id=ACCOUNT, first_day=DAY, last_day=DAY
    )

    assert [record.campaign_id for record in records] == ["0", "1"]
    assert [request.query.get("after") for request in server.requests] == [None, ["c1"], ["c1"]]
    assert "Retrying Meta insights for account 123456789012 on 2026-12-03" in caplog.text


def test_meta_days_reject_hourly_response(server: ScriptedServer):
    page = meta_day_page(range(1), after=None)
    page["data"][0][HOUR_FIELD] = "09:00:00 - 09:59:59"
    server.add(200, page)

    with pytest.raises(PlatformResponseError, match="expected a daily row without breakdowns"):
        meta(server).fetch_campaign_days(account_id=ACCOUNT, first_day=DAY, last_day=DAY)


def meta_reduce_data_error() -> dict:
    message = "Please reduce the amount of data you're asking for, then retry your request"
    return {"error": {"message": message, "type": "OAuthException", "code": 1, "fbtrace_id": "F"}}


def time_ranges(server: ScriptedServer) -> list[dict[str, str]]:
    return [json.loads(request.query["time_range"][0]) for request in server.requests]


def test_google_days_send_one_query_for_range(server: ScriptedServer):
    days = (FIRST_DAY, FIRST_DAY + dt.timedelta(days=1), DAY)
    server.add(200, google_day_stream(("7", "8"), days))

    records = google(server).fetch_campaign_days(
        customer_id=CUSTOMER, first_day=FIRST_DAY, last_day=DAY
    )

    assert len(server.requests) == 1
    query = json.loads(server.requests[0].body)["query"]
    assert query.endswith("WHERE segments.date BETWEEN '2026-12-01' AND '2026-12-03'")
    assert [(record.date.day, record.campaign_id) for record in records] == [
        (1, "7"),
        (1, "8"),
        (2, "7"),
        (2, "8"),
        (3, "7"),
        (3, "8"),
    ]


def test_google_days_name_range_in_http_error(server: ScriptedServer):
    server.add(503, google_error(503, "UNAVAILABLE"))

    with pytest.raises(PlatformTransientError) as raised:
        google(server, max_attempts=1).fetch_campaign_days(
            customer_id=CUSTOMER, first_day=FIRST_DAY, last_day=DAY
        )

    assert "customer 1234567890 from 2026-12-01 to 2026-12-03 failed with HTTP 503" in str(
        raised.value
    )
    assert raised.value.day == FIRST_DAY
    assert raised.value.last_day == DAY


def test_google_days_reject_reversed_range(server: ScriptedServer):
    with pytest.raises(ValueError, match="last_day 2026-12-01 is before first_day 2026-12-03"):
        google(server).fetch_campaign_days(customer_id=CUSTOMER, first_day=DAY, last_day=FIRST_DAY)

    assert server.requests == []


def test_meta_days_page_through_range(server: ScriptedServer):
    server.add(200, meta_day_page(range(0, 2), after="c1", day=FIRST_DAY))
    server.add(200, meta_day_page(range(0, 2), after=None, day=DAY))

    records = meta(server, page_size=2).fetch_campaign_days(
        account_id=ACCOUNT, first_day=FIRST_DAY, last_day=DAY
    )

    assert [(record.date, record.campaign_id) for record in records] == [
        (FIRST_DAY, "0"),
        (FIRST_DAY, "1"),
        (DAY, "0"),
        (DAY, "1"),
    ]
    assert time_ranges(server) == [{"since": "2026-12-01", "until": "2026-12-03"}] * 2
    assert [request.query["time_increment"] for request in server.requests] == [["1"]] * 2


def test_meta_days_split_range_on_reduce_data(server: ScriptedServer, caplog):
    server.add(500, meta_reduce_data_error())
    server.add(200, meta_day_page(range(0, 1), after=None, day=FIRST_DAY))
    server.add(200, meta_day_page(range(0, 1), after=None, day=DAY))
    caplog.set_level(logging.WARNING, logger="marketing_assets.platforms")

    records = meta(server).fetch_campaign_days(
        account_id=ACCOUNT, first_day=FIRST_DAY, last_day=DAY
    )

    assert [record.date for record in records] == [FIRST_DAY, DAY]
    assert time_ranges(server) == [
        {"since": "2026-12-01", "until": "2026-12-03"},
        {"since": "2026-12-01", "until": "2026-12-02"},
        {"since": "2026-12-03", "until": "2026-12-03"},
    ]
    assert (
        "Meta rejected the daily report for account 123456789012 from 2026-12-01 to 2026-12-03 "
        "as too much data, so 2026-12-01 to 2026-12-02 and 2026-12-03 to 2026-12-03 are "
        "requested separately"
    ) in caplog.text


def test_meta_days_reduce_data_for_one_day_raises(server: ScriptedServer):
    server.add(500, meta_reduce_data_error())

    with pytest.raises(MetaReduceDataError, match="request fewer fields"):
        meta(server).fetch_campaign_days(account_id=ACCOUNT, first_day=DAY, last_day=DAY)

    assert len(server.requests) == 1
