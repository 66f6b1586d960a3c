-- Clients as the registry lists them, so dashboards can join names, time zones and
-- reporting currencies; the unified asset upserts the clients of every run it writes.
CREATE TABLE IF NOT EXISTS marketing.clients (
    client_id          text        PRIMARY KEY,
    name               text        NOT NULL,
    time_zone          text        NOT NULL,
    reporting_currency text        NOT NULL,
    updated_at         timestamptz NOT NULL
);

-- Daily rollups in each client's own time zone and reporting currency. A row's hour is
-- placed on the client's calendar from the instant its local hour started in the account's
-- zone, so accounts in another zone than their client land on the right client day.
-- Meta's hourly breakdown leaves out conversions tracked off Meta (pixel, app), so Meta
-- conversions here are lower than Meta's own daily reports.
CREATE OR REPLACE VIEW marketing.campaign_performance_daily AS
SELECT
    hourly.client_id,
    clients.name AS client_name,
    (((hourly.local_date + make_interval(hours => hourly.local_hour))
        AT TIME ZONE hourly.account_time_zone) AT TIME ZONE clients.time_zone)::date
        AS client_date,
    clients.time_zone AS client_time_zone,
    hourly.platform,
    hourly.account_id,
    hourly.campaign_id,
    max(hourly.campaign_name) AS campaign_name,
    clients.reporting_currency,
    sum(hourly.spend_reporting) AS spend,
    sum(hourly.impressions) AS impressions,
    sum(hourly.clicks) AS clicks,
    sum(hourly.conversions) AS conversions,
    max(hourly.loaded_at) AS last_loaded_at
FROM marketing.campaign_performance_hourly AS hourly
JOIN marketing.clients AS clients USING (client_id)
GROUP BY hourly.client_id, clients.name, client_date, clients.time_zone, hourly.platform,
    hourly.account_id, hourly.campaign_id, clients.reporting_currency;

CREATE OR REPLACE VIEW marketing.platform_performance_daily AS
SELECT client_id, client_name, client_date, client_time_zone, platform, reporting_currency,
    sum(spend) AS spend, sum(impressions) AS impressions, sum(clicks) AS clicks,
    sum(conversions) AS conversions, max(last_loaded_at) AS last_loaded_at
FROM marketing.campaign_performance_daily
GROUP BY client_id, client_name, client_date, client_time_zone, platform, reporting_currency;

CREATE OR REPLACE VIEW marketing.client_performance_daily AS
SELECT client_id, client_name, client_date, client_time_zone, reporting_currency,
    sum(spend) AS spend, sum(impressions) AS impressions, sum(clicks) AS clicks,
    sum(conversions) AS conversions, max(last_loaded_at) AS last_loaded_at
FROM marketing.campaign_performance_daily
GROUP BY client_id, client_name, client_date, client_time_zone, reporting_currency;
