-- LinkedIn reports whole days only, so its rows live in daily tables partitioned by client
-- and local_date, the date LinkedIn reported (a day in the ad account's time zone). They reach
-- the daily views below and never the hourly view campaign_performance_hourly.

CREATE TABLE marketing.linkedin_campaign_daily_raw (
    client_id                          text           NOT NULL,
    account_id                         text           NOT NULL,
    campaign_id                        text           NOT NULL,
    local_date                         date           NOT NULL,
    account_currency                   text           NOT NULL,
    cost_in_local_currency             numeric(38, 6) NOT NULL,
    impressions                        bigint         NOT NULL,
    clicks                             bigint         NOT NULL,
    external_website_conversions       numeric(38, 9) NOT NULL,
    conversion_value_in_local_currency numeric(38, 6) NOT NULL,
    loaded_at                          timestamptz    NOT NULL,
    dagster_run_id                     text           NOT NULL,
    PRIMARY KEY (client_id, local_date, account_id, campaign_id)
);

CREATE TABLE marketing.linkedin_campaign_performance_daily (
    client_id          text           NOT NULL,
    platform           text           NOT NULL CHECK (platform = 'linkedin'),
    account_id         text           NOT NULL,
    campaign_id        text           NOT NULL,
    local_date         date           NOT NULL,
    currency           text           NOT NULL,
    spend              numeric(38, 6) NOT NULL,
    impressions        bigint         NOT NULL,
    clicks             bigint         NOT NULL,
    conversions        numeric(38, 9) NOT NULL,
    conversion_value   numeric(38, 6) NOT NULL,
    reporting_currency text           NOT NULL,
    spend_reporting    numeric(38, 6) NOT NULL,
    fx_rate_date       date,
    loaded_at          timestamptz    NOT NULL,
    dagster_run_id     text           NOT NULL,
    PRIMARY KEY (client_id, account_id, campaign_id, local_date)
);
CREATE INDEX linkedin_campaign_performance_daily_local_date_idx
    ON marketing.linkedin_campaign_performance_daily (local_date);

-- The day counterpart of partition_hashes: one row per daily table, client and reported date
-- that a run has written, rows or none, so reruns rewrite only changed days and freshness
-- can tell which days were loaded after they were complete.
CREATE TABLE marketing.daily_partition_hashes (
    table_name     text        NOT NULL,
    client_id      text        NOT NULL,
    local_date     date        NOT NULL,
    content_hash   text        NOT NULL,
    row_count      integer     NOT NULL,
    checked_at     timestamptz NOT NULL,
    changed_at     timestamptz NOT NULL,
    dagster_run_id text        NOT NULL,
    PRIMARY KEY (table_name, client_id, local_date)
);

-- The hourly part is unchanged since 0006, read through the hourly view, so it covers every
-- hourly platform that view stacks. A LinkedIn row is a whole day, so it lands on the date
-- LinkedIn reported. That date is the client's day when the ad account uses the client's
-- time zone, which the pipeline assumes because LinkedIn exposes no account time zone.
-- adAnalytics returns no campaign names, so LinkedIn rows have none.
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
    hourly.account_id, hourly.campaign_id, hourly.reporting_currency
UNION ALL
SELECT
    daily.client_id,
    clients.name,
    daily.local_date,
    clients.time_zone,
    daily.platform,
    daily.account_id,
    daily.campaign_id,
    NULL::text,
    daily.reporting_currency,
    daily.spend_reporting::numeric,
    daily.impressions::numeric,
    daily.clicks::numeric,
    daily.conversions::numeric,
    daily.loaded_at
FROM marketing.linkedin_campaign_performance_daily AS daily
JOIN marketing.clients AS clients USING (client_id);

-- platform_performance_daily and client_performance_daily read campaign_performance_daily,
-- so they include LinkedIn's days unchanged. The grants of 0007 stay, and are repeated here
-- for databases where the role was created after them.
GRANT SELECT ON marketing.campaign_performance_hourly, marketing.campaign_performance_daily,
    marketing.platform_performance_daily, marketing.client_performance_daily
    TO marketing_dashboard;

-- Freshness as of 0009, plus daily-only platforms and a last_complete_day column.
--
-- Hourly platforms keep 0009's rule: lag is the time since the end of the latest loaded UTC
-- hour. A daily-only platform's day is complete once it has ended in the client's time zone
-- (standing in for the account's) and the platform's reporting delay has passed; for
-- LinkedIn that delay is 12 hours, as REPORTING_DELAY in platforms/linkedin/settings.py. Its
-- last_complete_day is the latest day loaded after it was complete. Its lag is how long the
-- next day has been complete without being loaded, 0 until then, so the registry's warn and
-- fail minutes count from the moment a new day could have been loaded. A client with no
-- complete day loaded is stale.
DROP VIEW marketing.data_freshness;
DROP FUNCTION marketing.data_freshness_at(timestamptz);

CREATE FUNCTION marketing.data_freshness_at(as_of timestamptz)
RETURNS TABLE (
    client_id text,
    client_name text,
    platform text,
    last_loaded_utc_hour timestamptz,
    loaded_at timestamptz,
    lag interval,
    warn_after_minutes integer,
    fail_after_minutes integer,
    status text,
    last_complete_day date
)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
WITH daily_platforms (platform, reporting_delay) AS (
    VALUES ('linkedin', interval '12 hours')
),
client_platforms AS (
    SELECT clients.client_id, clients.name, clients.time_zone, platform_name AS platform,
        coalesce(clients.warn_after_minutes, 180) AS warn_after_minutes,
        coalesce(clients.fail_after_minutes, 360) AS fail_after_minutes
    FROM marketing.clients AS clients
    CROSS JOIN LATERAL unnest(coalesce(
        clients.platforms,
        -- Rows written before the platforms column existed: the platforms loaded so far.
        ARRAY(
            SELECT replace(hashes.table_name, '_campaign_performance_hourly', '')
            FROM marketing.partition_hashes AS hashes
            WHERE hashes.client_id = clients.client_id
                AND hashes.table_name LIKE '%\_campaign_performance_hourly'
            UNION
            SELECT replace(hashes.table_name, '_campaign_performance_daily', '')
            FROM marketing.daily_partition_hashes AS hashes
            WHERE hashes.client_id = clients.client_id
                AND hashes.table_name LIKE '%\_campaign_performance_daily'
        )
    )) AS platform_name
    WHERE clients.removed_from_registry_at IS NULL
),
hourly AS (
    SELECT client_platforms.client_id, client_platforms.name, client_platforms.platform,
        newest.utc_hour, newest.checked_at,
        as_of - (newest.utc_hour + interval '1 hour') AS lag,
        client_platforms.warn_after_minutes, client_platforms.fail_after_minutes,
        NULL::date AS last_complete_day
    FROM client_platforms
    LEFT JOIN LATERAL (
        SELECT hashes.utc_hour, hashes.checked_at
        FROM marketing.partition_hashes AS hashes
        WHERE hashes.table_name = client_platforms.platform || '_campaign_performance_hourly'
            AND hashes.client_id = client_platforms.client_id
        ORDER BY hashes.utc_hour DESC
        LIMIT 1
    ) AS newest ON true
    WHERE client_platforms.platform NOT IN (SELECT platform FROM daily_platforms)
),
daily AS (
    SELECT client_platforms.client_id, client_platforms.name, client_platforms.platform,
        NULL::timestamptz AS utc_hour, newest.checked_at,
        -- greatest() skips nulls, so a client without a complete day gets a null lag here.
        CASE WHEN newest.local_date IS NOT NULL THEN greatest(
            interval '0',
            as_of - (((newest.local_date + 2)::timestamp AT TIME ZONE client_platforms.time_zone)
                + daily_platforms.reporting_delay)
        ) END AS lag,
        client_platforms.warn_after_minutes, client_platforms.fail_after_minutes,
        newest.local_date AS last_complete_day
    FROM client_platforms
    JOIN daily_platforms USING (platform)
    LEFT JOIN LATERAL (
        SELECT hashes.local_date, hashes.checked_at
        FROM marketing.daily_partition_hashes AS hashes
        WHERE hashes.table_name = client_platforms.platform || '_campaign_performance_daily'
            AND hashes.client_id = client_platforms.client_id
            AND hashes.checked_at >= ((hashes.local_date + 1)::timestamp
                AT TIME ZONE client_platforms.time_zone) + daily_platforms.reporting_delay
        ORDER BY hashes.local_date DESC
        LIMIT 1
    ) AS newest ON true
),
freshness AS (
    SELECT * FROM hourly
    UNION ALL
    SELECT * FROM daily
)
SELECT
    client_id,
    name,
    platform,
    utc_hour,
    checked_at,
    lag,
    warn_after_minutes,
    fail_after_minutes,
    CASE
        WHEN lag IS NULL OR lag >= make_interval(mins => fail_after_minutes) THEN 'stale'
        WHEN lag >= make_interval(mins => warn_after_minutes) THEN 'late'
        ELSE 'fresh'
    END,
    last_complete_day
FROM freshness
ORDER BY client_id, platform
$$;

REVOKE ALL ON FUNCTION marketing.data_freshness_at(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION marketing.data_freshness_at(timestamptz) TO marketing_dashboard;

CREATE VIEW marketing.data_freshness AS
SELECT * FROM marketing.data_freshness_at(now());

GRANT SELECT ON marketing.data_freshness TO marketing_dashboard;
