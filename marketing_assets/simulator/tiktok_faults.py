"""Injected TikTok Business API faults in the shapes the real API returns them.

Each function has the form of a FaultKind action in fault_kinds.py: the error builders
replace the handler's response, and the transforms change a successful report page.
"""

from __future__ import annotations

import json
import random
from typing import Any

from marketing_assets.simulator import tiktok_errors
from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse, json_response


def is_tiktok(request: SimulatorRequest) -> bool:
    return request.path.startswith("/tiktok/")


def is_report(request: SimulatorRequest) -> bool:
    return request.method == "GET" and request.path.rstrip("/").endswith("/report/integrated/get")


def rate_limit() -> SimulatorResponse:
    """Build the rate-limit envelope (code 40100 under HTTP 200), which clients should retry."""
    return tiktok_errors.tiktok_error(
        tiktok_errors.RATE_LIMIT, "Requests made too frequently, please try again later."
    )


def maintenance() -> SimulatorResponse:
    """Build the maintenance envelope (code 60001 under HTTP 200), which clients should retry."""
    return tiktok_errors.tiktok_error(
        tiktok_errors.MAINTENANCE, "The system is under maintenance, please try again later."
    )


def query_too_large() -> SimulatorResponse:
    """Build code 40067, which a retry of the same request cannot fix."""
    return tiktok_errors.tiktok_error(
        tiktok_errors.QUERY_TOO_LARGE, "The query is too large, please reduce the data range."
    )


def revoked_token() -> SimulatorResponse:
    """Build code 40105 for a revoked token, which clients must not retry."""
    return tiktok_errors.invalid_token()


def no_permission(request: SimulatorRequest) -> SimulatorResponse:
    """Build code 40002 for an advertiser the token cannot read, which clients must not retry."""
    return tiktok_errors.no_permission(request.query.get("advertiser_id", "unknown"))


def numeric_metrics(response: SimulatorResponse, rng: random.Random) -> SimulatorResponse | None:
    """Send every metric of a report page as a JSON number instead of a string, as TikTok may.

    Returns None unless the response is a successful report page.
    """
    page = _report_page(response)
    if page is None:
        return None
    for row in page["data"]["list"]:
        metrics = row["metrics"]
        for name in ("spend", "impressions", "clicks", "conversion"):
            if name in metrics:
                text = metrics[name]
                metrics[name] = float(text) if "." in text else int(text)
    return json_response(200, page, response.headers)


def repeat_rows(response: SimulatorResponse, *, repeated_rows: int) -> SimulatorResponse | None:
    """Send the first rows of a report page again at its end, as shifting pages would.

    Returns None unless the response is a successful report page with rows.
    """
    page = _report_page(response)
    if page is None or not page["data"]["list"]:
        return None
    rows = page["data"]["list"]
    page["data"]["list"] = rows + rows[:repeated_rows]
    return json_response(200, page, response.headers)


def _report_page(response: SimulatorResponse) -> dict[str, Any] | None:
    if response.status != 200:
        return None
    try:
        body = json.loads(response.body)
    except ValueError:
        return None
    if not isinstance(body, dict) or body.get("code") != 0:
        return None
    data = body.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("list"), list):
        return None
    return body
