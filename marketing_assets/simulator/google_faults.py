"""Injected Google Ads API faults in the shapes the real API returns them."""

from __future__ import annotations

import json
import random
import re
import secrets
from typing import Any

from marketing_assets.simulator.google_ads_errors import (
    authorization_error,
    google_ads_error,
    google_ads_error_payload,
    google_ads_http_status,
)
from marketing_assets.simulator.wire import (
    SimulatorRequest,
    SimulatorResponse,
    is_zero,
    json_response,
)

_API_VERSION = re.compile(r"^/google-ads/(v\d+)/")
_SEARCH_STREAM = re.compile(r"^/google-ads/v\d+/customers/[^/]+/googleAds:searchStream$")
# Used in the failure's @type when the path carries no version, e.g. an unknown route.
_DEFAULT_API_VERSION = "v22"
_QUOTA_RATE_NAME = "Number of operations for basic access"


def is_google_ads(request: SimulatorRequest) -> bool:
    return request.path.startswith("/google-ads/")


def is_search_stream(request: SimulatorRequest) -> bool:
    return request.method == "POST" and _SEARCH_STREAM.match(request.path) is not None


def quota_exhausted(request: SimulatorRequest, *, retry_delay_seconds: int) -> SimulatorResponse:
    """Build HTTP 429 RESOURCE_EXHAUSTED with `quotaErrorDetails.retryDelay`."""
    request_id = secrets.token_urlsafe(16)
    return google_ads_error(
        "RESOURCE_EXHAUSTED",
        **_quota_error_fields(request, request_id, retry_delay_seconds),
    )


def wrapped_quota_exhausted(
    request: SimulatorRequest, *, retry_delay_seconds: int
) -> SimulatorResponse:
    """Build the 429 quota error wrapped in a one-element array, as searchStream may send it."""
    request_id = secrets.token_urlsafe(16)
    payload = google_ads_error_payload(
        "RESOURCE_EXHAUSTED",
        **_quota_error_fields(request, request_id, retry_delay_seconds),
    )
    status = google_ads_http_status("RESOURCE_EXHAUSTED")
    return json_response(status, [payload], {"request-id": request_id})


def internal_error(request: SimulatorRequest) -> SimulatorResponse:
    """Build HTTP 500 INTERNAL, which clients should retry."""
    return google_ads_error(
        "INTERNAL",
        error_category="internalError",
        error_code="INTERNAL_ERROR",
        message="An internal error has occurred. Please retry your request.",
        request_id=secrets.token_urlsafe(16),
        api_version=_api_version(request),
    )


def expired_token(request: SimulatorRequest) -> SimulatorResponse:
    """Build HTTP 401 UNAUTHENTICATED for an expired OAuth token, which clients must not retry."""
    return google_ads_error(
        "UNAUTHENTICATED",
        error_category="authenticationError",
        error_code="OAUTH_TOKEN_EXPIRED",
        message="Oauth token in the Authorization header has expired.",
        request_id=secrets.token_urlsafe(16),
        api_version=_api_version(request),
    )


def drop_metrics(response: SimulatorResponse, rng: random.Random) -> SimulatorResponse | None:
    """Leave out the zero-valued metric keys of every searchStream row.

    The proto3 JSON mapping may omit fields that hold their default value, so a client must
    read a missing metric as 0. Dropping a non-zero metric would model a platform bug that no
    client can tell from a zero. Returns None when the response is not a successful
    searchStream array.
    """
    if response.status != 200:
        return None
    try:
        batches = json.loads(response.body)
    except ValueError:
        return None
    if not isinstance(batches, list):
        return None
    for batch in batches:
        for row in batch.get("results", []):
            metrics = row.get("metrics") or {}
            for name in [name for name, value in metrics.items() if is_zero(value)]:
                del metrics[name]
    return json_response(200, batches, response.headers)


def _quota_error_fields(
    request: SimulatorRequest, request_id: str, retry_delay_seconds: int
) -> dict[str, Any]:
    return {
        "error_category": "quotaError",
        "error_code": "RESOURCE_EXHAUSTED",
        "message": f"Too many requests. Retry in {retry_delay_seconds} seconds.",
        "request_id": request_id,
        "api_version": _api_version(request),
        "error_details": {
            "quotaErrorDetails": {
                "rateScope": "DEVELOPER",
                "rateName": _QUOTA_RATE_NAME,
                "retryDelay": f"{retry_delay_seconds}s",
            }
        },
    }


def _api_version(request: SimulatorRequest) -> str:
    match = _API_VERSION.match(request.path)
    return match[1] if match else _DEFAULT_API_VERSION


def authorization_denied(request: SimulatorRequest, error_code: str) -> SimulatorResponse:
    """Build HTTP 403 with an AUTHORIZATION_MESSAGES code, which clients must not retry."""
    return authorization_error(
        error_code, request_id=secrets.token_urlsafe(16), api_version=_api_version(request)
    )
