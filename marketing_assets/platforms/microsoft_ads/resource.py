"""Dagster resource for Microsoft Advertising Reporting v13: submit, poll, download."""

from __future__ import annotations

import datetime as dt
import logging
import re
import time

import httpx
from pydantic import Field, ValidationInfo, ValidatorFunctionWrapHandler, field_validator

from marketing_assets.platforms.errors import PlatformTransientError, describe_scope
from marketing_assets.platforms.http import PlatformHttpResource, check_range
from marketing_assets.platforms.microsoft_ads import settings
from marketing_assets.platforms.microsoft_ads.errors import error_from_response
from marketing_assets.platforms.microsoft_ads.parse import PollResult, parse_poll, parse_submit
from marketing_assets.platforms.microsoft_ads.records import MicrosoftAdsCampaignHour
from marketing_assets.platforms.microsoft_ads.report_csv import parse_report_zip
from marketing_assets.platforms.microsoft_ads.settings import PLATFORM

logger = logging.getLogger(__name__)

_DIGITS = re.compile(r"[0-9]+", re.ASCII)


class MicrosoftAdsResource(PlatformHttpResource):
    """Microsoft Advertising report client that reads campaign hours, one day per report.

    Each day is one report: Submit, then Poll every poll_interval_seconds until it succeeds,
    then download the ZIP. Each of those calls is retried on rate limits and transient errors
    within max_attempts and max_retry_seconds. The download URL is signed, so it gets no
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

        Records carry the zone the report states, which the lead's UTC mapping must use
        instead of the account's configured zone.
        """
        validate_digits(account_id, field="account_id")
        validate_digits(self.customer_id, field="customer_id")
        report_id = self._submit(account_id, day)
        result = self._wait_for_report(report_id, account_id=account_id, day=day)
        if result.download_url is None:
            logger.debug("Microsoft Advertising account %s has no rows on %s", account_id, day)
            return []
        records = self._download(result.download_url, account_id=account_id, day=day)
        logger.debug(
            "Fetched %d campaign hours for Microsoft Advertising account %s on %s",
            len(records),
            account_id,
            day,
        )
        return records

    def _submit(self, account_id: str, day: dt.date) -> str:
        body = settings.report_request(account_id, day)

        def attempt() -> str:
            response = self._post(settings.SUBMIT_PATH, body, account_id=account_id, day=day)
            return parse_submit(response.text, account_id=account_id, day=day)

        return self._call_with_retries(
            attempt, operation=f"Microsoft Advertising report submit for {account_id} on {day}"
        )

    def _wait_for_report(self, report_id: str, *, account_id: str, day: dt.date) -> PollResult:
        """Poll until the report leaves Pending, within poll_timeout_seconds."""
        deadline = time.monotonic() + self.poll_timeout_seconds
        polls = 0
        while True:
            result = self._poll(report_id, account_id=account_id, day=day)
            polls += 1
            if result.status == settings.STATUS_SUCCESS:
                return result
            scope = describe_scope(PLATFORM, account_id, day)
            if result.status == settings.STATUS_ERROR:
                message = (
                    f"Microsoft Advertising could not build the report {report_id} for {scope} "
                    "(Poll returned Status Error). Run the partition again later."
                )
                raise PlatformTransientError(
                    message, platform=PLATFORM, account_id=account_id, day=day
                )
            if time.monotonic() + self.poll_interval_seconds > deadline:
                message = (
                    f"The report {report_id} for {scope} was still Pending after {polls} polls "
                    f"and poll_timeout_seconds={self.poll_timeout_seconds}. Run the partition "
                    "again later, or raise poll_timeout_seconds if reports take this long."
                )
                raise PlatformTransientError(
                    message, platform=PLATFORM, account_id=account_id, day=day
                )
            time.sleep(self.poll_interval_seconds)

    def _poll(self, report_id: str, *, account_id: str, day: dt.date) -> PollResult:
        body = {"ReportRequestId": report_id}

        def attempt() -> PollResult:
            response = self._post(settings.POLL_PATH, body, account_id=account_id, day=day)
            return parse_poll(response.text, account_id=account_id, day=day)

        return self._call_with_retries(
            attempt, operation=f"Microsoft Advertising report poll for {account_id} on {day}"
        )

    def _download(
        self, url: str, *, account_id: str, day: dt.date
    ) -> list[MicrosoftAdsCampaignHour]:
        """Download and parse the report, retrying both, since a ZIP cut short fails parsing."""

        def attempt() -> list[MicrosoftAdsCampaignHour]:
            request = httpx.Request("GET", url)
            response = self._send(request, platform=PLATFORM, account_id=account_id, day=day)
            if response.status_code != 200:
                raise error_from_response(
                    response, account_id=account_id, day=day, operation="report download"
                )
            return parse_report_zip(response.content, account_id=account_id, day=day)

        return self._call_with_retries(
            attempt, operation=f"Microsoft Advertising report download for {account_id} on {day}"
        )

    def _post(
        self, path: str, body: dict[str, object], *, account_id: str, day: dt.date
    ) -> httpx.Response:
        url = f"{self.base_url.rstrip('/')}/Reporting/{self.api_version}/{path}"
        headers = {
            "Authorization": f"Bearer {self.access_token}",
            "DeveloperToken": self.developer_token,
            "CustomerId": self.customer_id,
            "CustomerAccountId": account_id,
        }
        request = httpx.Request("POST", url, json=body, headers=headers)
        response = self._send(request, platform=PLATFORM, account_id=account_id, day=day)
        if response.status_code != 200:
            operation = "report submit" if path == settings.SUBMIT_PATH else "report poll"
            raise error_from_response(response, account_id=account_id, day=day, operation=operation)
        return response


def validate_digits(value: str, *, field: str) -> None:
    """Raise ValueError unless `value` is a digits-only id, before it reaches a header."""
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        raise ValueError(
            f"Invalid Microsoft Advertising {field} {value!r}: expected digits only, "
            "like '123456789'."
        )
