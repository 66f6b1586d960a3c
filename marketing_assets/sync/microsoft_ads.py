"""Fetch a window of Microsoft Advertising campaign hours for the registry's accounts.

A report's hours follow the time zone its "Time Zone" header states, and the Reporting API
gives an account's zone no other way, so the local days a window needs are known only once a
report arrives. The fetch starts with the days of the client's zone and then adds the days of
every zone the reports name.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta

import polars as pl

from marketing_assets.platforms.microsoft_ads.records import MicrosoftAdsCampaignHour
from marketing_assets.platforms.microsoft_ads.resource import MicrosoftAdsResource
from marketing_assets.registry import Registry
from marketing_assets.sync.errors import for_client
from marketing_assets.sync.landing import landing_rows
from marketing_assets.sync.stats import FetchStats
from marketing_assets.sync.window import SyncWindow
from marketing_assets.tables import MICROSOFT_ADS_RAW

PLATFORM = "microsoft_ads"

# Civil time runs from UTC-12 to UTC+14, so no zone puts an instant of the window on a date
# outside these offsets' dates.
EARLIEST_OFFSET = timedelta(hours=-12)
LATEST_OFFSET = timedelta(hours=14)

RECORD_SCHEMA = {
    "account_id": pl.String(),
    "campaign_id": pl.String(),
    "campaign_name": pl.String(),
    "currency_code": pl.String(),
    "time_zone": pl.String(),
    "report_time_zone": pl.String(),
    "local_date": pl.Date(),
    "local_hour": pl.Int16(),
    "time_period": pl.String(),
    "spend": MICROSOFT_ADS_RAW["spend"],
    "impressions": pl.Int64(),
    "clicks": pl.Int64(),
    "conversions": MICROSOFT_ADS_RAW["conversions"],
    "revenue": MICROSOFT_ADS_RAW["revenue"],
}


def fetch_microsoft_ads_window(
    resource: MicrosoftAdsResource,
    registry: Registry,
    window: SyncWindow,
    *,
    run_id: str,
    loaded_at: datetime,
    stats: FetchStats,
    log: logging.Logger | logging.LoggerAdapter,
) -> pl.DataFrame:
    """Return the raw rows of every Microsoft Advertising account of the window's clients.

    Each report covers one day of the report's time zone (submit, poll, download) and its
    rows are cut to the window's hours, each mapped to UTC from the zone its report states.
    """
    frames = [pl.DataFrame(schema=MICROSOFT_ADS_RAW)]
    for client_id in window.client_ids:
        client = registry.client(client_id)
        with for_client(client_id):
            for account in client.accounts_on(PLATFORM):
                fetch_day = functools.partial(fetch_hours, resource, account.account_id, stats)
                reports = fetch_report_days(fetch_day, window, client.time_zone)
                for day, records in sorted(reports.items()):
                    if not records:
                        continue
                    where = (
                        f"client {client_id!r}, Microsoft Advertising account "
                        f"{account.account_id}, {day}"
                    )
                    frame = landing_rows(
                        records_frame(records),
                        time_zone=records[0].time_zone,
                        window=window,
                        where=where,
                        schema=MICROSOFT_ADS_RAW,
                        client_id=client_id,
                        loaded_at=loaded_at,
                        run_id=run_id,
                    )
                    log.debug("%s: %d rows in the window", where, frame.height)
                    frames.append(frame)
    return pl.concat(frames, how="vertical")


def fetch_hours(
    resource: MicrosoftAdsResource, account_id: str, stats: FetchStats, day: date
) -> list[MicrosoftAdsCampaignHour]:
    stats.requests += 1
    return resource.fetch_campaign_hours(account_id=account_id, day=day)


def fetch_report_days(
    fetch_day: Callable[[date], list[MicrosoftAdsCampaignHour]],
    window: SyncWindow,
    guessed_time_zone: str,
) -> dict[date, list[MicrosoftAdsCampaignHour]]:
    """Fetch one report per day that the window touches in the reports' own time zones.

    The first days are those of `guessed_time_zone`. Each report with rows names its zone,
    and the days that zone adds are fetched next. When no report has rows, so no zone is
    known, the remaining days any zone could need are fetched too, because an account far
    from the guessed zone may have rows only on those.
    """
    possible = possible_days(window)
    reports: dict[date, list[MicrosoftAdsCampaignHour]] = {}
    zones = {guessed_time_zone}
    while True:
        needed = {day for zone in zones for day in window.local_days(zone)} & possible
        missing = sorted(needed - reports.keys())
        if not missing and not any(reports.values()):
            missing = sorted(possible - reports.keys())
        if not missing:
            return reports
        for day in missing:
            reports[day] = fetch_day(day)
            zones.update(record.time_zone for record in reports[day])


def possible_days(window: SyncWindow) -> set[date]:
    """Return every date an instant of the window falls on in some zone of the world."""
    first = (window.start + EARLIEST_OFFSET).date()
    last = (window.end - timedelta(microseconds=1) + LATEST_OFFSET).date()
    return {first + timedelta(days=offset) for offset in range((last - first).days + 1)}


def records_frame(records: list[MicrosoftAdsCampaignHour]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "account_id": [record.account_id for record in records],
            "campaign_id": [record.campaign_id for record in records],
            "campaign_name": [record.campaign_name for record in records],
            "currency_code": [record.currency for record in records],
            "time_zone": [record.time_zone for record in records],
            "report_time_zone": [record.report_time_zone for record in records],
            "local_date": [record.date for record in records],
            "local_hour": [record.hour for record in records],
            "time_period": [record.time_period for record in records],
            "spend": [record.spend for record in records],
            "impressions": [record.impressions for record in records],
            "clicks": [record.clicks for record in records],
            "conversions": [record.conversions for record in records],
            "revenue": [record.conversion_value for record in records],
        },
        schema=RECORD_SCHEMA,
    )
