"""Dagster resource for the TikTok Business API (integrated hourly reports)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable

import httpx
from pydantic import ValidationInfo, ValidatorFunctionWrapHandler, field_validator

from marketing_assets.platforms.errors import describe_days, malformed_response
from marketing_assets.platforms.http import PlatformHttpResource, check_range
from marketing_assets.platforms.tiktok import settings
from marketing_assets.platforms.tiktok.errors import error_from_status
from marketing_assets.platforms.tiktok.parse import (
    RecordT,
    ReportPage,
    check_unique_campaign_days,
    check_unique_hours,
    parse_advertiser,
    parse_daily_report_page,
    parse_report_page,
)
from marketing_assets.platforms.tiktok.records import (
    TikTokAdvertiser,
    TikTokCampaignDay,
    TikTokCampaignHour,
)
from marketing_assets.platforms.tiktok.settings import PLATFORM

logger = logging.getLogger(__name__)

_ADVERTISER_ID = re.compile(r"[0-9]+", re.ASCII)


class TikTokResource(PlatformHttpResource):
    """TikTok report client that reads campaign hours, one advertiser-local day a request.

    The token travels in the Access-Token header. Errors that TikTok returns with HTTP 200
    and a non-zero code are classified by that code: rate limits (40100) and maintenance
    (60001) are retried within max_attempts and max_retry_seconds, token and permission
    errors are not.
    """

    access_token: str
    base_url: str = settings.DEFAULT_BASE_URL
    api_version: str = settings.DEFAULT_API_VERSION
    page_size: int = settings.DEFAULT_PAGE_SIZE

    @field_validator("page_size", mode="wrap")
    @classmethod
    def _check_page_size(
        cls, value: object, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> int:
        converted = handler(value)
        return int(
            check_range(
                value, converted, field="page_size", minimum=1, maximum=settings.MAX_PAGE_SIZE
            )
        )

    def fetch_advertiser(self, *, account_id: str) -> TikTokAdvertiser:
        """Fetch the advertiser's name, IANA time zone and currency."""
        validate_advertiser_id(account_id)
        url = self._url(settings.ADVERTISER_INFO_PATH)
        params = settings.advertiser_params(account_id)

        def attempt() -> TikTokAdvertiser:
            response = self._get(url, params, account_id=account_id, day=None)
            return parse_advertiser(response.text, account_id=account_id)

        return self._call_with_retries(attempt, operation=f"TikTok advertiser {account_id}")

    def fetch_campaign_hours(self, *, account_id: str, day: dt.date) -> list[TikTokCampaignHour]:
        """Fetch every campaign-hour row of `day` (advertiser-local), following page numbers.

        Raises PlatformResponseError when a page reports a different page number than the one
        requested, so a looping API cannot hang the run.
        """
        records, pages = self._fetch_report(
            account_id,
            day,
            day,
            dimensions=settings.DIMENSIONS,
            parse_page=lambda text: parse_report_page(text, account_id=account_id, day=day),
        )
        unique = check_unique_hours(records, account_id=account_id, day=day)
        logger.debug(
            "Fetched %d campaign hours for TikTok advertiser %s on %s over %d pages, "
            "dropped %d repeated rows",
            len(unique),
            account_id,
            day,
            pages,
            len(records) - len(unique),
        )
        return unique

    def fetch_campaign_days(
        self, *, account_id: str, first_day: dt.date, last_day: dt.date
    ) -> list[TikTokCampaignDay]:
        """Fetch each campaign's totals of every advertiser-local day from `first_day` to
        `last_day`, in one daily report (dimension stat_time_day).

        These are TikTok's daily figures, to reconcile the rows of fetch_campaign_hours
        against. Paging, retries and errors work as in fetch_campaign_hours.
        """
        records, pages = self._fetch_report(
            account_id,
            first_day,
            last_day,
            dimensions=settings.DAILY_DIMENSIONS,
            parse_page=lambda text: parse_daily_report_page(
                text, account_id=account_id, first_day=first_day, last_day=last_day
            ),
        )
        unique = check_unique_campaign_days(
            records, account_id=account_id, first_day=first_day, last_day=last_day
        )
        logger.debug(
            "Fetched %d campaign days for TikTok advertiser %s%s over %d pages",
            len(unique),
            account_id,
            describe_days(first_day, last_day),
            pages,
        )
        return unique

    def _fetch_report(
        self,
        account_id: str,
        first_day: dt.date,
        last_day: dt.date,
        *,
        dimensions: tuple[str, ...],
        parse_page: Callable[[str], ReportPage[RecordT]],
    ) -> tuple[list[RecordT], int]:
        """Request every page of a report; return its records and the page count."""
        validate_advertiser_id(account_id)
        days = {"day": first_day, "last_day": last_day if last_day != first_day else None}
        url = self._url(settings.REPORT_PATH)
        records: list[RecordT] = []
        page_number = 1
        while True:
            params = settings.report_params(
                account_id,
                first_day,
                page=page_number,
                page_size=self.page_size,
                dimensions=dimensions,
                last_day=last_day,
            )
            page = self._fetch_page(url, params, account_id, days, parse_page)
            records.extend(page.records)
            if page.page >= page.total_page or not page.records:
                return records, page_number
            if page_number >= settings.MAX_PAGES:
                detail = (
                    f"total_page is still above page {page_number} after {settings.MAX_PAGES} pages"
                )
                raise malformed_response(PLATFORM, account_id, detail=detail, **days)
            page_number += 1

    def _fetch_page(
        self,
        url: str,
        params: dict[str, str],
        account_id: str,
        days: dict[str, dt.date | None],
        parse_page: Callable[[str], ReportPage[RecordT]],
    ) -> ReportPage[RecordT]:
        page_number = int(params["page"])

        def attempt() -> ReportPage[RecordT]:
            response = self._get(url, params, account_id=account_id, **days)
            page = parse_page(response.text)
            if page.page != page_number:
                detail = f"data.page_info.page is {page.page}, expected the requested {page_number}"
                raise malformed_response(PLATFORM, account_id, detail=detail, **days)
            return page

        described = describe_days(days["day"], days["last_day"])
        return self._call_with_retries(
            attempt,
            operation=f"TikTok report page {page_number} for advertiser {account_id}{described}",
        )

    def _get(
        self,
        url: str,
        params: dict[str, str],
        *,
        account_id: str,
        day: dt.date | None,
        last_day: dt.date | None = None,
    ) -> httpx.Response:
        request = httpx.Request(
            "GET", url, params=params, headers={"Access-Token": self.access_token}
        )
        response = self._send(
            request, platform=PLATFORM, account_id=account_id, day=day, last_day=last_day
        )
        if response.status_code != 200:
            raise error_from_status(
                response.status_code,
                response.text,
                account_id=account_id,
                day=day,
                last_day=last_day,
            )
        return response

    def _url(self, path: str) -> str:
        return f"{self.base_url.rstrip('/')}/open_api/{self.api_version}/{path}"


def validate_advertiser_id(value: str) -> None:
    """Raise ValueError unless `value` is a digits-only advertiser id, before it reaches a URL."""
    if not isinstance(value, str) or not _ADVERTISER_ID.fullmatch(value):
        raise ValueError(
            f"Invalid TikTok account_id {value!r}: expected the advertiser_id, digits only, "
            "like '7012345678901234567'."
        )
