"""Graph API error responses: HTTP 400 with {"error": {message, type, code, fbtrace_id}}."""

from __future__ import annotations

import secrets
from collections.abc import Mapping

from marketing_assets.simulator.wire import SimulatorResponse, json_response


def graph_error(
    code: int,
    message: str,
    *,
    error_type: str = "OAuthException",
    error_subcode: int | None = None,
    http_status: int = 400,
    is_transient: bool | None = None,
    headers: Mapping[str, str] | None = None,
) -> SimulatorResponse:
    """Build a Graph API error. Graph returns most errors, rate limits included, as HTTP 400."""
    error: dict[str, object] = {"message": message, "type": error_type, "code": code}
    if error_subcode is not None:
        error["error_subcode"] = error_subcode
    if is_transient is not None:
        error["is_transient"] = is_transient
    error["fbtrace_id"] = secrets.token_urlsafe(8)
    return json_response(http_status, {"error": error}, headers)


def invalid_parameter(message: str) -> SimulatorResponse:
    return graph_error(100, f"(#100) {message}")


def unknown_object(object_id: str) -> SimulatorResponse:
    return graph_error(
        100,
        f"Unsupported get request. Object with ID '{object_id}' does not exist, cannot be"
        " loaded due to missing permissions, or does not support this operation.",
        error_type="GraphMethodException",
        error_subcode=33,
    )


# Graph permission errors, with the message and HTTP status that public client bug reports show
# for them. Code 10 and codes 200-299 mean the token lacks a permission.
PERMISSION_ERRORS: dict[int, tuple[str, int]] = {
    10: ("(#10) Application does not have permission for this action", 400),
    200: ("(#200) Permissions error", 403),
    294: (
        "(#294) Managing advertisements requires the extended permission ads_management and an"
        " application that is whitelisted to access the Ads API",
        400,
    ),
}


def permission_error(code: int) -> SimulatorResponse:
    """Build a Graph permission error from PERMISSION_ERRORS, which clients must not retry."""
    message, http_status = PERMISSION_ERRORS[code]
    return graph_error(code, message, http_status=http_status, is_transient=False)


def invalid_token() -> SimulatorResponse:
    """Build Graph code 190 for a token that is not valid, which clients must not retry."""
    return graph_error(190, "Invalid OAuth access token - Cannot parse access token")
