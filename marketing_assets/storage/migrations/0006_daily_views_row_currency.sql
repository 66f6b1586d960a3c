-- Label daily spend with the currency each hourly row was converted into, not the client's
-- current setting: after a client changes reporting currency, old rows keep the old one
-- until the lookback rewrites them, and a day may then show one row per currency.
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
