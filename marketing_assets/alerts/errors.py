"""The error raised when PagerDuty or Slack did not accept an alert."""

from __future__ import annotations

DESTINATION_NAMES = {"pagerduty": "PagerDuty", "slack": "Slack"}
# Advice per destination and client-error status, for rejections that no retry can fix.
_REJECTION_ADVICE = {
    ("pagerduty", 400): "Check pagerduty_routing_key and the alert's fields.",
    ("slack", 400): "Check the message blocks; Slack rejected the body.",
    ("slack", 403): "Check slack_webhook_url: Slack no longer accepts this webhook.",
    ("slack", 404): "Check slack_webhook_url: Slack knows no webhook at this URL.",
    ("slack", 410): "The webhook's channel is archived: issue a webhook for a live channel.",
}


class AlertDeliveryError(Exception):
    """A destination did not accept an alert.

    `status` is the HTTP status, or None when no response arrived. `retryable` is true for
    rate limits, server errors and transport failures, which a later delivery may get
    through. `delivered_to` lists the destinations of the same send that accepted the alert.
    The message never contains the routing key, the webhook URL or the body as sent.
    """

    def __init__(
        self,
        *,
        destination: str,
        dedup_key: str,
        action: str,
        status: int | None,
        detail: str,
        retryable: bool,
        retry_after: float | None = None,
        attempts: int = 1,
    ) -> None:
        self.destination = destination
        self.dedup_key = dedup_key
        self.action = action
        self.status = status
        self.detail = detail
        self.retryable = retryable
        self.retry_after = retry_after
        self.attempts = attempts
        self.delivered_to: tuple[str, ...] = ()
        super().__init__(self._message())

    def with_attempts(self, attempts: int) -> AlertDeliveryError:
        """Return a copy that reports `attempts` attempts."""
        return AlertDeliveryError(
            destination=self.destination,
            dedup_key=self.dedup_key,
            action=self.action,
            status=self.status,
            detail=self.detail,
            retryable=self.retryable,
            retry_after=self.retry_after,
            attempts=attempts,
        )

    def _message(self) -> str:
        name = DESTINATION_NAMES.get(self.destination, self.destination)
        what = f"the {self.action} for dedup key {self.dedup_key!r}"
        tries = f"{self.attempts} attempt{'s' if self.attempts != 1 else ''}"
        if self.status is None:
            return (
                f"{name} could not be reached with {what} after {tries} ({self.detail})."
                f" Check that the {name} URL is reachable from this host; deliver again later."
            )
        if not self.retryable:
            advice = _REJECTION_ADVICE.get(
                (self.destination, self.status), f"Check the {name} settings of AlertNotifier."
            )
            return (
                f"{name} rejected {what} with HTTP {self.status} ({self.detail}); it was not"
                f" retried. {advice}"
            )
        return (
            f"{name} responded to {what} with HTTP {self.status} after {tries} ({self.detail})."
            f" {name} is down or rate-limiting; deliver again later."
        )
