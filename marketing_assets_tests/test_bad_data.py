"""Bad data from the platforms: each rule of docs/data-rules.md, in the parsers and end to end.

Parser tests feed crafted bodies in each platform's wire format. The end-to-end tests run the
hourly job against the simulator, with a FaultPlan that rewrites response bodies, and read the
raw tables in PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import dagster as dg
import psycopg2
import pytest
from psycopg2 import sql

from marketing_assets.definitions import defs
from marketing_assets.jobs import hourly_sync_job
from marketing_assets.local.demo import closed_hours_window
from marketing_assets.partitions import CLIENT_DIMENSION, client_range_tags
from marketing_assets.platforms.data_rules import MAX_COUNT
from marketing_assets.platforms.errors import PlatformDataError
from marketing_assets.platforms.google_ads.parse import (
    parse_campaign_days,
    parse_customer,
    parse_search_stream,
)
from marketing_assets.platforms.meta import MetaResource
from marketing_assets.platforms.meta.parse import (
    drop_repeated_rows,
    parse_ad_account,
    parse_daily_insights_page,
    parse_hour_label,
    parse_insights_page,
)
from marketing_assets.platforms.meta.records import MetaCampaignHour
from marketing_assets.simulator import (
    FaultPlan,
    RandomFaultPlan,
    SimulatorCredentials,
    SimulatorRequest,
    SimulatorResponse,
    SimulatorServer,
)
from marketing_assets.simulator.accounts import accounts_from_registry
from marketing_assets.simulator.wire import json_response
from marketing_assets.storage.connection import libpq_dsn
from marketing_assets.sync.meta import fetch_unique_hours
from marketing_assets_tests.conftest import FIXED_NOW, simulator_with_plan

DAY = dt.date(2025, 3, 1)
CUSTOMER = "1234567890"
ACCOUNT = "123456789012"
HOUR_FIELD = "hourly_stats_aggregated_by_advertiser_time_zone"
RERUN_HINT = "Run these partitions again later"

# Campaign names that must reach PostgreSQL exactly as the platform sent them.
HARD_NAMES = [
    "'); DROP TABLE marketing.google_ads_campaign_hourly_raw; --",
    "../../etc/passwd",
    "Brand \U0001f680 family \U0001f469\u200d\U0001f469\u200d\U0001f467",
    "\u202eright-to-left override\u202c \u05e2\u05d1\u05e8\u05d9\u05ea "
    "\u0645\u0631\u062d\u0628\u0627",
    "tab\there, \"double\" and 'single' quotes, `backtick`",
    "line one\nline two\r\nline three\r",
    "backslash \\ and \\N and an end-of-data marker\n\\.\n",
    "",
    "  leading and trailing spaces  ",
    "comma, separated; fields\x1f unit separator\x1e record separator",
    "e\u0301 combining accent, \ufeff byte order mark",
]
NUL_NAME = "before\x00after"


# Wire-format builders


def google_row(campaign_id: object = "111", hour: object = 9, **metrics: object) -> dict:
    default_metrics = {
        "impressions": "1520",
        "clicks": "48",
        "costMicros": "23450000",
        "conversions": 3.5,
        "conversionsValue": 120.0,
    }
    return {
        "customer": {"id": CUSTOMER, "currencyCode": "EUR", "timeZone": "Europe/Berlin"},
        "campaign": {"id": campaign_id, "name": "Brand", "status": "ENABLED"},
        "segments": {"date": DAY.isoformat(), "hour": hour},
        "metrics": {**default_metrics, **metrics},
    }


def google_body(*rows: dict) -> str:
    # json.dumps writes float("nan") and float("inf") as the NaN and Infinity literals.
    return json.dumps([{"results": list(rows), "fieldMask": "campaign.id", "requestId": "r0"}])


def meta_row(campaign_id: object = "23850000000000001", hour: int = 9, **fields: object) -> dict:
    row = {
        "campaign_id": campaign_id,
        "campaign_name": "Soldes",
        "account_currency": "EUR",
        "spend": "14.35",
        "impressions": "185",
        "clicks": "7",
        "actions": [{"action_type": "purchase", "value": "2"}],
        "action_values": [{"action_type": "purchase", "value": "99.90"}],
        "date_start": DAY.isoformat(),
        "date_stop": DAY.isoformat(),
        HOUR_FIELD: f"{hour:02d}:00:00 - {hour:02d}:59:59",
    }
    row.update(fields)
    return row


def meta_page(*rows: dict) -> str:
    return json.dumps({"data": list(rows), "paging": {"cursors": {"before": "a", "after": "b"}}})


def parse_google(body: str) -> list:
    return parse_search_stream(body, customer_id=CUSTOMER, day=DAY)


def parse_meta(body: str) -> list:
    return parse_insights_page(body, account_id=ACCOUNT, day=DAY).records


def google_rejection(body: str) -> str:
    with pytest.raises(PlatformDataError) as raised:
        parse_google(body)
    assert raised.value.platform == "google_ads"
    assert raised.value.account_id == CUSTOMER
    assert raised.value.day == DAY
    message = str(raised.value)
    assert f"Google Ads account {CUSTOMER} on {DAY.isoformat()}" in message
    assert RERUN_HINT in message
    return message


def meta_rejection(body: str) -> str:
    with pytest.raises(PlatformDataError) as raised:
        parse_meta(body)
    assert raised.value.platform == "meta"
    assert raised.value.account_id == ACCOUNT
    assert raised.value.day == DAY
    message = str(raised.value)
    assert f"Meta account {ACCOUNT} on {DAY.isoformat()}" in message
    assert RERUN_HINT in message
    return message


# Values beyond 32 bits


@pytest.mark.parametrize("value", [2**31, 2**32 + 1, 2**53 + 1, MAX_COUNT])
def test_google_counts_beyond_32_bits_stay_exact(value: int):
    body = google_body(google_row(impressions=str(value), clicks=str(value), costMicros=str(value)))

    (record,) = parse_google(body)

    assert record.impressions == value
    assert record.clicks == value
    assert record.cost_micros == value


@pytest.mark.parametrize("value", [2**31, 2**32 + 1, 2**53 + 1, MAX_COUNT])
def test_meta_counts_beyond_32_bits_stay_exact(value: int):
    spend = f"{value}.01"

    (record,) = parse_meta(meta_page(meta_row(impressions=str(value), spend=spend)))

    assert record.impressions == value
    assert record.spend == Decimal(spend)


def test_counts_beyond_bigint_rejected():
    too_big = str(MAX_COUNT + 1)

    google = google_rejection(google_body(google_row(costMicros=too_big)))
    meta = meta_rejection(meta_page(meta_row(impressions=too_big)))

    assert f"metrics.costMicros is '{too_big}', expected at most {MAX_COUNT}" in google
    assert f"impressions is '{too_big}', expected at most {MAX_COUNT}" in meta


def test_amounts_beyond_numeric_columns_rejected():
    google = google_rejection(google_body(google_row(conversionsValue=1e30)))
    meta = meta_rejection(meta_page(meta_row(spend="1" + "0" * 29)))

    assert "metrics.conversionsValue is Decimal('1E+30'), expected less than 10**29" in google
    assert "spend is '100000000000000000000000000000', expected less than 10**29" in meta


# Unicode and NUL in campaign names


@pytest.mark.parametrize("name", [*HARD_NAMES, NUL_NAME])
@pytest.mark.parametrize("ensure_ascii", [False, True], ids=["utf8", "escaped"])
def test_parsers_keep_campaign_names_exact(name: str, ensure_ascii: bool):
    row = google_row()
    row["campaign"]["name"] = name
    google_text = json.dumps([{"results": [row]}], ensure_ascii=ensure_ascii)
    meta_text = json.dumps({"data": [meta_row(campaign_name=name)]}, ensure_ascii=ensure_ascii)

    (google,) = parse_google(google_text)
    (meta,) = parse_meta(meta_text)

    assert google.campaign_name == name
    assert meta.campaign_name == name


def test_unpaired_surrogate_in_name_rejected():
    row = google_row()
    row["campaign"]["name"] = "broken \ud83d"

    google = google_rejection(google_body(row))
    meta = meta_rejection(meta_page(meta_row(campaign_name="broken \ud83d")))

    assert "campaign.name is 'broken \\ud83d', expected text without unpaired" in google
    assert "campaign_name is 'broken \\ud83d', expected text without unpaired" in meta


# Empty or null metrics, as opposed to omitted ones


@pytest.mark.parametrize("value", [None, ""], ids=["null", "empty"])
@pytest.mark.parametrize(
    "field", ["impressions", "clicks", "costMicros", "conversions", "conversionsValue"]
)
def test_google_blank_metric_rejected(field: str, value: object):
    message = google_rejection(google_body(google_row(**{field: value})))

    assert "in the row of campaign 111 at hour 9" in message
    assert f"metrics.{field} is {value!r}, expected a number" in message


@pytest.mark.parametrize("value", [None, ""], ids=["null", "empty"])
@pytest.mark.parametrize("field", ["spend", "impressions", "clicks"])
def test_meta_blank_metric_rejected(field: str, value: object):
    message = meta_rejection(meta_page(meta_row(**{field: value})))

    assert "in the row of campaign 23850000000000001 at hour 9" in message
    assert f"data[0].{field} is {value!r}, expected a number" in message


def test_meta_blank_action_value_rejected():
    actions = [{"action_type": "purchase", "value": ""}]

    message = meta_rejection(meta_page(meta_row(actions=actions)))

    assert "action purchase.value is '', expected a number" in message


def test_omitted_metrics_count_as_zero():
    google_sparse = google_row()
    google_sparse["metrics"] = {"impressions": "7"}
    meta_sparse = meta_row()
    for field in ("spend", "clicks", "actions", "action_values"):
        del meta_sparse[field]

    (google,) = parse_google(google_body(google_sparse))
    (meta,) = parse_meta(meta_page(meta_sparse))

    assert (google.impressions, google.clicks, google.cost_micros) == (7, 0, 0)
    assert google.conversions == Decimal(0)
    assert (meta.impressions, meta.clicks, meta.spend) == (185, 0, Decimal(0))
    assert meta.conversions == Decimal(0)


# NaN and infinity


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("costMicros", "NaN", "'NaN'"),
        ("impressions", "Infinity", "'Infinity'"),
        ("conversions", "NaN", "'NaN'"),
        ("conversions", "-Infinity", "'-Infinity'"),
        ("conversions", float("nan"), "Decimal('NaN')"),
        ("conversionsValue", float("inf"), "Decimal('Infinity')"),
        ("clicks", float("nan"), "Decimal('NaN')"),
    ],
)
def test_google_non_finite_metric_rejected(field: str, value: object, shown: str):
    message = google_rejection(google_body(google_row(**{field: value})))

    assert "in the row of campaign 111 at hour 9" in message
    assert f"metrics.{field} is {shown}, expected a finite number" in message


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("spend", "NaN", "'NaN'"),
        ("spend", "nan", "'nan'"),
        ("spend", "Infinity", "'Infinity'"),
        ("spend", float("nan"), "Decimal('NaN')"),
        ("impressions", float("inf"), "Decimal('Infinity')"),
        ("clicks", "-inf", "'-inf'"),
    ],
)
def test_meta_non_finite_metric_rejected(field: str, value: object, shown: str):
    message = meta_rejection(meta_page(meta_row(**{field: value})))

    assert "in the row of campaign 23850000000000001 at hour 9" in message
    assert f"data[0].{field} is {shown}, expected a finite number" in message


# Negative spend and counts


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("impressions", "-1", "'-1'"),
        ("clicks", "-3", "'-3'"),
        ("costMicros", "-1500000", "'-1500000'"),
        ("conversions", -1.5, "Decimal('-1.5')"),
        ("conversionsValue", -0.01, "Decimal('-0.01')"),
    ],
)
def test_google_negative_metric_rejected(field: str, value: object, shown: str):
    message = google_rejection(google_body(google_row(**{field: value})))

    assert "in the row of campaign 111 at hour 9" in message
    assert f"metrics.{field} is {shown}, expected 0 or more" in message


@pytest.mark.parametrize(
    ("fields", "detail"),
    [
        ({"spend": "-5.00"}, "data[0].spend is '-5.00', expected 0 or more"),
        ({"impressions": "-2"}, "data[0].impressions is '-2', expected 0 or more"),
        ({"clicks": -1}, "data[0].clicks is -1, expected 0 or more"),
        (
            {"action_values": [{"action_type": "purchase", "value": "-1"}]},
            "action purchase.value is '-1', expected 0 or more",
        ),
    ],
)
def test_meta_negative_metric_rejected(fields: dict, detail: str):
    message = meta_rejection(meta_page(meta_row(**fields)))

    assert "in the row of campaign 23850000000000001 at hour 9" in message
    assert detail in message


def test_negative_zero_spend_accepted():
    (record,) = parse_meta(meta_page(meta_row(spend="-0.00")))

    assert record.spend == 0


# Duplicate keys within one response


def test_google_identical_repeated_row_rejected():
    message = google_rejection(google_body(google_row(), google_row(hour=10), google_row()))

    assert "1 campaign key(s) appear in more than one row" in message
    assert "campaign 111 at hour 9" in message


def test_google_differing_repeated_row_rejected():
    message = google_rejection(google_body(google_row(clicks="48"), google_row(clicks="50")))

    assert "campaign 111 at hour 9" in message


def test_google_repeated_daily_row_rejected():
    row = google_row()
    del row["segments"]["hour"]

    with pytest.raises(PlatformDataError) as raised:
        parse_campaign_days(
            google_body(row, row), customer_id=CUSTOMER, first_day=DAY, last_day=DAY
        )

    assert "appear in more than one row, for example campaign 111 on 2025-03-01." in str(
        raised.value
    )


def meta_records(*rows: dict) -> list[MetaCampaignHour]:
    return parse_meta(meta_page(*rows))


def test_meta_identical_repeated_rows_dropped():
    records = meta_records(meta_row(hour=8), meta_row(hour=9)) + meta_records(meta_row(hour=9))

    unique_records, dropped = drop_repeated_rows(records, account_id=ACCOUNT, day=DAY)

    assert [record.hour for record in unique_records] == [8, 9]
    assert dropped == 1


def test_meta_differing_repeated_rows_rejected():
    records = meta_records(meta_row(spend="14.35")) + meta_records(meta_row(spend="15.00"))

    with pytest.raises(PlatformDataError) as raised:
        drop_repeated_rows(records, account_id=ACCOUNT, day=DAY)

    message = str(raised.value)
    assert f"Meta account {ACCOUNT} on {DAY.isoformat()}" in message
    assert "1 row(s) repeat a campaign and hour with different values" in message
    assert "campaign 23850000000000001 at hour 9 (spend '14.35' then '15.00')" in message
    assert RERUN_HINT in message


def test_meta_rows_repeated_by_paging_dropped(
    sample_registry, simulator: SimulatorServer, caplog: pytest.LogCaptureFixture
):
    """The simulator's meta_duplicate_rows fault moves each page's after cursor back."""
    account_id = sample_registry.client("aloha-surf-co").accounts_on("meta")[0].account_id
    day = FIXED_NOW.date() - timedelta(days=1)
    plan = RandomFaultPlan(1.0, seed=1, kinds=["meta_duplicate_rows"])
    accounts = accounts_from_registry(sample_registry)
    clean = meta_resource(simulator).fetch_campaign_hours(account_id=account_id, day=day)

    with SimulatorServer(accounts, clock=lambda: FIXED_NOW, fault_plan=plan) as faulty:
        resource = meta_resource(faulty)
        repeated = resource.fetch_campaign_hours(account_id=account_id, day=day)
        with caplog.at_level(logging.WARNING):
            unique = fetch_unique_hours(
                resource, account_id, day, "test", logging.getLogger("test_bad_data")
            )

    assert len(repeated) > len(clean)
    assert unique == clean
    assert f"test: dropped {len(repeated) - len(clean)} rows repeated" in caplog.text


def meta_resource(server: SimulatorServer) -> MetaResource:
    return MetaResource(
        access_token=SimulatorCredentials().meta_access_token,
        base_url=f"{server.url}/meta",
        page_size=10,
        max_attempts=1,
    )


# Null or empty key columns


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        (lambda row: row["campaign"].update(id=None), "campaign.id is None, expected an id"),
        (lambda row: row["campaign"].update(id=""), "campaign.id is '', expected an id"),
        (lambda row: row["campaign"].update(id="-5"), "campaign.id is '-5', expected an id"),
        (lambda row: row["segments"].update(date=None), "segments.date is None, expected a"),
        (lambda row: row["segments"].update(date=""), "segments.date is '', expected a value"),
        (lambda row: row["segments"].update(hour=None), "segments.hour is None, expected an"),
        (lambda row: row["segments"].pop("hour"), "segments.hour is None, expected an"),
    ],
    ids=["id-null", "id-empty", "id-signed", "date-null", "date-empty", "hour-null", "no-hour"],
)
def test_google_blank_key_rejected(change: Callable[[dict], object], detail: str):
    row = google_row()
    change(row)

    assert detail in google_rejection(google_body(row))


@pytest.mark.parametrize(
    ("fields", "detail"),
    [
        ({"campaign_id": None}, "data[0].campaign_id is None, expected a value"),
        ({"campaign_id": ""}, "data[0].campaign_id is '', expected a value"),
        ({"campaign_id": "act_1"}, "data[0].campaign_id is 'act_1', expected an id of digits"),
        ({HOUR_FIELD: None}, f"data[0].{HOUR_FIELD} is None, expected a value"),
        ({HOUR_FIELD: ""}, f"data[0].{HOUR_FIELD} is '', expected a value"),
        ({"date_start": None}, "data[0].date_start is None, expected a value"),
        ({"date_start": ""}, "data[0].date_start is '', expected a value"),
    ],
)
def test_meta_blank_key_rejected(fields: dict, detail: str):
    assert detail in meta_rejection(meta_page(meta_row(**fields)))


# Rows outside the requested day


@pytest.mark.parametrize("date", ["2025-02-28", "2025-03-02", "not a date"])
def test_google_row_outside_requested_day_rejected(date: str):
    row = google_row()
    row["segments"]["date"] = date

    message = google_rejection(google_body(row))

    assert "in the row of campaign 111 (batch 0 results[0])" in message
    assert f"segments.date is {date!r}" in message


@pytest.mark.parametrize(
    "fields",
    [{"date_start": "2025-02-28"}, {"date_stop": "2025-03-02"}, {"date_start": "03/01/2025"}],
)
def test_meta_row_outside_requested_day_rejected(fields: dict):
    ((key, value),) = fields.items()

    message = meta_rejection(meta_page(meta_row(**fields)))

    assert "in the row of campaign 23850000000000001 at hour 9" in message
    assert f"data[0].{key} is {value!r}" in message


# Hours outside 0-23


@pytest.mark.parametrize("hour", [24, -1, 99, "9", True])
def test_google_hour_outside_day_rejected(hour: object):
    message = google_rejection(google_body(google_row(hour=hour)))

    assert "in the row of campaign 111" in message
    assert f"segments.hour is {hour!r}, expected an integer from 0 to 23" in message


@pytest.mark.parametrize(
    "label", ["24:00:00 - 24:59:59", "25:00:00 - 25:59:59", "-1:00:00 - -1:59:59", "9 AM"]
)
def test_meta_hour_outside_day_rejected(label: str):
    message = meta_rejection(meta_page(meta_row(**{HOUR_FIELD: label})))

    assert "in the row of campaign 23850000000000001" in message
    assert f"hour label {label!r} is not like" in message


def test_meta_hour_labels_cover_whole_day():
    labels = [f"{hour:02d}:00:00 - {hour:02d}:59:59" for hour in range(24)]

    assert [parse_hour_label(label) for label in labels] == list(range(24))


# Unknown currency codes


@pytest.mark.parametrize("code", ["XYZ", "eur", "EURO", "", "XAU"])
def test_unknown_currency_rejected(code: str):
    google_row_with_code = google_row()
    google_row_with_code["customer"]["currencyCode"] = code

    google = google_rejection(google_body(google_row_with_code))
    meta = meta_rejection(meta_page(meta_row(account_currency=code)))

    assert f"customer.currencyCode is {code!r}, expected an ISO 4217 currency code" in google
    assert f"account_currency is {code!r}, expected an ISO 4217 currency code" in meta
    assert "add it to marketing_assets/registry/currencies.py" in meta


def test_unknown_account_currency_rejected():
    customer = {"id": CUSTOMER, "currencyCode": "XYZ", "timeZone": "Europe/Berlin"}
    google_text = json.dumps([{"results": [{"customer": customer}]}])
    meta_text = json.dumps(
        {"id": f"act_{ACCOUNT}", "name": "Shop", "timezone_name": "UTC", "currency": "ABC"}
    )

    with pytest.raises(PlatformDataError, match=re.escape("row.customer.currencyCode is 'XYZ'")):
        parse_customer(google_text, customer_id=CUSTOMER)
    with pytest.raises(PlatformDataError, match=re.escape("account.currency is 'ABC'")):
        parse_ad_account(meta_text, account_id=ACCOUNT)


def test_meta_daily_rows_follow_same_rules():
    daily = meta_row(spend="-1.00")
    del daily[HOUR_FIELD]

    with pytest.raises(PlatformDataError, match=re.escape("spend is '-1.00', expected 0 or more")):
        parse_daily_insights_page(meta_page(daily), account_id=ACCOUNT, first_day=DAY, last_day=DAY)


# End to end: the simulator over HTTP, the Dagster job and PostgreSQL

REJECT_CLIENT = "aloha-surf-co"
ROUND_TRIP_CLIENT = "kiwi-kitchenware"
RAW_ASSETS = [
    dg.AssetKey("google_ads_campaign_hourly_raw"),
    dg.AssetKey("meta_campaign_hourly_raw"),
]


def is_hourly_report(request: SimulatorRequest, platform: str) -> bool:
    if platform == "google_ads":
        return request.path.endswith(":searchStream") and b"segments.hour" in request.body
    return request.path.endswith("/insights") and request.query.get("breakdowns") == HOUR_FIELD


def report_rows(platform: str, body: object) -> list[dict]:
    if platform == "google_ads":
        return [row for batch in body for row in batch.get("results", [])]
    return body["data"]


# Changes one report row in place and returns its (campaign id, hour), or None if unchanged.
RowRewrite = Callable[[dict], tuple[str, int] | None]


class RewriteRowsPlan(FaultPlan):
    """Passes `rewrite` each row of a platform's hourly reports, once `enabled` is set.

    The plan stops after `max_rows` changed rows per response, and records the (campaign id,
    hour) of every changed row in `rewritten`.
    """

    def __init__(self, platform: str, rewrite: RowRewrite, *, max_rows: int | None = None) -> None:
        self.platform = platform
        self.rewrite = rewrite
        self.max_rows = max_rows
        self.enabled = False
        self.rewritten: set[tuple[str, int]] = set()
        self._lock = threading.Lock()

    def after_response(
        self, request: SimulatorRequest, response: SimulatorResponse
    ) -> SimulatorResponse:
        if not self.enabled or response.status != 200:
            return response
        if not is_hourly_report(request, self.platform):
            return response
        body = json.loads(response.body)
        changed = []
        for row in report_rows(self.platform, body):
            if self.max_rows is not None and len(changed) >= self.max_rows:
                break
            key = self.rewrite(row)
            if key is not None:
                changed.append(key)
        with self._lock:
            self.rewritten.update(changed)
        return json_response(200, body, response.headers)


@dataclass(frozen=True)
class BadValueCase:
    platform: str
    table: str
    key_columns: str
    rewrite: RowRewrite
    expected_detail: str


def google_key(row: dict) -> tuple[str, int]:
    return row["campaign"]["id"], row["segments"]["hour"]


def meta_key(row: dict) -> tuple[str, int] | None:
    if HOUR_FIELD not in row:
        return None
    return row["campaign_id"], parse_hour_label(row[HOUR_FIELD])


def negative_cost(row: dict) -> tuple[str, int]:
    row.setdefault("metrics", {})["costMicros"] = "-1500000"
    return google_key(row)


def nan_spend(row: dict) -> tuple[str, int] | None:
    key = meta_key(row)
    if key is not None:
        row["spend"] = "NaN"
    return key


BAD_VALUE_CASES = [
    BadValueCase(
        "google_ads",
        "google_ads_campaign_hourly_raw",
        "customer_id, campaign_id, utc_hour",
        negative_cost,
        "metrics.costMicros is '-1500000', expected 0 or more",
    ),
    BadValueCase(
        "meta",
        "meta_campaign_hourly_raw",
        "account_id, campaign_id, utc_hour",
        nan_spend,
        ".spend is 'NaN', expected a finite number",
    ),
]


def raw_rows(database_url: str, table: str, key_columns: str, client_id: str) -> list[tuple]:
    query = sql.SQL("SELECT * FROM {table} WHERE client_id = %s ORDER BY {keys}").format(
        table=sql.Identifier("marketing", table),
        keys=sql.SQL(key_columns),
    )
    connection = psycopg2.connect(libpq_dsn(database_url))
    try:
        with connection.cursor() as cursor:
            cursor.execute(query, (client_id,))
            return cursor.fetchall()
    finally:
        connection.close()


def step_failure_text(result: dg.ExecuteInProcessResult, step_key: str) -> str:
    """Join the messages of a step's failures and of the errors that caused them."""
    messages = []
    for event in result.all_events:
        if event.is_step_failure and event.step_key == step_key:
            error = event.step_failure_data.error
            while error is not None:
                messages.append(error.message)
                error = error.cause
    return "\n".join(messages)


@pytest.mark.parametrize("case", BAD_VALUE_CASES, ids=lambda case: case.platform)
def test_rejected_partitions_keep_last_good_copy(
    case: BadValueCase,
    platform_environment,
    dagster_home,
    fx_rates_loaded,
    database_url,
    sample_registry,
    monkeypatch,
):
    plan = RewriteRowsPlan(case.platform, case.rewrite, max_rows=1)
    account_id = sample_registry.client(REJECT_CLIENT).accounts_on(case.platform)[0].account_id
    instance = dg.DagsterInstance.get()
    instance.add_dynamic_partitions(CLIENT_DIMENSION, [REJECT_CLIENT])
    end = closed_hours_window(FIXED_NOW)[1]
    tags = client_range_tags(REJECT_CLIENT, end - timedelta(hours=2), end)
    job = defs.resolve_job_def(hourly_sync_job.name)

    with simulator_with_plan(sample_registry, plan, monkeypatch):
        first = job.execute_in_process(instance=instance, tags=tags, raise_on_error=False)
        good = raw_rows(database_url, case.table, case.key_columns, REJECT_CLIENT)
        plan.enabled = True
        second = job.execute_in_process(instance=instance, tags=tags, raise_on_error=False)

    assert first.asset_materializations_for_node(case.table)
    assert good
    assert plan.rewritten
    assert not second.success
    assert second.asset_materializations_for_node(case.table) == []
    message = step_failure_text(second, case.table)
    assert f"Syncing client {REJECT_CLIENT!r} failed" in message
    assert f"account {account_id} on " in message
    assert any(
        f"in the row of campaign {campaign_id} at hour {hour}" in message
        for campaign_id, hour in plan.rewritten
    )
    assert case.expected_detail in message
    assert RERUN_HINT in message
    assert raw_rows(database_url, case.table, case.key_columns, REJECT_CLIENT) == good


# Every local hour 0-23 gets a name, so a 24-hour window stores each name at least once.
def name_for_hour(hour: int) -> str:
    names = [*HARD_NAMES, NUL_NAME]
    return names[hour % len(names)]


GOOGLE_BIG = {"impressions": "4294967297", "clicks": "3000000000", "costMicros": "9007199254740993"}
META_BIG = {
    "impressions": "9007199254740993",
    "clicks": "4294967296",
    "spend": "12345678901234567.89",
}


def google_hard_values(row: dict) -> tuple[str, int]:
    row["campaign"]["name"] = name_for_hour(row["segments"]["hour"])
    row.setdefault("metrics", {}).update(GOOGLE_BIG)
    return google_key(row)


def meta_hard_values(row: dict) -> tuple[str, int] | None:
    key = meta_key(row)
    if key is not None:
        row["campaign_name"] = name_for_hour(key[1])
        row.update(META_BIG)
    return key


class HardValuesPlan(FaultPlan):
    """Gives every hourly row a hard campaign name and metrics beyond 32 bits."""

    def __init__(self) -> None:
        self.plans = [
            RewriteRowsPlan("google_ads", google_hard_values),
            RewriteRowsPlan("meta", meta_hard_values),
        ]
        for plan in self.plans:
            plan.enabled = True

    def after_response(
        self, request: SimulatorRequest, response: SimulatorResponse
    ) -> SimulatorResponse:
        for plan in self.plans:
            response = plan.after_response(request, response)
        return response


def test_hard_names_and_big_values_load_exactly(
    platform_environment, dagster_home, database_url, sample_registry, monkeypatch
):
    instance = dg.DagsterInstance.get()
    instance.add_dynamic_partitions(CLIENT_DIMENSION, [ROUND_TRIP_CLIENT])
    end = closed_hours_window(FIXED_NOW)[1]
    tags = client_range_tags(ROUND_TRIP_CLIENT, end - timedelta(hours=24), end)
    job = defs.resolve_job_def(hourly_sync_job.name)

    with simulator_with_plan(sample_registry, HardValuesPlan(), monkeypatch):
        result = job.execute_in_process(instance=instance, tags=tags, asset_selection=RAW_ASSETS)

    assert result.success
    columns = "campaign_name, local_hour, impressions, clicks"
    google = select_client_rows(database_url, "google_ads_campaign_hourly_raw", columns)
    meta = select_client_rows(database_url, "meta_campaign_hourly_raw", columns + ", spend")
    stored_names = {row[0] for row in google} | {row[0] for row in meta}
    expected_names = {*HARD_NAMES, NUL_NAME.replace("\x00", "")}
    assert stored_names == expected_names
    for name, local_hour, impressions, clicks in google:
        assert name == name_for_hour(local_hour).replace("\x00", "")
        assert impressions == 4294967297
        assert clicks == 3000000000
    for name, local_hour, impressions, clicks, spend in meta:
        assert name == name_for_hour(local_hour).replace("\x00", "")
        assert impressions == 9007199254740993
        assert clicks == 4294967296
        assert spend == Decimal("12345678901234567.890000")
    cost_micros = select_client_rows(
        database_url, "google_ads_campaign_hourly_raw", "DISTINCT cost_micros"
    )
    assert cost_micros == [(9007199254740993,)]


def select_client_rows(database_url: str, table: str, columns: str) -> list[tuple]:
    query = sql.SQL("SELECT {columns} FROM {table} WHERE client_id = %s").format(
        columns=sql.SQL(columns), table=sql.Identifier("marketing", table)
    )
    connection = psycopg2.connect(libpq_dsn(database_url))
    try:
        with connection.cursor() as cursor:
            cursor.execute(query, (ROUND_TRIP_CLIENT,))
            return cursor.fetchall()
    finally:
        connection.close()
