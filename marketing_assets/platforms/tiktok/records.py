"""Typed rows returned by the TikTok Business API client."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class TikTokCampaignHour:
    """Report metrics of one campaign in one advertiser-local hour.

    `stat_time_hour` is the raw dimension ("2025-03-01 09:00:00"), and `date` and `hour` are
    its day and start hour in the advertiser's time zone. `spend` is in the advertiser's
    currency. TikTok's `conversion` metric counts conversions of the campaign's optimization
    event, and the report carries no conversion value.
    """

    account_id: str
    campaign_id: str
    campaign_name: str
    date: dt.date
    hour: int
    stat_time_hour: str
    spend: Decimal
    impressions: int
    clicks: int
    conversions: Decimal


@dataclass(frozen=True, slots=True)
class TikTokCampaignDay:
    """Report metrics of one campaign over one advertiser-local day (dimension stat_time_day).

    These are TikTok's daily figures, which the hourly rows of the day must add up to.
    """

    account_id: str
    campaign_id: str
    campaign_name: str
    date: dt.date
    spend: Decimal
    impressions: int
    clicks: int
    conversions: Decimal


@dataclass(frozen=True, slots=True)
class TikTokAdvertiser:
    """Advertiser account: its name, IANA time zone and ISO 4217 currency."""

    account_id: str
    name: str
    time_zone: str
    currency: str
