"""Pure parsers from LinkedIn adAnalytics and adAccounts bodies to typed records."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from marketing_assets.platforms.field_reader import FieldReader, decode_json
from marketing_assets.platforms.linkedin import settings
from marketing_assets.platforms.linkedin.records import LinkedInAdAccount, LinkedInCampaignDay
from marketing_assets.platforms.linkedin.settings import PLATFORM

# Decimal places of the numeric(38, 6) money and numeric(38, 9) conversion columns.
MONEY_PLACES = 6
CONVERSION_PLACES = 9


def parse_analytics(
    text: str, *, account_id: str, first_day: dt.date, last_day: dt.date
) -> list[LinkedInCampaignDay]:
    """Parse an adAnalytics response of the days `first_day` to `last_day` (both included).

    Each element is one campaign on one day. An account without activity has no elements.
    """
    range_end = last_day if last_day != first_day else None
    reader = FieldReader(PLATFORM, account_id, first_day, last_day=range_end)
    body = decode_json(
        text, platform=PLATFORM, account_id=account_id, day=first_day, last_day=range_end
    )
    elements = reader.array(reader.mapping(body, "the body").get("elements"), "elements")
    if len(elements) >= settings.MAX_ELEMENTS:
        raise reader.malformed(
            f"elements has {len(elements)} entries, which adAnalytics returns when it cut the "
            "response short. Lower MAX_DAYS_PER_REQUEST in linkedin/settings.py"
        )
    records = [
        _parse_element(reader, reader.mapping(element, f"elements[{index}]"), f"elements[{index}]")
        for index, element in enumerate(elements)
    ]
    counts = Counter((record.campaign_id, record.date) for record in records)
    repeated = sorted(key for key, count in counts.items() if count > 1)
    if repeated:
        campaign_id, date = repeated[0]
        raise reader.on_day(date).invalid(
            f"elements repeat campaign {campaign_id} for one day ({len(repeated)} campaign-day(s))"
        )
    return records


def _parse_element(
    reader: FieldReader, element: Mapping[str, Any], path: str
) -> LinkedInCampaignDay:
    pivot_values = reader.array(element.get("pivotValues"), f"{path}.pivotValues")
    if len(pivot_values) != 1 or not isinstance(pivot_values[0], str):
        raise reader.malformed(f"{path}.pivotValues is {pivot_values!r}, expected one campaign URN")
    urn = pivot_values[0]
    campaign_id = urn.removeprefix(settings.CAMPAIGN_URN_PREFIX)
    if campaign_id == urn or not campaign_id.isdigit():
        raise reader.invalid(f"{path}.pivotValues[0] is {urn!r}, expected a sponsoredCampaign URN")

    reader = reader.at_row(f"the row of campaign {campaign_id}")
    date_range = reader.mapping(element.get("dateRange"), f"{path}.dateRange")
    date = _requested_date(reader, date_range, "start", f"{path}.dateRange")
    # DAILY granularity gives every element a range of one day.
    end = (
        _requested_date(reader, date_range, "end", f"{path}.dateRange")
        if "end" in date_range
        else date
    )
    if end != date:
        raise reader.invalid(f"{path}.dateRange spans several days, expected one (DAILY)")
    reader = reader.on_day(date)
    return LinkedInCampaignDay(
        account_id=reader.account_id,
        campaign_id=campaign_id,
        date=date,
        cost=_amount(reader, element, "costInLocalCurrency", path, places=MONEY_PLACES),
        impressions=reader.count(element, "impressions", path),
        clicks=reader.count(element, "clicks", path),
        conversions=_amount(
            reader, element, "externalWebsiteConversions", path, places=CONVERSION_PLACES
        ),
        conversion_value=_amount(
            reader, element, "conversionValueInLocalCurrency", path, places=MONEY_PLACES
        ),
    )


def _amount(
    reader: FieldReader, element: Mapping[str, Any], key: str, path: str, *, places: int
) -> Decimal:
    """Read an amount that the table column stores exactly, so it has at most `places`
    decimals; more would be rounded away without a trace."""
    amount = reader.decimal(element, key, path)
    if -amount.as_tuple().exponent > places:  # type: ignore[operator]
        raise reader.invalid(
            f"{path}.{key} is {amount}, which has more than {places} decimal places"
        )
    return amount


def _requested_date(
    reader: FieldReader, date_range: Mapping[str, Any], key: str, path: str
) -> dt.date:
    """Read a {year, month, day} date, which must lie in the requested days."""
    parts = reader.mapping(date_range.get(key), f"{path}.{key}")
    numbers = [reader.count(parts, name, f"{path}.{key}") for name in ("year", "month", "day")]
    try:
        date = dt.date(*numbers)
    except ValueError as error:
        raise reader.invalid(f"{path}.{key} is {dict(parts)!r}, not a calendar date") from error
    first_day = reader.day
    last_day = reader.last_day or reader.day
    if first_day is None or last_day is None or not first_day <= date <= last_day:
        requested = (
            "the requested day"
            if first_day == last_day
            else f"the requested days {first_day} to {last_day}"
        )
        raise reader.invalid(f"{path}.{key} is {date.isoformat()}, outside {requested}")
    return date


def parse_ad_account(text: str, *, account_id: str) -> LinkedInAdAccount:
    """Parse an adAccounts entity into its name and currency."""
    reader = FieldReader(PLATFORM, account_id, None)
    body = reader.mapping(
        decode_json(text, platform=PLATFORM, account_id=account_id, day=None), "the body"
    )
    entity_id = reader.identifier(body, "id", "account")
    if entity_id != account_id:
        raise reader.malformed(f"account.id is {entity_id!r}, expected {account_id!r}")
    return LinkedInAdAccount(
        account_id=account_id,
        name=reader.string(body, "name", "account"),
        currency=reader.currency(body, "currency", "account"),
    )
