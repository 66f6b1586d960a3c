-- Alerts on their way to PagerDuty and Slack. Sensors insert a row in the same transaction
-- that opens or resolves an incident, and delivery runs later, so an alert survives a
-- receiver outage. A row stays pending (delivered_at null) until every configured
-- destination has accepted it (delivered_to) or rejected it with a client error
-- (rejected_by). payload holds the alert's fields and never the PagerDuty routing key.
CREATE TABLE marketing.alert_outbox (
    id bigserial PRIMARY KEY,
    dedup_key text NOT NULL CHECK (char_length(dedup_key) BETWEEN 1 AND 255),
    action text NOT NULL CHECK (action IN ('trigger', 'resolve')),
    payload jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    attempts integer NOT NULL DEFAULT 0,
    last_error text,
    delivered_to text[] NOT NULL DEFAULT '{}',
    rejected_by text[] NOT NULL DEFAULT '{}',
    delivered_at timestamptz
);
CREATE INDEX alert_outbox_pending_idx ON marketing.alert_outbox (id) WHERE delivered_at IS NULL;

-- One row per incident key, so a stale client pages once per incident and not every tick.
-- suppressed_triggers counts triggers held back because the key resolved too recently.
CREATE TABLE marketing.alert_state (
    dedup_key text PRIMARY KEY CHECK (char_length(dedup_key) BETWEEN 1 AND 255),
    state text NOT NULL CHECK (state IN ('open', 'resolved')),
    opened_at timestamptz NOT NULL,
    last_triggered_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    resolved_at timestamptz,
    suppressed_triggers integer NOT NULL DEFAULT 0,
    last_suppressed_at timestamptz
);
