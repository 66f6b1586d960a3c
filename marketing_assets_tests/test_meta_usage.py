"""Meta usage headers: parsing, the pause they call for, and the pacer that waits it out."""

import json
import logging

import pytest

from marketing_assets.platforms.meta.usage import (
    MetaUsage,
    UsagePacer,
    parse_usage_headers,
    pause_seconds,
)

ACCOUNT = "123456789012"
OTHER_ACCOUNT = "234567890123"


def headers(
    *,
    business: dict | None = None,
    ad_account: dict | None = None,
    app: dict | None = None,
    throttle: dict | None = None,
) -> dict[str, str]:
    values = {
        "x-business-use-case-usage": business,
        "x-ad-account-usage": ad_account,
        "x-app-usage": app,
        "x-fb-ads-insights-throttle": throttle,
    }
    return {name: json.dumps(value) for name, value in values.items() if value is not None}


def business_entry(call_count: int, cputime: int = 0, total_time: int = 0, regain: float = 0):
    return {
        "type": "ads_insights",
        "call_count": call_count,
        "total_cputime": cputime,
        "total_time": total_time,
        "estimated_time_to_regain_access": regain,
    }


class FakeTime:
    """A monotonic clock that moves only when the pacer sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def pacer(fake: FakeTime, *, threshold: float = 75, max_pause: float = 60) -> UsagePacer:
    return UsagePacer(
        threshold_percent=threshold,
        max_pause_seconds=max_pause,
        clock=fake.clock,
        sleep=fake.sleep,
    )


def test_parse_takes_highest_business_use_case_figure():
    usage = parse_usage_headers(
        headers(
            business={
                "111": [business_entry(40, cputime=82, total_time=10)],
                "222": [business_entry(55), {"type": "ads_management", "call_count": "n/a"}],
            }
        )
    )

    assert usage is not None
    assert usage.business_use_case_percent == 82
    assert usage.ad_account_percent is None
    assert usage.app_percent is None
    assert usage.account_percent == 82


def test_parse_reads_ad_account_app_and_throttle_headers():
    usage = parse_usage_headers(
        headers(
            ad_account={"acc_id_util_pct": 9.67, "reset_time_duration": 100},
            app={"call_count": 12, "total_cputime": 30, "total_time": 5},
            throttle={"app_id_util_pct": 45.5, "acc_id_util_pct": 20},
        )
    )

    assert usage == MetaUsage(
        business_use_case_percent=None,
        ad_account_percent=20,
        app_percent=45.5,
        reset_seconds=100,
        regain_access_seconds=None,
    )


def test_parse_converts_regain_access_minutes_to_seconds():
    usage = parse_usage_headers(headers(business={ACCOUNT: [business_entry(100, regain=2)]}))

    assert usage is not None
    assert usage.regain_access_seconds == 120


def test_parse_returns_none_without_usage_headers():
    assert parse_usage_headers({"content-type": "application/json"}) is None


@pytest.mark.parametrize("text", ["not json", "[1, 2]", '"text"'])
def test_parse_ignores_malformed_header(text: str):
    usage = parse_usage_headers({"x-ad-account-usage": text, "x-app-usage": '{"call_count": 7}'})

    assert usage is not None
    assert usage.ad_account_percent is None
    assert usage.app_percent == 7


@pytest.mark.parametrize(
    ("percent", "reset", "expected"),
    [
        (50, 40, 0.0),
        (75, 40, 0.0),
        (87.5, 40, 20.0),
        (100, 40, 40.0),
        (120, 40, 40.0),
        (87.5, None, 30.0),
        (100, 0, 60.0),
        (100, 600, 60.0),
    ],
)
def test_pause_grows_from_threshold_to_reset_time(percent, reset, expected):
    pause = pause_seconds(percent, threshold_percent=75, max_pause_seconds=60, reset_seconds=reset)

    assert pause == pytest.approx(expected)


def test_pause_is_zero_when_max_pause_is_zero():
    assert pause_seconds(100, threshold_percent=75, max_pause_seconds=0, reset_seconds=40) == 0


def test_pacer_waits_before_next_request_above_threshold(caplog):
    fake = FakeTime()
    usage_pacer = pacer(fake)
    caplog.set_level(logging.WARNING, logger="marketing_assets.platforms.meta.usage")

    usage_pacer.record(
        ACCOUNT,
        headers(
            business={ACCOUNT: [business_entry(90)]},
            ad_account={"acc_id_util_pct": 90, "reset_time_duration": 10},
        ),
    )
    slept = usage_pacer.wait(ACCOUNT)

    assert slept == pytest.approx(6.0)
    assert fake.sleeps == [pytest.approx(6.0)]
    assert "Pausing 6.0 s before the next Meta request for ad account 123456789012" in caplog.text
    assert "usage_threshold_percent=75" in caplog.text
    assert "business use case 90%" in caplog.text
    assert "ad account 90%" in caplog.text
    assert "resets in 10 s" in caplog.text


def test_pacer_does_not_wait_below_threshold(caplog):
    fake = FakeTime()
    usage_pacer = pacer(fake)
    caplog.set_level(logging.WARNING)

    usage_pacer.record(ACCOUNT, headers(business={ACCOUNT: [business_entry(75)]}))

    assert usage_pacer.wait(ACCOUNT) == 0
    assert fake.sleeps == []
    assert caplog.text == ""


def test_pacer_counts_time_already_passed():
    fake = FakeTime()
    usage_pacer = pacer(fake)
    usage_pacer.record(
        ACCOUNT, headers(ad_account={"acc_id_util_pct": 100, "reset_time_duration": 8})
    )

    fake.now += 5

    assert usage_pacer.wait(ACCOUNT) == pytest.approx(3.0)


def test_pacer_account_usage_leaves_other_accounts_alone():
    fake = FakeTime()
    usage_pacer = pacer(fake)
    usage_pacer.record(
        ACCOUNT, headers(ad_account={"acc_id_util_pct": 100, "reset_time_duration": 8})
    )

    assert usage_pacer.wait(OTHER_ACCOUNT) == 0
    assert usage_pacer.wait(ACCOUNT) == pytest.approx(8.0)


def test_pacer_app_usage_pauses_every_account():
    fake = FakeTime()
    usage_pacer = pacer(fake, max_pause=40)
    usage_pacer.record(ACCOUNT, headers(app={"call_count": 95, "total_cputime": 10}))

    # 95% is 80% of the way from 75% to 100%, and app usage has no reset time.
    assert usage_pacer.wait(OTHER_ACCOUNT) == pytest.approx(32.0)


def test_pacer_newer_low_usage_clears_pause():
    fake = FakeTime()
    usage_pacer = pacer(fake)
    usage_pacer.record(
        ACCOUNT, headers(ad_account={"acc_id_util_pct": 99, "reset_time_duration": 8})
    )
    usage_pacer.record(
        ACCOUNT, headers(ad_account={"acc_id_util_pct": 3, "reset_time_duration": 0})
    )

    assert usage_pacer.wait(ACCOUNT) == 0


def test_pacer_caps_regain_access_wait():
    fake = FakeTime()
    usage_pacer = pacer(fake, max_pause=90)
    usage_pacer.record(ACCOUNT, headers(business={ACCOUNT: [business_entry(100, regain=5)]}))

    assert usage_pacer.wait(ACCOUNT) == pytest.approx(90.0)


def test_pacer_never_waits_with_max_pause_zero():
    fake = FakeTime()
    usage_pacer = pacer(fake, max_pause=0)
    usage_pacer.record(ACCOUNT, headers(business={ACCOUNT: [business_entry(100, regain=5)]}))

    assert usage_pacer.wait(ACCOUNT) == 0
