"""Google Ads API error responses in Google's error model (google.rpc.Status)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marketing_assets.simulator.wire import SimulatorResponse, json_response

_STATUS_MESSAGES = {
    "INVALID_ARGUMENT": "Request contains an invalid argument.",
    "UNAUTHENTICATED": (
        "Request is missing required authentication credential. Expected OAuth 2 access"
        " token, login cookie or other valid authentication credential."
    ),
    "PERMISSION_DENIED": "The caller does not have permission",
    "NOT_FOUND": "Requested entity was not found.",
    "RESOURCE_EXHAUSTED": "Resource has been exhausted (e.g. check quota).",
    "INTERNAL": "Internal error encountered.",
}
_HTTP_STATUS = {
    "INVALID_ARGUMENT": 400,
    "UNAUTHENTICATED": 401,
    "PERMISSION_DENIED": 403,
    "RESOURCE_EXHAUSTED": 429,
    "INTERNAL": 500,
}

USER_PERMISSION_DENIED_MESSAGE = (
    "User doesn't have permission to access customer. Note: If you're accessing a client"
    " customer, the manager's customer id must be set in the 'login-customer-id' header."
)


def google_ads_error(
    status: str,
    *,
    error_category: str,
    error_code: str,
    message: str,
    request_id: str,
    api_version: str,
    error_details: Mapping[str, Any] | None = None,
) -> SimulatorResponse:
    """Build an error with one GoogleAdsFailure detail.

    `error_category` is the errorCode oneof name such as "queryError" or
    "authorizationError", and `error_code` is the enum name within it. `error_details`
    becomes the error's `details`, such as `{"quotaErrorDetails": {...}}`.
    """
    payload = google_ads_error_payload(
        status,
        error_category=error_category,
        error_code=error_code,
        message=message,
        request_id=request_id,
        api_version=api_version,
        error_details=error_details,
    )
    return json_response(_HTTP_STATUS[status], payload, {"request-id": request_id})


def google_ads_error_payload(
    status: str,
    *,
    error_category: str,
    error_code: str,
    message: str,
    request_id: str,
    api_version: str,
    error_details: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Build the JSON body of `google_ads_error`, for callers that wrap or stream it."""
    error: dict[str, Any] = {"errorCode": {error_category: error_code}, "message": message}
    if error_details:
        error["details"] = dict(error_details)
    failure = {
        "@type": f"type.googleapis.com/google.ads.googleads.{api_version}.errors.GoogleAdsFailure",
        "errors": [error],
        "requestId": request_id,
    }
    return {
        "error": {
            "code": _HTTP_STATUS[status],
            "message": _STATUS_MESSAGES[status],
            "status": status,
            "details": [failure],
        }
    }


def google_ads_http_status(status: str) -> int:
    """Return the HTTP status Google sends with a google.rpc status name."""
    return _HTTP_STATUS[status]


def google_status_error(http_status: int, status: str, message: str) -> SimulatorResponse:
    """Build an error that Google's front end returns before the Ads service runs (no details)."""
    payload = {"error": {"code": http_status, "message": message, "status": status}}
    return json_response(http_status, payload)


# authorizationError values that a retry never fixes, each with Google's AuthorizationErrorEnum
# description as its message.
AUTHORIZATION_MESSAGES = {
    "USER_PERMISSION_DENIED": USER_PERMISSION_DENIED_MESSAGE,
    "DEVELOPER_TOKEN_NOT_APPROVED": (
        "The developer token is only approved for use with test accounts. To access non-test"
        " accounts, apply for Basic or Standard access."
    ),
    "CUSTOMER_NOT_ENABLED": (
        "The customer account can't be accessed because it is not yet enabled or has been"
        " deactivated."
    ),
}


def authorization_error(error_code: str, *, request_id: str, api_version: str) -> SimulatorResponse:
    """Build HTTP 403 PERMISSION_DENIED with one authorizationError from AUTHORIZATION_MESSAGES."""
    return google_ads_error(
        "PERMISSION_DENIED",
        error_category="authorizationError",
        error_code=error_code,
        message=AUTHORIZATION_MESSAGES[error_code],
        request_id=request_id,
        api_version=api_version,
    )
