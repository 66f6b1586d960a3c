"""Platform resources against the local simulator over HTTP on 127.0.0.1."""

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import dagster as dg
import httpx
import pytest

from marketing_assets.platforms.errors import PlatformAuthError
from marketing_assets.platforms.google_ads import GoogleAdsResource
from marketing_assets.platforms.meta import MetaResource
from marketing_assets.simulator import SimulatedAccount, SimulatorCredentials, SimulatorServer

CREDENTIALS = SimulatorCredentials()
MANAGED_CUSTOMER = "1234567890"
MANAGER = "9999999999"
DIRECT_CUSTOMER = "2345678901"
META_ACCOUNT = "123456789012"
KOLKATA_ACCOUNT = "998877665544"
NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)
ACCOUNTS = [
    SimulatedAccount("google_ads", MANAGED_CUSTOMER, "Europe/Berlin", "EUR", manager_id=MANAGER),
    SimulatedAccount("google_ads", DIRECT_CUSTOMER, "America/New_York", "USD"),
    SimulatedAccount("meta", META_ACCOUNT, "America/Los_Angeles", "USD", name="West Shop"),
    SimulatedAccount("meta", KOLKATA_ACCOUNT, "Asia/Kolkata", "INR"),
]


@pytest.fixture(scope="module")
def simulator() -> Iterator[SimulatorServer]:
    with SimulatorServer(ACCOUNTS, credentials=CREDENTIALS, clock=lambda: NOW) as server:
        yield server


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


@pytest.mark.parametrize(
    ("customer_id", "login_customer_id", "day", "local_hours"),
    [
        (MANAGED_CUSTOMER, MANAGER, dt.date(2026, 12, 2), set(range(24))),
        # 02:00-02:59 does not exist in New York on the spring-forward day.
        (DIRECT_CUSTOMER, None, dt.date(2026, 3, 8), set(range(24)) - {2}),
        (DIRECT_CUSTOMER, None, dt.date(2026, 11, 1), set(range(24))),
    ],
    ids=["manager", "spring-forward", "fall-back"],
)
def test_google_totals_match_truth(simulator, customer_id, login_customer_id, day, local_hours):
    records = google(simulator).fetch_campaign_hours(
        customer_id=customer_id, day=day, login_customer_id=login_customer_id
    )
    expected = truth(simulator, "google_ads", customer_id, day)

    assert len(records) == expected["rows"]
    assert sum(record.impressions for record in records) == expected["impressions"]
    assert sum(record.clicks for record in records) == expected["clicks"]
    spend = Decimal(sum(record.cost_micros for record in records)) / 1_000_000
    assert spend == Decimal(expected["spend"])
    assert sum(record.conversions for record in records) == Decimal(expected["conversions"])
    assert sum(record.conversions_value for record in records) == Decimal(
        expected["conversion_value"]
    )
    # Rows with zero metrics may be absent, so hours form a subset of the local hours.
    assert {record.hour for record in records} <= local_hours
    assert {record.currency_code for record in records} == {expected["currency"]}
    assert {record.time_zone for record in records} == {expected["time_zone"]}
    assert {record.date for record in records} == {day}


@pytest.mark.parametrize(
    ("account_id", "day", "page_size"),
    [
        (META_ACCOUNT, dt.date(2026, 12, 2), 500),
        (META_ACCOUNT, dt.date(2026, 11, 1), 7),
        (KOLKATA_ACCOUNT, dt.date(2026, 12, 2), 1),
    ],
    ids=["one-page", "fall-back-pages", "page-per-row"],
)
def test_meta_totals_match_truth(simulator, account_id, day, page_size):
    records = meta(simulator, page_size=page_size).fetch_campaign_hours(
        account_id=account_id, day=day
    )
    expected = truth(simulator, "meta", account_id, day)

    assert len(records) == expected["rows"]
    assert sum(record.impressions for record in records) == expected["impressions"]
    assert sum(record.clicks for record in records) == expected["clicks"]
    assert sum(record.spend for record in records) == Decimal(expected["spend"])
    assert sum(record.conversions for record in records) == Decimal(expected["conversions"])
    assert sum(record.conversion_value for record in records) == Decimal(
        expected["conversion_value"]
    )
    assert {record.account_currency for record in records} == {expected["currency"]}
    assert {record.date for record in records} == {day}
    assert len({(record.campaign_id, record.hour) for record in records}) == len(records)


def test_meta_current_day_has_only_closed_hours(simulator):
    # At 12:00 UTC it is 04:00 in Los Angeles, so hours 0-3 have closed.
    records = meta(simulator).fetch_campaign_hours(account_id=META_ACCOUNT, day=NOW.date())

    assert {record.hour for record in records} == {0, 1, 2, 3}


def test_meta_fetch_ad_account(simulator):
    account = meta(simulator).fetch_ad_account(account_id=META_ACCOUNT)

    assert account.account_id == META_ACCOUNT
    assert account.name == "West Shop"
    assert account.time_zone == "America/Los_Angeles"
    assert account.currency == "USD"


def test_google_lists_accessible_customers(simulator):
    customers = google(simulator).list_accessible_customers()

    assert MANAGER in customers
    assert DIRECT_CUSTOMER in customers


def test_google_invalid_access_token_is_auth_error(simulator):
    resource = google(simulator, access_token="expired", max_attempts=3)

    with pytest.raises(PlatformAuthError, match="HTTP 401 UNAUTHENTICATED") as raised:
        resource.fetch_campaign_hours(customer_id=DIRECT_CUSTOMER, day=dt.date(2026, 12, 2))

    assert "GOOGLE_ADS_ACCESS_TOKEN" in str(raised.value)
    assert "expired" not in str(raised.value)
    assert raised.value.status_code == 401


def test_google_invalid_developer_token_names_developer_token(simulator):
    resource = google(simulator, developer_token="wrong")

    with pytest.raises(PlatformAuthError, match="GOOGLE_ADS_DEVELOPER_TOKEN"):
        resource.fetch_campaign_hours(customer_id=DIRECT_CUSTOMER, day=dt.date(2026, 12, 2))


def test_google_managed_customer_needs_login_customer_id(simulator):
    with pytest.raises(PlatformAuthError, match="USER_PERMISSION_DENIED") as raised:
        google(simulator).fetch_campaign_hours(
            customer_id=MANAGED_CUSTOMER, day=dt.date(2026, 12, 2)
        )

    assert "login_customer_id" in str(raised.value)
    assert raised.value.status_code == 403


def test_meta_invalid_token_is_auth_error(simulator):
    resource = meta(simulator, access_token="expired", max_attempts=3)

    with pytest.raises(PlatformAuthError, match="error code 190") as raised:
        resource.fetch_campaign_hours(account_id=META_ACCOUNT, day=dt.date(2026, 12, 2))

    assert "META_ACCESS_TOKEN" in str(raised.value)
    assert "expired" not in str(raised.value)


def test_resources_work_inside_dagster_run(simulator):
    day = dt.date(2026, 12, 2)

    @dg.asset
    def campaign_hour_counts(google_ads: GoogleAdsResource, meta: MetaResource) -> dict:
        google_rows = google_ads.fetch_campaign_hours(customer_id=DIRECT_CUSTOMER, day=day)
        meta_rows = meta.fetch_campaign_hours(account_id=META_ACCOUNT, day=day)
        return {"google_ads": len(google_rows), "meta": len(meta_rows)}

    result = dg.materialize(
        [campaign_hour_counts],
        resources={"google_ads": google(simulator), "meta": meta(simulator)},
    )

    assert result.success
    counts = result.output_for_node("campaign_hour_counts")
    assert counts["google_ads"] == truth(simulator, "google_ads", DIRECT_CUSTOMER, day)["rows"]
    assert counts["meta"] == truth(simulator, "meta", META_ACCOUNT, day)["rows"]
