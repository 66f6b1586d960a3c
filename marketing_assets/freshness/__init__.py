"""Per-client freshness: evaluation against the registry's thresholds, checks and alerts."""
