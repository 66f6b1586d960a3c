-- One unified table per platform, stacked by the view campaign_performance_hourly that
-- dashboards and the daily views read. Each platform is then its own Dagster asset, so a
-- platform that fails in a run no longer keeps the other platforms' rows of that run out.
-- Existing rows move into the new tables; their partition hashes are dropped, so the next
-- run of each partition compares against what the new tables hold.
CREATE TABLE marketing.google_ads_campaign_performance_hourly
    (LIKE marketing.campaign_performance_hourly INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE marketing.google_ads_campaign_performance_hourly
    ADD PRIMARY KEY (client_id, account_id, campaign_id, utc_hour),
    ADD CHECK (platform = 'google_ads');
CREATE INDEX google_ads_campaign_performance_hourly_utc_hour_idx
    ON marketing.google_ads_campaign_performance_hourly (utc_hour);

CREATE TABLE marketing.meta_campaign_performance_hourly
    (LIKE marketing.campaign_performance_hourly INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE marketing.meta_campaign_performance_hourly
    ADD PRIMARY KEY (client_id, account_id, campaign_id, utc_hour),
    ADD CHECK (platform = 'meta');
CREATE INDEX meta_campaign_performance_hourly_utc_hour_idx
    ON marketing.meta_campaign_performance_hourly (utc_hour);

INSERT INTO marketing.google_ads_campaign_performance_hourly
SELECT * FROM marketing.campaign_performance_hourly WHERE platform = 'google_ads';
INSERT INTO marketing.meta_campaign_performance_hourly
SELECT * FROM marketing.campaign_performance_hourly WHERE platform = 'meta';
DELETE FROM marketing.partition_hashes WHERE table_name = 'campaign_performance_hourly';

-- Drops the three daily views too; they are created again below, unchanged.
DROP TABLE marketing.campaign_performance_hourly CASCADE;

CREATE VIEW marketing.campaign_performance_hourly AS
SELECT client_id, platform, account_id, campaign_id, campaign_name, utc_hour, local_date,
    local_hour, account_time_zone, currency, spend, impressions, clicks, conversions,
    conversion_value, loaded_at, dagster_run_id, reporting_currency, spend_reporting,
    fx_rate_date
FROM marketing.google_ads_campaign_performance_hourly
UNION ALL
SELECT client_id, platform, account_id, campaign_id, campaign_name, utc_hour, local_date,
    local_hour, account_time_zone, currency, spend, impressions, clicks, conversions,
    conversion_value, loaded_at, dagster_run_id, reporting_currency, spend_reporting,
    fx_rate_date
FROM marketing.meta_campaign_performance_hourly;

-- As in 0006: daily spend carries the currency each hourly row was converted into.
CREATE VIEW marketing.campaign_performance_daily AS
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
    hourly.reporting_currency,
    sum(hourly.spend_reporting) AS spend,
    sum(hourly.impressions) AS impressions,
    sum(hourly.clicks) AS clicks,
    sum(hourly.conversions) AS conversions,
    max(hourly.loaded_at) AS last_loaded_at
FROM marketing.campaign_performance_hourly AS hourly
JOIN marketing.clients AS clients USING (client_id)
GROUP BY hourly.client_id, clients.name, client_date, clients.time_zone, hourly.platform,
    hourly.account_id, hourly.campaign_id, hourly.reporting_currency;

CREATE VIEW marketing.platform_performance_daily AS
SELECT client_id, client_name, client_date, client_time_zone, platform, reporting_currency,
    sum(spend) AS spend, sum(impressions) AS impressions, sum(clicks) AS clicks,
    sum(conversions) AS conversions, max(last_loaded_at) AS last_loaded_at
FROM marketing.campaign_performance_daily
GROUP BY client_id, client_name, client_date, client_time_zone, platform, reporting_currency;

CREATE VIEW marketing.client_performance_daily AS
SELECT client_id, client_name, client_date, client_time_zone, reporting_currency,
    sum(spend) AS spend, sum(impressions) AS impressions, sum(clicks) AS clicks,
    sum(conversions) AS conversions, max(last_loaded_at) AS last_loaded_at
FROM marketing.campaign_performance_daily
GROUP BY client_id, client_name, client_date, client_time_zone, reporting_currency;

-- Dropping the views dropped their grants. The hourly view is a reporting view too now.
GRANT SELECT ON marketing.campaign_performance_hourly, marketing.campaign_performance_daily,
    marketing.platform_performance_daily, marketing.client_performance_daily
    TO marketing_dashboard;
