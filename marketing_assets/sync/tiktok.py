"""Fetch a window of TikTok campaign hours for the registry's advertisers as one frame."""

from __future__ import annotations

import logging
from datetime import datetime

import polars as pl

from marketing_assets.platforms.tiktok.records import TikTokCampaignHour
from marketing_assets.platforms.tiktok.resource import TikTokResource
from marketing_assets.registry import Registry
from marketing_assets.sync.errors import for_client
from marketing_assets.sync.landing import landing_rows
from marketing_assets.sync.stats import FetchStats
from marketing_assets.sync.window import SyncWindow
from marketing_assets.tables import TIKTOK_RAW

PLATFORM = "tiktok"

RECORD_SCHEMA = {
    "advertiser_id": pl.String(),
    "campaign_id": pl.String(),
    "campaign_name": pl.String(),
    "local_date": pl.Date(),
    "local_hour": pl.Int16(),
    "stat_time_hour": pl.String(),
    "spend": TIKTOK_RAW["spend"],
    "impressions": pl.Int64(),
    "clicks": pl.Int64(),
    "conversions": TIKTOK_RAW["conversions"],
}


def fetch_tiktok_window(
    resource: TikTokResource,
    registry: Registry,
    window: SyncWindow,
    *,
    run_id: str,
    loaded_at: datetime,
    stats: FetchStats,
    log: logging.Logger | logging.LoggerAdapter,
) -> pl.DataFrame:
    """Return the raw rows of every TikTok advertiser of the window's clients.

    Report rows carry no time zone or currency, so each advertiser's come from advertiser/info
    first. Then one report per advertiser-local day follows, because hourly reports take one
    day per request, and the rows are cut to the window's hours.
    """
    frames = [pl.DataFrame(schema=TIKTOK_RAW)]
    for client_id in window.client_ids:
        with for_client(client_id):
            for account in registry.client(client_id).accounts_on(PLATFORM):
                advertiser = resource.fetch_advertiser(account_id=account.account_id)
                stats.requests += 1
                for day in window.local_days(advertiser.time_zone):
                    records = resource.fetch_campaign_hours(account_id=account.account_id, day=day)
                    stats.requests += 1
                    where = f"client {client_id!r}, TikTok advertiser {account.account_id}, {day}"
                    frame = landing_rows(
                        records_frame(records),
                        time_zone=advertiser.time_zone,
                        window=window,
                        where=where,
                        schema=TIKTOK_RAW,
                        client_id=client_id,
                        loaded_at=loaded_at,
                        run_id=run_id,
                        constants={
                            "time_zone": advertiser.time_zone,
                            "currency": advertiser.currency,
                        },
                    )
                    log.debug("%s: %d rows in the window", where, frame.height)
                    frames.append(frame)
    return pl.concat(frames, how="vertical")


def records_frame(records: list[TikTokCampaignHour]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "advertiser_id": [record.account_id for record in records],
            "campaign_id": [record.campaign_id for record in records],
            "campaign_name": [record.campaign_name for record in records],
            "local_date": [record.date for record in records],
            "local_hour": [record.hour for record in records],
            "stat_time_hour": [record.stat_time_hour for record in records],
            "spend": [record.spend for record in records],
            "impressions": [record.impressions for record in records],
            "clicks": [record.clicks for record in records],
            "conversions": [record.conversions for record in records],
        },
        schema=RECORD_SCHEMA,
    )
