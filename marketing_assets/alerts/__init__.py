"""On-call alerts: the alert record, PagerDuty and Slack delivery, the outbox and incidents."""
