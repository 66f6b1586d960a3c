"""Send alerts to PagerDuty (Events API v2) and Slack (incoming webhook), with retries."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import dagster as dg
import httpx
from pydantic import Field, ValidationInfo, ValidatorFunctionWrapHandler, field_validator
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from marketing_assets.alerts.errors import DESTINATION_NAMES, AlertDeliveryError
from marketing_assets.alerts.messages import pagerduty_event, slack_message
from marketing_assets.alerts.models import Alert
from marketing_assets.alerts.redaction import protect_in_logs, redact, webhook_secrets
from marketing_assets.platforms.http import check_range

logger = logging.getLogger(__name__)

DESTINATIONS = ("pagerduty", "slack")
MAX_BACKOFF_SECONDS = 30.0
# Error bodies are quoted in messages only this far, enough for PagerDuty's error list.
_MAX_DETAIL_CHARS = 300
_MINIMUMS = {
    "timeout_seconds": 1,
    "max_attempts": 1,
    "backoff_initial_seconds": 0,
    "max_retry_wait_seconds": 0,
}


@dataclass(frozen=True)
class DeliveryResult:
    """The destinations that accepted one alert, in the order it was sent to them."""

    dedup_key: str
    action: str
    delivered_to: tuple[str, ...]


class AlertNotifier(dg.ConfigurableResource):
    """Posts alerts to PagerDuty and Slack; each destination is used only when configured.

    Rate limits (429), server errors (5xx) and transport failures are retried up to
    `max_attempts`, waiting for the `Retry-After` delay when the receiver sends one. Other 4xx
    responses are not retried. Set the routing key and the webhook URL through `dg.EnvVar`,
    because both are secrets.
    """

    pagerduty_routing_key: str = Field(
        default="", description="PagerDuty integration (routing) key; empty turns PagerDuty off."
    )
    pagerduty_events_url: str = Field(
        default="https://events.pagerduty.com/v2/enqueue",
        description="PagerDuty Events API v2 enqueue URL.",
    )
    slack_webhook_url: str = Field(
        default="", description="Slack incoming webhook URL; empty turns Slack off."
    )
    timeout_seconds: int = Field(default=10, description="Timeout of each request, in seconds.")
    max_attempts: int = Field(
        default=3, description="Attempts per destination, the first included; 1 turns off retries."
    )
    dagster_ui_url: str = Field(
        default="http://127.0.0.1:3000",
        description="Base URL of the Dagster UI, for the links callers put in alerts.",
    )
    backoff_initial_seconds: float = Field(
        default=1.0,
        description=(
            "First wait before a retry when the receiver sends no Retry-After, in seconds;"
            f" later waits double, up to {MAX_BACKOFF_SECONDS:g} s."
        ),
    )
    max_retry_wait_seconds: int = Field(
        default=30,
        description=(
            "Longest Retry-After to wait for within one send, in seconds. A longer one ends"
            " the send with AlertDeliveryError, so the outbox tries again on a later run."
        ),
    )

    @field_validator(*_MINIMUMS, mode="wrap")
    @classmethod
    def _check_minimum(
        cls, value: object, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> float:
        name = info.field_name or ""
        return check_range(value, handler(value), field=name, minimum=_MINIMUMS[name])

    @property
    def configured_destinations(self) -> tuple[str, ...]:
        """The destinations with a routing key or webhook URL set, in send order."""
        configured = {"pagerduty": self.pagerduty_routing_key, "slack": self.slack_webhook_url}
        return tuple(name for name in DESTINATIONS if configured[name])

    def send(self, alert: Alert, *, destinations: Sequence[str] | None = None) -> DeliveryResult:
        """Send `alert` to each configured destination (or to those of `destinations`).

        Every destination is tried even when an earlier one fails. The first failure is then
        raised as AlertDeliveryError, with later failures added as notes; its `delivered_to`
        attribute lists the destinations that accepted the alert.
        """
        targets = self._targets(destinations)
        if not targets:
            logger.warning(
                "Alert %s (%s) went nowhere: set pagerduty_routing_key or slack_webhook_url",
                alert.dedup_key,
                alert.action,
            )
        delivered: list[str] = []
        failures: list[AlertDeliveryError] = []
        with httpx.Client(timeout=self.timeout_seconds, follow_redirects=False) as client:
            for destination in targets:
                try:
                    self._send_with_retries(client, destination, alert)
                except AlertDeliveryError as error:
                    logger.error("Alert delivery failed: %s", error)
                    failures.append(error)
                else:
                    delivered.append(destination)
        if failures:
            first = failures[0]
            first.delivered_to = tuple(delivered)
            for other in failures[1:]:
                first.add_note(str(other))
            raise first
        return DeliveryResult(alert.dedup_key, alert.action, tuple(delivered))

    def _targets(self, destinations: Sequence[str] | None) -> tuple[str, ...]:
        if destinations is None:
            return self.configured_destinations
        unknown = [name for name in destinations if name not in DESTINATIONS]
        if unknown:
            raise ValueError(f"Unknown alert destinations {unknown!r}: use {DESTINATIONS}.")
        return tuple(name for name in self.configured_destinations if name in destinations)

    def _secrets(self) -> tuple[str, ...]:
        return (self.pagerduty_routing_key, *webhook_secrets(self.slack_webhook_url))

    def _send_with_retries(self, client: httpx.Client, destination: str, alert: Alert) -> None:
        protect_in_logs(self._secrets())
        if destination == "pagerduty":
            url, body = (
                self.pagerduty_events_url,
                pagerduty_event(alert, self.pagerduty_routing_key),
            )
        else:
            url, body = self.slack_webhook_url, slack_message(alert)
        retrying = Retrying(
            retry=retry_if_exception(
                lambda error: isinstance(error, AlertDeliveryError) and error.retryable
            ),
            wait=self._wait_seconds,
            stop=stop_after_attempt(self.max_attempts) | self._wait_too_long,
            before_sleep=_log_retry,
            retry_error_callback=_raise_with_attempts,
        )
        retrying(self._post, client, destination, url, body, alert)

    def _post(
        self,
        client: httpx.Client,
        destination: str,
        url: str,
        body: dict[str, Any],
        alert: Alert,
    ) -> None:
        """Post once; raise AlertDeliveryError unless the response status is 2xx."""
        try:
            response = client.post(url, json=body)
        except httpx.TransportError as error:
            # `from None`: the httpx error carries the request, whose URL may be the webhook.
            raise self._error(
                destination, alert, None, f"{type(error).__name__}: {error}", retryable=True
            ) from None
        if response.is_success:
            logger.info(
                "Sent the %s for %s to %s (HTTP %d)",
                alert.action,
                alert.dedup_key,
                DESTINATION_NAMES[destination],
                response.status_code,
            )
            return
        status = response.status_code
        retryable = status in (408, 429) or status >= 500
        raise self._error(
            destination,
            alert,
            status,
            _describe_body(response),
            retryable=retryable,
            retry_after=_retry_after_seconds(response.headers.get("Retry-After")),
        )

    def _error(
        self,
        destination: str,
        alert: Alert,
        status: int | None,
        detail: str,
        *,
        retryable: bool,
        retry_after: float | None = None,
    ) -> AlertDeliveryError:
        return AlertDeliveryError(
            destination=destination,
            dedup_key=alert.dedup_key,
            action=alert.action,
            status=status,
            detail=redact(detail, self._secrets())[:_MAX_DETAIL_CHARS],
            retryable=retryable,
            retry_after=retry_after,
        )

    def _wait_seconds(self, state: RetryCallState) -> float:
        error = _outcome_error(state)
        if error.retry_after is not None:
            return error.retry_after
        backoff = wait_exponential_jitter(
            initial=self.backoff_initial_seconds,
            max=MAX_BACKOFF_SECONDS,
            jitter=self.backoff_initial_seconds,
        )
        return backoff(state)

    def _wait_too_long(self, state: RetryCallState) -> bool:
        # Tenacity computes the next wait before asking the stop condition.
        return state.upcoming_sleep > self.max_retry_wait_seconds


def _outcome_error(state: RetryCallState) -> AlertDeliveryError:
    assert state.outcome is not None
    error = state.outcome.exception()
    assert isinstance(error, AlertDeliveryError)
    return error


def _log_retry(state: RetryCallState) -> None:
    error = _outcome_error(state)
    logger.warning(
        "Retrying the %s for %s to %s in %.1f s after attempt %d (HTTP %s): %s",
        error.action,
        error.dedup_key,
        DESTINATION_NAMES[error.destination],
        state.upcoming_sleep,
        state.attempt_number,
        error.status if error.status is not None else "none",
        error.detail,
    )


def _raise_with_attempts(state: RetryCallState) -> None:
    raise _outcome_error(state).with_attempts(state.attempt_number)


def _describe_body(response: httpx.Response) -> str:
    """Return PagerDuty's message and errors, or the start of any other body."""
    try:
        payload = response.json()
    except ValueError:
        return response.text.strip() or "empty body"
    if isinstance(payload, dict) and "message" in payload:
        errors = payload.get("errors") or []
        return "; ".join([str(payload["message"]), *(str(error) for error in errors)])
    return response.text.strip()


def _retry_after_seconds(value: str | None) -> float | None:
    """Parse Retry-After, which is either whole seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
