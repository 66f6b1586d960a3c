"""Typed rows returned by the Microsoft Advertising Reporting client."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class MicrosoftAdsCampaignHour:
    """Campaign performance of one campaign in one hour of the report's time zone.

    `time_period` is the raw TimePeriod ("2023-11-11|01"), and `date` and `hour` are its day
    and start hour. `report_time_zone` is the "Time Zone" header of the report as sent, and
    `time_zone` the IANA zone it names, which the hours follow even when it differs from the
    account's zone. `spend` and `conversion_value` (the Revenue column) are in `currency`.
    """

    account_id: str
    campaign_id: str
    campaign_name: str
    currency: str
    time_zone: str
    report_time_zone: str
    date: dt.date
    hour: int
    time_period: str
    spend: Decimal
    impressions: int
    clicks: int
    conversions: Decimal
    conversion_value: Decimal


@dataclass(frozen=True, slots=True)
class MicrosoftAdsCampaignDay:
    """Campaign performance of one campaign over one day of the report's time zone.

    These are Microsoft's daily figures (Daily aggregation, TimePeriod "2023-11-11"), which the
    hourly rows of the day must add up to. The fields mean the same as in
    MicrosoftAdsCampaignHour.
    """

    account_id: str
    campaign_id: str
    campaign_name: str
    currency: str
    time_zone: str
    report_time_zone: str
    date: dt.date
    spend: Decimal
    impressions: int
    clicks: int
    conversions: Decimal
    conversion_value: Decimal
