"""Dagster resource for Microsoft Advertising Reporting v13: submit, poll, download."""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import httpx
from pydantic import Field, ValidationInfo, ValidatorFunctionWrapHandler, field_validator

from marketing_assets.platforms.errors import (
    PlatformTransientError,
    describe_days,
    describe_scope,
)
from marketing_assets.platforms.http import PlatformHttpResource, check_range
from marketing_assets.platforms.microsoft_ads import settings
from marketing_assets.platforms.microsoft_ads.daily_report_csv import parse_daily_report_zip
from marketing_assets.platforms.microsoft_ads.errors import error_from_response
from marketing_assets.platforms.microsoft_ads.parse import PollResult, parse_poll, parse_submit
from marketing_assets.platforms.microsoft_ads.records import (
    MicrosoftAdsCampaignDay,
    MicrosoftAdsCampaignHour,
)
from marketing_assets.platforms.microsoft_ads.report_csv import parse_report_zip
from marketing_assets.platforms.microsoft_ads.settings import PLATFORM

logger = logging.getLogger(__name__)

_DIGITS = re.compile(r"[0-9]+", re.ASCII)

RecordT = TypeVar("RecordT", MicrosoftAdsCampaignHour, MicrosoftAdsCampaignDay)


class MicrosoftAdsResource(PlatformHttpResource):
    """Microsoft Advertising report client that reads campaign hours, one day per report.

    Daily figures for reconciliation come in one report over a range of days. Each report
    takes a Submit, then a Poll every poll_interval_seconds until it succeeds, then the ZIP
    download. Each of those calls is retried on rate limits and transient errors within
    max_attempts and max_retry_seconds. The download URL is signed, so it gets no
    credentials and never appears in logs or messages.
    """

    access_token: str
    developer_token: str
    customer_id: str = Field(
        description="Customer (manager) id sent as the CustomerId header, digits only."
    )
    base_url: str = settings.DEFAULT_BASE_URL
    api_version: str = settings.DEFAULT_API_VERSION
    poll_interval_seconds: float = Field(
        default=settings.DEFAULT_POLL_INTERVAL_SECONDS,
        description="Wait between two Poll calls for one report, in seconds.",
    )
    poll_timeout_seconds: int = Field(
        default=settings.DEFAULT_POLL_TIMEOUT_SECONDS,
        description=(
            "Time a report may stay Pending, in seconds counted from its Submit, before the "
            "fetch fails with a transient error."
        ),
    )

    @field_validator("poll_interval_seconds", "poll_timeout_seconds", mode="wrap")
    @classmethod
    def _check_poll_range(
        cls, value: object, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> float:
        field = info.field_name or ""
        return check_range(value, handler(value), field=field, minimum=0)

    def fetch_campaign_hours(
        self, *, account_id: str, day: dt.date
    ) -> list[MicrosoftAdsCampaignHour]:
        """Fetch every campaign-hour row of `day` in the report's own time zone.

        Records carry the zone the report states, which the mapping to UTC hours must use
        instead of the account's configured zone.
        """
        scope = ReportScope(account_id, day, day)
        records = self._fetch_report(
            scope,
            aggregation=settings.HOURLY,
            parse=lambda content: parse_report_zip(content, account_id=account_id, day=day),
        )
        logger.debug(
            "Fetched %d campaign hours for Microsoft Advertising account %s on %s",
            len(records),
            account_id,
            day,
        )
        return records

    def fetch_campaign_days(
        self, *, account_id: str, first_day: dt.date, last_day: dt.date
    ) -> list[MicrosoftAdsCampaignDay]:
        """Fetch each campaign's totals of every day from `first_day` to `last_day`.

        These are Microsoft's daily figures (Daily aggregation, one report for the whole
        range), to reconcile the rows of fetch_campaign_hours against. Polling, retries and
        errors work as in fetch_campaign_hours.
        """
        scope = ReportScope(account_id, first_day, last_day)
        records = self._fetch_report(
            scope,
            aggregation=settings.DAILY,
            parse=lambda content: parse_daily_report_zip(
                content, account_id=account_id, first_day=first_day, last_day=last_day
            ),
        )
        logger.debug(
            "Fetched %d campaign days for Microsoft Advertising account %s%s",
            len(records),
            account_id,
            scope.days,
        )
        return records

    def _fetch_report(
        self,
        scope: ReportScope,
        *,
        aggregation: str,
        parse: Callable[[bytes], list[RecordT]],
    ) -> list[RecordT]:
        """Submit a report, wait for it and download it; no download URL means no rows."""
        validate_digits(scope.account_id, field="account_id")
        validate_digits(self.customer_id, field="customer_id")
        report_id = self._submit(scope, aggregation)
        result = self._wait_for_report(report_id, scope)
        if result.download_url is None:
            logger.debug(
                "Microsoft Advertising account %s has no rows%s", scope.account_id, scope.days
            )
            return []
        return self._download(result.download_url, scope, parse)

    def _submit(self, scope: ReportScope, aggregation: str) -> str:
        body = settings.report_request(
            scope.account_id, scope.first_day, aggregation, last_day=scope.last_day
        )

        def attempt() -> str:
            response = self._post(settings.SUBMIT_PATH, body, scope)
            return parse_submit(response.text, **scope.reader_context)

        return self._call_with_retries(
            attempt,
            operation=f"Microsoft Advertising report submit for {scope.account_id}{scope.days}",
        )

    def _wait_for_report(self, report_id: str, scope: ReportScope) -> PollResult:
        """Poll until the report leaves Pending, within poll_timeout_seconds."""
        deadline = time.monotonic() + self.poll_timeout_seconds
        polls = 0
        while True:
            result = self._poll(report_id, scope)
            polls += 1
            if result.status == settings.STATUS_SUCCESS:
                return result
            described = scope.describe()
            if result.status == settings.STATUS_ERROR:
                message = (
                    f"Microsoft Advertising could not build the report {report_id} for "
                    f"{described} (Poll returned Status Error). Run the partition again later."
                )
                raise PlatformTransientError(message, **scope.error_context)
            if time.monotonic() + self.poll_interval_seconds > deadline:
                message = (
                    f"The report {report_id} for {described} was still Pending after {polls} "
                    f"polls and poll_timeout_seconds={self.poll_timeout_seconds}. Run the "
                    "partition again later, or raise poll_timeout_seconds if reports take this "
                    "long."
                )
                raise PlatformTransientError(message, **scope.error_context)
            time.sleep(self.poll_interval_seconds)

    def _poll(self, report_id: str, scope: ReportScope) -> PollResult:
        body = {"ReportRequestId": report_id}

        def attempt() -> PollResult:
            response = self._post(settings.POLL_PATH, body, scope)
            return parse_poll(response.text, **scope.reader_context)

        return self._call_with_retries(
            attempt,
            operation=f"Microsoft Advertising report poll for {scope.account_id}{scope.days}",
        )

    def _download(
        self, url: str, scope: ReportScope, parse: Callable[[bytes], list[RecordT]]
    ) -> list[RecordT]:
        """Download and parse the report, retrying both, since a ZIP cut short fails parsing."""

        def attempt() -> list[RecordT]:
            request = httpx.Request("GET", url)
            response = self._send(request, **scope.error_context)
            if response.status_code != 200:
                raise error_from_response(
                    response, operation="report download", **scope.reader_context
                )
            return parse(response.content)

        return self._call_with_retries(
            attempt,
            operation=f"Microsoft Advertising report download for {scope.account_id}{scope.days}",
        )

    def _post(self, path: str, body: dict[str, object], scope: ReportScope) -> httpx.Response:
        url = f"{self.base_url.rstrip('/')}/Reporting/{self.api_version}/{path}"
        headers = {
            "Authorization": f"Bearer {self.access_token}",
            "DeveloperToken": self.developer_token,
            "CustomerId": self.customer_id,
            "CustomerAccountId": scope.account_id,
        }
        request = httpx.Request("POST", url, json=body, headers=headers)
        response = self._send(request, **scope.error_context)
        if response.status_code != 200:
            operation = "report submit" if path == settings.SUBMIT_PATH else "report poll"
            raise error_from_response(response, operation=operation, **scope.reader_context)
        return response


@dataclass(frozen=True, slots=True)
class ReportScope:
    """The account and the days one report covers; `first_day` equals `last_day` for one day."""

    account_id: str
    first_day: dt.date
    last_day: dt.date

    @property
    def days(self) -> str:
        return describe_days(self.first_day, self.last_day)

    @property
    def reader_context(self) -> dict[str, object]:
        """Keyword arguments naming the account and days to parsers and error builders."""
        last_day = self.last_day if self.last_day != self.first_day else None
        return {"account_id": self.account_id, "day": self.first_day, "last_day": last_day}

    @property
    def error_context(self) -> dict[str, object]:
        """Keyword arguments of PlatformError and of PlatformHttpResource._send."""
        return {"platform": PLATFORM, **self.reader_context}

    def describe(self) -> str:
        return describe_scope(PLATFORM, self.account_id, self.first_day, self.last_day)


def validate_digits(value: str, *, field: str) -> None:
    """Raise ValueError unless `value` is a digits-only id, before it reaches a header."""
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        raise ValueError(
            f"Invalid Microsoft Advertising {field} {value!r}: expected digits only, "
            "like '123456789'."
        )
