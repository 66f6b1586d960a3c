"""HTTP client lifecycle and retry policy shared by the ad platform resources."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Iterator
from typing import TypeVar

import dagster as dg
import httpx
from pydantic import (
    Field,
    PrivateAttr,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
)
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_before_delay,
    wait_exponential_jitter,
)

from marketing_assets.platforms.errors import (
    PlatformError,
    PlatformRateLimitError,
    PlatformTransientError,
    describe_scope,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")

RETRYABLE_ERRORS = (PlatformRateLimitError, PlatformTransientError)
MAX_BACKOFF_SECONDS = 60.0
# Lowest accepted value of each numeric field of PlatformHttpResource.
_MINIMUMS = {
    "timeout_seconds": 1,
    "connect_timeout_seconds": 1,
    "max_retry_seconds": 0,
    "max_attempts": 1,
    "backoff_initial_seconds": 0,
}


class PlatformHttpResource(dg.ConfigurableResource):
    """Timeouts, retry budget and one httpx.Client per Dagster execution.

    Outside Dagster, fetch methods open a short-lived client per call, or share one inside
    `with resource.client():`.
    """

    # Timeouts and the retry budget are whole seconds, because dg.EnvVar.int can set an int
    # field from the environment and Dagster has no float counterpart.
    timeout_seconds: int = Field(
        default=120,
        description="Read, write and connection-pool timeout of each request, in seconds.",
    )
    connect_timeout_seconds: int = Field(
        default=10, description="Timeout for opening a connection, in seconds."
    )
    max_retry_seconds: int = Field(
        default=300,
        description=(
            "Time budget for retrying one request, in seconds counted from its first attempt. "
            "A wait that would end past it is not started, and the last error is raised."
        ),
    )
    max_attempts: int = Field(
        default=5, description="Attempts per request, the first included, so 1 turns retries off."
    )
    backoff_initial_seconds: float = Field(
        default=1.0,
        description=(
            "First wait before a retry when the platform sends no wait hint, in seconds. Later "
            "waits double, plus random jitter of up to this value, and stop growing at "
            f"{MAX_BACKOFF_SECONDS:g} s."
        ),
    )

    _client: httpx.Client | None = PrivateAttr(default=None)

    @field_validator(*_MINIMUMS, mode="wrap")
    @classmethod
    def _check_minimum(
        cls, value: object, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> float:
        field = info.field_name or ""
        return check_range(value, handler(value), field=field, minimum=_MINIMUMS[field])

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._client = self._new_client()

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    @contextlib.contextmanager
    def client(self) -> Iterator[httpx.Client]:
        """Open one httpx.Client that fetch calls inside the block share, then close it.

        Not thread-safe: use one resource instance per thread outside Dagster.
        """
        if self._client is not None:
            yield self._client
            return
        self._client = self._new_client()
        try:
            yield self._client
        finally:
            self._client.close()
            self._client = None

    @contextlib.contextmanager
    def _borrow_client(self) -> Iterator[httpx.Client]:
        """Yield the shared client, or a client private to this call when none is open."""
        if self._client is not None:
            yield self._client
            return
        with self._new_client() as call_client:
            yield call_client

    def _new_client(self) -> httpx.Client:
        timeout = httpx.Timeout(self.timeout_seconds, connect=self.connect_timeout_seconds)
        return httpx.Client(timeout=timeout, follow_redirects=False)

    def _send(
        self,
        request: httpx.Request,
        *,
        platform: str,
        account_id: str,
        day: dt.date | None,
        last_day: dt.date | None = None,
    ) -> httpx.Response:
        """Send one request, turning timeouts and connection failures into transient errors.

        `day` is the request's account-local day, or its first day when `last_day` is set.
        """
        with self._borrow_client() as http_client:
            try:
                return http_client.send(request)
            except httpx.TransportError as error:
                # str(error) is the socket error, never the request URL or headers.
                scope = describe_scope(platform, account_id, day, last_day)
                message = (
                    f"The request for {scope} failed before a response arrived "
                    f"({type(error).__name__}: {error}). Check network access to base_url, "
                    "and raise timeout_seconds if the request timed out."
                )
                raise PlatformTransientError(
                    message, platform=platform, account_id=account_id, day=day, last_day=last_day
                ) from error

    def _call_with_retries(self, attempt: Callable[[], T], *, operation: str) -> T:
        """Run `attempt`, retrying rate-limit and transient errors within the retry budget."""
        return call_with_retries(
            attempt,
            operation=operation,
            max_attempts=self.max_attempts,
            max_retry_seconds=self.max_retry_seconds,
            backoff_initial_seconds=self.backoff_initial_seconds,
        )


def call_with_retries(
    attempt: Callable[[], T],
    *,
    operation: str,
    max_attempts: int,
    max_retry_seconds: float,
    backoff_initial_seconds: float,
) -> T:
    """Call `attempt` until it succeeds, raises a non-retryable error or the budget runs out.

    The wait is the platform's hint (PlatformRateLimitError.retry_after) when present, else
    exponential backoff with jitter. A wait that would end past max_retry_seconds, counted
    from the first attempt, is not started: the last error is raised instead.
    """
    backoff = wait_exponential_jitter(
        initial=backoff_initial_seconds,
        max=MAX_BACKOFF_SECONDS,
        jitter=backoff_initial_seconds,
    )

    def wait_seconds(state: RetryCallState) -> float:
        error = _outcome_error(state)
        hint = getattr(error, "retry_after", None)
        if hint:
            return float(hint)
        return backoff(state)

    def log_retry(state: RetryCallState) -> None:
        error = _outcome_error(state)
        logger.warning(
            "Retrying %s in %.1f s after attempt %d of %d failed (%s): %s",
            operation,
            state.upcoming_sleep,
            state.attempt_number,
            max_attempts,
            error.kind,
            error,
        )

    def give_up(state: RetryCallState) -> T:
        error = _outcome_error(state)
        logger.warning(
            "Giving up on %s after %d attempts and %.1f s (next wait %.1f s, "
            "max_retry_seconds=%s, max_attempts=%d) on a %s: %s",
            operation,
            state.attempt_number,
            state.seconds_since_start or 0.0,
            state.upcoming_sleep,
            max_retry_seconds,
            max_attempts,
            error.kind,
            error,
        )
        raise error

    retrying = Retrying(
        retry=retry_if_exception_type(RETRYABLE_ERRORS),
        wait=wait_seconds,
        stop=stop_after_attempt(max_attempts) | stop_before_delay(max_retry_seconds),
        before_sleep=log_retry,
        retry_error_callback=give_up,
    )
    return retrying(attempt)


def _outcome_error(state: RetryCallState) -> PlatformError:
    assert state.outcome is not None
    error = state.outcome.exception()
    assert isinstance(error, PlatformError)
    return error


def check_range(
    value: object,
    converted: float,
    *,
    field: str,
    minimum: float,
    maximum: float | None = None,
) -> float:
    """Return `converted`, the validated `value`, or raise ValueError when it is out of range.

    A dg.EnvVar is let through, because it reads as 0 until Dagster resolves it at run start
    and validates the fields again with the variable's value.
    """
    if getattr(value, "env_var_name", None) is not None:
        return converted
    if converted < minimum or (maximum is not None and converted > maximum):
        if maximum is None:
            expected = f"{minimum:g} or more"
        else:
            expected = f"a number from {minimum:g} to {maximum:g}"
        raise ValueError(f"Invalid {field} {converted!r}: use {expected}.")
    return converted
