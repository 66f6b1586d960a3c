import datetime as dt
import json
import re
from decimal import Decimal

import pytest

from marketing_assets.platforms.errors import PlatformResponseError
from marketing_assets.platforms.meta.parse import (
    parse_ad_account,
    parse_error,
    parse_hour_label,
    parse_insights_page,
    parse_regain_access_seconds,
)
from marketing_assets.platforms.meta.settings import insights_params

DAY = dt.date(2025, 3, 1)
ACCOUNT = "123456789012"
HOUR_FIELD = "hourly_stats_aggregated_by_advertiser_time_zone"


def row(hour: int | None = 9, **fields: object) -> dict:
    body = {
        "campaign_id": "23850000000000001",
        "campaign_name": "Soldes d'été \u2600",
        "account_currency": "EUR",
        "spend": "14.35",
        "impressions": "185",
        "clicks": "7",
        "actions": [
            {"action_type": "link_click", "value": "7"},
            {"action_type": "purchase", "value": "2"},
            {"action_type": "lead", "value": "1"},
        ],
        "action_values": [{"action_type": "purchase", "value": "99.90"}],
        "date_start": "2025-03-01",
        "date_stop": "2025-03-01",
    }
    if hour is not None:
        body[HOUR_FIELD] = f"{hour:02d}:00:00 - {hour:02d}:59:59"
    body.update(fields)
    return body


def page(rows: list[dict], after: str | None = None) -> str:
    paging: dict = {"cursors": {"before": "QVFIUb", "after": after or "QVFIUlast"}}
    if after is not None:
        paging["next"] = f"https://graph.facebook.com/v24.0/act_{ACCOUNT}/insights?after={after}"
    return json.dumps({"data": rows, "paging": paging})


def test_insights_page_parses_row():
    result = parse_insights_page(page([row()]), account_id=ACCOUNT, day=DAY)

    record = result.records[0]
    assert record.account_id == ACCOUNT
    assert record.campaign_id == "23850000000000001"
    assert record.campaign_name == "Soldes d'été \u2600"
    assert record.account_currency == "EUR"
    assert record.date == DAY
    assert record.hour == 9
    assert record.hourly_stats == "09:00:00 - 09:59:59"
    assert record.spend == Decimal("14.35")
    assert record.impressions == 185
    assert record.clicks == 7


def test_insights_conversions_count_purchase_and_lead():
    record = parse_insights_page(page([row()]), account_id=ACCOUNT, day=DAY).records[0]

    assert record.conversions == Decimal(3)
    assert record.conversion_value == Decimal("99.90")
    assert json.loads(record.actions) == {
        "actions": row()["actions"],
        "action_values": row()["action_values"],
    }


def test_insights_row_without_actions_has_zero_conversions():
    bare = row()
    del bare["actions"]
    del bare["action_values"]

    record = parse_insights_page(page([bare]), account_id=ACCOUNT, day=DAY).records[0]

    assert record.conversions == Decimal(0)
    assert record.conversion_value == Decimal(0)
    assert json.loads(record.actions) == {"actions": [], "action_values": []}


def test_insights_missing_metric_is_zero():
    sparse = row()
    del sparse["clicks"]
    del sparse["spend"]

    record = parse_insights_page(page([sparse]), account_id=ACCOUNT, day=DAY).records[0]

    assert record.clicks == 0
    assert record.spend == Decimal(0)


def test_insights_keeps_large_counts_exact():
    big = row(impressions="9876543210", spend="123456789.01")

    record = parse_insights_page(page([big]), account_id=ACCOUNT, day=DAY).records[0]

    assert record.impressions == 9_876_543_210
    assert record.spend == Decimal("123456789.01")


def test_insights_skips_zero_impression_rows_without_hour():
    zero = {
        "campaign_id": "5",
        "campaign_name": "Idle",
        "account_currency": "EUR",
        "spend": "0",
        "date_start": "2025-03-01",
        "date_stop": "2025-03-01",
    }

    result = parse_insights_page(
        page([zero, row(3), dict(zero, impressions="0")]), account_id=ACCOUNT, day=DAY
    )

    assert [record.hour for record in result.records] == [3]
    assert result.skipped_zero_rows == 2


def test_insights_rejects_row_with_impressions_but_no_hour():
    no_hour = row(hour=None)

    with pytest.raises(PlatformResponseError) as raised:
        parse_insights_page(page([no_hour]), account_id=ACCOUNT, day=DAY)

    message = str(raised.value)
    assert "Meta account 123456789012 on 2025-03-01" in message
    assert "campaign 23850000000000001" in message
    assert "185 impressions" in message


def test_insights_next_cursor_only_when_next_is_present():
    middle = parse_insights_page(page([row()], after="QVFIUn2"), account_id=ACCOUNT, day=DAY)
    last = parse_insights_page(page([row()]), account_id=ACCOUNT, day=DAY)
    no_paging = parse_insights_page(json.dumps({"data": []}), account_id=ACCOUNT, day=DAY)

    assert middle.next_cursor == "QVFIUn2"
    assert last.next_cursor is None
    assert no_paging.next_cursor is None


def test_insights_rejects_next_without_after_cursor():
    body = json.dumps({"data": [], "paging": {"cursors": {}, "next": "https://x/next"}})

    with pytest.raises(PlatformResponseError, match=re.escape("paging.cursors.after is None")):
        parse_insights_page(body, account_id=ACCOUNT, day=DAY)


@pytest.mark.parametrize(
    ("body", "expected_detail"),
    [
        ("[]", "the body is []"),
        ('{"data": {}}', "data is {}"),
        (page([row(spend="14,35")]), "spend is '14,35'"),
        (page([row(impressions=-1)]), "impressions is -1"),
        (page([row(date_start="2025-03-02")]), "'2025-03-02', outside the requested day"),
        (page([{**row(), HOUR_FIELD: "9 AM"}]), "'9 AM' is not like"),
        (page([row(actions={"purchase": 1})]), "actions is {'purchase': 1}"),
        (page([row(campaign_name=None)]), "campaign_name is None"),
    ],
)
def test_insights_rejects_malformed_body(body: str, expected_detail: str):
    with pytest.raises(PlatformResponseError) as raised:
        parse_insights_page(body, account_id=ACCOUNT, day=DAY)

    assert expected_detail in str(raised.value)
    assert "Meta account 123456789012 on 2025-03-01" in str(raised.value)


@pytest.mark.parametrize(
    ("label", "hour"),
    [("00:00:00 - 00:59:59", 0), ("09:00:00 - 09:59:59", 9), ("23:00:00 - 23:59:59", 23)],
)
def test_parse_hour_label(label: str, hour: int):
    assert parse_hour_label(label) == hour


@pytest.mark.parametrize(
    "label", ["09:00:00 - 10:59:59", "24:00:00 - 24:59:59", "9:00:00 - 9:59:59", "09:30:00"]
)
def test_parse_hour_label_rejects_other_text(label: str):
    with pytest.raises(ValueError, match="is not like '09:00:00 - 09:59:59'"):
        parse_hour_label(label)


def test_ad_account_strips_act_prefix():
    body = json.dumps(
        {"id": f"act_{ACCOUNT}", "name": "Shop", "timezone_name": "Asia/Kolkata", "currency": "INR"}
    )

    account = parse_ad_account(body, account_id=ACCOUNT)

    assert account.account_id == ACCOUNT
    assert account.name == "Shop"
    assert account.time_zone == "Asia/Kolkata"
    assert account.currency == "INR"


def test_ad_account_rejects_other_account():
    body = json.dumps({"id": "act_1", "name": "x", "timezone_name": "UTC", "currency": "USD"})

    with pytest.raises(PlatformResponseError, match=re.escape("account.id is 'act_1'")):
        parse_ad_account(body, account_id=ACCOUNT)


def test_parse_error_reads_code_and_subcode():
    body = json.dumps(
        {
            "error": {
                "message": "User request limit reached",
                "type": "OAuthException",
                "code": 17,
                "error_subcode": 2446079,
                "fbtrace_id": "AbC",
            }
        }
    )

    info = parse_error(body)

    assert info is not None
    assert info.code == 17
    assert info.subcode == 2446079
    assert info.type == "OAuthException"
    assert info.fbtrace_id == "AbC"


def test_parse_error_returns_none_for_other_bodies():
    assert parse_error("<html></html>") is None
    assert parse_error('{"data": []}') is None


def test_regain_access_takes_longest_estimate_in_seconds():
    header = json.dumps(
        {
            "1234": [
                {
                    "type": "ads_insights",
                    "call_count": 100,
                    "total_cputime": 5,
                    "total_time": 8,
                    "estimated_time_to_regain_access": 3,
                }
            ],
            "5678": [{"type": "ads_management", "estimated_time_to_regain_access": 0}],
        }
    )

    assert parse_regain_access_seconds(header) == 180.0
    assert parse_regain_access_seconds(json.dumps({"1": [{"call_count": 5}]})) is None
    assert parse_regain_access_seconds("not json") is None
    assert parse_regain_access_seconds(None) is None


def test_insights_params_ask_for_one_day_by_hour():
    params = insights_params(dt.date(2026, 12, 3), page_size=50, after="abc")

    assert params["level"] == "campaign"
    assert json.loads(params["time_range"]) == {"since": "2026-12-03", "until": "2026-12-03"}
    assert params["time_increment"] == "1"
    assert params["breakdowns"] == HOUR_FIELD
    assert params["limit"] == "50"
    assert params["after"] == "abc"
    assert "access_token" not in params
    assert "after" not in insights_params(dt.date(2026, 12, 3), page_size=50, after=None)
