"""LinkedIn Marketing API handlers: the adAccounts entity and daily adAnalytics.

adAnalytics here sums the simulator's hourly numbers over each account-local day of the
requested range, because DAILY is LinkedIn's finest grain. Each campaign with impressions on a
day gets one element for that day.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from marketing_assets.simulator import linkedin_errors as errors
from marketing_assets.simulator.context import SimulatorContext
from marketing_assets.simulator.data import CampaignHour, campaign_hours
from marketing_assets.simulator.models import SimulatedAccount
from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse, json_response

PLATFORM = "linkedin"
_ANALYTICS = re.compile(r"^/rest/adAnalytics/?$")
_AD_ACCOUNT = re.compile(r"^/rest/adAccounts/(\d+)/?$")
_DATE_RANGE = re.compile(
    r"\(start:\(year:(\d{4}),month:(\d{1,2}),day:(\d{1,2})\),"
    r"end:\(year:(\d{4}),month:(\d{1,2}),day:(\d{1,2})\)\)"
)
_ACCOUNTS = re.compile(r"List\(urn:li:sponsoredAccount:(\d+)\)")
# Bounds the work one request can cause. LinkedIn documents no such limit.
MAX_RANGE = timedelta(days=399)
# Oldest LinkedIn-Version month the simulator accepts. Later months count as active.
OLDEST_ACTIVE_VERSION = "202411"
ANALYTICS_FIELDS = (
    "pivotValues",
    "dateRange",
    "impressions",
    "clicks",
    "costInLocalCurrency",
    "externalWebsiteConversions",
    "conversionValueInLocalCurrency",
)


def handle_linkedin(
    request: SimulatorRequest, path: str, context: SimulatorContext
) -> SimulatorResponse:
    """Route a request whose path, after the /linkedin prefix, is `path`."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or token != context.credentials.linkedin_access_token:
        return errors.invalid_token()
    version = request.headers.get("linkedin-version")
    if not version:
        return errors.missing_version()
    if not re.fullmatch(r"\d{6}", version) or version < OLDEST_ACTIVE_VERSION:
        return errors.nonexistent_version(version)
    if request.method != "GET":
        return errors.invalid_parameter(f"Method {request.method} is not supported on {path}.")

    account_match = _AD_ACCOUNT.match(path)
    if account_match:
        account = context.find_account(PLATFORM, account_match[1])
        if account is None:
            return errors.access_denied(account_match[1])
        return json_response(200, _ad_account(account))
    if _ANALYTICS.match(path):
        return _analytics(request, context)
    return json_response(404, {"status": 404, "message": f"No resource at {path}."})


def _ad_account(account: SimulatedAccount) -> dict[str, Any]:
    return {
        "id": int(account.account_id),
        "name": account.display_name,
        "currency": account.currency,
        "status": "ACTIVE",
        "type": "BUSINESS",
        "reference": f"urn:li:organization:{account.account_id}",
    }


def _analytics(request: SimulatorRequest, context: SimulatorContext) -> SimulatorResponse:
    query = request.query
    if request.headers.get("x-restli-protocol-version") != "2.0.0":
        return errors.invalid_parameter("X-Restli-Protocol-Version 2.0.0 is required.")
    expected = {"q": "analytics", "pivot": "CAMPAIGN"}
    for name, value in expected.items():
        if query.get(name) != value:
            return errors.invalid_parameter(f"Invalid value {query.get(name)!r} for {name}.")
    if query.get("timeGranularity") != "DAILY":
        # HOURLY does not exist in adAnalytics; ALL and MONTHLY are not simulated.
        return errors.invalid_parameter(
            f"Invalid value {query.get('timeGranularity')!r} for timeGranularity."
        )
    date_range = _DATE_RANGE.fullmatch(query.get("dateRange", ""))
    accounts = _ACCOUNTS.fullmatch(query.get("accounts", ""))
    if date_range is None or accounts is None:
        return errors.invalid_parameter("dateRange and accounts must be in Rest.li 2.0 form.")
    fields = [field for field in query.get("fields", "").split(",") if field]
    unknown = [field for field in fields if field not in ANALYTICS_FIELDS]
    if not fields or unknown:
        return errors.invalid_parameter(f"Invalid fields {unknown or fields!r}.")
    try:
        start = date(*(int(part) for part in date_range.groups()[:3]))
        end = date(*(int(part) for part in date_range.groups()[3:]))
    except ValueError:
        return errors.invalid_parameter("dateRange holds an invalid date.")
    account = context.find_account(PLATFORM, accounts[1])
    if account is None:
        return errors.access_denied(accounts[1])
    if not start <= end <= start + MAX_RANGE:
        return errors.invalid_parameter(
            f"dateRange must end on or after its start and span at most {MAX_RANGE.days + 1} days."
        )

    now = context.clock()
    elements = []
    day = start
    while day <= end:
        hours = campaign_hours(account, day, now, revision=context.revision)
        elements += [_element(day, group, fields) for group in _by_campaign(hours)]
        day += timedelta(days=1)
    return json_response(
        200, {"paging": {"start": 0, "count": 10, "links": []}, "elements": elements}
    )


def _by_campaign(hours: list[CampaignHour]) -> list[list[CampaignHour]]:
    groups: dict[str, list[CampaignHour]] = {}
    for hour in hours:
        groups.setdefault(hour.campaign.campaign_id, []).append(hour)
    return [group for _, group in sorted(groups.items()) if sum(h.impressions for h in group) > 0]


def _element(day: date, hours: list[CampaignHour], fields: list[str]) -> dict[str, Any]:
    parts = {"year": day.year, "month": day.month, "day": day.day}
    cost = sum((hour.spend for hour in hours), Decimal(0))
    value = sum((hour.conversion_value for hour in hours), Decimal(0))
    values: dict[str, Any] = {
        "pivotValues": [f"urn:li:sponsoredCampaign:{hours[0].campaign.campaign_id}"],
        "dateRange": {"start": parts, "end": parts},
        "impressions": sum(hour.impressions for hour in hours),
        "clicks": sum(hour.clicks for hour in hours),
        "costInLocalCurrency": str(cost),
        "externalWebsiteConversions": int(sum(hour.conversions for hour in hours)),
        "conversionValueInLocalCurrency": str(value),
    }
    return {field: values[field] for field in fields}
