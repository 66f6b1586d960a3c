"""Classification of TikTok Business API errors into PlatformError subclasses.

TikTok sends most errors as HTTP 200 with a non-zero `code`, so the code, not the status,
decides whether a retry can help. A non-200 status comes from TikTok's gateway or a proxy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from marketing_assets.platforms.errors import (
    PlatformAuthError,
    PlatformError,
    PlatformRateLimitError,
    PlatformRequestError,
    PlatformTransientError,
    describe_days,
)
from marketing_assets.platforms.field_reader import decode_error_json
from marketing_assets.platforms.tiktok import settings


def error_from_envelope(
    body: Mapping[str, Any],
    *,
    status_code: int,
    account_id: str,
    day: dt.date | None,
    last_day: dt.date | None = None,
) -> PlatformError:
    """Map an envelope with a non-zero code to the PlatformError that names the next step.

    `day` is the requested day, or the first of the requested days when `last_day` is set.
    """
    code = body.get("code")
    days = describe_days(day, last_day)
    summary = _summary(body, status_code=status_code, account_id=account_id, days=days)
    context = {
        "platform": settings.PLATFORM,
        "account_id": account_id,
        "day": day,
        "last_day": last_day,
        "status_code": status_code,
    }
    if code in settings.RATE_LIMIT_CODES:
        # TikTok sends no wait hint with its rate limit, so the retry policy backs off.
        message = f"{summary} TikTok rate-limited the request; wait a few minutes and run again."
        return PlatformRateLimitError(message, retry_after=None, **context)
    if code in settings.ACCESS_TOKEN_CODES:
        return PlatformAuthError(
            f"{summary} Do not retry: {settings.ACCESS_TOKEN_HINT}.", **context
        )
    if code in settings.PERMISSION_CODES:
        return PlatformAuthError(f"{summary} Do not retry: {settings.PERMISSION_HINT}.", **context)
    if code in settings.QUERY_TOO_LARGE_CODES:
        message = (
            f"{summary} Do not retry the same request: it already asks for one day, so lower "
            "page_size or request fewer metrics in tiktok/settings.py."
        )
        return PlatformRequestError(message, **context)
    if code in settings.TRANSIENT_CODES:
        message = (
            f"{summary} This is a temporary TikTok error, such as maintenance; run again later."
        )
        return PlatformTransientError(message, **context)
    message = (
        f"{summary} Do not retry the same request: check account_id, api_version and the "
        "report parameters in tiktok/settings.py."
    )
    return PlatformRequestError(message, **context)


def error_from_status(
    status_code: int,
    text: str,
    *,
    account_id: str,
    day: dt.date | None,
    last_day: dt.date | None = None,
) -> PlatformError:
    """Map a non-200 response, which may still carry an envelope, to a PlatformError."""
    body = decode_error_json(text)
    if isinstance(body, dict) and isinstance(body.get("code"), int) and body["code"] != 0:
        return error_from_envelope(
            body, status_code=status_code, account_id=account_id, day=day, last_day=last_day
        )
    context = {
        "platform": settings.PLATFORM,
        "account_id": account_id,
        "day": day,
        "last_day": last_day,
    }
    summary = (
        f"TikTok request for advertiser {account_id}{describe_days(day, last_day)} failed with "
        f"HTTP {status_code} and a body that is not a TikTok error envelope."
    )
    if status_code == 429:
        message = f"{summary} TikTok rate-limited the request; wait a few minutes and run again."
        return PlatformRateLimitError(message, status_code=status_code, **context)
    if status_code == 401:
        message = f"{summary} Do not retry: {settings.ACCESS_TOKEN_HINT}."
        return PlatformAuthError(message, status_code=status_code, **context)
    if status_code == 403:
        message = f"{summary} Do not retry: {settings.PERMISSION_HINT}."
        return PlatformAuthError(message, status_code=status_code, **context)
    if status_code in settings.RETRYABLE_STATUS_CODES or status_code >= 500:
        message = f"{summary} This is a temporary server or proxy error; run again later."
        return PlatformTransientError(message, status_code=status_code, **context)
    message = f"{summary} Do not retry the same request: check base_url and api_version."
    return PlatformRequestError(message, status_code=status_code, **context)


def _summary(body: Mapping[str, Any], *, status_code: int, account_id: str, days: str) -> str:
    text = (
        f"TikTok request for advertiser {account_id}{days} failed with code "
        f"{body.get('code')} (HTTP {status_code})"
    )
    message = body.get("message")
    if isinstance(message, str) and message:
        text += f": {message[:300]}"
    request_id = body.get("request_id")
    if isinstance(request_id, str) and request_id:
        text += f" [request_id {request_id}]"
    return text.rstrip(".") + "."
