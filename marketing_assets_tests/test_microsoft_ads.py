"""Microsoft Advertising client: report CSV parsing, submit-poll-download and the simulator."""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from decimal import Decimal
from typing import Any

import pytest

from marketing_assets.platforms.errors import (
    PlatformAuthError,
    PlatformDataError,
    PlatformResponseError,
    PlatformTransientError,
    PlatformUnreadableBodyError,
)
from marketing_assets.platforms.microsoft_ads import MicrosoftAdsResource
from marketing_assets.platforms.microsoft_ads.daily_report_csv import parse_daily_report_csv
from marketing_assets.platforms.microsoft_ads.report_csv import parse_report_csv, parse_report_zip
from marketing_assets.simulator import microsoft_ads_faults
from marketing_assets.simulator.data import campaign_hours
from marketing_assets.simulator.microsoft_ads_report import in_time_zone
from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse
from marketing_assets_tests.extra_platforms_server import (
    FIXED_NOW,
    MICROSOFT_BERLIN,
    MICROSOFT_SYDNEY,
    ExtraPlatformsServer,
)

DAY = dt.date(2026, 12, 3)
ACCOUNT = "151234567"
TOKEN = "sim-microsoft-ads-access-token"
DEVELOPER_TOKEN = "sim-microsoft-ads-developer-token"
COLUMNS = (
    '"AccountId","CampaignId","CampaignName","TimePeriod","CurrencyCode","Impressions",'
    '"Clicks","Spend","Conversions","Revenue"'
)


def report_csv(
    *rows: str,
    time_zone: str = "(GMT+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna",
    row_count: int | None = None,
) -> str:
    count = len(rows) if row_count is None else row_count
    header = [
        '"Report Name: Campaign Performance"',
        '"Report Time: 12/04/2026 09:00:00"',
        f'"Time Zone: {time_zone}"',
        '"Report Aggregation: Hourly"',
        f'"Rows: {count}"',
        "",
        COLUMNS,
    ]
    footer = ["", '"\N{COPYRIGHT SIGN}2026 Microsoft Corporation. All rights reserved. "']
    return "\r\n".join([*header, *rows, *footer]) + "\r\n"


ROW = (
    '"151234567","500000001","Brand, Search","2026-12-03|09","EUR","1520","48","23.45","3","120.50"'
)


def parse(text: str) -> list:
    return parse_report_csv(text, account_id=ACCOUNT, day=DAY)


def test_report_csv_parses_hour_and_money_exactly() -> None:
    [record] = parse(report_csv(ROW))
    assert record.campaign_id == "500000001"
    assert record.campaign_name == "Brand, Search"
    assert record.date == DAY
    assert record.hour == 9
    assert record.time_period == "2026-12-03|09"
    assert record.spend == Decimal("23.45")
    assert record.impressions == 1520
    assert record.clicks == 48
    assert record.conversions == Decimal(3)
    assert record.conversion_value == Decimal("120.50")
    assert record.currency == "EUR"


def test_report_csv_takes_time_zone_from_header() -> None:
    [record] = parse(report_csv(ROW, time_zone="(GMT-05:00) Eastern Time (US & Canada)"))
    assert record.time_zone == "America/New_York"
    assert record.report_time_zone == "(GMT-05:00) Eastern Time (US & Canada)"


def test_report_csv_accepts_time_zone_enum_name() -> None:
    [record] = parse(report_csv(ROW, time_zone="Kathmandu"))
    assert record.time_zone == "Asia/Kathmandu"


def test_report_csv_rejects_unknown_time_zone() -> None:
    with pytest.raises(PlatformResponseError, match=r"time_zones\.py"):
        parse(report_csv(ROW, time_zone="(GMT+03:00) Nowhere"))


def test_report_csv_rejects_missing_time_zone() -> None:
    text = report_csv(ROW).replace(
        '"Time Zone: (GMT+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"\r\n', ""
    )
    with pytest.raises(PlatformResponseError, match="'Time Zone' header"):
        parse(text)


def test_report_csv_rejects_row_count_mismatch() -> None:
    with pytest.raises(PlatformResponseError, match="says 2 rows but the CSV has 1"):
        parse(report_csv(ROW, row_count=2))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("2026-12-03|09", "2026-12-04|09", "outside the requested day"),
        ("2026-12-03|09", "2026-12-03 09", "expected 'YYYY-MM-DD|HH'"),
        ("2026-12-03|09", "2026-12-03|24", "expected 'YYYY-MM-DD|HH'"),
        ('"23.45"', '"-23.45"', "expected 0 or more"),
        ('"1520"', '""', "an empty one is invalid"),
        ('"EUR"', '"EURO"', "ISO 4217"),
        ('"151234567"', '"999"', "not the requested account"),
    ],
)
def test_report_csv_rejects_bad_value(old: str, new: str, expected: str) -> None:
    with pytest.raises(PlatformDataError) as caught:
        parse(report_csv(ROW.replace(old, new, 1)))
    assert expected in str(caught.value)
    assert "Microsoft Advertising account 151234567 on 2026-12-03" in str(caught.value)


def test_report_csv_rejects_repeated_campaign_hour() -> None:
    with pytest.raises(PlatformDataError, match="repeat a campaign and TimePeriod"):
        parse(report_csv(ROW, ROW))


def test_report_zip_cut_short_is_unreadable() -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as output:
        output.writestr("report.csv", report_csv(ROW))
    content = archive.getvalue()
    assert len(parse_report_zip(content, account_id=ACCOUNT, day=DAY)) == 1
    with pytest.raises(PlatformUnreadableBodyError):
        parse_report_zip(content[: len(content) // 2], account_id=ACCOUNT, day=DAY)


def resource(server: ExtraPlatformsServer, **overrides: Any) -> MicrosoftAdsResource:
    settings: dict[str, Any] = {
        "access_token": TOKEN,
        "developer_token": DEVELOPER_TOKEN,
        "customer_id": "123456",
        "base_url": f"{server.url}/microsoft-ads",
        "poll_interval_seconds": 0.01,
        "backoff_initial_seconds": 0,
        "max_attempts": 3,
    }
    settings.update(overrides)
    return MicrosoftAdsResource(**settings)


def expected_hours(account, day: dt.date) -> dict[tuple[str, int], tuple[Decimal, int, int]]:
    return {
        (hour.campaign.campaign_id, hour.hour): (hour.spend, hour.impressions, hour.clicks)
        for hour in campaign_hours(account, day, FIXED_NOW)
        if hour.impressions > 0
    }


def as_truth(records: list) -> dict[tuple[str, int], tuple[Decimal, int, int]]:
    return {(r.campaign_id, r.hour): (r.spend, r.impressions, r.clicks) for r in records}


@pytest.mark.parametrize(
    ("account", "time_zone"),
    [(MICROSOFT_BERLIN, "Europe/Berlin"), (MICROSOFT_SYDNEY, "Australia/Sydney")],
)
def test_simulator_report_matches_truth(account, time_zone: str) -> None:
    with ExtraPlatformsServer() as server:
        records = resource(server).fetch_campaign_hours(account_id=account.account_id, day=DAY)
        polls = [r for r in server.requests if r.path.endswith("/Poll")]
        downloads = [r for r in server.requests if "/download/" in r.path]
    assert as_truth(records) == expected_hours(account, DAY)
    assert {record.time_zone for record in records} == {time_zone}
    assert len(polls) == 2
    assert len(downloads) == 1
    assert "authorization" not in downloads[0].headers


def test_simulator_report_in_other_time_zone_follows_header() -> None:
    def intercept(request: SimulatorRequest, call_handler) -> SimulatorResponse:
        response = call_handler()
        if microsoft_ads_faults.is_submit(request):
            changed = microsoft_ads_faults.report_in_time_zone(
                response, time_zone="America/Los_Angeles"
            )
            return changed or response
        return response

    with ExtraPlatformsServer(intercept=intercept) as server:
        records = resource(server).fetch_campaign_hours(account_id=ACCOUNT, day=DAY)
    assert {record.time_zone for record in records} == {"America/Los_Angeles"}
    moved = in_time_zone(MICROSOFT_BERLIN, "America/Los_Angeles")
    assert as_truth(records) == expected_hours(moved, DAY)


def test_simulator_future_day_has_no_rows() -> None:
    with ExtraPlatformsServer() as server:
        records = resource(server).fetch_campaign_hours(
            account_id=ACCOUNT, day=dt.date(2026, 12, 20)
        )
        downloads = [r for r in server.requests if "/download/" in r.path]
    assert records == []
    assert downloads == []


def test_simulator_stuck_report_times_out_naming_setting() -> None:
    def intercept(request: SimulatorRequest, call_handler) -> SimulatorResponse:
        response = call_handler()
        if microsoft_ads_faults.is_poll(request):
            return microsoft_ads_faults.stuck_pending(response, random.Random(0)) or response
        return response

    with (
        ExtraPlatformsServer(intercept=intercept) as server,
        pytest.raises(PlatformTransientError) as caught,
    ):
        resource(server, poll_timeout_seconds=0).fetch_campaign_hours(account_id=ACCOUNT, day=DAY)
    assert "poll_timeout_seconds=0" in str(caught.value)
    assert "Microsoft Advertising account 151234567 on 2026-12-03" in str(caught.value)


def test_simulator_failed_report_is_transient() -> None:
    def intercept(request: SimulatorRequest, call_handler) -> SimulatorResponse:
        response = call_handler()
        if microsoft_ads_faults.is_poll(request):
            return microsoft_ads_faults.report_failed(response, random.Random(0)) or response
        return response

    with (
        ExtraPlatformsServer(intercept=intercept) as server,
        pytest.raises(PlatformTransientError, match="Status Error"),
    ):
        resource(server).fetch_campaign_hours(account_id=ACCOUNT, day=DAY)


def faulted_first(applies, fault):
    faulted: list[SimulatorRequest] = []

    def intercept(request: SimulatorRequest, call_handler) -> SimulatorResponse:
        if applies(request) and not faulted:
            faulted.append(request)
            return fault(request, call_handler)
        return call_handler()

    return intercept


def test_simulator_call_rate_exceeded_waits_retry_after(caplog) -> None:
    intercept = faulted_first(
        microsoft_ads_faults.is_submit,
        lambda request, call: microsoft_ads_faults.call_rate_exceeded(retry_after_seconds=1),
    )
    with ExtraPlatformsServer(intercept=intercept) as server, caplog.at_level("WARNING"):
        records = resource(server).fetch_campaign_hours(account_id=ACCOUNT, day=DAY)
    assert as_truth(records) == expected_hours(MICROSOFT_BERLIN, DAY)
    assert "Retrying Microsoft Advertising report submit" in caplog.text
    assert "in 1.0 s after attempt 1" in caplog.text


def test_simulator_truncated_zip_is_retried() -> None:
    intercept = faulted_first(
        microsoft_ads_faults.is_download,
        lambda request, call: microsoft_ads_faults.truncated_zip(call(), random.Random(0)),
    )
    with ExtraPlatformsServer(intercept=intercept) as server:
        records = resource(server).fetch_campaign_hours(account_id=ACCOUNT, day=DAY)
        downloads = [r for r in server.requests if "/download/" in r.path]
    assert as_truth(records) == expected_hours(MICROSOFT_BERLIN, DAY)
    assert len(downloads) == 2


def test_simulator_expired_token_fails_without_retry() -> None:
    intercept = faulted_first(
        microsoft_ads_faults.is_submit, lambda request, call: microsoft_ads_faults.expired_token()
    )
    with ExtraPlatformsServer(intercept=intercept) as server:
        with pytest.raises(PlatformAuthError) as caught:
            resource(server).fetch_campaign_hours(account_id=ACCOUNT, day=DAY)
        attempts = len(server.requests)
    assert attempts == 1
    assert "AuthenticationTokenExpired" in str(caught.value)
    assert "MICROSOFT_ADS_ACCESS_TOKEN" in str(caught.value)
    assert TOKEN not in str(caught.value)


def test_simulator_wrong_developer_token_is_auth_error() -> None:
    with (
        ExtraPlatformsServer() as server,
        pytest.raises(PlatformAuthError, match="InvalidCredentials"),
    ):
        resource(server, developer_token="wrong").fetch_campaign_hours(account_id=ACCOUNT, day=DAY)


FIRST_DAY = dt.date(2026, 12, 2)
DAY_ROW = (
    '"151234567","500000001","Brand, Search","2026-12-03","EUR","15200","480","234.50","30",'
    '"1205.00"'
)


def parse_days(text: str) -> list:
    return parse_daily_report_csv(text, account_id=ACCOUNT, first_day=FIRST_DAY, last_day=DAY)


def test_daily_report_csv_reads_each_requested_day() -> None:
    earlier = DAY_ROW.replace("2026-12-03", "2026-12-02")
    first, second = parse_days(report_csv(earlier, DAY_ROW))
    assert (first.date, second.date) == (FIRST_DAY, DAY)
    assert second.spend == Decimal("234.50")
    assert second.conversion_value == Decimal("1205.00")
    assert second.time_zone == "Europe/Berlin"


@pytest.mark.parametrize("time_period", ["2026-12-04", "2026-12-01", "2026-12-03|09"])
def test_daily_report_csv_rejects_day_outside_request(time_period: str) -> None:
    with pytest.raises(PlatformDataError) as caught:
        parse_days(report_csv(DAY_ROW.replace("2026-12-03", time_period)))
    assert f"TimePeriod is {time_period!r}" in str(caught.value)
    assert f"account {ACCOUNT} from 2026-12-02 to 2026-12-03" in str(caught.value)


def test_daily_report_csv_rejects_repeated_campaign_day() -> None:
    with pytest.raises(PlatformDataError, match="repeat a campaign and day"):
        parse_days(report_csv(DAY_ROW, DAY_ROW))


@pytest.mark.parametrize(
    ("account", "time_zone"),
    [(MICROSOFT_BERLIN, "Europe/Berlin"), (MICROSOFT_SYDNEY, "Australia/Sydney")],
)
def test_simulator_daily_report_equals_hourly_sums(account, time_zone: str) -> None:
    with ExtraPlatformsServer() as server:
        client = resource(server)
        days = client.fetch_campaign_days(
            account_id=account.account_id, first_day=FIRST_DAY, last_day=DAY
        )
        submits = [r for r in server.requests if microsoft_ads_faults.is_submit(r)]
    assert len(submits) == 1
    assert {record.time_zone for record in days} == {time_zone}
    for day in (FIRST_DAY, DAY):
        hourly = expected_hours(account, day)
        daily = [record for record in days if record.date == day]
        assert sum(record.spend for record in daily) == sum(
            spend for spend, _, _ in hourly.values()
        )
        assert sum(r.impressions for r in daily) == sum(count for _, count, _ in hourly.values())
        assert sum(r.clicks for r in daily) == sum(clicks for _, _, clicks in hourly.values())


def test_simulator_daily_report_failure_names_both_days() -> None:
    def intercept(request: SimulatorRequest, call_handler) -> SimulatorResponse:
        response = call_handler()
        if microsoft_ads_faults.is_poll(request):
            return microsoft_ads_faults.report_failed(response, random.Random(0)) or response
        return response

    with (
        ExtraPlatformsServer(intercept=intercept) as server,
        pytest.raises(PlatformTransientError) as caught,
    ):
        resource(server).fetch_campaign_days(account_id=ACCOUNT, first_day=FIRST_DAY, last_day=DAY)
    assert "Microsoft Advertising account 151234567 from 2026-12-02 to 2026-12-03" in str(
        caught.value
    )
    assert caught.value.last_day == DAY
