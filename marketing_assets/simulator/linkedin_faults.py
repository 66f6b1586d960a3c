"""Injected LinkedIn API faults in the shapes the real API returns them.

Each function has the form of a FaultKind action in fault_kinds.py.
"""

from __future__ import annotations

from marketing_assets.simulator.linkedin_errors import linkedin_error
from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse


def is_linkedin(request: SimulatorRequest) -> bool:
    return request.path.startswith("/linkedin/")


def is_analytics(request: SimulatorRequest) -> bool:
    return request.method == "GET" and request.path.rstrip("/").endswith("/rest/adAnalytics")


def throttled(*, retry_after_seconds: int) -> SimulatorResponse:
    """Build HTTP 429 TOO_MANY_REQUESTS with a Retry-After header, which clients should retry.

    NOTE: LinkedIn documents daily limits and no Retry-After header; the header here gives
    the client's wait-hint path something to read.
    """
    return linkedin_error(
        429,
        "TOO_MANY_REQUESTS",
        "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.",
        headers={"Retry-After": str(retry_after_seconds)},
    )


def internal_error() -> SimulatorResponse:
    """Build HTTP 500, which clients should retry."""
    return linkedin_error(500, "INTERNAL_SERVER_ERROR", "Internal Server Error")


def revoked_token() -> SimulatorResponse:
    """Build HTTP 401 REVOKED_ACCESS_TOKEN, which clients must not retry."""
    return linkedin_error(
        401,
        "REVOKED_ACCESS_TOKEN",
        "The token used in the request has been revoked by the user",
        service_error_code=65601,
    )


def retired_version(request: SimulatorRequest) -> SimulatorResponse:
    """Build HTTP 426 NONEXISTENT_VERSION for the request's LinkedIn-Version."""
    version = request.headers.get("linkedin-version", "")
    return linkedin_error(426, "NONEXISTENT_VERSION", f"Requested version {version} is not active")
