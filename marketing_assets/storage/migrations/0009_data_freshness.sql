-- Per-client freshness thresholds and platforms, and the view dashboards join to show
-- "data as of" and a stale banner per client and platform.
--
-- The columns are nullable. Rows written before this migration get the registry's values at
-- the next run or freshness sensor tick, and until then the view uses the registry defaults
-- (warn after 180 minutes, fail after 360, as in registry/models.py). A client removed from
-- the registry keeps its row, because its loaded data stays, but removed_from_registry_at
-- takes it out of the view.
ALTER TABLE marketing.clients
    ADD COLUMN IF NOT EXISTS platforms text[],
    ADD COLUMN IF NOT EXISTS warn_after_minutes integer DEFAULT 180
        CHECK (warn_after_minutes > 0),
    ADD COLUMN IF NOT EXISTS fail_after_minutes integer DEFAULT 360,
    ADD COLUMN IF NOT EXISTS removed_from_registry_at timestamptz,
    ADD CONSTRAINT clients_fail_after_warn CHECK (fail_after_minutes > warn_after_minutes);

-- Finds the latest UTC hour written per unified table and client. Hours with no rows count,
-- because the IO manager records a partition_hashes row for every hour of a run's slice.
CREATE INDEX IF NOT EXISTS partition_hashes_client_latest_idx
    ON marketing.partition_hashes (table_name, client_id, utc_hour DESC);

-- Freshness of every registered client on every platform, as of a given instant. Lag counts
-- from the end of the latest loaded hour, because that hour's data cannot exist before the
-- hour closes. A client with no loaded hour on a platform is stale, with a null hour.
-- SECURITY DEFINER lets marketing_dashboard call it without read rights on the tables, as a
-- view would; search_path is pinned so callers cannot substitute their own objects.
CREATE OR REPLACE FUNCTION marketing.data_freshness_at(as_of timestamptz)
RETURNS TABLE (
    client_id text,
    client_name text,
    platform text,
    last_loaded_utc_hour timestamptz,
    loaded_at timestamptz,
    lag interval,
    warn_after_minutes integer,
    fail_after_minutes integer,
    status text
)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
WITH client_platforms AS (
    SELECT clients.client_id, clients.name, platform_name AS platform,
        coalesce(clients.warn_after_minutes, 180) AS warn_after_minutes,
        coalesce(clients.fail_after_minutes, 360) AS fail_after_minutes
    FROM marketing.clients AS clients
    CROSS JOIN LATERAL unnest(coalesce(
        clients.platforms,
        -- Rows written before the platforms column existed: the platforms loaded so far.
        ARRAY(
            SELECT DISTINCT replace(hashes.table_name, '_campaign_performance_hourly', '')
            FROM marketing.partition_hashes AS hashes
            WHERE hashes.client_id = clients.client_id
                AND hashes.table_name LIKE '%\_campaign_performance_hourly'
        )
    )) AS platform_name
    WHERE clients.removed_from_registry_at IS NULL
),
latest AS (
    SELECT client_platforms.*, newest.utc_hour, newest.checked_at
    FROM client_platforms
    LEFT JOIN LATERAL (
        SELECT hashes.utc_hour, hashes.checked_at
        FROM marketing.partition_hashes AS hashes
        WHERE hashes.table_name = client_platforms.platform || '_campaign_performance_hourly'
            AND hashes.client_id = client_platforms.client_id
        ORDER BY hashes.utc_hour DESC
        LIMIT 1
    ) AS newest ON true
)
SELECT
    client_id,
    name,
    platform,
    utc_hour,
    checked_at,
    as_of - (utc_hour + interval '1 hour'),
    warn_after_minutes,
    fail_after_minutes,
    CASE
        WHEN utc_hour IS NULL
            OR as_of - (utc_hour + interval '1 hour') >= make_interval(mins => fail_after_minutes)
            THEN 'stale'
        WHEN as_of - (utc_hour + interval '1 hour') >= make_interval(mins => warn_after_minutes)
            THEN 'late'
        ELSE 'fresh'
    END
FROM latest
ORDER BY client_id, platform
$$;

REVOKE ALL ON FUNCTION marketing.data_freshness_at(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION marketing.data_freshness_at(timestamptz) TO marketing_dashboard;

CREATE OR REPLACE VIEW marketing.data_freshness AS
SELECT * FROM marketing.data_freshness_at(now());

GRANT SELECT ON marketing.data_freshness TO marketing_dashboard;
