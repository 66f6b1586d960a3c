"""Meta rate-limit usage headers, and the pause that keeps a client below 100% of them.

Every Marketing API response reports, in percent, how much of each rate limit the caller has
used. Past 100% Meta rejects calls with a rate-limit error (code 17, 80004 and similar) until
its estimated_time_to_regain_access has passed. The client reads the headers after each
response and, above a threshold, waits before the next request to the same ad account, or to
any account when app usage is high.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from marketing_assets.platforms.meta.parse import parse_regain_access_seconds

logger = logging.getLogger(__name__)

BUSINESS_USE_CASE_HEADER = "x-business-use-case-usage"
AD_ACCOUNT_HEADER = "x-ad-account-usage"
APP_HEADER = "x-app-usage"
INSIGHTS_THROTTLE_HEADER = "x-fb-ads-insights-throttle"
# Fields of a business use case entry and of x-app-usage, each a percentage of its limit.
USAGE_FIELDS = ("call_count", "total_cputime", "total_time")

# Key of the pause that app usage imposes on every ad account.
_APP_WIDE = ""


@dataclass(frozen=True, slots=True)
class MetaUsage:
    """Usage figures of one response, in percent of each limit, with None where Meta sent none.

    `business_use_case_percent` is the highest call_count, total_cputime or total_time of any
    business use case entry. `ad_account_percent` is acc_id_util_pct from x-ad-account-usage
    or x-fb-ads-insights-throttle, whichever is higher. `app_percent` is the highest
    x-app-usage field or the throttle header's app_id_util_pct. `reset_seconds` is
    reset_time_duration of x-ad-account-usage. `regain_access_seconds` is the longest
    estimated_time_to_regain_access, which Meta sends in minutes and only while it blocks calls.
    """

    business_use_case_percent: float | None
    ad_account_percent: float | None
    app_percent: float | None
    reset_seconds: float | None
    regain_access_seconds: float | None

    @property
    def account_percent(self) -> float | None:
        """The highest figure of the limits that belong to the ad account or its business."""
        return _highest([self.business_use_case_percent, self.ad_account_percent])

    def describe(self) -> str:
        """Summarize the figures for a log line, like "business use case 85%, app 9%"."""
        parts = [
            f"{label} {value:g}%"
            for label, value in (
                ("business use case", self.business_use_case_percent),
                ("ad account", self.ad_account_percent),
                ("app", self.app_percent),
            )
            if value is not None
        ]
        if self.reset_seconds:
            parts.append(f"ad account usage resets in {self.reset_seconds:g} s")
        if self.regain_access_seconds:
            parts.append(f"access returns in {self.regain_access_seconds:g} s")
        return ", ".join(parts)


def parse_usage_headers(headers: Mapping[str, str]) -> MetaUsage | None:
    """Read the usage headers of one response, or return None when it carries none of them.

    `headers` must look names up in lower case, as httpx.Headers does. A header that is not a
    JSON object, or a figure that is not a number, is ignored, because the headers only advise
    and the response itself is still good.
    """
    names = (BUSINESS_USE_CASE_HEADER, AD_ACCOUNT_HEADER, APP_HEADER, INSIGHTS_THROTTLE_HEADER)
    if not any(headers.get(name) for name in names):
        return None
    business = _json_object(headers.get(BUSINESS_USE_CASE_HEADER))
    ad_account = _json_object(headers.get(AD_ACCOUNT_HEADER))
    app = _json_object(headers.get(APP_HEADER))
    throttle = _json_object(headers.get(INSIGHTS_THROTTLE_HEADER))

    entries = [
        entry
        for entry_list in business.values()
        if isinstance(entry_list, list)
        for entry in entry_list
        if isinstance(entry, dict)
    ]
    return MetaUsage(
        business_use_case_percent=_highest_field(entries, USAGE_FIELDS),
        ad_account_percent=_highest_field([ad_account, throttle], ("acc_id_util_pct",)),
        app_percent=_highest(
            [_highest_field([app], USAGE_FIELDS), _highest_field([throttle], ("app_id_util_pct",))]
        ),
        reset_seconds=_number(ad_account.get("reset_time_duration")),
        regain_access_seconds=parse_regain_access_seconds(headers.get(BUSINESS_USE_CASE_HEADER)),
    )


def pause_seconds(
    percent: float,
    *,
    threshold_percent: float,
    max_pause_seconds: float,
    reset_seconds: float | None = None,
) -> float:
    """Return the wait before the next request at `percent` usage of a limit.

    The wait is 0 up to the threshold and grows linearly to the whole reset time at 100%, so
    a client that reaches 100% waits until usage resets. Without a reset time it grows to
    `max_pause_seconds` instead. It never exceeds `max_pause_seconds`.
    """
    if percent <= threshold_percent or max_pause_seconds <= 0:
        return 0.0
    share = min(1.0, (percent - threshold_percent) / (100.0 - threshold_percent))
    horizon = reset_seconds if reset_seconds else max_pause_seconds
    return min(share * horizon, max_pause_seconds)


@dataclass(frozen=True, slots=True)
class _Pause:
    """A time before which no request may start, and the usage that set it."""

    until: float
    usage: MetaUsage


class UsagePacer:
    """Waits before Meta requests while the last reported usage is above the threshold.

    Pauses are per ad account, except that high app usage pauses every account. The pacer
    sees only the responses its own resource received, so it cannot account for clients in
    other processes that share the token's limits. Not thread-safe, like the resource.
    """

    def __init__(
        self,
        *,
        threshold_percent: float,
        max_pause_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.threshold_percent = threshold_percent
        self.max_pause_seconds = max_pause_seconds
        self._clock = clock
        self._sleep = sleep
        self._pauses: dict[str, _Pause] = {}

    def record(self, account_id: str, headers: Mapping[str, str]) -> None:
        """Read the usage headers of a response for `account_id` and set the next pause."""
        usage = parse_usage_headers(headers)
        if usage is None:
            return
        now = self._clock()
        # Newer figures replace the pause they apply to, even with a shorter pause or none.
        if usage.account_percent is not None or usage.regain_access_seconds:
            seconds = self._pause_seconds(usage.account_percent or 0.0, usage.reset_seconds)
            if usage.regain_access_seconds:
                seconds = max(seconds, min(usage.regain_access_seconds, self.max_pause_seconds))
            self._pauses[account_id] = _Pause(now + seconds, usage)
        if usage.app_percent is not None:
            seconds = self._pause_seconds(usage.app_percent, None)
            self._pauses[_APP_WIDE] = _Pause(now + seconds, usage)

    def wait(self, account_id: str) -> float:
        """Sleep until requests to `account_id` may start again, and return the seconds slept."""
        pauses = [pause for key in (account_id, _APP_WIDE) if (pause := self._pauses.get(key))]
        if not pauses:
            return 0.0
        latest = max(pauses, key=lambda pause: pause.until)
        seconds = latest.until - self._clock()
        if seconds <= 0:
            return 0.0
        logger.warning(
            "Pausing %.1f s before the next Meta request for ad account %s: usage is above "
            "usage_threshold_percent=%g (%s)",
            seconds,
            account_id,
            self.threshold_percent,
            latest.usage.describe(),
        )
        self._sleep(seconds)
        return seconds

    def _pause_seconds(self, percent: float, reset_seconds: float | None) -> float:
        return pause_seconds(
            percent,
            threshold_percent=self.threshold_percent,
            max_pause_seconds=self.max_pause_seconds,
            reset_seconds=reset_seconds,
        )


def _json_object(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def _number(value: object) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        return float(value)
    return None


def _highest_field(objects: Iterable[Mapping[str, Any]], fields: tuple[str, ...]) -> float | None:
    return _highest(_number(item.get(field)) for item in objects for field in fields)


def _highest(values: Iterable[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return max(present) if present else None
