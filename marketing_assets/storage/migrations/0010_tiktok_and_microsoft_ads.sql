-- TikTok and Microsoft Advertising: a raw landing table each, and a unified table each in the
-- shape of the Google Ads and Meta ones, stacked into the hourly view. The daily views and
-- data_freshness read that view or the unified tables by name, so they cover both platforms
-- without being recreated.

-- TikTok report rows: stat_time_hour is the raw dimension in the advertiser's time zone.
CREATE TABLE marketing.tiktok_campaign_hourly_raw (
    client_id      text           NOT NULL,
    advertiser_id  text           NOT NULL,
    campaign_id    text           NOT NULL,
    campaign_name  text           NOT NULL,
    currency       text           NOT NULL,
    time_zone      text           NOT NULL,
    local_date     date           NOT NULL,
    local_hour     smallint       NOT NULL CHECK (local_hour BETWEEN 0 AND 23),
    stat_time_hour text           NOT NULL,
    utc_hour       timestamptz    NOT NULL,
    impressions    bigint         NOT NULL,
    clicks         bigint         NOT NULL,
    spend          numeric(38, 6) NOT NULL,
    conversions    numeric(38, 9) NOT NULL,
    loaded_at      timestamptz    NOT NULL,
    dagster_run_id text           NOT NULL,
    PRIMARY KEY (client_id, utc_hour, advertiser_id, campaign_id)
);

-- Microsoft Advertising report rows: time_zone is the IANA zone that the report's "Time Zone"
-- header (report_time_zone) names, which the hours follow.
CREATE TABLE marketing.microsoft_ads_campaign_hourly_raw (
    client_id        text           NOT NULL,
    account_id       text           NOT NULL,
    campaign_id      text           NOT NULL,
    campaign_name    text           NOT NULL,
    currency_code    text           NOT NULL,
    time_zone        text           NOT NULL,
    report_time_zone text           NOT NULL,
    local_date       date           NOT NULL,
    local_hour       smallint       NOT NULL CHECK (local_hour BETWEEN 0 AND 23),
    time_period      text           NOT NULL,
    utc_hour         timestamptz    NOT NULL,
    impressions      bigint         NOT NULL,
    clicks           bigint         NOT NULL,
    spend            numeric(38, 6) NOT NULL,
    conversions      numeric(38, 9) NOT NULL,
    revenue          numeric(38, 6) NOT NULL,
    loaded_at        timestamptz    NOT NULL,
    dagster_run_id   text           NOT NULL,
    PRIMARY KEY (client_id, utc_hour, account_id, campaign_id)
);

-- The columns, keys and index of 0007's unified tables. LIKE would copy the google_ads
-- table's platform check too, so the columns are listed.
CREATE TABLE marketing.tiktok_campaign_performance_hourly (
    client_id          text           NOT NULL,
    platform           text           NOT NULL CHECK (platform = 'tiktok'),
    account_id         text           NOT NULL,
    campaign_id        text           NOT NULL,
    campaign_name      text           NOT NULL,
    utc_hour           timestamptz    NOT NULL,
    local_date         date           NOT NULL,
    local_hour         smallint       NOT NULL CHECK (local_hour BETWEEN 0 AND 23),
    account_time_zone  text           NOT NULL,
    currency           text           NOT NULL,
    spend              numeric(38, 6) NOT NULL,
    impressions        bigint         NOT NULL,
    clicks             bigint         NOT NULL,
    conversions        numeric(38, 9) NOT NULL,
    conversion_value   numeric(38, 6) NOT NULL,
    loaded_at          timestamptz    NOT NULL,
    dagster_run_id     text           NOT NULL,
    reporting_currency text,
    spend_reporting    numeric(38, 6),
    fx_rate_date       date,
    PRIMARY KEY (client_id, account_id, campaign_id, utc_hour)
);
CREATE INDEX tiktok_campaign_performance_hourly_utc_hour_idx
    ON marketing.tiktok_campaign_performance_hourly (utc_hour);

CREATE TABLE marketing.microsoft_ads_campaign_performance_hourly (
    client_id          text           NOT NULL,
    platform           text           NOT NULL CHECK (platform = 'microsoft_ads'),
    account_id         text           NOT NULL,
    campaign_id        text           NOT NULL,
    campaign_name      text           NOT NULL,
    utc_hour           timestamptz    NOT NULL,
    local_date         date           NOT NULL,
    local_hour         smallint       NOT NULL CHECK (local_hour BETWEEN 0 AND 23),
    account_time_zone  text           NOT NULL,
    currency           text           NOT NULL,
    spend              numeric(38, 6) NOT NULL,
    impressions        bigint         NOT NULL,
    clicks             bigint         NOT NULL,
    conversions        numeric(38, 9) NOT NULL,
    conversion_value   numeric(38, 6) NOT NULL,
    loaded_at          timestamptz    NOT NULL,
    dagster_run_id     text           NOT NULL,
    reporting_currency text,
    spend_reporting    numeric(38, 6),
    fx_rate_date       date,
    PRIMARY KEY (client_id, account_id, campaign_id, utc_hour)
);
CREATE INDEX microsoft_ads_campaign_performance_hourly_utc_hour_idx
    ON marketing.microsoft_ads_campaign_performance_hourly (utc_hour);

-- The same columns in the same order as 0007's view, so CREATE OR REPLACE keeps the daily
-- views that read it and the view's grant.
CREATE OR REPLACE VIEW marketing.campaign_performance_hourly AS
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
FROM marketing.meta_campaign_performance_hourly
UNION ALL
SELECT client_id, platform, account_id, campaign_id, campaign_name, utc_hour, local_date,
    local_hour, account_time_zone, currency, spend, impressions, clicks, conversions,
    conversion_value, loaded_at, dagster_run_id, reporting_currency, spend_reporting,
    fx_rate_date
FROM marketing.tiktok_campaign_performance_hourly
UNION ALL
SELECT client_id, platform, account_id, campaign_id, campaign_name, utc_hour, local_date,
    local_hour, account_time_zone, currency, spend, impressions, clicks, conversions,
    conversion_value, loaded_at, dagster_run_id, reporting_currency, spend_reporting,
    fx_rate_date
FROM marketing.microsoft_ads_campaign_performance_hourly;

-- Views run with their owner's rights, so marketing_dashboard needs no grant on the new
-- tables. The view's grant stays; it is repeated for databases where the role came later.
GRANT SELECT ON marketing.campaign_performance_hourly TO marketing_dashboard;
