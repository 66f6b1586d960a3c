"""TikTok Business API error envelopes, which TikTok sends with HTTP 200 and a non-zero code."""

from __future__ import annotations

import secrets

from marketing_assets.simulator.wire import SimulatorResponse, json_response

INVALID_PARAMETER = 40000
NO_PERMISSION = 40002
RATE_LIMIT = 40100
QUERY_TOO_LARGE = 40067
ACCESS_TOKEN_MISSING = 40104
ACCESS_TOKEN_INVALID = 40105
MAINTENANCE = 60001


def tiktok_error(code: int, message: str, *, http_status: int = 200) -> SimulatorResponse:
    """Build an error envelope; TikTok keeps HTTP 200 for errors, so only `code` tells."""
    payload = {"code": code, "message": message, "request_id": request_id(), "data": {}}
    return json_response(http_status, payload)


def invalid_parameter(message: str) -> SimulatorResponse:
    return tiktok_error(INVALID_PARAMETER, message)


def no_permission(advertiser_id: str) -> SimulatorResponse:
    return tiktok_error(
        NO_PERMISSION,
        f"No permission to operate advertiser {advertiser_id}, or the advertiser does not exist.",
    )


def missing_token() -> SimulatorResponse:
    return tiktok_error(ACCESS_TOKEN_MISSING, "Access token is null, please check.")


def invalid_token() -> SimulatorResponse:
    return tiktok_error(ACCESS_TOKEN_INVALID, "Access token is incorrect or has been revoked.")


def request_id() -> str:
    """Return a request id like TikTok's: a timestamp-like prefix and random hex."""
    return "2026" + secrets.token_hex(14).upper()
