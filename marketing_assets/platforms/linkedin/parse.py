"""Pure parsers from LinkedIn adAnalytics and adAccounts bodies to typed records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from marketing_assets.platforms.errors import invalid_data
from marketing_assets.platforms.field_reader import FieldReader, decode_json
from marketing_assets.platforms.linkedin import settings
from marketing_assets.platforms.linkedin.records import LinkedInAdAccount, LinkedInCampaignDay
from marketing_assets.platforms.linkedin.settings import PLATFORM


def parse_analytics(text: str, *, account_id: str, day: dt.date) -> list[LinkedInCampaignDay]:
    """Parse an adAnalytics response of one day; an account without activity has no elements."""
    reader = FieldReader(PLATFORM, account_id, day)
    body = reader.mapping(
        decode_json(text, platform=PLATFORM, account_id=account_id, day=day), "the body"
    )
    elements = reader.array(body.get("elements"), "elements")
    records = [
        _parse_element(reader, reader.mapping(element, f"elements[{index}]"), f"elements[{index}]")
        for index, element in enumerate(elements)
    ]
    campaign_ids = [record.campaign_id for record in records]
    repeated = sorted({campaign for campaign in campaign_ids if campaign_ids.count(campaign) > 1})
    if repeated:
        detail = f"elements repeat campaign(s) {', '.join(repeated[:3])} for one day"
        raise invalid_data(PLATFORM, account_id, day, detail)
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
    if "end" in date_range:
        _requested_date(reader, date_range, "end", f"{path}.dateRange")
    return LinkedInCampaignDay(
        account_id=reader.account_id,
        campaign_id=campaign_id,
        date=date,
        cost=reader.decimal(element, "costInLocalCurrency", path),
        impressions=reader.count(element, "impressions", path),
        clicks=reader.count(element, "clicks", path),
        conversions=reader.decimal(element, "externalWebsiteConversions", path),
        conversion_value=reader.decimal(element, "conversionValueInLocalCurrency", path),
    )


def _requested_date(
    reader: FieldReader, date_range: Mapping[str, Any], key: str, path: str
) -> dt.date:
    """Read a {year, month, day} date, which must be the requested day for a one-day range."""
    parts = reader.mapping(date_range.get(key), f"{path}.{key}")
    numbers = [reader.count(parts, name, f"{path}.{key}") for name in ("year", "month", "day")]
    try:
        date = dt.date(*numbers)
    except ValueError as error:
        raise reader.invalid(f"{path}.{key} is {dict(parts)!r}, not a calendar date") from error
    if date != reader.day:
        raise reader.invalid(f"{path}.{key} is {date.isoformat()}, outside the requested day")
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
