"""Google Ads API error responses in Google's error model (google.rpc.Status)."""

from __future__ import annotations

from marketing_assets.simulator.wire import SimulatorResponse, json_response

_STATUS_MESSAGES = {
    "INVALID_ARGUMENT": "Request contains an invalid argument.",
    "UNAUTHENTICATED": (
        "Request is missing required authentication credential. Expected OAuth 2 access"
        " token, login cookie or other valid authentication credential."
    ),
    "PERMISSION_DENIED": "The caller does not have permission",
    "NOT_FOUND": "Requested entity was not found.",
}
_HTTP_STATUS = {"INVALID_ARGUMENT": 400, "UNAUTHENTICATED": 401, "PERMISSION_DENIED": 403}

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
) -> SimulatorResponse:
    """Build an error with one GoogleAdsFailure detail.

    `error_category` is the errorCode oneof name such as "queryError" or
    "authorizationError"; `error_code` is the enum name within it.
    """
    failure = {
        "@type": f"type.googleapis.com/google.ads.googleads.{api_version}.errors.GoogleAdsFailure",
        "errors": [{"errorCode": {error_category: error_code}, "message": message}],
        "requestId": request_id,
    }
    payload = {
        "error": {
            "code": _HTTP_STATUS[status],
            "message": _STATUS_MESSAGES[status],
            "status": status,
            "details": [failure],
        }
    }
    return json_response(_HTTP_STATUS[status], payload, {"request-id": request_id})


def google_status_error(http_status: int, status: str, message: str) -> SimulatorResponse:
    """Build an error that Google's front end returns before the Ads service runs (no details)."""
    payload = {"error": {"code": http_status, "message": message, "status": status}}
    return json_response(http_status, payload)
