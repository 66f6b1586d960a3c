"""Fetch a window of Google Ads campaign hours for the registry's accounts as one frame."""

from __future__ import annotations

import logging
from datetime import datetime

import polars as pl

from marketing_assets.platforms.google_ads.records import GoogleAdsCampaignHour
from marketing_assets.platforms.google_ads.resource import GoogleAdsResource
from marketing_assets.registry import Registry
from marketing_assets.sync.errors import for_client
from marketing_assets.sync.landing import landing_rows
from marketing_assets.sync.stats import FetchStats
from marketing_assets.sync.window import SyncWindow
from marketing_assets.tables import GOOGLE_ADS_RAW

PLATFORM = "google_ads"

RECORD_SCHEMA = {
    "customer_id": pl.String(),
    "currency_code": pl.String(),
    "time_zone": pl.String(),
    "campaign_id": pl.String(),
    "campaign_name": pl.String(),
    "campaign_status": pl.String(),
    "local_date": pl.Date(),
    "local_hour": pl.Int16(),
    "impressions": pl.Int64(),
    "clicks": pl.Int64(),
    "cost_micros": pl.Int64(),
    "conversions": GOOGLE_ADS_RAW["conversions"],
    "conversions_value": GOOGLE_ADS_RAW["conversions_value"],
}


def fetch_google_ads_window(
    resource: GoogleAdsResource,
    registry: Registry,
    window: SyncWindow,
    *,
    run_id: str,
    loaded_at: datetime,
    stats: FetchStats,
    log: logging.Logger | logging.LoggerAdapter,
) -> pl.DataFrame:
    """Return the raw rows of every Google Ads account of the window's clients.

    Each account is asked once for its time zone, then once per account-local day that the
    window touches (searchStream has no paging), and the rows are cut to the window's hours.
    """
    frames = [pl.DataFrame(schema=GOOGLE_ADS_RAW)]
    for client_id in window.client_ids:
        with for_client(client_id):
            for account in registry.client(client_id).accounts_on(PLATFORM):
                customer = resource.fetch_customer(
                    customer_id=account.account_id, login_customer_id=account.login_customer_id
                )
                stats.requests += 1
                for day in window.local_days(customer.time_zone):
                    records = resource.fetch_campaign_hours(
                        customer_id=account.account_id,
                        day=day,
                        login_customer_id=account.login_customer_id,
                    )
                    stats.requests += 1
                    where = f"client {client_id!r}, Google Ads account {account.account_id}, {day}"
                    frame = landing_rows(
                        records_frame(records),
                        time_zone=customer.time_zone,
                        window=window,
                        where=where,
                        schema=GOOGLE_ADS_RAW,
                        client_id=client_id,
                        loaded_at=loaded_at,
                        run_id=run_id,
                    )
                    log.debug("%s: %d rows in the window", where, frame.height)
                    frames.append(frame)
    return pl.concat(frames, how="vertical")


def records_frame(records: list[GoogleAdsCampaignHour]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "customer_id": [record.customer_id for record in records],
            "currency_code": [record.currency_code for record in records],
            "time_zone": [record.time_zone for record in records],
            "campaign_id": [record.campaign_id for record in records],
            "campaign_name": [record.campaign_name for record in records],
            "campaign_status": [record.campaign_status for record in records],
            "local_date": [record.date for record in records],
            "local_hour": [record.hour for record in records],
            "impressions": [record.impressions for record in records],
            "clicks": [record.clicks for record in records],
            "cost_micros": [record.cost_micros for record in records],
            "conversions": [record.conversions for record in records],
            "conversions_value": [record.conversions_value for record in records],
        },
        schema=RECORD_SCHEMA,
    )
