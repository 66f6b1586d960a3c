"""Dagster resource for LinkedIn adAnalytics (daily campaign analytics)."""

from __future__ import annotations

import datetime as dt
import logging
import re

import httpx

from marketing_assets.platforms.errors import describe_scope
from marketing_assets.platforms.http import PlatformHttpResource
from marketing_assets.platforms.linkedin import settings
from marketing_assets.platforms.linkedin.errors import error_from_response
from marketing_assets.platforms.linkedin.parse import parse_ad_account, parse_analytics
from marketing_assets.platforms.linkedin.records import LinkedInAdAccount, LinkedInCampaignDay
from marketing_assets.platforms.linkedin.settings import PLATFORM

logger = logging.getLogger(__name__)

_ACCOUNT_ID = re.compile(r"[0-9]+", re.ASCII)


class LinkedInResource(PlatformHttpResource):
    """LinkedIn adAnalytics client that reads each campaign's daily totals over a day range.

    adAnalytics has no hourly grain and no paging: one response carries every campaign of
    every requested day. HTTP 429 and 5xx responses are retried within max_attempts and
    max_retry_seconds.
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
        return self.fetch_campaign_day_range(account_id=account_id, first_day=day, last_day=day)

    def fetch_campaign_day_range(
        self, *, account_id: str, first_day: dt.date, last_day: dt.date
    ) -> list[LinkedInCampaignDay]:
        """Fetch each campaign's analytics of every day from `first_day` to `last_day` (both
        included) in one request; days and campaigns without activity have no record."""
        validate_account_id(account_id)
        days = (last_day - first_day).days + 1
        if not 1 <= days <= settings.MAX_DAYS_PER_REQUEST:
            raise ValueError(
                f"Invalid LinkedIn day range {first_day} to {last_day}: request from 1 to "
                f"{settings.MAX_DAYS_PER_REQUEST} days at once."
            )
        query = settings.analytics_query(account_id, first_day, last_day)
        url = f"{self._rest_root()}/adAnalytics?{query}"
        range_end = last_day if last_day != first_day else None

        def attempt() -> list[LinkedInCampaignDay]:
            response = self._get(url, account_id=account_id, day=first_day, last_day=range_end)
            return parse_analytics(
                response.text, account_id=account_id, first_day=first_day, last_day=last_day
            )

        scope = describe_scope(PLATFORM, account_id, first_day, range_end)
        records = self._call_with_retries(attempt, operation=f"adAnalytics for {scope}")
        logger.debug("Fetched %d campaign days for %s", len(records), scope)
        return records

    def _get(
        self,
        url: str,
        *,
        account_id: str,
        day: dt.date | None,
        last_day: dt.date | None = None,
    ) -> httpx.Response:
        headers = {
            "Authorization": f"Bearer {self.access_token}",
            "LinkedIn-Version": self.api_version,
            "X-Restli-Protocol-Version": settings.RESTLI_PROTOCOL_VERSION,
        }
        # The URL is passed whole so httpx keeps the Rest.li query exactly as built.
        request = httpx.Request("GET", url, headers=headers)
        response = self._send(
            request, platform=PLATFORM, account_id=account_id, day=day, last_day=last_day
        )
        if response.status_code != 200:
            raise error_from_response(response, account_id=account_id, day=day, last_day=last_day)
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
