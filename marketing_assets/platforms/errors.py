"""Exceptions raised by the ad platform clients.

Every message is a full sentence that names the platform, the account, the day (or the first
and last day of a request over several days) and the HTTP status when there is one, and states
the next step. No message contains a token.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

PLATFORM_LABELS = {"google_ads": "Google Ads", "meta": "Meta"}


class PlatformError(Exception):
    """Failure of a request to an ad platform for one account.

    `day` is the account-local day of the request. A request over several days sets `day` to
    its first day and `last_day` to its last. For a single day, `last_day` is None.
    """

    # Short name of the failure that retry logs show next to the message.
    kind: ClassVar[str] = "platform error"

    def __init__(
        self,
        message: str,
        *,
        platform: str,
        account_id: str,
        day: dt.date | None = None,
        status_code: int | None = None,
        last_day: dt.date | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.platform = platform
        self.account_id = account_id
        self.day = day
        self.last_day = last_day if last_day != day else None
        self.status_code = status_code


class PlatformAuthError(PlatformError):
    """Invalid or expired token, missing permission or unapproved developer token (no retry)."""

    kind = "authentication or permission error"


class PlatformRateLimitError(PlatformError):
    """Rate limit or quota exhausted; `retry_after` is the platform's wait hint in seconds."""

    kind = "rate limit"

    def __init__(
        self,
        message: str,
        *,
        platform: str,
        account_id: str,
        day: dt.date | None = None,
        status_code: int | None = None,
        retry_after: float | None = None,
        last_day: dt.date | None = None,
    ) -> None:
        super().__init__(
            message,
            platform=platform,
            account_id=account_id,
            day=day,
            status_code=status_code,
            last_day=last_day,
        )
        self.retry_after = retry_after


class PlatformTransientError(PlatformError):
    """Server error, timeout or dropped connection that may succeed when retried."""

    kind = "transient error"


class PlatformRequestError(PlatformError):
    """Request the platform rejected as invalid; sending it again fails the same way."""

    kind = "invalid request"


class PlatformResponseError(PlatformError):
    """Response body that does not match the documented wire format."""

    kind = "malformed response"


def describe_scope(
    platform: str, account_id: str, day: dt.date | None, last_day: dt.date | None = None
) -> str:
    """Return "Google Ads account 123 on 2026-12-03" style text for messages.

    With a `last_day` after `day`, the text ends "from 2026-12-01 to 2026-12-03" instead.
    """
    label = PLATFORM_LABELS.get(platform, platform)
    return f"{label} account {account_id}{describe_days(day, last_day)}"


def describe_days(day: dt.date | None, last_day: dt.date | None = None) -> str:
    """Return " on 2026-12-03", " from 2026-12-01 to 2026-12-03" or "" when `day` is None."""
    if day is None:
        return ""
    if last_day is None or last_day == day:
        return f" on {day.isoformat()}"
    return f" from {day.isoformat()} to {last_day.isoformat()}"


def malformed_response(
    platform: str,
    account_id: str,
    day: dt.date | None,
    detail: str,
    *,
    last_day: dt.date | None = None,
) -> PlatformResponseError:
    """Build the error for a response body that breaks the wire format at `detail`."""
    scope = describe_scope(platform, account_id, day, last_day)
    message = (
        f"The response for {scope} is malformed: {detail}. Check that base_url and api_version "
        "point at the real API, and report the response if they do."
    )
    return PlatformResponseError(
        message, platform=platform, account_id=account_id, day=day, last_day=last_day
    )


class PlatformDataError(PlatformResponseError):
    """Response in the wire format whose values break a data rule, such as a negative spend."""

    kind = "invalid data"


def invalid_data(
    platform: str,
    account_id: str,
    day: dt.date | None,
    detail: str,
    *,
    last_day: dt.date | None = None,
) -> PlatformDataError:
    """Build the error for a response whose rows break a data rule, described by `detail`."""
    scope = describe_scope(platform, account_id, day, last_day)
    label = PLATFORM_LABELS.get(platform, platform)
    message = (
        f"The response for {scope} contains invalid data: {detail}. Nothing from this response "
        "was stored, so the tables keep the rows of the last good load for these hours. Run "
        f"these partitions again later, and report the response to {label} support if the "
        "data stays the same."
    )
    return PlatformDataError(
        message, platform=platform, account_id=account_id, day=day, last_day=last_day
    )


class PlatformUnreadableBodyError(PlatformTransientError):
    """Body that is not JSON at all, such as one cut short or a proxy's HTML page.

    A connection that breaks mid-body or a gateway in between causes it, not the API's data,
    so it is retried like a server error.
    """

    kind = "unreadable body"


def unreadable_body(
    platform: str,
    account_id: str,
    day: dt.date | None,
    detail: str,
    *,
    last_day: dt.date | None = None,
) -> PlatformUnreadableBodyError:
    """Build the error for a body that could not be decoded as JSON, described by `detail`."""
    scope = describe_scope(platform, account_id, day, last_day)
    message = (
        f"The response for {scope} could not be read: {detail}. A connection cut mid-body or a "
        "proxy page causes this; it is retried, and if it persists check network access to "
        "base_url."
    )
    return PlatformUnreadableBodyError(
        message, platform=platform, account_id=account_id, day=day, last_day=last_day
    )
