"""Daily campaign rows of Google Ads searchStream (no segments.hour), parsed from literal bodies."""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest

from marketing_assets.platforms.errors import PlatformResponseError
from marketing_assets.platforms.google_ads.parse import parse_campaign_days
from marketing_assets.platforms.google_ads.records import GoogleAdsCampaignDay
from marketing_assets.platforms.google_ads.settings import (
    CAMPAIGN_HOUR_FIELDS,
    campaign_days_query,
)

DAY = dt.date(2025, 3, 1)
CUSTOMER = "1234567890"
FIELD_MASK = (
    "customer.id,customer.currencyCode,campaign.id,segments.date,metrics.impressions,"
    "metrics.clicks,metrics.costMicros,metrics.conversions,metrics.conversionsValue"
)


def day_row(campaign_id: str = "111", **metrics: object) -> dict:
    default_metrics = {
        "impressions": "36480",
        "clicks": "1152",
        "costMicros": "562800000",
        "conversions": 84.5,
        "conversionsValue": 2880.25,
    }
    return {
        "customer": {
            "resourceName": f"customers/{CUSTOMER}",
            "id": CUSTOMER,
            "currencyCode": "EUR",
        },
        "campaign": {
            "resourceName": f"customers/{CUSTOMER}/campaigns/{campaign_id}",
            "id": campaign_id,
        },
        "segments": {"date": "2025-03-01"},
        "metrics": {**default_metrics, **metrics},
    }


def stream(*batches: list[dict]) -> str:
    body = [
        {"results": results, "fieldMask": FIELD_MASK, "requestId": f"r{i}"}
        for i, results in enumerate(batches)
    ]
    body[-1]["queryResourceConsumption"] = "900"
    return json.dumps(body)


def parse_one_day(body: str) -> list[GoogleAdsCampaignDay]:
    return parse_campaign_days(body, customer_id=CUSTOMER, first_day=DAY, last_day=DAY)


def test_campaign_days_parse_rows_across_batches():
    records = parse_one_day(stream([day_row("111"), day_row("222")], [day_row("333")]))

    assert [record.campaign_id for record in records] == ["111", "222", "333"]
    first = records[0]
    assert first.customer_id == CUSTOMER
    assert first.currency_code == "EUR"
    assert first.date == DAY
    assert first.impressions == 36_480
    assert first.clicks == 1_152
    assert first.cost_micros == 562_800_000
    assert first.conversions == Decimal("84.5")
    assert first.conversions_value == Decimal("2880.25")


def test_campaign_days_keep_int64_and_doubles_exact():
    body = stream(
        [
            day_row(
                impressions="5000000000",
                costMicros="24365800000",
                conversions=0.1,
                conversionsValue=1234567.89,
            )
        ]
    )

    record = parse_one_day(body)[0]

    assert record.impressions == 5_000_000_000
    assert record.cost_micros == 24_365_800_000
    assert record.conversions == Decimal("0.1")
    assert record.conversions_value == Decimal("1234567.89")
    assert isinstance(record.conversions, Decimal)


def test_campaign_days_treat_missing_metrics_as_zero():
    sparse = day_row()
    sparse["metrics"] = {"clicks": "3"}
    no_metrics = day_row("222")
    del no_metrics["metrics"]

    records = parse_one_day(stream([sparse, no_metrics]))

    assert records[0].clicks == 3
    assert records[0].impressions == 0
    assert records[0].cost_micros == 0
    assert records[0].conversions == Decimal(0)
    assert records[0].conversions_value == Decimal(0)
    assert records[1].impressions == 0
    assert records[1].clicks == 0


def test_campaign_days_accept_empty_stream():
    assert parse_one_day("[]") == []
    body = json.dumps([{"fieldMask": FIELD_MASK, "requestId": "r0"}])
    assert parse_one_day(body) == []


def test_campaign_days_reject_hourly_row():
    hourly = day_row()
    hourly["segments"]["hour"] = 9

    with pytest.raises(PlatformResponseError) as raised:
        parse_one_day(stream([hourly]))

    assert "segments.hour is present in a daily campaign row" in str(raised.value)
    assert "Google Ads account 1234567890 on 2025-03-01" in str(raised.value)


@pytest.mark.parametrize(
    ("body", "expected_detail"),
    [
        ('{"results": []}', "expected a JSON array"),
        (json.dumps([{"results": [day_row(costMicros="12.5")]}]), "'12.5'"),
        (json.dumps([{"results": [day_row(clicks=12.5)]}]), "metrics.clicks is Decimal('12.5')"),
        (json.dumps([{"results": [day_row(conversions="3.5")]}]), "metrics.conversions is '3.5'"),
        (json.dumps([{"results": [{**day_row(), "segments": {}}]}]), "segments.date is None"),
        (json.dumps([{"results": [{**day_row(), "campaign": None}]}]), "campaign is None"),
    ],
)
def test_campaign_days_reject_malformed_body(body: str, expected_detail: str):
    with pytest.raises(PlatformResponseError) as raised:
        parse_one_day(body)

    assert expected_detail in str(raised.value)
    assert raised.value.platform == "google_ads"
    assert raised.value.day == DAY


def test_campaign_days_reject_row_of_other_day():
    other_day = day_row()
    other_day["segments"]["date"] = "2025-03-02"

    with pytest.raises(PlatformResponseError, match="'2025-03-02', outside the requested day"):
        parse_one_day(stream([other_day]))


def test_campaign_days_reject_row_of_other_customer():
    other = day_row()
    other["customer"]["id"] = "9999999999"

    with pytest.raises(PlatformResponseError, match=re.escape("customer.id is '9999999999'")):
        parse_one_day(stream([other]))


def dated_row(campaign_id: str, date: str, **metrics: object) -> dict:
    row = day_row(campaign_id, **metrics)
    row["segments"]["date"] = date
    return row


def test_campaign_days_parse_range_of_days():
    rows = [dated_row("111", f"2025-03-0{day}") for day in (1, 2, 3)] + [
        dated_row("222", "2025-03-03", clicks="5")
    ]

    records = parse_campaign_days(
        stream(rows), customer_id=CUSTOMER, first_day=DAY, last_day=dt.date(2025, 3, 3)
    )

    assert [(record.campaign_id, record.date.day) for record in records] == [
        ("111", 1),
        ("111", 2),
        ("111", 3),
        ("222", 3),
    ]
    assert records[3].clicks == 5


def test_campaign_days_reject_row_after_range():
    rows = [dated_row("111", "2025-03-01"), dated_row("111", "2025-03-04")]

    with pytest.raises(PlatformResponseError) as raised:
        parse_campaign_days(
            stream(rows), customer_id=CUSTOMER, first_day=DAY, last_day=dt.date(2025, 3, 3)
        )

    message = str(raised.value)
    assert "Google Ads account 1234567890 from 2025-03-01 to 2025-03-03" in message
    assert "campaign 111" in message
    assert "segments.date is '2025-03-04', outside the requested days" in message
    assert raised.value.day == DAY
    assert raised.value.last_day == dt.date(2025, 3, 3)


def test_campaign_days_reject_row_before_range():
    with pytest.raises(PlatformResponseError, match="'2025-02-28', outside the requested days"):
        parse_campaign_days(
            stream([dated_row("111", "2025-02-28")]),
            customer_id=CUSTOMER,
            first_day=DAY,
            last_day=dt.date(2025, 3, 3),
        )


def test_campaign_days_name_row_day_in_value_error():
    rows = [dated_row("111", "2025-03-01"), dated_row("111", "2025-03-02", clicks="-4")]

    with pytest.raises(PlatformResponseError) as raised:
        parse_campaign_days(
            stream(rows), customer_id=CUSTOMER, first_day=DAY, last_day=dt.date(2025, 3, 3)
        )

    assert "Google Ads account 1234567890 on 2025-03-02" in str(raised.value)
    assert "metrics.clicks is '-4'" in str(raised.value)
    assert raised.value.day == dt.date(2025, 3, 2)


def test_campaign_days_reject_campaign_twice_on_one_day():
    rows = [dated_row("111", "2025-03-02"), dated_row("111", "2025-03-02", clicks="9")]

    with pytest.raises(PlatformResponseError, match="for example campaign 111 on 2025-03-02"):
        parse_campaign_days(
            stream(rows), customer_id=CUSTOMER, first_day=DAY, last_day=dt.date(2025, 3, 3)
        )


def test_campaign_days_query_covers_range():
    query = campaign_days_query(dt.date(2026, 11, 1), dt.date(2026, 11, 30))

    assert query.endswith("WHERE segments.date BETWEEN '2026-11-01' AND '2026-11-30'")


def test_campaign_days_query_has_date_but_no_hour():
    query = campaign_days_query(dt.date(2026, 11, 1), dt.date(2026, 11, 1))
    selected = query.removeprefix("SELECT ").split(" FROM ")[0].split(", ")

    assert "segments.date" in selected
    assert "segments.hour" not in query
    assert " FROM campaign " in query
    assert query.endswith("WHERE segments.date BETWEEN '2026-11-01' AND '2026-11-01'")


def test_campaign_days_query_selects_hourly_metrics():
    query = campaign_days_query(dt.date(2026, 11, 1), dt.date(2026, 11, 1))
    selected = query.removeprefix("SELECT ").split(" FROM ")[0].split(", ")
    hourly_metrics = [field for field in CAMPAIGN_HOUR_FIELDS if field.startswith("metrics.")]

    assert [field for field in selected if field.startswith("metrics.")] == hourly_metrics
    assert selected[:3] == ["customer.id", "customer.currency_code", "campaign.id"]
