"""Retry policy and wire details of the platform resources, against a scripted local server.

The simulator covers normal traffic and auth errors; these tests script the responses it does
not produce (429 with retryDelay, 5xx then success, Meta rate limits, cursor loops).
"""

import datetime as dt
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from marketing_assets.platforms.errors import (
    PlatformAuthError,
    PlatformRateLimitError,
    PlatformRequestError,
    PlatformResponseError,
    PlatformTransientError,
    PlatformUnreadableBodyError,
)
from marketing_assets.platforms.google_ads import GoogleAdsResource
from marketing_assets.platforms.meta import MetaResource

DAY = dt.date(2026, 12, 3)
CUSTOMER = "1234567890"
ACCOUNT = "123456789012"
GOOGLE_TOKEN = "secret-google-access-token"
DEVELOPER_TOKEN = "secret-developer-token"
META_TOKEN = "secret-meta-access-token"
HOUR_FIELD = "hourly_stats_aggregated_by_advertiser_time_zone"


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


@dataclass
class ScriptedServer:
    """HTTP server on 127.0.0.1 that returns a fixed list of responses in order."""

    url: str
    responses: list[tuple[int, dict[str, str], str]] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)

    def add(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
        text = body if isinstance(body, str) else json.dumps(body)
        self.responses.append((status, headers or {}, text))


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    scripted = ScriptedServer(url="")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            parts = urlsplit(self.path)
            with lock:
                scripted.requests.append(
                    RecordedRequest(
                        method=self.command,
                        path=parts.path,
                        query=parse_qs(parts.query),
                        headers={key.lower(): value for key, value in self.headers.items()},
                        body=self.rfile.read(length),
                    )
                )
                if scripted.responses:
                    status, headers, text = scripted.responses.pop(0)
                else:
                    status, headers, text = 599, {}, "no scripted response left"
            payload = text.encode()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = _answer
        do_POST = _answer

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    scripted.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield scripted
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def google(server: ScriptedServer, **settings: object) -> GoogleAdsResource:
    defaults: dict = {"max_attempts": 4, "max_retry_seconds": 10.0, "backoff_initial_seconds": 0.01}
    return GoogleAdsResource(
        developer_token=DEVELOPER_TOKEN,
        access_token=GOOGLE_TOKEN,
        base_url=f"{server.url}/google-ads",
        **{**defaults, **settings},
    )


def meta(server: ScriptedServer, **settings: object) -> MetaResource:
    defaults: dict = {"max_attempts": 4, "max_retry_seconds": 10.0, "backoff_initial_seconds": 0.01}
    return MetaResource(
        access_token=META_TOKEN, base_url=f"{server.url}/meta", **{**defaults, **settings}
    )


def google_stream(hours: int = 1) -> list[dict]:
    rows = [
        {
            "customer": {"id": CUSTOMER, "currencyCode": "USD", "timeZone": "America/New_York"},
            "campaign": {"id": "7", "name": "Search", "status": "ENABLED"},
            "segments": {"date": DAY.isoformat(), "hour": hour},
            "metrics": {"impressions": "10", "clicks": "1", "costMicros": "2500000"},
        }
        for hour in range(hours)
    ]
    return [{"results": rows, "fieldMask": "customer.id", "requestId": "r1"}]


def google_error(code: int, status: str, error_code: dict | None = None, delay: str = "") -> dict:
    failure: dict = {"errorCode": error_code or {}, "message": status}
    if delay:
        failure["details"] = {"quotaErrorDetails": {"retryDelay": delay}}
    details = [{"@type": "GoogleAdsFailure", "errors": [failure], "requestId": "q"}]
    return {"error": {"code": code, "status": status, "message": status, "details": details}}


def meta_page(hours: range, after: str | None) -> dict:
    rows = [
        {
            "campaign_id": "42",
            "campaign_name": "Retargeting",
            "account_currency": "USD",
            "spend": "1.25",
            "impressions": "100",
            "clicks": "3",
            "date_start": DAY.isoformat(),
            "date_stop": DAY.isoformat(),
            HOUR_FIELD: f"{hour:02d}:00:00 - {hour:02d}:59:59",
        }
        for hour in hours
    ]
    paging: dict = {"cursors": {"before": "b", "after": after or "end"}}
    if after is not None:
        # A real next URL carries the access token, so the client must not request it.
        paging["next"] = f"http://127.0.0.1:9/must-not-be-requested?access_token=x&after={after}"
    return {"data": rows, "paging": paging}


def meta_rate_limit(code: int = 17, subcode: int = 2446079) -> dict:
    return {
        "error": {
            "message": "User request limit reached",
            "type": "OAuthException",
            "code": code,
            "error_subcode": subcode,
            "fbtrace_id": "Ab",
        }
    }


def test_google_sends_credentials_and_one_day_query(server):
    server.add(200, google_stream())

    google(server).fetch_campaign_hours(
        customer_id=CUSTOMER, day=DAY, login_customer_id="9999999999"
    )

    request = server.requests[0]
    assert request.method == "POST"
    assert request.path == f"/google-ads/v22/customers/{CUSTOMER}/googleAds:searchStream"
    assert request.headers["authorization"] == f"Bearer {GOOGLE_TOKEN}"
    assert request.headers["developer-token"] == DEVELOPER_TOKEN
    assert request.headers["login-customer-id"] == "9999999999"
    query = json.loads(request.body)["query"]
    assert query.endswith("WHERE segments.date BETWEEN '2026-12-03' AND '2026-12-03'")


def test_google_omits_login_customer_id_when_not_given(server):
    server.add(200, google_stream())

    google(server).fetch_campaign_hours(customer_id=CUSTOMER, day=DAY)

    assert "login-customer-id" not in server.requests[0].headers


def test_google_waits_for_retry_delay_then_succeeds(server, caplog):
    server.add(
        429, [google_error(429, "RESOURCE_EXHAUSTED", {"quotaError": "RESOURCE_EXHAUSTED"}, "0.3s")]
    )
    server.add(200, google_stream(hours=3))
    caplog.set_level(logging.WARNING, logger="marketing_assets.platforms")

    started = time.monotonic()
    records = google(server).fetch_campaign_hours(customer_id=CUSTOMER, day=DAY)
    elapsed = time.monotonic() - started

    assert len(records) == 3
    assert len(server.requests) == 2
    assert elapsed >= 0.3
    assert "Retrying Google Ads searchStream for customer 1234567890 on 2026-12-03 in 0.3 s" in (
        caplog.text
    )
    assert "RESOURCE_EXHAUSTED" in caplog.text


def test_google_gives_up_when_retry_delay_exceeds_budget(server):
    server.add(
        429, google_error(429, "RESOURCE_EXHAUSTED", {"quotaError": "RESOURCE_EXHAUSTED"}, "600s")
    )

    started = time.monotonic()
    with pytest.raises(PlatformRateLimitError) as raised:
        google(server, max_retry_seconds=5.0).fetch_campaign_hours(customer_id=CUSTOMER, day=DAY)

    assert time.monotonic() - started < 5.0
    assert raised.value.retry_after == 600.0
    assert len(server.requests) == 1


def test_google_retries_server_error_then_succeeds(server):
    server.add(500, google_error(500, "INTERNAL"))
    server.add(503, "<html>Service Unavailable</html>")
    server.add(200, google_stream())

    records = google(server).fetch_campaign_hours(customer_id=CUSTOMER, day=DAY)

    assert len(records) == 1
    assert len(server.requests) == 3


def test_google_stops_after_max_attempts(server):
    for _ in range(5):
        server.add(503, google_error(503, "UNAVAILABLE"))

    with pytest.raises(PlatformTransientError, match="HTTP 503 UNAVAILABLE"):
        google(server, max_attempts=3).fetch_campaign_hours(customer_id=CUSTOMER, day=DAY)

    assert len(server.requests) == 3


@pytest.mark.parametrize(
    ("status", "error_code"),
    [
        (401, None),
        (403, {"authorizationError": "USER_PERMISSION_DENIED"}),
        (403, {"authorizationError": "DEVELOPER_TOKEN_NOT_APPROVED"}),
    ],
)
def test_google_never_retries_auth_errors(server, status, error_code):
    server.add(status, [google_error(status, "PERMISSION_DENIED", error_code)])
    server.add(200, google_stream())

    with pytest.raises(PlatformAuthError):
        google(server).fetch_campaign_hours(customer_id=CUSTOMER, day=DAY)

    assert len(server.requests) == 1


def test_google_never_retries_invalid_argument(server):
    server.add(400, google_error(400, "INVALID_ARGUMENT", {"queryError": "BAD_FIELD_NAME"}))
    server.add(200, google_stream())

    with pytest.raises(PlatformRequestError, match="BAD_FIELD_NAME"):
        google(server).fetch_campaign_hours(customer_id=CUSTOMER, day=DAY)

    assert len(server.requests) == 1


def test_google_transport_error_is_transient():
    # Bind a port and close it again, so nothing listens there and connect fails at once.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    resource = GoogleAdsResource(
        developer_token=DEVELOPER_TOKEN,
        access_token=GOOGLE_TOKEN,
        base_url=f"http://127.0.0.1:{closed_port}",
        max_attempts=2,
        backoff_initial_seconds=0.01,
    )

    with pytest.raises(PlatformTransientError, match="ConnectError") as raised:
        resource.fetch_campaign_hours(customer_id=CUSTOMER, day=DAY)

    assert raised.value.__cause__ is not None


def test_meta_follows_cursors_without_requesting_next_url(server):
    server.add(200, meta_page(range(0, 2), after="c1"))
    server.add(200, meta_page(range(2, 4), after="c2"))
    server.add(200, meta_page(range(4, 5), after=None))

    records = meta(server, page_size=2).fetch_campaign_hours(account_id=ACCOUNT, day=DAY)

    assert [record.hour for record in records] == [0, 1, 2, 3, 4]
    assert [request.path for request in server.requests] == [
        f"/meta/v24.0/act_{ACCOUNT}/insights"
    ] * 3
    assert [request.query.get("after") for request in server.requests] == [None, ["c1"], ["c2"]]
    first = server.requests[0].query
    assert first["limit"] == ["2"]
    assert first["time_increment"] == ["1"]
    assert json.loads(first["time_range"][0]) == {"since": "2026-12-03", "until": "2026-12-03"}


def test_meta_sends_token_in_header_not_url(server):
    server.add(200, meta_page(range(1), after=None))

    meta(server).fetch_campaign_hours(account_id=ACCOUNT, day=DAY)

    request = server.requests[0]
    assert request.headers["authorization"] == f"Bearer {META_TOKEN}"
    assert "access_token" not in request.query
    assert META_TOKEN not in request.path


def test_meta_rejects_cursor_loop(server):
    server.add(200, meta_page(range(1), after="same"))
    server.add(200, meta_page(range(1, 2), after="same"))

    with pytest.raises(PlatformResponseError, match="'same' repeats an earlier page's cursor"):
        meta(server).fetch_campaign_hours(account_id=ACCOUNT, day=DAY)

    assert len(server.requests) == 2


def test_meta_retries_rate_limit_on_http_400(server, caplog):
    server.add(400, meta_rate_limit())
    server.add(200, meta_page(range(2), after=None))
    caplog.set_level(logging.WARNING, logger="marketing_assets.platforms")

    records = meta(server).fetch_campaign_hours(account_id=ACCOUNT, day=DAY)

    assert len(records) == 2
    assert len(server.requests) == 2
    assert "Retrying Meta insights for account 123456789012 on 2026-12-03" in caplog.text
    assert "error code 17 subcode 2446079" in caplog.text


def test_meta_waits_for_estimated_regain_access(server):
    # 0.005 minutes is 0.3 s; Meta sends whole minutes, which would slow the test.
    usage = {ACCOUNT: [{"type": "ads_insights", "estimated_time_to_regain_access": 0.005}]}
    server.add(
        400, meta_rate_limit(80004, 2446079), {"x-business-use-case-usage": json.dumps(usage)}
    )
    server.add(200, meta_page(range(1), after=None))

    started = time.monotonic()
    meta(server).fetch_campaign_hours(account_id=ACCOUNT, day=DAY)

    assert time.monotonic() - started >= 0.3


def test_meta_gives_up_when_regain_access_exceeds_budget(server):
    usage = {ACCOUNT: [{"type": "ads_insights", "estimated_time_to_regain_access": 5}]}
    server.add(400, meta_rate_limit(), {"x-business-use-case-usage": json.dumps(usage)})

    with pytest.raises(PlatformRateLimitError) as raised:
        meta(server, max_retry_seconds=60.0).fetch_campaign_hours(account_id=ACCOUNT, day=DAY)

    assert raised.value.retry_after == 300.0
    assert len(server.requests) == 1


def test_meta_never_retries_invalid_token(server):
    error = {
        "error": {"message": "Invalid OAuth access token.", "type": "OAuthException", "code": 190}
    }
    server.add(400, error)
    server.add(200, meta_page(range(1), after=None))

    with pytest.raises(PlatformAuthError, match="META_ACCESS_TOKEN"):
        meta(server).fetch_campaign_hours(account_id=ACCOUNT, day=DAY)

    assert len(server.requests) == 1


def test_meta_retries_code_2_then_succeeds(server):
    error = {
        "error": {"message": "Service temporarily unavailable", "type": "OAuthException", "code": 2}
    }
    server.add(500, error)
    server.add(200, meta_page(range(1), after=None))

    assert len(meta(server).fetch_campaign_hours(account_id=ACCOUNT, day=DAY)) == 1
    assert len(server.requests) == 2


def test_retry_logs_and_errors_never_contain_tokens(server, caplog):
    server.add(
        429, google_error(429, "RESOURCE_EXHAUSTED", {"quotaError": "RESOURCE_EXHAUSTED"}, "0.01s")
    )
    server.add(401, google_error(401, "UNAUTHENTICATED"))
    server.add(400, meta_rate_limit())
    server.add(400, {"error": {"message": "Invalid OAuth access token.", "code": 190}})
    caplog.set_level(logging.DEBUG)

    with pytest.raises(PlatformAuthError) as google_error_raised:
        google(server).fetch_campaign_hours(customer_id=CUSTOMER, day=DAY)
    with pytest.raises(PlatformAuthError) as meta_error_raised:
        meta(server).fetch_campaign_hours(account_id=ACCOUNT, day=DAY)

    for secret in (GOOGLE_TOKEN, DEVELOPER_TOKEN, META_TOKEN):
        assert secret not in caplog.text
        assert secret not in str(google_error_raised.value)
        assert secret not in str(meta_error_raised.value)
    assert "Retrying" in caplog.text


def test_client_block_shares_one_connection_pool(server):
    server.add(200, google_stream())
    server.add(200, google_stream())
    resource = google(server)

    with resource.client() as shared:
        resource.fetch_campaign_hours(customer_id=CUSTOMER, day=DAY)
        resource.fetch_campaign_hours(customer_id=CUSTOMER, day=DAY)

    assert shared.is_closed
    assert len(server.requests) == 2


def retry_messages(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.getMessage().startswith("Retrying")
    ]


@pytest.mark.parametrize(
    ("status", "body", "kind", "wait"),
    [
        (
            429,
            google_error(429, "RESOURCE_EXHAUSTED", {"quotaError": "RESOURCE_EXHAUSTED"}, "0.2s"),
            "rate limit",
            "in 0.2 s",
        ),
        (503, google_error(503, "UNAVAILABLE"), "transient error", "in 0.0 s"),
    ],
)
def test_google_retry_log_details(server, caplog, status, body, kind, wait):
    server.add(status, body)
    server.add(200, google_stream())
    caplog.set_level(logging.WARNING, logger="marketing_assets.platforms")

    google(server).fetch_campaign_hours(customer_id=CUSTOMER, day=DAY)

    [message] = retry_messages(caplog)
    assert message.startswith(f"Retrying Google Ads searchStream for customer {CUSTOMER}")
    assert wait in message
    assert f"attempt 1 of 4 failed ({kind}): Google Ads request for customer {CUSTOMER}" in message
    assert "on 2026-12-03" in message
    assert f"HTTP {status}" in message
    assert GOOGLE_TOKEN not in message
    assert DEVELOPER_TOKEN not in message


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (400, meta_rate_limit(), "rate limit"),
        (500, {"error": {"message": "Service unavailable", "code": 2}}, "transient error"),
    ],
)
def test_meta_retry_log_details(server, caplog, status, body, kind):
    server.add(status, body)
    server.add(200, meta_page(range(1), after=None))
    caplog.set_level(logging.WARNING, logger="marketing_assets.platforms")

    meta(server).fetch_campaign_hours(account_id=ACCOUNT, day=DAY)

    [message] = retry_messages(caplog)
    assert message.startswith(f"Retrying Meta insights for account {ACCOUNT} on 2026-12-03 in ")
    assert f"attempt 1 of 4 failed ({kind}): Meta request for ad account {ACCOUNT}" in message
    assert f"HTTP {status}" in message
    assert META_TOKEN not in message


def test_transport_retry_log_details(caplog):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    resource = MetaResource(
        access_token=META_TOKEN,
        base_url=f"http://127.0.0.1:{closed_port}",
        max_attempts=2,
        backoff_initial_seconds=0.01,
    )
    caplog.set_level(logging.WARNING, logger="marketing_assets.platforms")

    with pytest.raises(PlatformTransientError):
        resource.fetch_campaign_hours(account_id=ACCOUNT, day=DAY)

    [message] = retry_messages(caplog)
    assert "attempt 1 of 2 failed (transient error)" in message
    assert f"The request for Meta account {ACCOUNT} on 2026-12-03 failed" in message
    assert "ConnectError" in message
    assert META_TOKEN not in caplog.text


def test_give_up_log_names_kind(server, caplog):
    for _ in range(2):
        server.add(503, google_error(503, "UNAVAILABLE"))
    caplog.set_level(logging.WARNING, logger="marketing_assets.platforms")

    with pytest.raises(PlatformTransientError):
        google(server, max_attempts=2).fetch_campaign_hours(customer_id=CUSTOMER, day=DAY)

    messages = [record.getMessage() for record in caplog.records]
    [give_up] = [message for message in messages if message.startswith("Giving up")]
    assert "after 2 attempts" in give_up
    assert "on a transient error: Google Ads request for customer 1234567890" in give_up


def test_meta_error_usage_sets_no_pause(server):
    # Usage at 100% without a reset time would make the pacer wait usage_pause_max_seconds.
    usage = {ACCOUNT: [{"type": "ads_insights", "call_count": 100, "total_time": 100}]}
    exhausted = {
        "x-business-use-case-usage": json.dumps(usage),
        "x-ad-account-usage": json.dumps({"acc_id_util_pct": 100, "reset_time_duration": 0}),
        "x-app-usage": json.dumps({"call_count": 100}),
    }
    server.add(400, meta_rate_limit(), exhausted)
    server.add(200, meta_page(range(1), after=None))
    server.add(200, meta_page(range(1), after=None))
    resource = meta(server)

    started = time.monotonic()
    resource.fetch_campaign_hours(account_id=ACCOUNT, day=DAY)
    resource.fetch_campaign_hours(account_id=ACCOUNT, day=DAY)

    assert time.monotonic() - started < 5.0
    assert len(server.requests) == 3


@pytest.mark.parametrize(
    "body", ['[{"results": [{"customer": {"id', "<html>502 Bad Gateway</html>"]
)
def test_google_retries_unreadable_body(server, body):
    server.add(200, body)
    server.add(200, google_stream())

    records = google(server).fetch_campaign_hours(customer_id=CUSTOMER, day=DAY)

    assert len(records) == 1
    assert len(server.requests) == 2


def test_meta_retries_truncated_page(server, caplog):
    caplog.set_level(logging.WARNING)
    server.add(200, '{"data": [{"campaign_id": "4')
    server.add(200, meta_page(range(9, 10), None))

    records = meta(server).fetch_campaign_hours(account_id=ACCOUNT, day=DAY)

    assert [record.hour for record in records] == [9]
    assert len(server.requests) == 2
    assert "(unreadable body)" in caplog.text


def test_persistent_unreadable_body_names_account(server):
    for _ in range(3):
        server.add(200, "Service Unavailable")

    with pytest.raises(PlatformUnreadableBodyError) as raised:
        meta(server, max_attempts=3).fetch_campaign_hours(account_id=ACCOUNT, day=DAY)

    assert f"Meta account {ACCOUNT} on {DAY}" in str(raised.value)
    assert "is not JSON" in str(raised.value)
