"""Classification of LinkedIn API errors, {"status", "serviceErrorCode", "code", "message"}."""

from __future__ import annotations

import datetime as dt

import httpx

from marketing_assets.platforms.errors import (
    PlatformAuthError,
    PlatformError,
    PlatformRateLimitError,
    PlatformRequestError,
    PlatformTransientError,
    describe_days,
)
from marketing_assets.platforms.field_reader import decode_error_json
from marketing_assets.platforms.linkedin import settings


def error_from_response(
    response: httpx.Response,
    *,
    account_id: str,
    day: dt.date | None,
    last_day: dt.date | None = None,
) -> PlatformError:
    """Map a non-200 LinkedIn response to the PlatformError that names the next step.

    `day` is the requested day, or the first of the requested days when `last_day` is set.
    """
    status_code = response.status_code
    summary = _summary(response, account_id=account_id, day=day, last_day=last_day)
    context = {
        "platform": settings.PLATFORM,
        "account_id": account_id,
        "day": day,
        "last_day": last_day,
        "status_code": status_code,
    }
    if status_code == 429:
        # LinkedIn's limits are per day and reset at midnight UTC; a Retry-After header, when
        # sent, is the only shorter wait hint.
        retry_after = _retry_after_seconds(response.headers.get("retry-after"))
        wait = f"{retry_after:g} s" if retry_after is not None else "until the daily limit resets"
        message = f"{summary} LinkedIn rate-limited the request; wait {wait} and run again."
        return PlatformRateLimitError(message, retry_after=retry_after, **context)
    if status_code == 401:
        return PlatformAuthError(
            f"{summary} Do not retry: {settings.ACCESS_TOKEN_HINT}.", **context
        )
    if status_code == 403:
        return PlatformAuthError(f"{summary} Do not retry: {settings.PERMISSION_HINT}.", **context)
    if status_code == settings.VERSION_ERROR_STATUS:
        message = (
            f"{summary} Do not retry: set api_version to an active LinkedIn-Version month, "
            "like 202511."
        )
        return PlatformRequestError(message, **context)
    if status_code in settings.RETRYABLE_STATUS_CODES or status_code >= 500:
        message = f"{summary} This is a temporary LinkedIn or proxy error; run again later."
        return PlatformTransientError(message, **context)
    message = (
        f"{summary} Do not retry the same request: check account_id and the adAnalytics "
        "query in linkedin/settings.py."
    )
    return PlatformRequestError(message, **context)


def _summary(
    response: httpx.Response,
    *,
    account_id: str,
    day: dt.date | None,
    last_day: dt.date | None,
) -> str:
    days = describe_days(day, last_day)
    status_code = response.status_code
    text = f"LinkedIn request for ad account {account_id}{days} failed with HTTP {status_code}"
    body = decode_error_json(response.text)
    if not isinstance(body, dict) or not body.get("message"):
        return f"{text} and a body that is not a LinkedIn error object."
    code = body.get("code")
    service_code = body.get("serviceErrorCode")
    if code:
        text += f", {code}"
    if service_code is not None:
        text += f" (serviceErrorCode {service_code})"
    return f"{text}: {str(body['message'])[:300]}".rstrip(".") + "."


def _retry_after_seconds(header: str | None) -> float | None:
    if header is None or not header.strip().isdigit():
        return None
    seconds = float(header.strip())
    return seconds if seconds > 0 else None
