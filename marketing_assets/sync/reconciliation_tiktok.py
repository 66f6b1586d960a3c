"""Compare TikTok hourly rows of whole advertiser-local days with TikTok's daily report."""

from __future__ import annotations

import functools
import logging
from collections import defaultdict
from datetime import date
from decimal import Decimal

import psycopg2.extensions

from marketing_assets.platforms.tiktok.records import TikTokCampaignDay
from marketing_assets.platforms.tiktok.resource import TikTokResource
from marketing_assets.registry import AdAccount, Client
from marketing_assets.sync.account_settings import AccountSettings, account_settings
from marketing_assets.sync.day_ranges import report_ranges
from marketing_assets.sync.reconciliation import DayComparison, complete_local_days
from marketing_assets.sync.stored_days import DayTotals, StoredAccount, stored_accounts
from marketing_assets.sync.window import SyncWindow

PLATFORM = "tiktok"


def tiktok_day_comparisons(
    resource: TikTokResource,
    connection: psycopg2.extensions.connection,
    client: Client,
    window: SyncWindow,
    log: logging.Logger | logging.LoggerAdapter,
) -> list[DayComparison]:
    """Compare each TikTok advertiser's complete local days with its daily report."""
    stored = stored_accounts(connection, client.client_id, PLATFORM, window)
    comparisons = []
    for account in client.accounts_on(PLATFORM):
        where = f"client {client.client_id!r}, TikTok advertiser {account.account_id}"
        stored_account = stored.get(account.account_id, StoredAccount())
        fetch_settings = functools.partial(tiktok_settings, resource, account)
        settings = account_settings(stored_account, fetch_settings, where=where, log=log)
        days = complete_local_days(window, settings.time_zone)
        records: list[TikTokCampaignDay] = []
        for first_day, last_day in report_ranges(days):
            records += resource.fetch_campaign_days(
                account_id=account.account_id, first_day=first_day, last_day=last_day
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
                tiktok_day_totals(records_by_day.get(day, [])),
            )
            for day in days
        ]
    return comparisons


def tiktok_settings(resource: TikTokResource, account: AdAccount) -> AccountSettings:
    """Request a TikTok advertiser's settings (advertiser/info)."""
    advertiser = resource.fetch_advertiser(account_id=account.account_id)
    return AccountSettings(advertiser.time_zone, advertiser.currency)


def tiktok_day_totals(records: list[TikTokCampaignDay]) -> DayTotals:
    return DayTotals(
        spend=sum((row.spend for row in records), Decimal(0)),
        impressions=sum(row.impressions for row in records),
        clicks=sum(row.clicks for row in records),
        conversions=sum((row.conversions for row in records), Decimal(0)),
    )


def group_by_date(records: list[TikTokCampaignDay]) -> dict[date, list[TikTokCampaignDay]]:
    grouped: dict[date, list[TikTokCampaignDay]] = defaultdict(list)
    for record in records:
        grouped[record.date].append(record)
    return grouped
