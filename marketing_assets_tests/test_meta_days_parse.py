"""Daily Meta insights rows (no breakdowns), parsed from literal bodies."""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest

from marketing_assets.platforms.errors import PlatformResponseError
from marketing_assets.platforms.meta.parse import (
    InsightsPage,
    drop_repeated_day_rows,
    parse_daily_insights_page,
)
from marketing_assets.platforms.meta.records import MetaCampaignDay
from marketing_assets.platforms.meta.settings import (
    CONVERSION_ACTION_TYPES,
    OFFSITE_CONVERSION_ACTION_TYPES,
    daily_insights_params,
    insights_params,
)

DAY = dt.date(2025, 3, 1)
ACCOUNT = "123456789012"
HOUR_FIELD = "hourly_stats_aggregated_by_advertiser_time_zone"
PIXEL_PURCHASE = "offsite_conversion.fb_pixel_purchase"
PIXEL_LEAD = "offsite_conversion.fb_pixel_lead"


def day_row(campaign_id: str = "23850000000000001", **fields: object) -> dict:
    body = {
        "campaign_id": campaign_id,
        "campaign_name": "Soldes d'été \u2600",
        "account_currency": "EUR",
        "spend": "344.40",
        "impressions": "4440",
        "clicks": "168",
        "actions": [
            {"action_type": "link_click", "value": "168"},
            {"action_type": "purchase", "value": "6"},
            {"action_type": "lead", "value": "2"},
            {"action_type": PIXEL_PURCHASE, "value": "5"},
            {"action_type": PIXEL_LEAD, "value": "3"},
        ],
        "action_values": [
            {"action_type": "purchase", "value": "299.70"},
            {"action_type": PIXEL_PURCHASE, "value": "249.75"},
        ],
        "date_start": "2025-03-01",
        "date_stop": "2025-03-01",
    }
    body.update(fields)
    return body


def page(rows: list[dict], after: str | None = None) -> str:
    paging: dict = {"cursors": {"before": "QVFIUb", "after": after or "QVFIUlast"}}
    if after is not None:
        paging["next"] = f"https://graph.facebook.com/v24.0/act_{ACCOUNT}/insights?after={after}"
    return json.dumps({"data": rows, "paging": paging})


def parse_one_day(body: str) -> InsightsPage[MetaCampaignDay]:
    return parse_daily_insights_page(body, account_id=ACCOUNT, first_day=DAY, last_day=DAY)


def test_daily_insights_parse_row():
    result = parse_one_day(page([day_row()]))

    record = result.records[0]
    assert record.account_id == ACCOUNT
    assert record.campaign_id == "23850000000000001"
    assert record.account_currency == "EUR"
    assert record.date == DAY
    assert record.spend == Decimal("344.40")
    assert record.impressions == 4_440
    assert record.clicks == 168
    assert result.skipped_zero_rows == 0


def test_daily_conversions_leave_out_pixel_actions():
    record = parse_one_day(page([day_row()])).records[0]

    assert record.conversions == Decimal(8)
    assert record.conversion_value == Decimal("299.70")


def test_daily_all_conversions_add_pixel_actions():
    record = parse_one_day(page([day_row()])).records[0]

    assert record.all_conversions == Decimal(16)
    assert record.all_conversion_value == Decimal("549.45")


def test_daily_pixel_lead_value_is_not_conversion_value():
    row = day_row(
        action_values=[
            {"action_type": "purchase", "value": "10.00"},
            {"action_type": PIXEL_LEAD, "value": "99.00"},
            {"action_type": "lead", "value": "50.00"},
        ]
    )

    record = parse_one_day(page([row])).records[0]

    assert record.conversion_value == Decimal("10.00")
    assert record.all_conversion_value == Decimal("10.00")


def test_daily_row_without_actions_has_zero_conversions():
    bare = day_row()
    del bare["actions"]
    del bare["action_values"]

    record = parse_one_day(page([bare])).records[0]

    assert record.conversions == Decimal(0)
    assert record.all_conversions == Decimal(0)
    assert record.conversion_value == Decimal(0)
    assert record.all_conversion_value == Decimal(0)


def test_daily_keeps_campaign_without_delivery_as_zeros():
    idle = {
        "campaign_id": "5",
        "campaign_name": "Idle",
        "account_currency": "EUR",
        "spend": "0",
        "date_start": "2025-03-01",
        "date_stop": "2025-03-01",
    }

    result = parse_one_day(page([day_row(), idle]))

    assert [record.campaign_id for record in result.records] == ["23850000000000001", "5"]
    zero = result.records[1]
    assert zero.spend == Decimal(0)
    assert zero.impressions == 0
    assert zero.clicks == 0
    assert zero.all_conversions == Decimal(0)
    assert result.skipped_zero_rows == 0


def test_daily_keeps_large_values_exact():
    big = day_row(impressions="9876543210", spend="123456789.01")

    record = parse_one_day(page([big])).records[0]

    assert record.impressions == 9_876_543_210
    assert record.spend == Decimal("123456789.01")


def test_daily_rejects_hourly_row():
    hourly = day_row(**{HOUR_FIELD: "09:00:00 - 09:59:59"})

    with pytest.raises(PlatformResponseError) as raised:
        parse_one_day(page([hourly]))

    message = str(raised.value)
    assert f"has the {HOUR_FIELD} field, expected a daily row" in message
    assert "campaign 23850000000000001" in message
    assert "Meta account 123456789012 on 2025-03-01" in message


@pytest.mark.parametrize(
    ("body", "expected_detail"),
    [
        ('{"data": {}}', "data is {}"),
        (page([day_row(spend="14,35")]), "spend is '14,35'"),
        (page([day_row(impressions=-1)]), "impressions is -1"),
        (page([day_row(date_start="2025-03-02")]), "'2025-03-02', outside the requested day"),
        (page([day_row(actions={"purchase": 1})]), "actions is {'purchase': 1}"),
        (page([day_row(account_currency=None)]), "account_currency is None"),
    ],
)
def test_daily_rejects_malformed_body(body: str, expected_detail: str):
    with pytest.raises(PlatformResponseError) as raised:
        parse_one_day(body)

    assert expected_detail in str(raised.value)
    assert "Meta account 123456789012 on 2025-03-01" in str(raised.value)


def test_daily_rejects_invalid_pixel_action_value():
    row = day_row(actions=[{"action_type": PIXEL_PURCHASE, "value": "five"}])

    with pytest.raises(PlatformResponseError, match=re.escape("value is 'five'")):
        parse_one_day(page([row]))


def test_daily_next_cursor_only_when_next_is_present():
    middle = parse_one_day(page([day_row()], after="QV2"))
    last = parse_one_day(page([day_row()]))

    assert middle.next_cursor == "QV2"
    assert last.next_cursor is None


LAST_DAY = dt.date(2025, 3, 3)


def parse_range(rows: list[dict]) -> InsightsPage[MetaCampaignDay]:
    return parse_daily_insights_page(
        page(rows), account_id=ACCOUNT, first_day=DAY, last_day=LAST_DAY
    )


def dated_row(campaign_id: str, date: str, **fields: object) -> dict:
    return day_row(campaign_id, date_start=date, date_stop=date, **fields)


def test_daily_range_parses_one_record_per_campaign_day():
    rows = [dated_row("1", f"2025-03-0{day}") for day in (1, 2, 3)] + [
        dated_row("2", "2025-03-02", spend="1.50")
    ]

    records = parse_range(rows).records

    assert [(record.campaign_id, record.date.day) for record in records] == [
        ("1", 1),
        ("1", 2),
        ("1", 3),
        ("2", 2),
    ]
    assert records[3].spend == Decimal("1.50")


def test_daily_range_rejects_row_after_last_day():
    with pytest.raises(PlatformResponseError) as raised:
        parse_range([dated_row("1", "2025-03-01"), dated_row("1", "2025-03-04")])

    message = str(raised.value)
    assert "Meta account 123456789012 from 2025-03-01 to 2025-03-03" in message
    assert "campaign 1" in message
    assert "date_start is '2025-03-04', outside the requested days 2025-03-01 to 2025-03-03" in (
        message
    )
    assert raised.value.last_day == LAST_DAY


def test_daily_range_rejects_row_before_first_day():
    with pytest.raises(PlatformResponseError, match="'2025-02-28', outside the requested days"):
        parse_range([dated_row("1", "2025-02-28")])


def test_daily_range_rejects_row_spanning_days():
    row = day_row("1", date_start="2025-03-01", date_stop="2025-03-03")

    with pytest.raises(PlatformResponseError) as raised:
        parse_range([row])

    assert "from date_start 2025-03-01 to date_stop 2025-03-03, expected one day" in str(
        raised.value
    )


def test_daily_range_names_row_day_in_value_error():
    with pytest.raises(PlatformResponseError) as raised:
        parse_range([dated_row("1", "2025-03-01"), dated_row("1", "2025-03-02", spend="-3.00")])

    assert "Meta account 123456789012 on 2025-03-02" in str(raised.value)
    assert "spend is '-3.00'" in str(raised.value)
    assert raised.value.day == dt.date(2025, 3, 2)


def test_repeated_day_rows_dropped_when_identical():
    records = parse_range([dated_row("1", "2025-03-01"), dated_row("1", "2025-03-02")]).records
    repeated = records + records[1:]

    unique, dropped = drop_repeated_day_rows(
        repeated, account_id=ACCOUNT, first_day=DAY, last_day=LAST_DAY
    )

    assert unique == records
    assert dropped == 1


def test_repeated_day_rows_rejected_when_different():
    records = parse_range(
        [dated_row("1", "2025-03-02"), dated_row("1", "2025-03-02", clicks="7")]
    ).records

    with pytest.raises(PlatformResponseError) as raised:
        drop_repeated_day_rows(records, account_id=ACCOUNT, first_day=DAY, last_day=LAST_DAY)

    message = str(raised.value)
    assert "1 row(s) repeat a campaign and day with different values" in message
    assert "campaign 1 on 2025-03-02 (clicks '168' then '7')" in message


def test_daily_range_params_span_days():
    params = daily_insights_params(DAY, LAST_DAY, page_size=50, after=None)

    assert json.loads(params["time_range"]) == {"since": "2025-03-01", "until": "2025-03-03"}
    assert params["time_increment"] == "1"
    assert "breakdowns" not in params


def test_offsite_action_types_are_pixel_conversions():
    assert {PIXEL_PURCHASE, PIXEL_LEAD} == OFFSITE_CONVERSION_ACTION_TYPES
    assert not OFFSITE_CONVERSION_ACTION_TYPES & CONVERSION_ACTION_TYPES


def test_daily_insights_params_ask_for_one_day_without_breakdowns():
    params = daily_insights_params(
        dt.date(2026, 11, 1), dt.date(2026, 11, 1), page_size=50, after="abc"
    )

    assert params["level"] == "campaign"
    assert json.loads(params["time_range"]) == {"since": "2026-11-01", "until": "2026-11-01"}
    assert params["time_increment"] == "1"
    assert "breakdowns" not in params
    assert params["limit"] == "50"
    assert params["after"] == "abc"
    assert "access_token" not in params
    assert "after" not in daily_insights_params(
        dt.date(2026, 11, 1), dt.date(2026, 11, 1), page_size=50, after=None
    )


def test_daily_and_hourly_params_differ_only_in_breakdowns():
    daily = daily_insights_params(
        dt.date(2026, 11, 1), dt.date(2026, 11, 1), page_size=50, after=None
    )
    hourly = insights_params(dt.date(2026, 11, 1), page_size=50, after=None)

    assert hourly.pop("breakdowns") == HOUR_FIELD
    assert hourly == daily
