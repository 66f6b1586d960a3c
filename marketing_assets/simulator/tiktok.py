"""TikTok Business API handlers: advertiser info and the integrated hourly and daily reports.

A daily report (dimension stat_time_day) sums each campaign's served hours of each day, so it
equals the hourly report's sums, as TikTok's own reports do for these metrics. It may cover a
range of days, and an hourly report covers one day.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from marketing_assets.simulator.context import SimulatorContext
from marketing_assets.simulator.data import CampaignHour, campaign_hours
from marketing_assets.simulator.tiktok_errors import (
    invalid_parameter,
    invalid_token,
    missing_token,
    no_permission,
    request_id,
)
from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse, json_response

PLATFORM = "tiktok"
_REPORT = re.compile(r"^/open_api/v1\.\d+/report/integrated/get/?$")
_ADVERTISER_INFO = re.compile(r"^/open_api/v1\.\d+/advertiser/info/?$")
HOURLY_DIMENSIONS = ["campaign_id", "stat_time_hour"]
DAILY_DIMENSIONS = ["campaign_id", "stat_time_day"]
REPORT_METRICS = ("campaign_name", "spend", "impressions", "clicks", "conversion")
DEFAULT_PAGE_SIZE = 10
# The simulator caps daily report ranges so one request cannot generate years of rows.
# NOTE: TikTok's own limit for stat_time_day ranges was not checked.
MAX_DAILY_RANGE_DAYS = 31
MAX_PAGE_SIZE = 1000


def handle_tiktok(
    request: SimulatorRequest, path: str, context: SimulatorContext
) -> SimulatorResponse:
    """Route a request whose path, after the /tiktok prefix, is `path`."""
    if request.method != "GET":
        return invalid_parameter(f"Method {request.method} is not allowed on {path}.")
    token = request.headers.get("access-token")
    if not token:
        return missing_token()
    if token != context.credentials.tiktok_access_token:
        return invalid_token()
    if _REPORT.match(path):
        return _report(request, context)
    if _ADVERTISER_INFO.match(path):
        return _advertiser_info(request, context)
    return json_response(404, {"code": 40400, "message": f"Path {path} not found."})


def _advertiser_info(request: SimulatorRequest, context: SimulatorContext) -> SimulatorResponse:
    try:
        advertiser_ids = json.loads(request.query.get("advertiser_ids", ""))
    except ValueError:
        return invalid_parameter("advertiser_ids: expected a JSON list of advertiser ids.")
    if not isinstance(advertiser_ids, list) or not advertiser_ids:
        return invalid_parameter("advertiser_ids: expected a JSON list of advertiser ids.")
    entries = []
    for advertiser_id in advertiser_ids:
        account = context.find_account(PLATFORM, str(advertiser_id))
        if account is None:
            return no_permission(str(advertiser_id))
        entries.append(
            {
                "advertiser_id": account.account_id,
                "name": account.display_name,
                "currency": account.currency,
                "timezone": account.time_zone,
                "display_timezone": account.time_zone,
            }
        )
    return _ok({"list": entries})


def _report(request: SimulatorRequest, context: SimulatorContext) -> SimulatorResponse:
    query = request.query
    advertiser_id = query.get("advertiser_id", "")
    account = context.find_account(PLATFORM, advertiser_id)
    if account is None:
        return no_permission(advertiser_id)
    problem = _report_parameter_problem(query)
    if problem:
        return invalid_parameter(problem)

    start = date.fromisoformat(query["start_date"])
    end = date.fromisoformat(query["end_date"])
    page = int(query.get("page", "1"))
    page_size = int(query.get("page_size", str(DEFAULT_PAGE_SIZE)))
    metrics = json.loads(query["metrics"])
    daily = json.loads(query["dimensions"]) == DAILY_DIMENSIONS
    rows = []
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        hours = sorted(
            campaign_hours(account, day, context.clock(), revision=context.revision),
            key=lambda hour: (hour.campaign.campaign_id, hour.hour),
        )
        if daily:
            rows += [_day_row(day, group, metrics) for group in _by_campaign(hours)]
        else:
            rows += [_row(hour, metrics) for hour in hours if hour.impressions > 0]
    total_page = -(-len(rows) // page_size)
    data = {
        "list": rows[(page - 1) * page_size : page * page_size],
        "page_info": {
            "page": page,
            "page_size": page_size,
            "total_number": len(rows),
            "total_page": total_page,
        },
    }
    return _ok(data)


def _report_parameter_problem(query: dict[str, str]) -> str | None:
    """Return TikTok's complaint about the report parameters, or None when they are valid."""
    if query.get("report_type") != "BASIC":
        return "report_type: the simulator serves BASIC reports only."
    if query.get("data_level") != "AUCTION_CAMPAIGN":
        return "data_level: the simulator serves AUCTION_CAMPAIGN reports only."
    try:
        dimensions = json.loads(query.get("dimensions", ""))
        metrics = json.loads(query.get("metrics", ""))
    except ValueError:
        return "dimensions and metrics: expected JSON-encoded lists."
    if dimensions not in (HOURLY_DIMENSIONS, DAILY_DIMENSIONS):
        return f"dimensions: the simulator serves {HOURLY_DIMENSIONS} or {DAILY_DIMENSIONS}."
    if not isinstance(metrics, list) or not set(metrics) <= set(REPORT_METRICS):
        return f"metrics: expected a list of {list(REPORT_METRICS)}."
    try:
        start = date.fromisoformat(query.get("start_date", ""))
        end = date.fromisoformat(query.get("end_date", ""))
    except ValueError:
        return "start_date and end_date: expected YYYY-MM-DD."
    if dimensions == HOURLY_DIMENSIONS and start != end:
        return "start_date and end_date: hourly reports cover one day, so they must be equal."
    if not 0 <= (end - start).days < MAX_DAILY_RANGE_DAYS:
        return f"start_date and end_date: expected 1 to {MAX_DAILY_RANGE_DAYS} days in order."
    page, page_size = query.get("page", "1"), query.get("page_size", str(DEFAULT_PAGE_SIZE))
    if not page.isdigit() or int(page) < 1:
        return "page: expected a whole number of 1 or more."
    if not page_size.isdigit() or not 1 <= int(page_size) <= MAX_PAGE_SIZE:
        return f"page_size: expected a whole number from 1 to {MAX_PAGE_SIZE}."
    return None


def _row(hour: CampaignHour, metrics: list[str]) -> dict[str, Any]:
    values = {
        "campaign_name": hour.campaign.name,
        "spend": f"{hour.spend:.2f}",
        "impressions": str(hour.impressions),
        "clicks": str(hour.clicks),
        "conversion": str(hour.conversions.quantize(Decimal(1))),
    }
    return {
        "dimensions": {
            "campaign_id": hour.campaign.campaign_id,
            "stat_time_hour": f"{hour.day.isoformat()} {hour.hour:02d}:00:00",
        },
        "metrics": {name: values[name] for name in metrics},
    }


def _by_campaign(hours: list[CampaignHour]) -> list[list[CampaignHour]]:
    """Group hours by campaign, leaving out campaigns without impressions that day."""
    groups: dict[str, list[CampaignHour]] = {}
    for hour in hours:
        groups.setdefault(hour.campaign.campaign_id, []).append(hour)
    return [group for group in groups.values() if sum(hour.impressions for hour in group) > 0]


def _day_row(day: date, hours: list[CampaignHour], metrics: list[str]) -> dict[str, Any]:
    served = [hour for hour in hours if hour.impressions > 0]
    values = {
        "campaign_name": hours[0].campaign.name,
        "spend": f"{sum((hour.spend for hour in served), Decimal(0)):.2f}",
        "impressions": str(sum(hour.impressions for hour in served)),
        "clicks": str(sum(hour.clicks for hour in served)),
        "conversion": str(sum(hour.conversions.quantize(Decimal(1)) for hour in served)),
    }
    return {
        "dimensions": {
            "campaign_id": hours[0].campaign.campaign_id,
            "stat_time_day": f"{day.isoformat()} 00:00:00",
        },
        "metrics": {name: values[name] for name in metrics},
    }


def _ok(data: dict[str, Any]) -> SimulatorResponse:
    return json_response(
        200, {"code": 0, "message": "OK", "request_id": request_id(), "data": data}
    )
