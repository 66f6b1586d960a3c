"""Typed rows returned by the LinkedIn Marketing API client."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class LinkedInCampaignDay:
    """Analytics of one campaign on one day; LinkedIn reports no finer grain than a day.

    `cost` is costInLocalCurrency, in the ad account's currency. `conversions` is
    externalWebsiteConversions and `conversion_value` conversionValueInLocalCurrency.
    """

    account_id: str
    campaign_id: str
    date: dt.date
    cost: Decimal
    impressions: int
    clicks: int
    conversions: Decimal
    conversion_value: Decimal


@dataclass(frozen=True, slots=True)
class LinkedInAdAccount:
    """Ad account: its name and ISO 4217 currency. LinkedIn returns no account time zone."""

    account_id: str
    name: str
    currency: str
