"""Compare Microsoft Advertising hourly rows of whole local days with its daily report.

The days are those of the time zone the stored rows carry, which the hourly reports stated.
A daily report names its zone too: one that differs from the hourly rows' zone sums other
hours into each day, and is logged as the likely cause of the differences the check shows.
"""

from __future__ import annotations

import functools
import logging
from collections import defaultdict
from datetime import date
from decimal import Decimal

import psycopg2.extensions

from marketing_assets.platforms.microsoft_ads.records import MicrosoftAdsCampaignDay
from marketing_assets.platforms.microsoft_ads.resource import MicrosoftAdsResource
from marketing_assets.registry import Client
from marketing_assets.sync.account_settings import AccountSettings, account_settings
from marketing_assets.sync.day_ranges import report_ranges
from marketing_assets.sync.reconciliation import DayComparison, complete_local_days
from marketing_assets.sync.stored_days import DayTotals, StoredAccount, stored_accounts
from marketing_assets.sync.window import SyncWindow

PLATFORM = "microsoft_ads"


def microsoft_ads_day_comparisons(
    resource: MicrosoftAdsResource,
    connection: psycopg2.extensions.connection,
    client: Client,
    window: SyncWindow,
    log: logging.Logger | logging.LoggerAdapter,
) -> list[DayComparison]:
    """Compare each Microsoft Advertising account's complete local days with daily reports."""
    stored = stored_accounts(connection, client.client_id, PLATFORM, window)
    comparisons = []
    for account in client.accounts_on(PLATFORM):
        where = f"client {client.client_id!r}, Microsoft Advertising account {account.account_id}"
        stored_account = stored.get(account.account_id, StoredAccount())
        fetch_settings = functools.partial(
            settings_from_report, resource, account.account_id, client, window
        )
        settings = account_settings(stored_account, fetch_settings, where=where, log=log)
        days = complete_local_days(window, settings.time_zone)
        records = fetch_days(resource, account.account_id, days)
        for time_zone in sorted({record.time_zone for record in records} - {settings.time_zone}):
            log.warning(
                "%s: the daily report states time zone %s but the hourly rows are in %s, so "
                "its days cover other hours and are likely to differ",
                where,
                time_zone,
                settings.time_zone,
            )
        records_by_day = group_by_date(records)
        comparisons += [
            DayComparison(
                client.client_id,
                PLATFORM,
                account.account_id,
                day,
                settings.currency,
                stored_account.day_totals(day),
                microsoft_ads_day_totals(records_by_day.get(day, [])),
            )
            for day in days
        ]
    return comparisons


def fetch_days(
    resource: MicrosoftAdsResource, account_id: str, days: list[date]
) -> list[MicrosoftAdsCampaignDay]:
    records: list[MicrosoftAdsCampaignDay] = []
    for first_day, last_day in report_ranges(days):
        records += resource.fetch_campaign_days(
            account_id=account_id, first_day=first_day, last_day=last_day
        )
    return records


def settings_from_report(
    resource: MicrosoftAdsResource, account_id: str, client: Client, window: SyncWindow
) -> AccountSettings:
    """Read an account's zone and currency from a daily report of the window's days.

    The Reporting API states them only in reports. The report covers the complete days of
    the client's zone, and when it has no rows the client's zone and currency stand in.
    """
    records = fetch_days(resource, account_id, complete_local_days(window, client.time_zone))
    if not records:
        return AccountSettings(client.time_zone, client.currency)
    return AccountSettings(records[0].time_zone, records[0].currency)


def microsoft_ads_day_totals(records: list[MicrosoftAdsCampaignDay]) -> DayTotals:
    return DayTotals(
        spend=sum((row.spend for row in records), Decimal(0)),
        impressions=sum(row.impressions for row in records),
        clicks=sum(row.clicks for row in records),
        conversions=sum((row.conversions for row in records), Decimal(0)),
    )


def group_by_date(
    records: list[MicrosoftAdsCampaignDay],
) -> dict[date, list[MicrosoftAdsCampaignDay]]:
    grouped: dict[date, list[MicrosoftAdsCampaignDay]] = defaultdict(list)
    for record in records:
        grouped[record.date].append(record)
    return grouped
