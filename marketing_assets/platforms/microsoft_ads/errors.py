"""Classification of Microsoft Advertising ApiFaultDetail errors into PlatformError classes.

An error body reads {"OperationErrors": [{"Code", "ErrorCode", "Message"}], "BatchErrors": [],
"TrackingId", "Type": "ApiFaultDetail"}. The ErrorCode names decide the class, and the HTTP
status decides when the body is not in that format.
"""

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
from marketing_assets.platforms.microsoft_ads import settings


def error_from_response(
    response: httpx.Response,
    *,
    account_id: str,
    day: dt.date | None,
    operation: str,
    last_day: dt.date | None = None,
) -> PlatformError:
    """Map a non-200 Submit, Poll or download response to a PlatformError.

    `day` is the report's day, or its first day when `last_day` is set.
    """
    status_code = response.status_code
    error_codes, summary = _summary(
        response, account_id=account_id, days=describe_days(day, last_day), operation=operation
    )
    context = {
        "platform": settings.PLATFORM,
        "account_id": account_id,
        "day": day,
        "last_day": last_day,
        "status_code": status_code,
    }
    if error_codes & settings.RATE_LIMIT_ERROR_CODES or status_code == 429:
        retry_after = _retry_after_seconds(response.headers.get("retry-after"))
        wait = f"{retry_after:g} s" if retry_after is not None else "a minute"
        message = f"{summary} Microsoft rate-limited the request; wait {wait} and run again."
        return PlatformRateLimitError(message, retry_after=retry_after, **context)
    if error_codes & settings.ACCESS_TOKEN_ERROR_CODES or status_code == 401:
        return PlatformAuthError(
            f"{summary} Do not retry: {settings.ACCESS_TOKEN_HINT}.", **context
        )
    if error_codes & settings.PERMISSION_ERROR_CODES or status_code == 403:
        return PlatformAuthError(f"{summary} Do not retry: {settings.PERMISSION_HINT}.", **context)
    if error_codes & settings.TRANSIENT_ERROR_CODES or status_code >= 500:
        message = f"{summary} This is a temporary Microsoft or proxy error; run again later."
        return PlatformTransientError(message, **context)
    message = (
        f"{summary} Do not retry the same request: check account_id, customer_id and the "
        "report request in microsoft_ads/settings.py."
    )
    return PlatformRequestError(message, **context)


def _summary(
    response: httpx.Response, *, account_id: str, days: str, operation: str
) -> tuple[frozenset[str], str]:
    text = (
        f"Microsoft Advertising {operation} for account {account_id}{days} failed with "
        f"HTTP {response.status_code}"
    )
    body = decode_error_json(response.text)
    errors = []
    if isinstance(body, dict):
        for key in ("OperationErrors", "BatchErrors", "Errors"):
            items = body.get(key)
            if isinstance(items, list):
                errors.extend(item for item in items if isinstance(item, dict))
    if not errors:
        return frozenset(), f"{text} and a body that is not an ApiFaultDetail."
    described = [
        f"{item.get('ErrorCode')} (code {item.get('Code')}): {str(item.get('Message'))[:300]}"
        for item in errors[:3]
    ]
    text += ": " + "; ".join(described)
    tracking_id = body.get("TrackingId")
    if isinstance(tracking_id, str) and tracking_id:
        text += f" [TrackingId {tracking_id}]"
    codes = frozenset(str(item.get("ErrorCode")) for item in errors)
    return codes, text.rstrip(".") + "."


def _retry_after_seconds(header: str | None) -> float | None:
    if header is None or not header.strip().isdigit():
        return None
    seconds = float(header.strip())
    return seconds if seconds > 0 else None
