"""Summarise one platform's per-client freshness as an asset check outcome for the UI."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import dagster as dg

from marketing_assets.freshness.evaluate import UTC_HOUR_FORMAT, ClientFreshness, describe_lag


@dataclass(frozen=True, slots=True)
class PlatformFreshnessOutcome:
    """The check outcome: fails when any client is stale, warns when some are only late."""

    passed: bool
    severity: dg.AssetCheckSeverity
    description: str
    metadata: dict[str, dg.MetadataValue]


def platform_outcome(
    platform: str, rows: list[ClientFreshness], *, as_of: datetime
) -> PlatformFreshnessOutcome:
    """Build the outcome of ``platform`` from its clients' rows (rows of other platforms are
    ignored)."""
    own = [row for row in rows if row.platform == platform]
    counts = Counter(row.status for row in own)
    stale = sorted(row.client_id for row in own if row.status == "stale")
    late = sorted(row.client_id for row in own if row.status == "late")
    if stale:
        description = f"Stale on {platform}: {', '.join(stale)}."
    elif late:
        description = f"Late on {platform}: {', '.join(late)}."
    else:
        description = f"All {len(own)} clients on {platform} are fresh."
    return PlatformFreshnessOutcome(
        # Dagster shows a failed check of severity WARN as a warning, so late clients alone
        # colour the asset yellow, and red only once a client crosses its fail threshold.
        passed=not stale and not late,
        severity=dg.AssetCheckSeverity.ERROR if stale else dg.AssetCheckSeverity.WARN,
        description=description,
        metadata={
            "evaluated_at": dg.MetadataValue.text(as_of.strftime("%Y-%m-%d %H:%M UTC")),
            "clients": dg.MetadataValue.int(len(own)),
            "fresh": dg.MetadataValue.int(counts["fresh"]),
            "late": dg.MetadataValue.int(counts["late"]),
            "stale": dg.MetadataValue.int(counts["stale"]),
            "stale_clients": dg.MetadataValue.json(stale),
            "late_clients": dg.MetadataValue.json(late),
            "clients_table": dg.MetadataValue.md(markdown_table(own)),
        },
    )


def markdown_table(rows: list[ClientFreshness]) -> str:
    """Tabulate status, last loaded hour (or complete day of a daily-only platform), lag and
    thresholds, stale and late clients first."""
    order = {"stale": 0, "late": 1, "fresh": 2}
    lines = [
        "| client | status | last loaded hour or day | loaded at | lag | warn / fail after |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in sorted(rows, key=lambda row: (order[row.status], row.client_id)):
        if row.last_complete_day:
            hour = f"day {row.last_complete_day.isoformat()}"
        elif row.last_loaded_utc_hour:
            hour = row.last_loaded_utc_hour.strftime(UTC_HOUR_FORMAT)
        else:
            hour = "-"
        loaded = row.loaded_at.strftime("%Y-%m-%d %H:%M UTC") if row.loaded_at else "-"
        thresholds = f"{row.warn_after_minutes} / {row.fail_after_minutes} min"
        lines.append(
            f"| {row.client_id} | {row.status} | {hour} | {loaded} | {describe_lag(row.lag)} "
            f"| {thresholds} |"
        )
    return "\n".join(lines)
