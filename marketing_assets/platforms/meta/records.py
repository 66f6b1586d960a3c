"""Typed rows returned by the Meta Marketing API client."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class MetaCampaignHour:
    """Insights of one campaign in one account-local hour.

    `hourly_stats` is the raw hour label ("09:00:00 - 09:59:59") and `hour` its start hour.
    `conversions` counts purchase and lead actions; `conversion_value` sums purchase
    action_values. `actions` is the raw JSON text of the row's actions and action_values.
    """

    account_id: str
    campaign_id: str
    campaign_name: str
    account_currency: str
    date: dt.date
    hour: int
    hourly_stats: str
    spend: Decimal
    impressions: int
    clicks: int
    conversions: Decimal
    conversion_value: Decimal
    actions: str


@dataclass(frozen=True, slots=True)
class MetaAdAccount:
    """Ad account node: `account_id` without the "act_" prefix and its IANA time zone."""

    account_id: str
    name: str
    time_zone: str
    currency: str


@dataclass(frozen=True, slots=True)
class MetaCampaignDay:
    """Insights of one campaign on one account-local day, from a report without breakdowns.

    These are Meta's own daily figures, to reconcile the hourly rows of the same day against.
    `conversions` and `conversion_value` use the definition of MetaCampaignHour, so they match
    the hourly sums. `all_conversions` and `all_conversion_value` add the pixel conversions
    that only daily reports carry.
    """

    account_id: str
    campaign_id: str
    account_currency: str
    date: dt.date
    spend: Decimal
    impressions: int
    clicks: int
    conversions: Decimal
    all_conversions: Decimal
    conversion_value: Decimal
    all_conversion_value: Decimal
