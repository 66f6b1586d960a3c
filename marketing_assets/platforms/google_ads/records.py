"""Typed rows returned by the Google Ads client."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class GoogleAdsCampaignHour:
    """Metrics of one campaign in one account-local hour, as searchStream reports them.

    `date` and `hour` are in the account's time zone; `cost_micros` is millionths of
    `currency_code`.
    """

    customer_id: str
    currency_code: str
    time_zone: str
    campaign_id: str
    campaign_name: str
    campaign_status: str
    date: dt.date
    hour: int
    impressions: int
    clicks: int
    cost_micros: int
    conversions: Decimal
    conversions_value: Decimal


@dataclass(frozen=True, slots=True)
class GoogleAdsCustomer:
    """An account's own settings: the zone its dates and hours are in, and its currency."""

    customer_id: str
    descriptive_name: str
    currency_code: str
    time_zone: str


@dataclass(frozen=True, slots=True)
class GoogleAdsCampaignDay:
    """Metrics of one campaign on one account-local day, from a query without segments.hour.

    These are the platform's own daily figures, to reconcile the hourly rows of the same day
    against. `cost_micros` is millionths of `currency_code`.
    """

    customer_id: str
    currency_code: str
    campaign_id: str
    date: dt.date
    impressions: int
    clicks: int
    cost_micros: int
    conversions: Decimal
    conversions_value: Decimal
