"""The reconciliation's comparisons called directly: where each account's time zone and
currency come from, and daily rows that paging repeats.

The comparisons run against the simulator and the embedded PostgreSQL. Rows are inserted for
a client id no other test loads, inside a transaction that is rolled back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import psycopg2.extensions
import pytest

from marketing_assets.platforms.google_ads import GoogleAdsResource
from marketing_assets.platforms.meta import MetaResource
from marketing_assets.registry import AdAccount, Client
from marketing_assets.simulator import SimulatorCredentials, SimulatorServer
from marketing_assets.simulator.accounts import accounts_from_registry
from marketing_assets.simulator.random_faults import RandomFaultPlan
from marketing_assets.storage.warehouse import WarehouseResource
from marketing_assets.sync.reconciliation import google_ads_day_comparisons, meta_day_comparisons
from marketing_assets.sync.window import SyncWindow
from marketing_assets_tests.conftest import FIXED_NOW
from marketing_assets_tests.request_log import RequestLog

CREDENTIALS = SimulatorCredentials()
# Accounts of the sample registry, which the simulator serves in Europe/Berlin and EUR.
META_ACCOUNT = "310000000003"
GOOGLE_ACCOUNT = "7041227753"
CLIENT = Client(
    client_id="reconciliation-settings-test",
    name="Reconciliation settings test",
    time_zone="Europe/Berlin",
    currency="EUR",
    accounts=(AdAccount("meta", META_ACCOUNT), AdAccount("google_ads", GOOGLE_ACCOUNT)),
)
WINDOW_END = datetime(2026, 11, 2, 7, tzinfo=ZoneInfo("UTC"))
WINDOW = SyncWindow((CLIENT.client_id,), WINDOW_END - timedelta(hours=48), WINDOW_END)
# In this window only 2026-11-01 is a complete day in Berlin, and only 2026-10-31 in
# Los Angeles, which leaves daylight saving time on 2026-11-01.
BERLIN_DAY = date(2026, 11, 1)
LOS_ANGELES_DAY = date(2026, 10, 31)
LOGGER = "marketing_assets_tests.reconciliation"

INSERT_ROW = """
INSERT INTO marketing.{table} (client_id, platform, account_id, campaign_id, campaign_name,
    utc_hour, local_date, local_hour, account_time_zone, currency, spend, impressions, clicks,
    conversions, conversion_value, loaded_at, dagster_run_id)
VALUES (%s, %s, %s, %s, 'Test', %s, %s, %s, %s, %s, %s, 10, 1, 0, 0, now(), 'test-run')
"""


@pytest.fixture
def request_log(sample_registry) -> Iterator[tuple[SimulatorServer, RequestLog]]:
    log = RequestLog()
    accounts = accounts_from_registry(sample_registry)
    with SimulatorServer(accounts, clock=lambda: FIXED_NOW, fault_plan=log) as server:
        yield server, log


@pytest.fixture
def connection(database_url: str) -> Iterator[psycopg2.extensions.connection]:
    with WarehouseResource(database_url=database_url).connection() as connection:
        yield connection
        connection.rollback()


def meta(server: SimulatorServer) -> MetaResource:
    return MetaResource(access_token=CREDENTIALS.meta_access_token, base_url=f"{server.url}/meta")


def google(server: SimulatorServer) -> GoogleAdsResource:
    return GoogleAdsResource(
        developer_token=CREDENTIALS.google_ads_developer_token,
        access_token=CREDENTIALS.google_ads_access_token,
        base_url=f"{server.url}/google-ads",
    )


def insert_row(
    connection: psycopg2.extensions.connection,
    *,
    platform: str,
    account_id: str,
    time_zone: str,
    currency: str,
    local_start: datetime,
    campaign_id: str = "1",
    spend: str = "5.00",
) -> None:
    """Insert one stored campaign-hour that starts at `local_start` in `time_zone`."""
    local = local_start.replace(tzinfo=ZoneInfo(time_zone))
    utc_hour = local.astimezone(ZoneInfo("UTC")).replace(minute=0)
    with connection.cursor() as cursor:
        cursor.execute(
            INSERT_ROW.format(table=f"{platform}_campaign_performance_hourly"),
            (
                CLIENT.client_id,
                platform,
                account_id,
                campaign_id,
                utc_hour,
                local.date(),
                local.hour,
                time_zone,
                currency,
                Decimal(spend),
            ),
        )


def test_account_without_rows_requests_settings(request_log, connection, caplog):
    server, log = request_log
    caplog.set_level(logging.INFO, logger=LOGGER)

    meta_days = meta_day_comparisons(
        meta(server), connection, CLIENT, WINDOW, logging.getLogger(LOGGER)
    )
    google_days = google_ads_day_comparisons(
        google(server), connection, CLIENT, WINDOW, logging.getLogger(LOGGER)
    )

    assert log.count("meta settings") == {META_ACCOUNT: 1}
    assert log.count("google_ads settings") == {GOOGLE_ACCOUNT: 1}
    assert log.count("meta daily report") == {META_ACCOUNT: 1}
    assert log.count("google_ads daily report") == {GOOGLE_ACCOUNT: 1}
    for comparison in meta_days + google_days:
        assert comparison.local_date == BERLIN_DAY
        assert comparison.currency == "EUR"
        assert comparison.hourly.spend == 0
        assert comparison.daily.spend > 0
        assert "spend" in comparison.differences
    assert (
        f"client 'reconciliation-settings-test', Meta ad account {META_ACCOUNT} has no rows in "
        "the window, so its time zone Europe/Berlin and currency EUR come from the platform"
    ) in caplog.text


def test_stored_settings_spare_the_settings_request(request_log, connection):
    server, log = request_log
    for platform, account_id in (("meta", META_ACCOUNT), ("google_ads", GOOGLE_ACCOUNT)):
        insert_row(
            connection,
            platform=platform,
            account_id=account_id,
            time_zone="America/Los_Angeles",
            currency="USD",
            local_start=datetime(2026, 10, 31, 9),
        )

    meta_days = meta_day_comparisons(
        meta(server), connection, CLIENT, WINDOW, logging.getLogger(LOGGER)
    )
    google_days = google_ads_day_comparisons(
        google(server), connection, CLIENT, WINDOW, logging.getLogger(LOGGER)
    )

    assert log.count("meta settings") == {}
    assert log.count("google_ads settings") == {}
    assert log.count("meta daily report") == {META_ACCOUNT: 1}
    assert log.count("google_ads daily report") == {GOOGLE_ACCOUNT: 1}
    for comparison in meta_days + google_days:
        assert comparison.local_date == LOS_ANGELES_DAY
        assert comparison.currency == "USD"
        assert comparison.hourly.spend == Decimal("5.00")
        assert comparison.hourly.impressions == 10


def test_stored_zones_that_disagree_defer_to_platform(request_log, connection, caplog):
    server, log = request_log
    caplog.set_level(logging.INFO, logger=LOGGER)
    insert_row(
        connection,
        platform="meta",
        account_id=META_ACCOUNT,
        time_zone="America/Los_Angeles",
        currency="EUR",
        local_start=datetime(2026, 10, 31, 9),
    )
    insert_row(
        connection,
        platform="meta",
        account_id=META_ACCOUNT,
        time_zone="Europe/Berlin",
        currency="EUR",
        local_start=datetime(2026, 11, 1, 9),
        campaign_id="2",
        spend="7.00",
    )

    (comparison,) = meta_day_comparisons(
        meta(server), connection, CLIENT, WINDOW, logging.getLogger(LOGGER)
    )

    warnings = [record.getMessage() for record in caplog.records if record.levelname == "WARNING"]
    assert log.count("meta settings") == {META_ACCOUNT: 1}
    assert comparison.local_date == BERLIN_DAY
    assert comparison.hourly.spend == Decimal("7.00")
    assert len(warnings) == 1
    assert (
        "the window's rows carry time zones America/Los_Angeles, Europe/Berlin and currencies "
        "EUR, so the account changed its settings. Comparing days in the platform's current "
        "time zone Europe/Berlin and currency EUR"
    ) in warnings[0]


def test_daily_rows_repeated_by_paging_are_dropped(sample_registry, connection, caplog):
    caplog.set_level(logging.WARNING, logger=LOGGER)
    accounts = accounts_from_registry(sample_registry)
    with SimulatorServer(accounts, clock=lambda: FIXED_NOW) as server:
        (clean,) = meta_day_comparisons(
            meta(server), connection, CLIENT, WINDOW, logging.getLogger(LOGGER)
        )
    repeats = RandomFaultPlan(1.0, seed=0, kinds=["meta_duplicate_rows"])
    with SimulatorServer(accounts, clock=lambda: FIXED_NOW, fault_plan=repeats) as server:
        (repeated,) = meta_day_comparisons(
            meta(server), connection, CLIENT, WINDOW, logging.getLogger(LOGGER)
        )

    assert repeats.injected() == {"meta_duplicate_rows": 1}
    assert repeated.daily == clean.daily
    assert repeated.off_platform_conversions == clean.off_platform_conversions
    assert "dropped 2 daily rows repeated across insights pages" in caplog.text
