"""Dagster resource for LinkedIn adAnalytics (daily campaign analytics)."""

from __future__ import annotations

import datetime as dt
import logging
import re

import httpx

from marketing_assets.platforms.http import PlatformHttpResource
from marketing_assets.platforms.linkedin import settings
from marketing_assets.platforms.linkedin.errors import error_from_response
from marketing_assets.platforms.linkedin.parse import parse_ad_account, parse_analytics
from marketing_assets.platforms.linkedin.records import LinkedInAdAccount, LinkedInCampaignDay
from marketing_assets.platforms.linkedin.settings import PLATFORM

logger = logging.getLogger(__name__)

_ACCOUNT_ID = re.compile(r"[0-9]+", re.ASCII)


class LinkedInResource(PlatformHttpResource):
    """LinkedIn adAnalytics client that reads each campaign's totals of one day a request.

    adAnalytics has no hourly grain and no paging: one response carries every campaign of the
    day. HTTP 429 and 5xx responses are retried within max_attempts and max_retry_seconds.
    """

    access_token: str
    base_url: str = settings.DEFAULT_BASE_URL
    api_version: str = settings.DEFAULT_API_VERSION

    def fetch_ad_account(self, *, account_id: str) -> LinkedInAdAccount:
        """Fetch the ad account's name and currency."""
        validate_account_id(account_id)
        url = f"{self._rest_root()}/adAccounts/{account_id}"

        def attempt() -> LinkedInAdAccount:
            response = self._get(url, account_id=account_id, day=None)
            return parse_ad_account(response.text, account_id=account_id)

        return self._call_with_retries(attempt, operation=f"LinkedIn ad account {account_id}")

    def fetch_campaign_days(self, *, account_id: str, day: dt.date) -> list[LinkedInCampaignDay]:
        """Fetch each campaign's analytics of `day`; an account without activity returns []."""
        validate_account_id(account_id)
        url = f"{self._rest_root()}/adAnalytics?{settings.analytics_query(account_id, day)}"

        def attempt() -> list[LinkedInCampaignDay]:
            response = self._get(url, account_id=account_id, day=day)
            return parse_analytics(response.text, account_id=account_id, day=day)

        records = self._call_with_retries(
            attempt, operation=f"LinkedIn adAnalytics for account {account_id} on {day}"
        )
        logger.debug(
            "Fetched %d campaign days for LinkedIn account %s on %s", len(records), account_id, day
        )
        return records

    def _get(self, url: str, *, account_id: str, day: dt.date | None) -> httpx.Response:
        headers = {
            "Authorization": f"Bearer {self.access_token}",
            "LinkedIn-Version": self.api_version,
            "X-Restli-Protocol-Version": settings.RESTLI_PROTOCOL_VERSION,
        }
        # The URL is passed whole so httpx keeps the Rest.li query exactly as built.
        request = httpx.Request("GET", url, headers=headers)
        response = self._send(request, platform=PLATFORM, account_id=account_id, day=day)
        if response.status_code != 200:
            raise error_from_response(response, account_id=account_id, day=day)
        return response

    def _rest_root(self) -> str:
        return f"{self.base_url.rstrip('/')}/rest"


def validate_account_id(value: str) -> None:
    """Raise ValueError unless `value` is a digits-only ad account id, before it reaches a URL."""
    if not isinstance(value, str) or not _ACCOUNT_ID.fullmatch(value):
        raise ValueError(
            f"Invalid LinkedIn account_id {value!r}: expected the sponsoredAccount id, digits "
            "only, like '507123456'."
        )
