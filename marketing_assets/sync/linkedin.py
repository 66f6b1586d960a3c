"""Fetch a window of LinkedIn campaign days for the registry's ad accounts as one frame."""

from __future__ import annotations

import logging
from datetime import datetime

import polars as pl

from marketing_assets.platforms.linkedin import settings
from marketing_assets.platforms.linkedin.records import LinkedInCampaignDay
from marketing_assets.platforms.linkedin.resource import LinkedInResource
from marketing_assets.registry import Registry
from marketing_assets.sync.days import DayWindow
from marketing_assets.sync.errors import for_client
from marketing_assets.sync.stats import FetchStats
from marketing_assets.tables import LINKEDIN_RAW

PLATFORM = settings.PLATFORM


def fetch_linkedin_window(
    resource: LinkedInResource,
    registry: Registry,
    window: DayWindow,
    *,
    run_id: str,
    loaded_at: datetime,
    stats: FetchStats,
    log: logging.Logger | logging.LoggerAdapter,
) -> pl.DataFrame:
    """Return the raw rows of every LinkedIn ad account of the window's clients.

    The window's days are the dates LinkedIn reports, so they are requested as they are,
    without a time zone conversion. Each account costs one request for its currency, which
    analytics rows leave out, and one per MAX_DAYS_PER_REQUEST days of the window.
    """
    frames = [pl.DataFrame(schema=LINKEDIN_RAW)]
    for client_id in window.client_ids:
        with for_client(client_id):
            for account in registry.client(client_id).accounts_on(PLATFORM):
                ad_account = resource.fetch_ad_account(account_id=account.account_id)
                stats.requests += 1
                for first_day, last_day in window.day_ranges(settings.MAX_DAYS_PER_REQUEST):
                    records = resource.fetch_campaign_day_range(
                        account_id=account.account_id, first_day=first_day, last_day=last_day
                    )
                    stats.requests += 1
                    log.debug(
                        "client %r, LinkedIn ad account %s, %s to %s: %d campaign days",
                        client_id,
                        account.account_id,
                        first_day,
                        last_day,
                        len(records),
                    )
                    frames.append(
                        raw_rows(
                            records,
                            client_id=client_id,
                            currency=ad_account.currency,
                            loaded_at=loaded_at,
                            run_id=run_id,
                        )
                    )
    return pl.concat(frames, how="vertical")


def raw_rows(
    records: list[LinkedInCampaignDay],
    *,
    client_id: str,
    currency: str,
    loaded_at: datetime,
    run_id: str,
) -> pl.DataFrame:
    """Build landing rows in the raw table's columns from one response's records."""
    return pl.DataFrame(
        {
            "client_id": [client_id] * len(records),
            "account_id": [record.account_id for record in records],
            "campaign_id": [record.campaign_id for record in records],
            "local_date": [record.date for record in records],
            "account_currency": [currency] * len(records),
            "cost_in_local_currency": [record.cost for record in records],
            "impressions": [record.impressions for record in records],
            "clicks": [record.clicks for record in records],
            "external_website_conversions": [record.conversions for record in records],
            "conversion_value_in_local_currency": [record.conversion_value for record in records],
            "loaded_at": [loaded_at] * len(records),
            "dagster_run_id": [run_id] * len(records),
        },
        schema=LINKEDIN_RAW,
    )
