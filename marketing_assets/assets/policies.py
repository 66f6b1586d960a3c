"""Backfill and retry policies of the platform assets."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg

from marketing_assets.platforms.errors import (
    PlatformAuthError,
    PlatformDataError,
    PlatformRequestError,
)
from marketing_assets.sync.errors import ClientSyncError

# One run may cover many clients and hours; the fetch groups requests per account-day.
SINGLE_RUN = dg.BackfillPolicy.single_run()


def platform_pool(platform: str) -> str:
    """Return the Dagster concurrency pool of the steps that call ``platform``'s API.

    A pool has no limit until an operator sets one (`dagster instance concurrency set
    google_ads 20`). With a limit, the platform's quota is kept however many runs start.
    """
    return platform


STEP_RETRY_DELAY_VARIABLE = "MARKETING_ASSETS_STEP_RETRY_DELAY_SECONDS"
DEFAULT_STEP_RETRY_DELAY_SECONDS = 60.0
STEP_RETRIES = 3


def step_retry_delay_seconds() -> float:
    """Return the first step retry's delay: $MARKETING_ASSETS_STEP_RETRY_DELAY_SECONDS or 60."""
    text = os.environ.get(STEP_RETRY_DELAY_VARIABLE, "")
    if not text:
        return DEFAULT_STEP_RETRY_DELAY_SECONDS
    try:
        delay = float(text)
    except ValueError:
        delay = -1.0
    if not delay >= 0:
        raise ValueError(
            f"Invalid {STEP_RETRY_DELAY_VARIABLE}={text!r}: set it to a number of seconds, 0 or "
            "more, or unset it for the default of 60."
        )
    return delay


def platform_retry_policy() -> dg.RetryPolicy:
    """Retry a failed platform step after the HTTP client's own retries ran out.

    The client retries single requests for up to a few minutes. A step retry a minute or more
    later outlasts longer outages, and it fetches the run's whole window again.
    """
    return dg.RetryPolicy(
        max_retries=STEP_RETRIES,
        delay=step_retry_delay_seconds(),
        backoff=dg.Backoff.EXPONENTIAL,
        jitter=dg.Jitter.PLUS_MINUS,
    )


@contextmanager
def no_step_retry_for_permanent_errors() -> Iterator[None]:
    """Fail the step without retries when only a person can fix the cause.

    An invalid token, a missing permission, a request the platform rejects or data that breaks
    the rules in docs/data-rules.md fails the same way on every attempt, so retrying would
    only delay the alert. A body cut short is not among them: the step retries it.
    """
    try:
        yield
    except ClientSyncError as error:
        if isinstance(
            error.platform_error, PlatformAuthError | PlatformRequestError | PlatformDataError
        ):
            raise dg.Failure(
                description=str(error),
                metadata={
                    "client": error.client_id,
                    "platform": error.platform_error.platform,
                    "account": error.platform_error.account_id,
                },
                allow_retries=False,
            ) from error
        raise
