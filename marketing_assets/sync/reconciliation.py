"""Compare the hourly rows of whole local days with the platform's own daily totals."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import psycopg2.extensions

from marketing_assets.platforms.google_ads.resource import GoogleAdsResource
from marketing_assets.platforms.meta.resource import MetaResource
from marketing_assets.registry import Client
from marketing_assets.sync.unify import MICROS_PER_UNIT
from marketing_assets.sync.window import SyncWindow

HOURLY_TOTALS = """
SELECT coalesce(sum(spend), 0), coalesce(sum(impressions), 0), coalesce(sum(clicks), 0),
       coalesce(sum(conversions), 0)
FROM marketing.campaign_performance_hourly
WHERE client_id = %s AND platform = %s AND account_id = %s AND local_date = %s
"""

# Metrics whose hourly sum must equal the daily figure exactly.
EXACT_METRICS = ("spend", "impressions", "clicks", "conversions")


@dataclass(frozen=True, slots=True)
class DayTotals:
    spend: Decimal
    impressions: int
    clicks: int
    conversions: Decimal


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


def hourly_totals(
    connection: psycopg2.extensions.connection,
    client_id: str,
    platform: str,
    account_id: str,
    local_date: date,
) -> DayTotals:
    with connection.cursor() as cursor:
        cursor.execute(HOURLY_TOTALS, (client_id, platform, account_id, local_date))
        spend, impressions, clicks, conversions = cursor.fetchone()
    return DayTotals(Decimal(spend), int(impressions), int(clicks), Decimal(conversions))


def google_ads_day_comparisons(
    resource: GoogleAdsResource,
    connection: psycopg2.extensions.connection,
    client: Client,
    window: SyncWindow,
) -> list[DayComparison]:
    comparisons = []
    for account in client.accounts_on("google_ads"):
        customer = resource.fetch_customer(
            customer_id=account.account_id, login_customer_id=account.login_customer_id
        )
        for day in complete_local_days(window, customer.time_zone):
            rows = resource.fetch_campaign_days(
                customer_id=account.account_id,
                day=day,
                login_customer_id=account.login_customer_id,
            )
            daily = DayTotals(
                spend=sum((Decimal(row.cost_micros) for row in rows), Decimal(0)) / MICROS_PER_UNIT,
                impressions=sum(row.impressions for row in rows),
                clicks=sum(row.clicks for row in rows),
                conversions=sum((row.conversions for row in rows), Decimal(0)),
            )
            hourly = hourly_totals(
                connection, client.client_id, "google_ads", account.account_id, day
            )
            comparisons.append(
                DayComparison(
                    client.client_id,
                    "google_ads",
                    account.account_id,
                    day,
                    customer.currency_code,
                    hourly,
                    daily,
                )
            )
    return comparisons


def meta_day_comparisons(
    resource: MetaResource,
    connection: psycopg2.extensions.connection,
    client: Client,
    window: SyncWindow,
) -> list[DayComparison]:
    comparisons = []
    for account in client.accounts_on("meta"):
        ad_account = resource.fetch_ad_account(account_id=account.account_id)
        for day in complete_local_days(window, ad_account.time_zone):
            rows = resource.fetch_campaign_days(account_id=account.account_id, day=day)
            daily = DayTotals(
                spend=sum((row.spend for row in rows), Decimal(0)),
                impressions=sum(row.impressions for row in rows),
                clicks=sum(row.clicks for row in rows),
                conversions=sum((row.conversions for row in rows), Decimal(0)),
            )
            all_conversions = sum((row.all_conversions for row in rows), Decimal(0))
            hourly = hourly_totals(connection, client.client_id, "meta", account.account_id, day)
            comparisons.append(
                DayComparison(
                    client.client_id,
                    "meta",
                    account.account_id,
                    day,
                    ad_account.currency,
                    hourly,
                    daily,
                    off_platform_conversions=all_conversions - daily.conversions,
                )
            )
    return comparisons
