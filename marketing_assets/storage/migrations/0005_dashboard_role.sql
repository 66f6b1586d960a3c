-- The role dashboards connect through: it reads the reporting views and nothing else. Views
-- run with their owner's rights, so the role needs no grant on the tables behind them.
-- Give a login user this role with: GRANT marketing_dashboard TO <user>;
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'marketing_dashboard') THEN
        CREATE ROLE marketing_dashboard NOLOGIN;
    END IF;
END
$$;

GRANT USAGE ON SCHEMA marketing TO marketing_dashboard;
GRANT SELECT ON marketing.campaign_performance_daily, marketing.platform_performance_daily,
    marketing.client_performance_daily TO marketing_dashboard;
