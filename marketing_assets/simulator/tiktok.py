"""TikTok Business API handlers: advertiser info and the integrated hourly report."""

from __future__ import annotations

import json
import re
from datetime import date
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
REPORT_METRICS = ("campaign_name", "spend", "impressions", "clicks", "conversion")
DEFAULT_PAGE_SIZE = 10
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

    day = date.fromisoformat(query["start_date"])
    page = int(query.get("page", "1"))
    page_size = int(query.get("page_size", str(DEFAULT_PAGE_SIZE)))
    metrics = json.loads(query["metrics"])
    rows = [
        _row(hour, metrics)
        for hour in sorted(
            campaign_hours(account, day, context.clock(), revision=context.revision),
            key=lambda hour: (hour.campaign.campaign_id, hour.hour),
        )
        if hour.impressions > 0
    ]
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
    if dimensions != HOURLY_DIMENSIONS:
        return f"dimensions: the simulator serves {HOURLY_DIMENSIONS} only."
    if not isinstance(metrics, list) or not set(metrics) <= set(REPORT_METRICS):
        return f"metrics: expected a list of {list(REPORT_METRICS)}."
    try:
        start = date.fromisoformat(query.get("start_date", ""))
        end = date.fromisoformat(query.get("end_date", ""))
    except ValueError:
        return "start_date and end_date: expected YYYY-MM-DD."
    if start != end:
        return "start_date and end_date: hourly reports cover one day, so they must be equal."
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


def _ok(data: dict[str, Any]) -> SimulatorResponse:
    return json_response(
        200, {"code": 0, "message": "OK", "request_id": request_id(), "data": data}
    )
