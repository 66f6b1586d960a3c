import datetime as dt
import json
import re
from decimal import Decimal

import pytest

from marketing_assets.platforms.errors import PlatformResponseError
from marketing_assets.platforms.google_ads.parse import (
    parse_accessible_customers,
    parse_duration_seconds,
    parse_error,
    parse_search_stream,
)
from marketing_assets.platforms.google_ads.settings import campaign_hours_query

DAY = dt.date(2025, 3, 1)
CUSTOMER = "1234567890"
FIELD_MASK = (
    "customer.id,customer.currencyCode,customer.timeZone,campaign.id,campaign.name,"
    "campaign.status,segments.date,segments.hour,metrics.impressions,metrics.clicks,"
    "metrics.costMicros,metrics.conversions,metrics.conversionsValue"
)


def row(hour: int = 9, **metrics: object) -> dict:
    default_metrics = {
        "impressions": "1520",
        "clicks": "48",
        "costMicros": "23450000",
        "conversions": 3.5,
        "conversionsValue": 120.0,
    }
    return {
        "customer": {"id": CUSTOMER, "currencyCode": "EUR", "timeZone": "Europe/Berlin"},
        "campaign": {"id": "111", "name": 'Brand \U0001f680 "quoted"', "status": "ENABLED"},
        "segments": {"date": "2025-03-01", "hour": hour},
        "metrics": {**default_metrics, **metrics},
    }


def stream(*batches: list[dict]) -> str:
    body = [
        {"results": results, "fieldMask": FIELD_MASK, "requestId": f"r{i}"}
        for i, results in enumerate(batches)
    ]
    body[-1]["queryResourceConsumption"] = "1234"
    return json.dumps(body)


def test_search_stream_parses_rows_across_batches():
    records = parse_search_stream(stream([row(0), row(1)], [row(2)]), customer_id=CUSTOMER, day=DAY)

    assert [record.hour for record in records] == [0, 1, 2]
    first = records[0]
    assert first.customer_id == CUSTOMER
    assert first.currency_code == "EUR"
    assert first.time_zone == "Europe/Berlin"
    assert first.campaign_id == "111"
    assert first.campaign_name == 'Brand \U0001f680 "quoted"'
    assert first.campaign_status == "ENABLED"
    assert first.date == DAY
    assert first.impressions == 1520
    assert first.clicks == 48
    assert first.cost_micros == 23_450_000


def test_search_stream_keeps_int64_beyond_32_bits():
    body = stream([row(impressions="5000000000", costMicros="2436580000")])

    record = parse_search_stream(body, customer_id=CUSTOMER, day=DAY)[0]

    assert record.cost_micros == 2_436_580_000
    assert record.cost_micros > 2**31
    assert record.impressions == 5_000_000_000


def test_search_stream_keeps_doubles_exact():
    body = stream([row(conversions=0.1, conversionsValue=1234567.89)])

    record = parse_search_stream(body, customer_id=CUSTOMER, day=DAY)[0]

    assert record.conversions == Decimal("0.1")
    assert record.conversions_value == Decimal("1234567.89")
    assert isinstance(record.conversions, Decimal)


def test_search_stream_reads_integral_double_as_decimal():
    record = parse_search_stream(
        stream([row(conversions=3, conversionsValue=120)]), customer_id=CUSTOMER, day=DAY
    )[0]

    assert record.conversions == Decimal(3)
    assert record.conversions_value == Decimal(120)


def test_search_stream_treats_missing_metric_keys_as_zero():
    sparse = row()
    sparse["metrics"] = {"impressions": "7"}
    no_metrics = row(hour=10)
    del no_metrics["metrics"]

    records = parse_search_stream(stream([sparse, no_metrics]), customer_id=CUSTOMER, day=DAY)

    assert records[0].impressions == 7
    assert records[0].clicks == 0
    assert records[0].cost_micros == 0
    assert records[0].conversions == Decimal(0)
    assert records[0].conversions_value == Decimal(0)
    assert records[1].impressions == 0


def test_search_stream_accepts_empty_batches():
    assert parse_search_stream("[]", customer_id=CUSTOMER, day=DAY) == []
    body = json.dumps([{"fieldMask": FIELD_MASK, "requestId": "r0"}])
    assert parse_search_stream(body, customer_id=CUSTOMER, day=DAY) == []


@pytest.mark.parametrize(
    ("body", "expected_detail"),
    [
        ('{"results": []}', "expected a JSON array"),
        (json.dumps([{"results": {"a": 1}}]), "batch 0.results"),
        (json.dumps([{"results": [row(costMicros="12.5")]}]), "'12.5'"),
        (json.dumps([{"results": [row(clicks=12.5)]}]), "metrics.clicks is Decimal('12.5')"),
        (json.dumps([{"results": [row(conversions="3.5")]}]), "metrics.conversions is '3.5'"),
        (json.dumps([{"results": [row(hour=24)]}]), "segments.hour is 24"),
        (json.dumps([{"results": [{**row(), "campaign": None}]}]), "campaign is None"),
    ],
)
def test_search_stream_rejects_malformed_body(body: str, expected_detail: str):
    with pytest.raises(PlatformResponseError) as raised:
        parse_search_stream(body, customer_id=CUSTOMER, day=DAY)

    message = str(raised.value)
    assert expected_detail in message
    assert "Google Ads account 1234567890 on 2025-03-01" in message
    assert raised.value.platform == "google_ads"
    assert raised.value.account_id == CUSTOMER


def test_search_stream_rejects_row_of_other_day():
    other_day = row()
    other_day["segments"]["date"] = "2025-03-02"

    with pytest.raises(PlatformResponseError, match="'2025-03-02', outside the requested day"):
        parse_search_stream(stream([other_day]), customer_id=CUSTOMER, day=DAY)


def test_search_stream_rejects_row_of_other_customer():
    other = row()
    other["customer"]["id"] = "9999999999"

    with pytest.raises(PlatformResponseError, match=re.escape("customer.id is '9999999999'")):
        parse_search_stream(stream([other]), customer_id=CUSTOMER, day=DAY)


def quota_error() -> dict:
    return {
        "error": {
            "code": 429,
            "message": "Resource has been exhausted (e.g. check quota).",
            "status": "RESOURCE_EXHAUSTED",
            "details": [
                {
                    "@type": "type.googleapis.com/google.ads.googleads.v22.errors.GoogleAdsFailure",
                    "errors": [
                        {
                            "errorCode": {"quotaError": "RESOURCE_EXHAUSTED"},
                            "message": "Too many requests. Retry in 600 seconds.",
                            "details": {
                                "quotaErrorDetails": {
                                    "rateScope": "DEVELOPER",
                                    "rateName": "Number of operations for basic access",
                                    "retryDelay": "600s",
                                }
                            },
                        }
                    ],
                    "requestId": "abc123",
                }
            ],
        }
    }


@pytest.mark.parametrize("wrap", [False, True], ids=["bare", "array"])
def test_parse_error_reads_quota_failure(wrap: bool):
    body = [quota_error()] if wrap else quota_error()

    info = parse_error(json.dumps(body))

    assert info is not None
    assert info.code == 429
    assert info.status == "RESOURCE_EXHAUSTED"
    assert info.error_codes == (("quotaError", "RESOURCE_EXHAUSTED"),)
    assert info.retry_delay_seconds == 600.0
    assert info.request_id == "abc123"
    assert info.message.startswith("Resource has been exhausted")


def test_parse_error_reads_rpc_retry_info():
    body = {
        "error": {
            "code": 503,
            "status": "UNAVAILABLE",
            "message": "The service is currently unavailable.",
            "details": [
                {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "1.5s"}
            ],
        }
    }

    info = parse_error(json.dumps(body))

    assert info is not None
    assert info.retry_delay_seconds == 1.5
    assert info.error_codes == ()


@pytest.mark.parametrize(
    "body", ["<html>oops</html>", "[]", "[{}, {}]", '{"error": "x"}', '"text"']
)
def test_parse_error_returns_none_for_other_bodies(body: str):
    assert parse_error(body) is None


@pytest.mark.parametrize(
    ("text", "seconds"), [("600s", 600.0), ("0.5s", 0.5), ("1.000340s", 1.00034), ("10m", None)]
)
def test_parse_duration_seconds(text: str, seconds: float | None):
    assert parse_duration_seconds(text) == seconds


def test_accessible_customers_strips_resource_prefix():
    body = json.dumps({"resourceNames": ["customers/1234567890", "customers/2222222222"]})

    assert parse_accessible_customers(body) == ["1234567890", "2222222222"]


def test_campaign_hours_query_filters_one_day():
    query = campaign_hours_query(dt.date(2026, 12, 3))

    assert query.startswith("SELECT customer.id, customer.currency_code, customer.time_zone,")
    assert "segments.hour" in query
    assert "metrics.cost_micros" in query
    assert " FROM campaign " in query
    assert query.endswith("WHERE segments.date BETWEEN '2026-12-03' AND '2026-12-03'")
