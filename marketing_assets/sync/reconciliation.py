"""Compare the hourly rows of whole local days with the platform's own daily totals.

Each account costs one daily report over all its complete days in the run. Its time zone and
currency come from the rows the run stored, so the account settings are requested only when
the window has no rows of the account or its rows disagree (see account_settings).
"""

from __future__ import annotations

import functools
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TypeVar
from zoneinfo import ZoneInfo

import psycopg2.extensions

from marketing_assets.platforms.google_ads.records import GoogleAdsCampaignDay
from marketing_assets.platforms.google_ads.resource import GoogleAdsResource
from marketing_assets.platforms.meta.parse import drop_repeated_day_rows
from marketing_assets.platforms.meta.records import MetaCampaignDay
from marketing_assets.platforms.meta.resource import MetaResource
from marketing_assets.registry import Client
from marketing_assets.sync.account_settings import (
    account_settings,
    google_ads_settings,
    meta_settings,
)
from marketing_assets.sync.stored_days import DayTotals, StoredAccount, stored_accounts
from marketing_assets.sync.unify import MICROS_PER_UNIT
from marketing_assets.sync.window import SyncWindow

DayRecordT = TypeVar("DayRecordT", GoogleAdsCampaignDay, MetaCampaignDay)

# Metrics whose hourly sum must equal the daily figure exactly.
EXACT_METRICS = ("spend", "impressions", "clicks", "conversions")


@dataclass(frozen=True, slots=True)
class DayComparison:
    """One account-local day: the hourly rows' sums against the platform's daily report."""

    client_id: str
    platform: str
    account_id: str
    local_date: date
    currency: str
    hourly: DayTotals
    daily: DayTotals
    # Meta only: conversions tracked off Meta, which daily reports include and hourly omit.
    off_platform_conversions: Decimal = field(default=Decimal(0))

    @property
    def differences(self) -> dict[str, tuple[object, object]]:
        return {
            metric: (getattr(self.hourly, metric), getattr(self.daily, metric))
            for metric in EXACT_METRICS
            if getattr(self.hourly, metric) != getattr(self.daily, metric)
        }

    def describe_differences(self) -> str:
        parts = [
            f"{metric} hourly {hourly} vs daily {daily}"
            for metric, (hourly, daily) in self.differences.items()
        ]
        return (
            f"client {self.client_id!r}, {self.platform} account {self.account_id}, local day "
            f"{self.local_date} ({self.currency}): " + "; ".join(parts)
        )


def complete_local_days(window: SyncWindow, time_zone: str) -> list[date]:
    """Local days of ``time_zone`` whose every hour lands in the window's UTC hours.

    Each local hour belongs to the UTC hour containing its start, so a day is complete when
    the hour holding its first start and the hour holding its last start are both inside.
    """
    zone = ZoneInfo(time_zone)
    complete = []
    for day in window.local_days(time_zone):
        first_start = datetime.combine(day, time(0), zone)
        last_start = datetime.combine(day + timedelta(days=1), time(0), zone) - timedelta(hours=1)
        first_hour = floor_hour(first_start)
        last_hour = floor_hour(last_start)
        if first_hour >= window.start and last_hour < window.end:
            complete.append(day)
    return complete


def floor_hour(moment: datetime) -> datetime:
    utc = moment.astimezone(ZoneInfo("UTC"))
    return utc.replace(minute=0, second=0, microsecond=0)


def google_ads_day_comparisons(
    resource: GoogleAdsResource,
    connection: psycopg2.extensions.connection,
    client: Client,
    window: SyncWindow,
    log: logging.Logger | logging.LoggerAdapter,
) -> list[DayComparison]:
    """Compare each Google Ads account's complete local days with one daily report."""
    stored = stored_accounts(connection, client.client_id, "google_ads", window)
    comparisons = []
    for account in client.accounts_on("google_ads"):
        where = f"client {client.client_id!r}, Google Ads account {account.account_id}"
        stored_account = stored.get(account.account_id, StoredAccount())
        fetch_settings = functools.partial(google_ads_settings, resource, account)
        settings = account_settings(stored_account, fetch_settings, where=where, log=log)
        days = complete_local_days(window, settings.time_zone)
        if not days:
            continue
        records = resource.fetch_campaign_days(
            customer_id=account.account_id,
            first_day=days[0],
            last_day=days[-1],
            login_customer_id=account.login_customer_id,
        )
        records_by_day = group_by_date(records)
        comparisons += [
            DayComparison(
                client.client_id,
                "google_ads",
                account.account_id,
                day,
                settings.currency,
                stored_account.day_totals(day),
                google_ads_day_totals(records_by_day.get(day, [])),
            )
            for day in days
        ]
    return comparisons


def google_ads_day_totals(records: list[GoogleAdsCampaignDay]) -> DayTotals:
    return DayTotals(
        spend=sum((Decimal(row.cost_micros) for row in records), Decimal(0)) / MICROS_PER_UNIT,
        impressions=sum(row.impressions for row in records),
        clicks=sum(row.clicks for row in records),
        conversions=sum((row.conversions for row in records), Decimal(0)),
    )


def meta_day_comparisons(
    resource: MetaResource,
    connection: psycopg2.extensions.connection,
    client: Client,
    window: SyncWindow,
    log: logging.Logger | logging.LoggerAdapter,
) -> list[DayComparison]:
    """Compare each Meta ad account's complete local days with one daily report."""
    stored = stored_accounts(connection, client.client_id, "meta", window)
    comparisons = []
    for account in client.accounts_on("meta"):
        where = f"client {client.client_id!r}, Meta ad account {account.account_id}"
        stored_account = stored.get(account.account_id, StoredAccount())
        fetch_settings = functools.partial(meta_settings, resource, account)
        settings = account_settings(stored_account, fetch_settings, where=where, log=log)
        days = complete_local_days(window, settings.time_zone)
        if not days:
            continue
        records = resource.fetch_campaign_days(
            account_id=account.account_id, first_day=days[0], last_day=days[-1]
        )
        records, repeats = drop_repeated_day_rows(
            records, account_id=account.account_id, first_day=days[0], last_day=days[-1]
        )
        if repeats:
            log.warning("%s: dropped %d daily rows repeated across insights pages", where, repeats)
        records_by_day = group_by_date(records)
        for day in days:
            day_records = records_by_day.get(day, [])
            daily = meta_day_totals(day_records)
            all_conversions = sum((row.all_conversions for row in day_records), Decimal(0))
            comparisons.append(
                DayComparison(
                    client.client_id,
                    "meta",
                    account.account_id,
                    day,
                    settings.currency,
                    stored_account.day_totals(day),
                    daily,
                    off_platform_conversions=all_conversions - daily.conversions,
                )
            )
    return comparisons


def meta_day_totals(records: list[MetaCampaignDay]) -> DayTotals:
    return DayTotals(
        spend=sum((row.spend for row in records), Decimal(0)),
        impressions=sum(row.impressions for row in records),
        clicks=sum(row.clicks for row in records),
        conversions=sum((row.conversions for row in records), Decimal(0)),
    )


def group_by_date(records: list[DayRecordT]) -> dict[date, list[DayRecordT]]:
    grouped: dict[date, list[DayRecordT]] = defaultdict(list)
    for record in records:
        grouped[record.date].append(record)
    return grouped
