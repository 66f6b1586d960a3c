"""Injected Microsoft Advertising faults in the shapes the real API returns them.

Each function has the form of a FaultKind action in fault_kinds.py: the error builders
replace the handler's response, and the transforms change a successful Submit, Poll or
download response.
"""

from __future__ import annotations

import json
import random
from dataclasses import replace

from marketing_assets.simulator import microsoft_ads_errors as errors
from marketing_assets.simulator.microsoft_ads import decode_report_id, encode_report_id
from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse, json_response


def is_microsoft_ads(request: SimulatorRequest) -> bool:
    return request.path.startswith("/microsoft-ads/")


def is_submit(request: SimulatorRequest) -> bool:
    return request.method == "POST" and request.path.rstrip("/").endswith("/GenerateReport/Submit")


def is_poll(request: SimulatorRequest) -> bool:
    return request.method == "POST" and request.path.rstrip("/").endswith("/GenerateReport/Poll")


def is_download(request: SimulatorRequest) -> bool:
    return request.method == "GET" and request.path.startswith("/microsoft-ads/download/")


def call_rate_exceeded(*, retry_after_seconds: int) -> SimulatorResponse:
    """Build CallRateExceeded (code 117) as HTTP 429 with a Retry-After header."""
    return errors.api_fault(
        429,
        errors.CALL_RATE_EXCEEDED,
        "You have exceeded the number of calls that you are allowed to make in a given time "
        "period. Please wait before making additional calls.",
        {"Retry-After": str(retry_after_seconds)},
    )


def internal_error() -> SimulatorResponse:
    """Build InternalError (code 0) with HTTP 500, which clients should retry."""
    return errors.api_fault(
        500, errors.INTERNAL_ERROR, "An internal error has occurred. Please try again later."
    )


def expired_token() -> SimulatorResponse:
    """Build AuthenticationTokenExpired (code 109), which clients must not retry."""
    return errors.api_fault(
        401,
        errors.TOKEN_EXPIRED,
        "The OAuth access token has expired. Please refresh the token and try again.",
    )


def report_failed(response: SimulatorResponse, rng: random.Random) -> SimulatorResponse | None:
    """Turn a Poll response into Status Error. Returns None unless it is a Poll status."""
    status = _json_object(response)
    if status is None or "ReportRequestStatus" not in status:
        return None
    return json_response(
        200, {"ReportRequestStatus": {"Status": "Error", "ReportDownloadUrl": None}}
    )


def stuck_pending(response: SimulatorResponse, rng: random.Random) -> SimulatorResponse | None:
    """Keep a report Pending, so the client's poll timeout ends the wait."""
    status = _json_object(response)
    if status is None or "ReportRequestStatus" not in status:
        return None
    return json_response(
        200, {"ReportRequestStatus": {"Status": "Pending", "ReportDownloadUrl": None}}
    )


def report_in_time_zone(response: SimulatorResponse, *, time_zone: str) -> SimulatorResponse | None:
    """Make a submitted report come back in `time_zone` instead of the account's zone.

    Microsoft has been reported to build reports in another zone than the one requested, and
    the report's "Time Zone" header then names the zone its hours follow.
    """
    body = _json_object(response)
    report_id = body.get("ReportRequestId") if body else None
    spec = decode_report_id(report_id) if isinstance(report_id, str) else None
    if spec is None:
        return None
    changed = encode_report_id(replace(spec, time_zone=time_zone))
    return json_response(200, {"ReportRequestId": changed}, response.headers)


def truncated_zip(response: SimulatorResponse, rng: random.Random) -> SimulatorResponse | None:
    """Cut a downloaded ZIP in half, as a connection broken mid-download would."""
    if response.status != 200 or not response.body.startswith(b"PK"):
        return None
    return SimulatorResponse(200, response.body[: len(response.body) // 2], response.headers)


def _json_object(response: SimulatorResponse) -> dict | None:
    if response.status != 200:
        return None
    try:
        body = json.loads(response.body)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None
