-- One row per table, client and UTC hour that a run has written: the hash of the partition's
-- content (load columns excluded), so a rerun that fetched the same numbers rewrites
-- nothing, and the time each partition was last checked and last changed.
CREATE TABLE IF NOT EXISTS marketing.partition_hashes (
    table_name     text        NOT NULL,
    client_id      text        NOT NULL,
    utc_hour       timestamptz NOT NULL,
    content_hash   text        NOT NULL,
    row_count      integer     NOT NULL,
    checked_at     timestamptz NOT NULL,
    changed_at     timestamptz NOT NULL,
    dagster_run_id text        NOT NULL,
    PRIMARY KEY (table_name, client_id, utc_hour)
);
