"""Daily campaign totals from the platform resources, reconciled against the local simulator.

The simulator's /_simulator/truth totals come from its generator, not from API JSON, so
summing fetched rows and comparing with them checks the client's parsing and paging.
"""

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from marketing_assets.platforms.errors import PlatformAuthError
from marketing_assets.platforms.google_ads import GoogleAdsResource
from marketing_assets.platforms.meta import MetaResource
from marketing_assets.simulator import (
    FaultPlan,
    SimulatedAccount,
    SimulatorCredentials,
    SimulatorServer,
)
from marketing_assets_tests.request_log import RequestLog

CREDENTIALS = SimulatorCredentials()
MANAGER = "9999999999"
BERLIN_CUSTOMER = "1234567890"
NEW_YORK_CUSTOMER = "2345678901"
KATHMANDU_CUSTOMER = "3456789012"
LOS_ANGELES_ACCOUNT = "123456789012"
KOLKATA_ACCOUNT = "998877665544"
NEW_YORK_ACCOUNT = "554433221100"
NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)
DEC_2 = dt.date(2026, 12, 2)
ACCOUNTS = [
    SimulatedAccount("google_ads", BERLIN_CUSTOMER, "Europe/Berlin", "EUR", manager_id=MANAGER),
    SimulatedAccount("google_ads", NEW_YORK_CUSTOMER, "America/New_York", "USD"),
    SimulatedAccount("google_ads", KATHMANDU_CUSTOMER, "Asia/Kathmandu", "NPR"),
    SimulatedAccount("meta", LOS_ANGELES_ACCOUNT, "America/Los_Angeles", "USD"),
    SimulatedAccount("meta", KOLKATA_ACCOUNT, "Asia/Kolkata", "INR"),
    SimulatedAccount("meta", NEW_YORK_ACCOUNT, "America/New_York", "USD"),
]
GOOGLE_CASES = pytest.mark.parametrize(
    ("customer_id", "login_customer_id", "day"),
    [
        (BERLIN_CUSTOMER, MANAGER, dt.date(2026, 12, 2)),
        # New York has 23 local hours on 2026-03-08 and 25 on 2026-11-01.
        (NEW_YORK_CUSTOMER, None, dt.date(2026, 3, 8)),
        (NEW_YORK_CUSTOMER, None, dt.date(2026, 11, 1)),
        # Kathmandu is UTC+05:45, so its days start at a quarter past a UTC hour.
        (KATHMANDU_CUSTOMER, None, dt.date(2026, 12, 2)),
    ],
    ids=["berlin-manager", "spring-forward", "fall-back", "kathmandu"],
)
META_CASES = pytest.mark.parametrize(
    ("account_id", "day", "page_size"),
    [
        (LOS_ANGELES_ACCOUNT, dt.date(2026, 12, 2), 500),
        (LOS_ANGELES_ACCOUNT, dt.date(2026, 3, 8), 3),
        (NEW_YORK_ACCOUNT, dt.date(2026, 11, 1), 1),
        (KOLKATA_ACCOUNT, dt.date(2026, 12, 2), 2),
    ],
    ids=["one-page", "spring-forward-pages", "fall-back-page-per-row", "kolkata-pages"],
)


@pytest.fixture(scope="module")
def simulator() -> Iterator[SimulatorServer]:
    with SimulatorServer(ACCOUNTS, credentials=CREDENTIALS, clock=lambda: NOW) as server:
        yield server


@pytest.fixture
def request_log(simulator: SimulatorServer) -> Iterator[RequestLog]:
    log = RequestLog()
    simulator.fault_plan = log
    yield log
    simulator.fault_plan = FaultPlan()


def google(simulator: SimulatorServer, **settings: object) -> GoogleAdsResource:
    config: dict = {
        "developer_token": CREDENTIALS.google_ads_developer_token,
        "access_token": CREDENTIALS.google_ads_access_token,
        "base_url": f"{simulator.url}/google-ads",
        "max_attempts": 1,
    }
    return GoogleAdsResource(**{**config, **settings})


def meta(simulator: SimulatorServer, **settings: object) -> MetaResource:
    config: dict = {
        "access_token": CREDENTIALS.meta_access_token,
        "base_url": f"{simulator.url}/meta",
        "max_attempts": 1,
    }
    return MetaResource(**{**config, **settings})


def truth(simulator: SimulatorServer, platform: str, account_id: str, day: dt.date) -> dict:
    params = {"platform": platform, "account_id": account_id, "date": day.isoformat()}
    response = httpx.get(f"{simulator.url}/_simulator/truth", params=params)
    response.raise_for_status()
    return response.json()


def totals_by_campaign(records: Iterable[Any], metrics: tuple[str, ...]) -> dict[str, tuple]:
    """Sum `metrics` per campaign_id over hourly or daily records."""
    sums: dict[str, list] = defaultdict(lambda: [0] * len(metrics))
    for record in records:
        campaign_sums = sums[record.campaign_id]
        for index, metric in enumerate(metrics):
            campaign_sums[index] += getattr(record, metric)
    return {campaign_id: tuple(values) for campaign_id, values in sums.items()}


def micros_to_units(micros: int) -> Decimal:
    return Decimal(micros) / 1_000_000


@GOOGLE_CASES
def test_google_days_match_truth(simulator, customer_id, login_customer_id, day):
    days = google(simulator).fetch_campaign_days(
        customer_id=customer_id,
        first_day=day,
        last_day=day,
        login_customer_id=login_customer_id,
    )
    expected = truth(simulator, "google_ads", customer_id, day)

    assert days, "the simulator served no campaign days, so the sums below prove nothing"
    assert sum(record.impressions for record in days) == expected["impressions"]
    assert sum(record.clicks for record in days) == expected["clicks"]
    spend = micros_to_units(sum(record.cost_micros for record in days))
    assert spend == Decimal(expected["spend"])
    conversions = sum(record.conversions for record in days)
    assert conversions == Decimal(expected["conversions"])
    assert conversions == Decimal(expected["daily_conversions"])
    conversions_value = sum(record.conversions_value for record in days)
    assert conversions_value == Decimal(expected["conversion_value"])
    assert conversions_value == Decimal(expected["daily_conversion_value"])
    assert {record.date for record in days} == {day}
    assert {record.currency_code for record in days} == {expected["currency"]}
    assert {record.customer_id for record in days} == {customer_id}
    assert len({record.campaign_id for record in days}) == len(days)


@GOOGLE_CASES
def test_google_days_equal_summed_hours(simulator, customer_id, login_customer_id, day):
    resource = google(simulator)
    with resource.client():
        days = resource.fetch_campaign_days(
            customer_id=customer_id,
            first_day=day,
            last_day=day,
            login_customer_id=login_customer_id,
        )
        hours = resource.fetch_campaign_hours(
            customer_id=customer_id, day=day, login_customer_id=login_customer_id
        )
    metrics = ("impressions", "clicks", "cost_micros", "conversions", "conversions_value")

    assert sum(record.cost_micros for record in days) == sum(record.cost_micros for record in hours)
    assert sum(record.impressions for record in days) == sum(record.impressions for record in hours)
    assert sum(record.clicks for record in days) == sum(record.clicks for record in hours)
    # Google's hourly segments carry every conversion, so conversions reconcile too.
    assert sum(record.conversions for record in days) == sum(record.conversions for record in hours)
    assert totals_by_campaign(days, metrics) == totals_by_campaign(hours, metrics)


@META_CASES
def test_meta_days_match_truth(simulator, account_id, day, page_size):
    days = meta(simulator, page_size=page_size).fetch_campaign_days(
        account_id=account_id, first_day=day, last_day=day
    )
    expected = truth(simulator, "meta", account_id, day)

    # The day needs pixel conversions, or all_conversions would equal conversions here.
    assert Decimal(expected["daily_conversions"]) > Decimal(expected["conversions"])
    assert sum(record.spend for record in days) == Decimal(expected["spend"])
    assert sum(record.impressions for record in days) == expected["impressions"]
    assert sum(record.clicks for record in days) == expected["clicks"]
    assert sum(record.conversions for record in days) == Decimal(expected["conversions"])
    assert sum(record.all_conversions for record in days) == Decimal(expected["daily_conversions"])
    assert sum(record.conversion_value for record in days) == Decimal(expected["conversion_value"])
    assert sum(record.all_conversion_value for record in days) == Decimal(
        expected["daily_conversion_value"]
    )
    assert {record.date for record in days} == {day}
    assert {record.account_currency for record in days} == {expected["currency"]}
    assert len({record.campaign_id for record in days}) == len(days)


@META_CASES
def test_meta_days_equal_hours_except_pixel(simulator, account_id, day, page_size):
    resource = meta(simulator, page_size=page_size)
    with resource.client():
        days = resource.fetch_campaign_days(account_id=account_id, first_day=day, last_day=day)
        hours = resource.fetch_campaign_hours(account_id=account_id, day=day)
    delivery = ("spend", "impressions", "clicks")
    hourly_by_campaign = totals_by_campaign(hours, delivery)
    zeros = (Decimal(0), 0, 0)

    assert sum(record.spend for record in days) == sum(record.spend for record in hours)
    assert sum(record.impressions for record in days) == sum(record.impressions for record in hours)
    assert sum(record.clicks for record in days) == sum(record.clicks for record in hours)
    for campaign_id, daily in totals_by_campaign(days, delivery).items():
        assert daily == hourly_by_campaign.get(campaign_id, zeros), campaign_id
    assert set(hourly_by_campaign) <= {record.campaign_id for record in days}

    hourly_conversions = sum(record.conversions for record in hours)
    assert sum(record.conversions for record in days) == hourly_conversions
    assert sum(record.all_conversions for record in days) > hourly_conversions
    hourly_value = sum(record.conversion_value for record in hours)
    assert sum(record.conversion_value for record in days) == hourly_value
    assert sum(record.all_conversion_value for record in days) > hourly_value


def days_from(first_day: dt.date, last_day: dt.date) -> list[dt.date]:
    return [first_day + dt.timedelta(days=n) for n in range((last_day - first_day).days + 1)]


@pytest.mark.parametrize(
    ("customer_id", "login_customer_id", "first_day", "last_day"),
    [
        (BERLIN_CUSTOMER, MANAGER, dt.date(2026, 11, 25), dt.date(2026, 12, 2)),
        # The range crosses New York's 25-hour day 2026-11-01.
        (NEW_YORK_CUSTOMER, None, dt.date(2026, 10, 30), dt.date(2026, 11, 2)),
        (KATHMANDU_CUSTOMER, None, dt.date(2026, 11, 29), dt.date(2026, 12, 2)),
    ],
    ids=["berlin-manager", "fall-back", "kathmandu"],
)
def test_google_range_matches_truth_each_day(
    simulator, request_log, customer_id, login_customer_id, first_day, last_day
):
    records = google(simulator).fetch_campaign_days(
        customer_id=customer_id,
        first_day=first_day,
        last_day=last_day,
        login_customer_id=login_customer_id,
    )

    assert request_log.count("google_ads daily report") == {customer_id: 1}
    assert {record.date for record in records} == set(days_from(first_day, last_day))
    for day in days_from(first_day, last_day):
        on_day = [record for record in records if record.date == day]
        expected = truth(simulator, "google_ads", customer_id, day)
        assert sum(record.impressions for record in on_day) == expected["impressions"], day
        assert sum(record.clicks for record in on_day) == expected["clicks"], day
        spend = micros_to_units(sum(record.cost_micros for record in on_day))
        assert spend == Decimal(expected["spend"]), day
        conversions = sum(record.conversions for record in on_day)
        assert conversions == Decimal(expected["daily_conversions"]), day
        assert len({record.campaign_id for record in on_day}) == len(on_day), day


@pytest.mark.parametrize(
    ("account_id", "first_day", "last_day", "page_size"),
    [
        (LOS_ANGELES_ACCOUNT, dt.date(2026, 11, 25), dt.date(2026, 12, 2), 500),
        # The range crosses Los Angeles's 23-hour day 2026-03-08.
        (LOS_ANGELES_ACCOUNT, dt.date(2026, 3, 6), dt.date(2026, 3, 9), 3),
        (KOLKATA_ACCOUNT, dt.date(2026, 11, 29), dt.date(2026, 12, 2), 2),
    ],
    ids=["one-page", "spring-forward-pages", "kolkata-pages"],
)
def test_meta_range_matches_truth_each_day(
    simulator, request_log, account_id, first_day, last_day, page_size
):
    records = meta(simulator, page_size=page_size).fetch_campaign_days(
        account_id=account_id, first_day=first_day, last_day=last_day
    )

    # Daily rows are never skipped, so each page but the last contains page_size records.
    pages = math.ceil(len(records) / page_size)
    assert request_log.count("meta daily report") == {account_id: pages}
    assert {record.date for record in records} == set(days_from(first_day, last_day))
    for day in days_from(first_day, last_day):
        on_day = [record for record in records if record.date == day]
        expected = truth(simulator, "meta", account_id, day)
        assert sum(record.spend for record in on_day) == Decimal(expected["spend"]), day
        assert sum(record.impressions for record in on_day) == expected["impressions"], day
        assert sum(record.clicks for record in on_day) == expected["clicks"], day
        conversions = sum(record.conversions for record in on_day)
        assert conversions == Decimal(expected["conversions"]), day
        all_conversions = sum(record.all_conversions for record in on_day)
        assert all_conversions == Decimal(expected["daily_conversions"]), day
        assert len({record.campaign_id for record in on_day}) == len(on_day), day


def test_google_days_need_login_customer_id_under_manager(simulator):
    with pytest.raises(PlatformAuthError, match="USER_PERMISSION_DENIED") as raised:
        google(simulator).fetch_campaign_days(
            customer_id=BERLIN_CUSTOMER, first_day=DEC_2, last_day=DEC_2
        )

    assert "login_customer_id" in str(raised.value)
    assert raised.value.status_code == 403
    assert raised.value.day == dt.date(2026, 12, 2)


def test_google_days_invalid_token_is_auth_error(simulator):
    resource = google(simulator, access_token="expired", max_attempts=3)

    with pytest.raises(PlatformAuthError, match="HTTP 401 UNAUTHENTICATED") as raised:
        resource.fetch_campaign_days(customer_id=NEW_YORK_CUSTOMER, first_day=DEC_2, last_day=DEC_2)

    assert "GOOGLE_ADS_ACCESS_TOKEN" in str(raised.value)
    assert "expired" not in str(raised.value)


def test_google_days_reject_invalid_customer_id(simulator):
    with pytest.raises(ValueError, match="Invalid Google Ads customer_id '234-567-8901'"):
        google(simulator).fetch_campaign_days(
            customer_id="234-567-8901", first_day=DEC_2, last_day=DEC_2
        )


def test_meta_days_invalid_token_is_auth_error(simulator):
    resource = meta(simulator, access_token="expired", max_attempts=3)

    with pytest.raises(PlatformAuthError, match="error code 190") as raised:
        resource.fetch_campaign_days(
            account_id=LOS_ANGELES_ACCOUNT, first_day=DEC_2, last_day=DEC_2
        )

    assert "META_ACCESS_TOKEN" in str(raised.value)
    assert "expired" not in str(raised.value)


def test_meta_days_reject_prefixed_account_id(simulator):
    with pytest.raises(ValueError, match="Invalid Meta account_id 'act_123456789012'"):
        meta(simulator).fetch_campaign_days(
            account_id=f"act_{LOS_ANGELES_ACCOUNT}", first_day=DEC_2, last_day=DEC_2
        )
