"""Fetch a window of Meta campaign hours for the registry's ad accounts as one frame."""

from __future__ import annotations

import logging
from datetime import date, datetime

import polars as pl

from marketing_assets.platforms.meta.parse import drop_repeated_rows
from marketing_assets.platforms.meta.records import MetaCampaignHour
from marketing_assets.platforms.meta.resource import MetaResource
from marketing_assets.registry import Registry
from marketing_assets.sync.errors import for_client
from marketing_assets.sync.landing import landing_rows
from marketing_assets.sync.stats import FetchStats
from marketing_assets.sync.window import SyncWindow
from marketing_assets.tables import META_RAW

PLATFORM = "meta"

RECORD_SCHEMA = {
    "account_id": pl.String(),
    "campaign_id": pl.String(),
    "campaign_name": pl.String(),
    "account_currency": pl.String(),
    "local_date": pl.Date(),
    "local_hour": pl.Int16(),
    "hourly_stats": pl.String(),
    "spend": META_RAW["spend"],
    "impressions": pl.Int64(),
    "clicks": pl.Int64(),
    "conversions": META_RAW["conversions"],
    "conversion_value": META_RAW["conversion_value"],
    "actions": pl.String(),
}


def fetch_meta_window(
    resource: MetaResource,
    registry: Registry,
    window: SyncWindow,
    *,
    run_id: str,
    loaded_at: datetime,
    stats: FetchStats,
    log: logging.Logger | logging.LoggerAdapter,
) -> pl.DataFrame:
    """Return the raw rows of every Meta ad account of the window's clients.

    Insights rows carry no time zone, so each account's zone comes from its ad-account node
    first. Then one insights query per account-local day follows, because Meta sums the same
    hour across days in a longer range, and the rows are cut to the window's hours.
    """
    frames = [pl.DataFrame(schema=META_RAW)]
    for client_id in window.client_ids:
        with for_client(client_id):
            for account in registry.client(client_id).accounts_on(PLATFORM):
                ad_account = resource.fetch_ad_account(account_id=account.account_id)
                stats.requests += 1
                for day in window.local_days(ad_account.time_zone):
                    where = f"client {client_id!r}, Meta ad account {account.account_id}, {day}"
                    records = fetch_unique_hours(resource, account.account_id, day, where, log)
                    stats.requests += 1
                    frame = landing_rows(
                        records_frame(records),
                        time_zone=ad_account.time_zone,
                        window=window,
                        where=where,
                        schema=META_RAW,
                        client_id=client_id,
                        loaded_at=loaded_at,
                        run_id=run_id,
                        constants={"time_zone": ad_account.time_zone},
                    )
                    log.debug("%s: %d rows in the window", where, frame.height)
                    frames.append(frame)
    return pl.concat(frames, how="vertical")


def fetch_unique_hours(
    resource: MetaResource,
    account_id: str,
    day: date,
    where: str,
    log: logging.Logger | logging.LoggerAdapter,
) -> list[MetaCampaignHour]:
    """Fetch one account-day of campaign hours without the rows that paging repeated."""
    records = resource.fetch_campaign_hours(account_id=account_id, day=day)
    records, repeats = drop_repeated_rows(records, account_id=account_id, day=day)
    if repeats:
        log.warning("%s: dropped %d rows repeated across insights pages", where, repeats)
    return records


def records_frame(records: list[MetaCampaignHour]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "account_id": [record.account_id for record in records],
            "campaign_id": [record.campaign_id for record in records],
            "campaign_name": [record.campaign_name for record in records],
            "account_currency": [record.account_currency for record in records],
            "local_date": [record.date for record in records],
            "local_hour": [record.hour for record in records],
            "hourly_stats": [record.hourly_stats for record in records],
            "spend": [record.spend for record in records],
            "impressions": [record.impressions for record in records],
            "clicks": [record.clicks for record in records],
            "conversions": [record.conversions for record in records],
            "conversion_value": [record.conversion_value for record in records],
            "actions": [record.actions for record in records],
        },
        schema=RECORD_SCHEMA,
    )
