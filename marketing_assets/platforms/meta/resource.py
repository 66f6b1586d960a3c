"""Dagster resource for the Meta Marketing API (Graph API ad account insights)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import httpx
from pydantic import (
    Field,
    PrivateAttr,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
)

from marketing_assets.platforms.errors import (
    PlatformAuthError,
    PlatformError,
    PlatformRateLimitError,
    PlatformRequestError,
    PlatformTransientError,
    describe_days,
    malformed_response,
)
from marketing_assets.platforms.http import PlatformHttpResource, check_range
from marketing_assets.platforms.meta import settings
from marketing_assets.platforms.meta.parse import (
    PLATFORM,
    InsightsPage,
    MetaErrorInfo,
    parse_ad_account,
    parse_daily_insights_page,
    parse_error,
    parse_insights_page,
    parse_regain_access_seconds,
)
from marketing_assets.platforms.meta.records import MetaAdAccount, MetaCampaignDay, MetaCampaignHour
from marketing_assets.platforms.meta.usage import UsagePacer

logger = logging.getLogger(__name__)

_ACCOUNT_ID = re.compile(r"[0-9]+", re.ASCII)

RecordT = TypeVar("RecordT")


@dataclass(frozen=True, slots=True)
class InsightsRecords(Generic[RecordT]):
    """Records of every page of one insights request, with counts for the debug log."""

    records: list[RecordT]
    pages: int
    skipped_zero_rows: int


class MetaReduceDataError(PlatformRequestError):
    """Graph error code 1 with a request to reduce the amount of data. The same request fails
    again until it covers fewer days or fields."""

    kind = "request for too much data"


class MetaResource(PlatformHttpResource):
    """Meta insights client that reads campaign hours one account-local day a query, and
    daily totals over a range of days in one query.

    The token travels in the Authorization header so it never appears in a URL. Above
    usage_threshold_percent of a Meta rate limit, as the usage headers of each successful
    response report it, the next request waits (see meta/usage.py). Rate-limit errors (HTTP
    400 with codes such as 17 or 80004) and 5xx responses are retried within max_attempts and
    max_retry_seconds, waiting for Meta's estimated_time_to_regain_access when the response
    carries one.
    """

    access_token: str
    base_url: str = settings.DEFAULT_BASE_URL
    api_version: str = settings.DEFAULT_API_VERSION
    page_size: int = settings.DEFAULT_PAGE_SIZE
    usage_threshold_percent: int = Field(
        default=settings.DEFAULT_USAGE_THRESHOLD_PERCENT,
        description=(
            "Share of a Meta rate limit, in percent, above which the client pauses before its "
            "next request, longer the closer usage is to 100%."
        ),
    )
    usage_pause_max_seconds: int = Field(
        default=settings.DEFAULT_USAGE_PAUSE_MAX_SECONDS,
        description=(
            "Maximum pause for high usage before one request, in seconds, where 0 turns "
            "pausing off."
        ),
    )

    _pacer: UsagePacer | None = PrivateAttr(default=None)

    @field_validator("usage_threshold_percent", "usage_pause_max_seconds", mode="wrap")
    @classmethod
    def _check_usage_range(
        cls, value: object, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> int:
        field = info.field_name or ""
        if field == "usage_threshold_percent":
            return check_range(value, handler(value), field=field, minimum=1, maximum=99)
        return check_range(value, handler(value), field=field, minimum=0)

    def fetch_ad_account(self, *, account_id: str) -> MetaAdAccount:
        """Fetch the ad account's name, IANA time zone and currency."""
        validate_account_id(account_id)
        url = f"{self._api_root()}/act_{account_id}"
        params = {"fields": settings.AD_ACCOUNT_FIELDS}

        def attempt() -> MetaAdAccount:
            response = self._get(url, params, account_id=account_id, day=None)
            return parse_ad_account(response.text, account_id=account_id)

        return self._call_with_retries(attempt, operation=f"Meta ad account {account_id}")

    def fetch_campaign_hours(self, *, account_id: str, day: dt.date) -> list[MetaCampaignHour]:
        """Fetch every campaign-hour row of `day` (account-local), following cursor pages.

        Pages are requested again with after=<cursor> instead of following paging.next,
        because the real next URL carries the access token as a query parameter.
        """
        fetched = self._fetch_insights(
            account_id=account_id,
            day=day,
            build_params=lambda after: settings.insights_params(
                day, page_size=self.page_size, after=after
            ),
            parse_page=lambda text: parse_insights_page(text, account_id=account_id, day=day),
        )
        logger.debug(
            "Fetched %d campaign hours for Meta account %s on %s over %d pages, "
            "skipped %d zero-impression rows without an hour",
            len(fetched.records),
            account_id,
            day,
            fetched.pages,
            fetched.skipped_zero_rows,
        )
        return fetched.records

    def fetch_campaign_days(
        self, *, account_id: str, first_day: dt.date, last_day: dt.date
    ) -> list[MetaCampaignDay]:
        """Fetch each campaign's totals per account-local day from `first_day` to `last_day`.

        One report without breakdowns covers the range, both days included, with
        time_increment=1 so each row is one campaign on one day. These are Meta's daily
        figures, pixel conversions included, to reconcile the rows of fetch_campaign_hours
        against. When Meta rejects the range as too much data (MetaReduceDataError), each half
        of the range is requested separately. Paging, retries and other errors work as in
        fetch_campaign_hours.
        """
        validate_day_range(account_id, first_day, last_day)
        try:
            fetched = self._fetch_insights(
                account_id=account_id,
                day=first_day,
                last_day=last_day,
                build_params=lambda after: settings.daily_insights_params(
                    first_day, last_day, page_size=self.page_size, after=after
                ),
                parse_page=lambda text: parse_daily_insights_page(
                    text, account_id=account_id, first_day=first_day, last_day=last_day
                ),
            )
        except MetaReduceDataError:
            if first_day == last_day:
                raise
            return self._fetch_campaign_days_in_halves(account_id, first_day, last_day)
        logger.debug(
            "Fetched %d campaign days for Meta account %s%s over %d pages",
            len(fetched.records),
            account_id,
            describe_days(first_day, last_day),
            fetched.pages,
        )
        return fetched.records

    def _fetch_campaign_days_in_halves(
        self, account_id: str, first_day: dt.date, last_day: dt.date
    ) -> list[MetaCampaignDay]:
        last_of_first_half = first_day + (last_day - first_day) // 2
        logger.warning(
            "Meta rejected the daily report for account %s%s as too much data, so %s to %s and "
            "%s to %s are requested separately",
            account_id,
            describe_days(first_day, last_day),
            first_day,
            last_of_first_half,
            last_of_first_half + dt.timedelta(days=1),
            last_day,
        )
        first_half = self.fetch_campaign_days(
            account_id=account_id, first_day=first_day, last_day=last_of_first_half
        )
        second_half = self.fetch_campaign_days(
            account_id=account_id,
            first_day=last_of_first_half + dt.timedelta(days=1),
            last_day=last_day,
        )
        return first_half + second_half

    def _fetch_insights(
        self,
        *,
        account_id: str,
        day: dt.date,
        build_params: Callable[[str | None], dict[str, str]],
        parse_page: Callable[[str], InsightsPage[RecordT]],
        last_day: dt.date | None = None,
    ) -> InsightsRecords[RecordT]:
        """Request every page of one insights report, following after cursors.

        `build_params` returns the query parameters for an after cursor (None for the first
        page). `day` is the report's account-local day, or its first day when `last_day` is
        set. Raises PlatformResponseError when a cursor repeats, so a looping API cannot hang
        the run.
        """
        validate_account_id(account_id)
        url = f"{self._api_root()}/act_{account_id}/insights"
        records: list[RecordT] = []
        seen_cursors: set[str] = set()
        cursor: str | None = None
        skipped = 0
        while True:
            page = self._fetch_insights_page(
                url,
                build_params(cursor),
                account_id=account_id,
                day=day,
                last_day=last_day,
                parse_page=parse_page,
            )
            records.extend(page.records)
            skipped += page.skipped_zero_rows
            cursor = page.next_cursor
            if cursor is None:
                break
            if cursor in seen_cursors:
                detail = f"paging.cursors.after {cursor!r} repeats an earlier page's cursor"
                raise malformed_response(PLATFORM, account_id, day, detail, last_day=last_day)
            seen_cursors.add(cursor)
        return InsightsRecords(records, pages=len(seen_cursors) + 1, skipped_zero_rows=skipped)

    def _fetch_insights_page(
        self,
        url: str,
        params: dict[str, str],
        *,
        account_id: str,
        day: dt.date,
        last_day: dt.date | None,
        parse_page: Callable[[str], InsightsPage[RecordT]],
    ) -> InsightsPage[RecordT]:
        def attempt() -> InsightsPage[RecordT]:
            response = self._get(url, params, account_id=account_id, day=day, last_day=last_day)
            return parse_page(response.text)

        days = describe_days(day, last_day)
        return self._call_with_retries(
            attempt, operation=f"Meta insights for account {account_id}{days}"
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
        headers = {"Authorization": f"Bearer {self.access_token}"}
        request = httpx.Request("GET", url, params=params, headers=headers)
        pacer = self._usage_pacer()
        pacer.wait(account_id)
        response = self._send(
            request, platform=PLATFORM, account_id=account_id, day=day, last_day=last_day
        )
        if response.status_code != 200:
            raise error_from_response(response, account_id=account_id, day=day, last_day=last_day)
        # Only successful responses set the pace. After an error the retry policy picks the
        # wait, from estimated_time_to_regain_access for a rate limit.
        pacer.record(account_id, response.headers)
        return response

    def _api_root(self) -> str:
        return f"{self.base_url.rstrip('/')}/{self.api_version}"

    def _usage_pacer(self) -> UsagePacer:
        # Built on first use, because Dagster resolves EnvVar fields only at run start.
        if self._pacer is None:
            self._pacer = UsagePacer(
                threshold_percent=self.usage_threshold_percent,
                max_pause_seconds=self.usage_pause_max_seconds,
            )
        return self._pacer


def validate_account_id(value: str) -> None:
    """Raise ValueError unless `value` is a digits-only ad account id, before it reaches a URL."""
    if not isinstance(value, str) or not _ACCOUNT_ID.fullmatch(value):
        raise ValueError(
            f"Invalid Meta account_id {value!r}: expected digits only without the 'act_' "
            "prefix, like '123456789012'."
        )


def validate_day_range(account_id: str, first_day: dt.date, last_day: dt.date) -> None:
    """Raise ValueError when `last_day` is before `first_day`, before any request is sent."""
    if last_day < first_day:
        raise ValueError(
            f"Invalid day range for Meta account {account_id}: last_day {last_day} is before "
            f"first_day {first_day}. Pass the earlier day as first_day."
        )


def error_from_response(
    response: httpx.Response,
    *,
    account_id: str,
    day: dt.date | None,
    last_day: dt.date | None = None,
) -> PlatformError:
    """Map a non-200 Graph API response to the PlatformError subclass that names the next step."""
    status_code = response.status_code
    info = parse_error(response.text)
    code = info.code if info else None
    summary = _summary(status_code, info, account_id, describe_days(day, last_day))
    context = {"platform": PLATFORM, "account_id": account_id, "day": day, "last_day": last_day}

    if code in settings.RATE_LIMIT_ERROR_CODES or status_code == 429:
        header = response.headers.get("x-business-use-case-usage")
        retry_after = parse_regain_access_seconds(header)
        wait = f"{retry_after:g} s" if retry_after is not None else "a few minutes"
        message = f"{summary} Meta rate-limited the request; wait {wait} and run again."
        return PlatformRateLimitError(
            message, status_code=status_code, retry_after=retry_after, **context
        )
    if code == settings.INVALID_TOKEN_ERROR_CODE or status_code == 401:
        message = f"{summary} Do not retry: {settings.ACCESS_TOKEN_HINT}."
        return PlatformAuthError(message, status_code=status_code, **context)
    if code in settings.PERMISSION_ERROR_CODES or status_code == 403:
        message = f"{summary} Do not retry: {settings.PERMISSION_HINT}."
        return PlatformAuthError(message, status_code=status_code, **context)
    if info and settings.REDUCE_DATA_MESSAGE in info.message.lower():
        fewer_days = (
            "request fewer days at a time"
            if last_day is not None and last_day != day
            else "it already asks for one day, so request fewer fields in meta/settings.py"
        )
        message = (
            f"{summary} Do not retry the same request: {fewer_days}, or move this account to "
            "an async report run."
        )
        return MetaReduceDataError(message, status_code=status_code, **context)
    if code in settings.TRANSIENT_ERROR_CODES or status_code >= 500:
        message = f"{summary} This is a temporary Meta error; run again later."
        return PlatformTransientError(message, status_code=status_code, **context)
    message = (
        f"{summary} Do not retry the same request: check account_id, api_version and the "
        "insights parameters in meta/settings.py."
    )
    return PlatformRequestError(message, status_code=status_code, **context)


def _summary(status_code: int, info: MetaErrorInfo | None, account_id: str, days: str) -> str:
    text = f"Meta request for ad account {account_id}{days} failed with HTTP {status_code}"
    if info is None:
        return f"{text} and a body that is not a Graph API error object."
    if info.code is not None:
        text += f", error code {info.code}"
    if info.subcode is not None:
        text += f" subcode {info.subcode}"
    text += f" ({info.type})" if info.type else ""
    text += f": {info.message}" if info.message else ""
    text += f" [fbtrace_id {info.fbtrace_id}]" if info.fbtrace_id else ""
    return text.rstrip(".") + "."
