"""Dagster resource for the Google Ads REST API (googleAds:searchStream)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from typing import TypeVar

import httpx

from marketing_assets.platforms.errors import (
    PlatformAuthError,
    PlatformError,
    PlatformRateLimitError,
    PlatformRequestError,
    PlatformTransientError,
    describe_days,
)
from marketing_assets.platforms.google_ads import settings
from marketing_assets.platforms.google_ads.parse import (
    PLATFORM,
    GoogleAdsErrorInfo,
    parse_accessible_customers,
    parse_campaign_days,
    parse_customer,
    parse_error,
    parse_search_stream,
)
from marketing_assets.platforms.google_ads.records import (
    GoogleAdsCampaignDay,
    GoogleAdsCampaignHour,
    GoogleAdsCustomer,
)
from marketing_assets.platforms.http import PlatformHttpResource

logger = logging.getLogger(__name__)

_CUSTOMER_ID = re.compile(r"[0-9]{10}", re.ASCII)

T = TypeVar("T")


class GoogleAdsResource(PlatformHttpResource):
    """Google Ads client that reads campaign hours one account-local day a request, and daily
    totals over a range of days in one request.

    Errors are raised as PlatformError subclasses; 429 and 5xx responses are retried within
    max_attempts and max_retry_seconds, waiting for the API's retryDelay when it sends one.
    Unlike Meta, Google Ads sends no usage headers, so the client cannot slow down before the
    quota runs out. It learns of the quota only from a 429 RESOURCE_EXHAUSTED, and waits for
    its retryDelay.
    """

    developer_token: str
    access_token: str
    base_url: str = settings.DEFAULT_BASE_URL
    api_version: str = settings.DEFAULT_API_VERSION

    def fetch_campaign_hours(
        self, *, customer_id: str, day: dt.date, login_customer_id: str | None = None
    ) -> list[GoogleAdsCampaignHour]:
        """Fetch every campaign-hour row of `day` (account-local) with one searchStream call.

        `login_customer_id` is the manager account id, required when the OAuth user reaches
        the customer through a manager account.
        """

        def parse(text: str) -> list[GoogleAdsCampaignHour]:
            return parse_search_stream(text, customer_id=customer_id, day=day)

        records = self._search_stream(
            customer_id=customer_id,
            login_customer_id=login_customer_id,
            query=settings.campaign_hours_query(day),
            day=day,
            parse=parse,
            operation=f"Google Ads searchStream for customer {customer_id} on {day}",
        )
        logger.debug(
            "Fetched %d campaign hours for customer %s on %s", len(records), customer_id, day
        )
        return records

    def fetch_campaign_days(
        self,
        *,
        customer_id: str,
        first_day: dt.date,
        last_day: dt.date,
        login_customer_id: str | None = None,
    ) -> list[GoogleAdsCampaignDay]:
        """Fetch each campaign's totals per account-local day from `first_day` to `last_day`.

        One searchStream call covers the whole range, both days included, with one row per
        campaign and day as Google sums it itself. The query has no segments.hour, so these
        are the daily figures to reconcile the rows of fetch_campaign_hours against. Retries,
        errors and `login_customer_id` work as in fetch_campaign_hours.
        """
        validate_day_range(customer_id, first_day, last_day)

        def parse(text: str) -> list[GoogleAdsCampaignDay]:
            return parse_campaign_days(
                text, customer_id=customer_id, first_day=first_day, last_day=last_day
            )

        days = describe_days(first_day, last_day)
        records = self._search_stream(
            customer_id=customer_id,
            login_customer_id=login_customer_id,
            query=settings.campaign_days_query(first_day, last_day),
            day=first_day,
            last_day=last_day,
            parse=parse,
            operation=f"Google Ads daily searchStream for customer {customer_id}{days}",
        )
        logger.debug("Fetched %d campaign days for customer %s%s", len(records), customer_id, days)
        return records

    def fetch_customer(
        self, *, customer_id: str, login_customer_id: str | None = None
    ) -> GoogleAdsCustomer:
        """Fetch the account's time zone and currency, which its report dates and costs use."""

        def parse(text: str) -> GoogleAdsCustomer:
            return parse_customer(text, customer_id=customer_id)

        return self._search_stream(
            customer_id=customer_id,
            login_customer_id=login_customer_id,
            query=settings.customer_query(),
            day=None,
            parse=parse,
            operation=f"Google Ads customer settings for customer {customer_id}",
        )

    def list_accessible_customers(self) -> list[str]:
        """List the customer ids the OAuth user can reach directly (managers included)."""
        url = f"{self._api_root()}/customers:listAccessibleCustomers"
        headers = self._headers(None)
        account = "(all accessible)"

        def attempt() -> list[str]:
            request = httpx.Request("GET", url, headers=headers)
            response = self._send(request, platform=PLATFORM, account_id=account, day=None)
            if response.status_code != 200:
                raise error_from_response(response, customer_id=account, day=None)
            return parse_accessible_customers(response.text)

        return self._call_with_retries(attempt, operation="Google Ads listAccessibleCustomers")

    def _search_stream(
        self,
        *,
        customer_id: str,
        login_customer_id: str | None,
        query: str,
        day: dt.date | None,
        parse: Callable[[str], T],
        operation: str,
        last_day: dt.date | None = None,
    ) -> T:
        """Run one GAQL query through searchStream with retries and parse the 200 body.

        `day` is the query's account-local day, or its first day when `last_day` is set.
        """
        validate_customer_id(customer_id, field="customer_id")
        if login_customer_id is not None:
            validate_customer_id(login_customer_id, field="login_customer_id")
        url = f"{self._api_root()}/customers/{customer_id}/googleAds:searchStream"
        headers = self._headers(login_customer_id)
        body = {"query": query}

        def attempt() -> T:
            request = httpx.Request("POST", url, headers=headers, json=body)
            response = self._send(
                request, platform=PLATFORM, account_id=customer_id, day=day, last_day=last_day
            )
            if response.status_code != 200:
                raise error_from_response(
                    response, customer_id=customer_id, day=day, last_day=last_day
                )
            return parse(response.text)

        return self._call_with_retries(attempt, operation=operation)

    def _api_root(self) -> str:
        return f"{self.base_url.rstrip('/')}/{self.api_version}"

    def _headers(self, login_customer_id: str | None) -> dict[str, str]:
        headers = {
            "Authorization": f"Bearer {self.access_token}",
            "developer-token": self.developer_token,
        }
        if login_customer_id is not None:
            headers["login-customer-id"] = login_customer_id
        return headers


def validate_customer_id(value: str, *, field: str) -> None:
    """Raise ValueError unless `value` is a 10-digit customer id, before it reaches a URL."""
    if not isinstance(value, str) or not _CUSTOMER_ID.fullmatch(value):
        raise ValueError(
            f"Invalid Google Ads {field} {value!r}: expected 10 digits without dashes, "
            "like '1234567890'."
        )


def validate_day_range(customer_id: str, first_day: dt.date, last_day: dt.date) -> None:
    """Raise ValueError when `last_day` is before `first_day`, before any request is sent."""
    if last_day < first_day:
        raise ValueError(
            f"Invalid day range for Google Ads customer {customer_id}: last_day {last_day} is "
            f"before first_day {first_day}. Pass the earlier day as first_day."
        )


def error_from_response(
    response: httpx.Response,
    *,
    customer_id: str,
    day: dt.date | None,
    last_day: dt.date | None = None,
) -> PlatformError:
    """Map a non-200 Google Ads response to the PlatformError subclass that names the next step."""
    status_code = response.status_code
    info = parse_error(response.text)
    summary = _summary(status_code, info, customer_id, describe_days(day, last_day))
    context = {"platform": PLATFORM, "account_id": customer_id, "day": day, "last_day": last_day}

    if status_code == 429 or (info and info.has_error_code(settings.RETRYABLE_QUOTA_ERRORS)):
        retry_after = info.retry_delay_seconds if info else None
        wait = f"{retry_after:g} s" if retry_after is not None else "the quota window"
        message = f"{summary} Wait {wait} and run again, or raise max_retry_seconds."
        return PlatformRateLimitError(
            message, status_code=status_code, retry_after=retry_after, **context
        )
    if status_code == 401:
        hint = _auth_hint(info, settings.AUTHENTICATION_ERROR_HINTS, settings.ACCESS_TOKEN_HINT)
        message = f"{summary} Do not retry: {hint}."
        return PlatformAuthError(message, status_code=status_code, **context)
    if status_code == 403:
        hint = _auth_hint(
            info, settings.AUTHORIZATION_ERROR_HINTS, settings.DEFAULT_PERMISSION_HINT
        )
        message = f"{summary} Do not retry: {hint}."
        return PlatformAuthError(message, status_code=status_code, **context)
    if status_code in settings.RETRYABLE_STATUS_CODES or status_code >= 500:
        message = f"{summary} This is a server-side error; run again later."
        return PlatformTransientError(message, status_code=status_code, **context)
    message = (
        f"{summary} Do not retry the same request: check customer_id, api_version and the "
        "GAQL fields in google_ads/settings.py."
    )
    return PlatformRequestError(message, status_code=status_code, **context)


def _summary(status_code: int, info: GoogleAdsErrorInfo | None, customer_id: str, days: str) -> str:
    text = f"Google Ads request for customer {customer_id}{days} failed with HTTP {status_code}"
    if info is None:
        return f"{text} and a body that is not a Google error object."
    codes = ", ".join(value for _, value in info.error_codes)
    text += f" {info.status}" if info.status else ""
    text += f" ({codes})" if codes else ""
    text += f": {info.message}" if info.message else ""
    text += f" [request id {info.request_id}]" if info.request_id else ""
    return text.rstrip(".") + "."


def _auth_hint(info: GoogleAdsErrorInfo | None, hints: dict[str, str], default: str) -> str:
    for _, value in info.error_codes if info else ():
        if value in hints:
            return hints[value]
    return default
