"""LinkedIn API error bodies: {"status", "serviceErrorCode", "code", "message"}."""

from __future__ import annotations

from collections.abc import Mapping

from marketing_assets.simulator.wire import SimulatorResponse, json_response


def linkedin_error(
    status: int,
    code: str,
    message: str,
    *,
    service_error_code: int | None = None,
    headers: Mapping[str, str] | None = None,
) -> SimulatorResponse:
    payload: dict[str, object] = {"status": status, "code": code, "message": message}
    if service_error_code is not None:
        payload["serviceErrorCode"] = service_error_code
    return json_response(status, payload, headers)


def invalid_token() -> SimulatorResponse:
    return linkedin_error(
        401, "INVALID_ACCESS_TOKEN", "Invalid access token", service_error_code=65600
    )


def access_denied(account_id: str) -> SimulatorResponse:
    return linkedin_error(
        403,
        "ACCESS_DENIED",
        f"Not enough permissions to access: adAnalytics for urn:li:sponsoredAccount:{account_id}",
        service_error_code=100,
    )


def invalid_parameter(message: str) -> SimulatorResponse:
    return linkedin_error(400, "ILLEGAL_ARGUMENT", message, service_error_code=100)


def missing_version() -> SimulatorResponse:
    return linkedin_error(
        400,
        "VERSION_MISSING",
        "A version must be present. Please specify a "
        "version by adding the LinkedIn-Version header.",
    )


def nonexistent_version(version: str) -> SimulatorResponse:
    return linkedin_error(426, "NONEXISTENT_VERSION", f"Requested version {version} is not active")
