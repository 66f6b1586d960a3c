"""Dagster's asset-level freshness policies for the unified tables dashboards read."""

from __future__ import annotations

from datetime import timedelta

import dagster as dg

from marketing_assets.registry.models import DEFAULT_FAIL_AFTER_MINUTES, DEFAULT_WARN_AFTER_MINUTES

# The freshness daemon compares the time since the asset's latest materialization of any
# partition with these windows, so it turns WARN or FAIL only when no client of the platform
# loaded at all, which is a platform-wide outage. A single lagging client shows in the per-client
# freshness checks instead. The windows equal the per-client defaults for the same reason
# as theirs: the schedule materializes every hour.
UNIFIED_FRESHNESS_POLICY = dg.FreshnessPolicy.time_window(
    fail_window=timedelta(minutes=DEFAULT_FAIL_AFTER_MINUTES),
    warn_window=timedelta(minutes=DEFAULT_WARN_AFTER_MINUTES),
)

# A daily-only platform gains one complete day per day, so a day passes between two
# materializations that matter even when every scheduled run succeeds. The windows are that
# day plus the per-client defaults: without a materialization for 27 hours, some day that
# completed in that time has been missing for at least 3 hours, on every client.
DAILY_FRESHNESS_POLICY = dg.FreshnessPolicy.time_window(
    fail_window=timedelta(days=1, minutes=DEFAULT_FAIL_AFTER_MINUTES),
    warn_window=timedelta(days=1, minutes=DEFAULT_WARN_AFTER_MINUTES),
)
