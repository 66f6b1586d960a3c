"""Exceptions raised by the ad platform clients.

Every message is a full sentence that names the platform, the account, the day and the HTTP
status when there is one, and states the next step. No message contains a token.
"""

from __future__ import annotations

import datetime as dt

PLATFORM_LABELS = {"google_ads": "Google Ads", "meta": "Meta"}


class PlatformError(Exception):
    """Failure of a request to an ad platform for one account."""

    def __init__(
        self,
        message: str,
        *,
        platform: str,
        account_id: str,
        day: dt.date | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.platform = platform
        self.account_id = account_id
        self.day = day
        self.status_code = status_code


class PlatformAuthError(PlatformError):
    """Invalid or expired token, missing permission or unapproved developer token (no retry)."""


class PlatformRateLimitError(PlatformError):
    """Rate limit or quota exhausted; `retry_after` is the platform's wait hint in seconds."""

    def __init__(
        self,
        message: str,
        *,
        platform: str,
        account_id: str,
        day: dt.date | None = None,
        status_code: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(
            message, platform=platform, account_id=account_id, day=day, status_code=status_code
        )
        self.retry_after = retry_after


class PlatformTransientError(PlatformError):
    """Server error, timeout or dropped connection that may succeed when retried."""


class PlatformRequestError(PlatformError):
    """Request the platform rejected as invalid; sending it again fails the same way."""


class PlatformResponseError(PlatformError):
    """Response body that does not match the documented wire format."""


def describe_scope(platform: str, account_id: str, day: dt.date | None) -> str:
    """Return "Google Ads account 123 on 2026-12-03" style text for messages."""
    label = PLATFORM_LABELS.get(platform, platform)
    scope = f"{label} account {account_id}"
    if day is not None:
        scope += f" on {day.isoformat()}"
    return scope


def malformed_response(
    platform: str, account_id: str, day: dt.date | None, detail: str
) -> PlatformResponseError:
    """Build the error for a response body that breaks the wire format at `detail`."""
    scope = describe_scope(platform, account_id, day)
    message = (
        f"The response for {scope} is malformed: {detail}. Check that base_url and api_version "
        "point at the real API, and report the response if they do."
    )
    return PlatformResponseError(message, platform=platform, account_id=account_id, day=day)
