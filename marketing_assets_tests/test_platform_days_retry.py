"""Retries, paging and request details of fetch_campaign_days, against a scripted local server."""

import json
import logging

import pytest

from marketing_assets.platforms.errors import (
    PlatformAuthError,
    PlatformResponseError,
    PlatformTransientError,
)
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


def google_day_stream(campaign_ids: tuple[str, ...] = ("7",)) -> list[dict]:
    rows = [
        {
            "customer": {"id": CUSTOMER, "currencyCode": "USD"},
            "campaign": {"id": campaign_id},
            "segments": {"date": DAY.isoformat()},
            "metrics": {"impressions": "240", "clicks": "24", "costMicros": "60000000"},
        }
        for campaign_id in campaign_ids
    ]
    return [{"results": rows, "fieldMask": "customer.id", "requestId": "r1"}]


def meta_day_page(campaign_ids: range, after: str | None) -> dict:
    rows = [
        {
            "campaign_id": str(campaign_id),
            "campaign_name": f"Campaign {campaign_id}",
            "account_currency": "USD",
            "spend": "30.00",
            "impressions": "2400",
            "clicks": "72",
            "actions": [{"action_type": "offsite_conversion.fb_pixel_lead", "value": "2"}],
            "date_start": DAY.isoformat(),
            "date_stop": DAY.isoformat(),
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
        customer_id=CUSTOMER, day=DAY, login_customer_id="9999999999"
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

    records = google(server).fetch_campaign_days(customer_id=CUSTOMER, day=DAY)

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
        google(server, max_attempts=2).fetch_campaign_days(customer_id=CUSTOMER, day=DAY)

    assert len(server.requests) == 2
    assert raised.value.day == DAY


def test_google_days_never_retry_auth_error(server: ScriptedServer):
    denied = {"authorizationError": "USER_PERMISSION_DENIED"}
    server.add(403, [google_error(403, "PERMISSION_DENIED", denied)])
    server.add(200, google_day_stream())

    with pytest.raises(PlatformAuthError, match="login_customer_id"):
        google(server).fetch_campaign_days(customer_id=CUSTOMER, day=DAY)

    assert len(server.requests) == 1


def test_meta_days_follow_cursors_without_breakdowns(server: ScriptedServer):
    server.add(200, meta_day_page(range(0, 2), after="c1"))
    server.add(200, meta_day_page(range(2, 4), after="c2"))
    server.add(200, meta_day_page(range(4, 5), after=None))

    records = meta(server, page_size=2).fetch_campaign_days(account_id=ACCOUNT, day=DAY)

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
        meta(server).fetch_campaign_days(account_id=ACCOUNT, day=DAY)

    assert len(server.requests) == 2


def test_meta_days_retry_rate_limit_mid_paging(server: ScriptedServer, caplog):
    server.add(200, meta_day_page(range(0, 1), after="c1"))
    server.add(400, meta_rate_limit())
    server.add(200, meta_day_page(range(1, 2), after=None))
    caplog.set_level(logging.WARNING, logger="marketing_assets.platforms")

    records = meta(server, page_size=1).fetch_campaign_days(account_id=ACCOUNT, day=DAY)

    assert [record.campaign_id for record in records] == ["0", "1"]
    assert [request.query.get("after") for request in server.requests] == [None, ["c1"], ["c1"]]
    assert "Retrying Meta insights for account 123456789012 on 2026-12-03" in caplog.text


def test_meta_days_reject_hourly_response(server: ScriptedServer):
    page = meta_day_page(range(1), after=None)
    page["data"][0][HOUR_FIELD] = "09:00:00 - 09:59:59"
    server.add(200, page)

    with pytest.raises(PlatformResponseError, match="expected a daily row without breakdowns"):
        meta(server).fetch_campaign_days(account_id=ACCOUNT, day=DAY)
