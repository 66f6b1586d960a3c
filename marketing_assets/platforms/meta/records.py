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
