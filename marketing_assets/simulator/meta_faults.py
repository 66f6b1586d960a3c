"""Injected Meta Graph API faults in the shapes the real API returns them."""

from __future__ import annotations

import json
import random
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from marketing_assets.simulator.meta_errors import graph_error
from marketing_assets.simulator.meta_insights import decode_cursor, encode_cursor
from marketing_assets.simulator.meta_usage import usage_headers
from marketing_assets.simulator.wire import (
    SimulatorRequest,
    SimulatorResponse,
    is_zero,
    json_response,
)

# Graph rate-limit codes with the message and subcode Graph sends with them, as seen in public
# connector bug reports (Airbyte, Singer). Subcode 2446079 marks the per-ad-account limit.
RATE_LIMITS: dict[int, tuple[str, int | None]] = {
    4: ("(#4) Application request limit reached", None),
    17: ("(#17) User request limit reached", 2446079),
    613: ("(#613) Calls to this api have exceeded the rate limit.", None),
    80004: (
        "(#80004) There have been too many calls to this ad-account. Wait a bit and try again."
        " For more info, please refer to"
        " https://developers.facebook.com/docs/graph-api/overview/rate-limiting.",
        2446079,
    ),
}
# Code 4 is the app-wide limit, and the other codes above are limits of one ad account.
APP_RATE_LIMIT_CODE = 4
# App usage sent with an ad account's rate-limit error, below the point where clients slow
# every account down.
_APP_PERCENT_AT_ACCOUNT_LIMIT = 60
_INSIGHTS = re.compile(r"^/meta/v\d+\.\d+/act_[^/]+/insights/?$")
_AD_ACCOUNT_ID = re.compile(r"^/meta/v\d+\.\d+/act_([^/]+)")
_METRIC_FIELDS = ("spend", "impressions", "clicks", "actions", "action_values")


def is_meta(request: SimulatorRequest) -> bool:
    return request.path.startswith("/meta/")


def is_insights(request: SimulatorRequest) -> bool:
    return request.method == "GET" and _INSIGHTS.match(request.path) is not None


def rate_limit(
    request: SimulatorRequest, code: int, *, regain_access_minutes: int
) -> SimulatorResponse:
    """Build a Graph rate-limit error (HTTP 400) with usage headers at 100%.

    Code 4 is the app's limit, so app usage is at 100% too. The other codes are per ad account.
    """
    message, subcode = RATE_LIMITS[code]
    headers = _exhausted_usage_headers(
        request, regain_access_minutes, app_exhausted=code == APP_RATE_LIMIT_CODE
    )
    return graph_error(code, message, error_subcode=subcode, is_transient=True, headers=headers)


def transient_error() -> SimulatorResponse:
    """Build Graph code 2 with HTTP 500, which clients should retry."""
    return graph_error(
        2,
        "An unexpected error has occurred. Please retry your request later.",
        http_status=500,
        is_transient=True,
    )


def expired_token() -> SimulatorResponse:
    """Build Graph code 190 (subcode 463, expired session), which clients must not retry."""
    return graph_error(
        190,
        "Error validating access token: Session has expired.",
        error_subcode=463,
        is_transient=False,
    )


def repeat_rows(response: SimulatorResponse, *, repeated_rows: int) -> SimulatorResponse | None:
    """Make insights paging return rows twice, so keys repeat across pages.

    When the page has a `next` link, its `after` cursor moves back by up to `repeated_rows`
    rows, so the next page starts with the last rows of this one. The last page, or a page of
    one row, repeats its own first rows instead. Returns None unless the response is a
    successful insights page with rows.
    """
    page = _json_object(response)
    if page is None or not page.get("data"):
        return None
    rows = page["data"]
    paging = page.get("paging", {})
    shift = min(repeated_rows, len(rows) - 1)
    if "next" in paging and shift > 0:
        after = encode_cursor(decode_cursor(paging["cursors"]["after"]) - shift)
        paging["cursors"]["after"] = after
        paging["next"] = _with_after(paging["next"], after)
    else:
        page["data"] = rows + rows[: min(repeated_rows, len(rows))]
    return json_response(200, page, response.headers)


def drop_metrics(response: SimulatorResponse, rng: random.Random) -> SimulatorResponse | None:
    """Leave out the zero-valued metric fields of every insights row, as Graph may.

    Returns None unless the response is a successful insights page.
    """
    page = _json_object(response)
    if page is None or "data" not in page:
        return None
    for row in page["data"]:
        for name in [name for name in _METRIC_FIELDS if name in row and is_zero(row[name])]:
            del row[name]
    return json_response(200, page, response.headers)


def _exhausted_usage_headers(
    request: SimulatorRequest, regain_access_minutes: int, *, app_exhausted: bool
) -> dict[str, str]:
    match = _AD_ACCOUNT_ID.match(request.path)
    return usage_headers(
        match[1] if match else "0",
        account_percent=100,
        app_percent=100 if app_exhausted else _APP_PERCENT_AT_ACCOUNT_LIMIT,
        reset_seconds=regain_access_minutes * 60,
        regain_access_minutes=regain_access_minutes,
    )


def _json_object(response: SimulatorResponse) -> dict[str, Any] | None:
    if response.status != 200:
        return None
    try:
        body = json.loads(response.body)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _with_after(url: str, after: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query["after"] = after
    return urlunsplit(parts._replace(query=urlencode(query)))
