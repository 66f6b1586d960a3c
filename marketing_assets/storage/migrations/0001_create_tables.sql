-- Landing and unified tables. Every table carries client_id and utc_hour, the two columns
-- a Dagster partition (client x UTC hour) maps to, so a partition is replaced by deleting
-- exactly its rows and copying the new ones in one transaction.

CREATE TABLE IF NOT EXISTS marketing.google_ads_campaign_hourly_raw (
    client_id         text        NOT NULL,
    customer_id       text        NOT NULL,
    campaign_id       text        NOT NULL,
    campaign_name     text        NOT NULL,
    campaign_status   text        NOT NULL,
    currency_code     text        NOT NULL,
    time_zone         text        NOT NULL,
    local_date        date        NOT NULL,
    local_hour        smallint    NOT NULL CHECK (local_hour BETWEEN 0 AND 23),
    utc_hour          timestamptz NOT NULL,
    impressions       bigint      NOT NULL,
    clicks            bigint      NOT NULL,
    cost_micros       bigint      NOT NULL,
    conversions       numeric(38, 9) NOT NULL,
    conversions_value numeric(38, 6) NOT NULL,
    loaded_at         timestamptz NOT NULL,
    dagster_run_id    text        NOT NULL,
    PRIMARY KEY (client_id, utc_hour, customer_id, campaign_id)
);

CREATE TABLE IF NOT EXISTS marketing.meta_campaign_hourly_raw (
    client_id         text        NOT NULL,
    account_id        text        NOT NULL,
    campaign_id       text        NOT NULL,
    campaign_name     text        NOT NULL,
    account_currency  text        NOT NULL,
    time_zone         text        NOT NULL,
    local_date        date        NOT NULL,
    local_hour        smallint    NOT NULL CHECK (local_hour BETWEEN 0 AND 23),
    hourly_stats      text        NOT NULL,
    utc_hour          timestamptz NOT NULL,
    impressions       bigint      NOT NULL,
    clicks            bigint      NOT NULL,
    spend             numeric(38, 6) NOT NULL,
    conversions       numeric(38, 9) NOT NULL,
    conversion_value  numeric(38, 6) NOT NULL,
    actions           text        NOT NULL,
    loaded_at         timestamptz NOT NULL,
    dagster_run_id    text        NOT NULL,
    PRIMARY KEY (client_id, utc_hour, account_id, campaign_id)
);

CREATE TABLE IF NOT EXISTS marketing.campaign_performance_hourly (
    client_id         text        NOT NULL,
    platform          text        NOT NULL,
    account_id        text        NOT NULL,
    campaign_id       text        NOT NULL,
    campaign_name     text        NOT NULL,
    utc_hour          timestamptz NOT NULL,
    local_date        date        NOT NULL,
    local_hour        smallint    NOT NULL CHECK (local_hour BETWEEN 0 AND 23),
    account_time_zone text        NOT NULL,
    currency          text        NOT NULL,
    spend             numeric(38, 6) NOT NULL,
    impressions       bigint      NOT NULL,
    clicks            bigint      NOT NULL,
    conversions       numeric(38, 9) NOT NULL,
    conversion_value  numeric(38, 6) NOT NULL,
    loaded_at         timestamptz NOT NULL,
    dagster_run_id    text        NOT NULL,
    PRIMARY KEY (client_id, platform, account_id, campaign_id, utc_hour)
);

-- Dashboards filter by client and time; the primary keys lead with client_id, and this index
-- serves "all clients for the last N hours" queries.
CREATE INDEX IF NOT EXISTS campaign_performance_hourly_utc_hour_idx
    ON marketing.campaign_performance_hourly (utc_hour);
