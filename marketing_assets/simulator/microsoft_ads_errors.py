"""Microsoft Advertising error responses: ApiFaultDetail bodies with OperationErrors."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from marketing_assets.simulator.wire import SimulatorResponse, json_response

# (Code, ErrorCode) pairs of Microsoft Advertising's operation errors.
INTERNAL_ERROR = (0, "InternalError")
INVALID_CREDENTIALS = (105, "InvalidCredentials")
USER_NOT_AUTHORIZED = (106, "UserIsNotAuthorized")
TOKEN_EXPIRED = (109, "AuthenticationTokenExpired")
CALL_RATE_EXCEEDED = (117, "CallRateExceeded")
# NOTE: the simulator's own code for a report request it does not serve; the real API has
# one ErrorCode per invalid field.
INVALID_REPORT_REQUEST = (2100, "ReportingServiceInvalidReportRequest")


def api_fault(
    http_status: int,
    error: tuple[int, str],
    message: str,
    headers: Mapping[str, str] | None = None,
) -> SimulatorResponse:
    """Build an ApiFaultDetail body with one operation error."""
    code, error_code = error
    payload = {
        "TrackingId": str(uuid.uuid4()),
        "Type": "ApiFaultDetail",
        "BatchErrors": [],
        "OperationErrors": [
            {"Code": code, "Details": None, "ErrorCode": error_code, "Message": message}
        ],
    }
    return json_response(http_status, payload, headers)


def invalid_credentials() -> SimulatorResponse:
    return api_fault(
        401,
        INVALID_CREDENTIALS,
        "Authentication failed. Either supplied credentials are invalid or the account is "
        "inactive.",
    )


def not_authorized() -> SimulatorResponse:
    return api_fault(
        403, USER_NOT_AUTHORIZED, "The user does not represent a authorized developer."
    )


def invalid_report_request(message: str) -> SimulatorResponse:
    return api_fault(400, INVALID_REPORT_REQUEST, message)
