-- ECB euro reference rates, and spend in each client's reporting currency beside the spend
-- in the account currency. The new unified columns are nullable so the migration also runs
-- on tables that already hold rows; every row written from now on fills them.
CREATE TABLE IF NOT EXISTS marketing.fx_rates (
    rate_date      date           NOT NULL,
    currency       text           NOT NULL,
    rate_per_euro  numeric(24, 10) NOT NULL CHECK (rate_per_euro > 0),
    loaded_at      timestamptz    NOT NULL,
    PRIMARY KEY (rate_date, currency)
);

ALTER TABLE marketing.campaign_performance_hourly
    ADD COLUMN IF NOT EXISTS reporting_currency text,
    ADD COLUMN IF NOT EXISTS spend_reporting    numeric(38, 6),
    ADD COLUMN IF NOT EXISTS fx_rate_date       date;
