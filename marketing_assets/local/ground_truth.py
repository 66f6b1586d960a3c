"""Compare the rows dashboards read with the simulator's ground truth, row by row."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import httpx

from marketing_assets.registry import Registry
from marketing_assets.registry.models import DAILY_PLATFORMS
from marketing_assets.storage.connection import connect

# A row's identity in the hourly view: the same campaign hour can only be loaded once.
RowKey = tuple[str, str, str, date, int]
RowValues = tuple[Decimal, int, int, Decimal]

LOADED_ROWS = """
SELECT platform, account_id, campaign_id, local_date, local_hour,
       spend, impressions, clicks, conversions
FROM marketing.campaign_performance_hourly
WHERE client_id = %s AND utc_hour >= %s AND utc_hour < %s
"""


@dataclass
class RowComparison:
    """Differences between the loaded rows of a window and the rows the platforms serve."""

    truth_rows: int = 0
    loaded_rows: int = 0
    # Truth rows absent from the table, or present with other numbers.
    missing: list[RowKey] = field(default_factory=list)
    wrong: list[RowKey] = field(default_factory=list)
    # Loaded rows beyond one per key, and loaded rows the platform does not serve.
    repeated: list[RowKey] = field(default_factory=list)
    unexpected: list[RowKey] = field(default_factory=list)

    @property
    def lost(self) -> int:
        return len(self.missing) + len(self.wrong)

    @property
    def duplicated(self) -> int:
        return len(self.repeated) + len(self.unexpected)


def compare_rows(
    registry: Registry,
    *,
    database_url: str,
    simulator_url: str,
    start: datetime,
    end: datetime,
) -> RowComparison:
    """Compare every hourly row of the registry's clients in the UTC window [start, end)."""
    comparison = RowComparison()
    connection = connect(database_url)
    http = httpx.Client(base_url=simulator_url, timeout=60)
    try:
        for client in registry.clients:
            truth: dict[RowKey, RowValues] = {}
            for account in client.accounts:
                # Daily-only platforms have no hours, so daily_truth.py compares their days.
                if account.platform in DAILY_PLATFORMS:
                    continue
                truth |= truth_rows(http, account.platform, account.account_id, start, end)
            loaded = loaded_rows(connection, client.client_id, start, end)
            compare_client(comparison, truth, loaded)
    finally:
        http.close()
        connection.close()
    return comparison


def compare_client(
    comparison: RowComparison,
    truth: dict[RowKey, RowValues],
    loaded: list[tuple[RowKey, RowValues]],
) -> None:
    counts = Counter(key for key, _ in loaded)
    values = dict(loaded)
    comparison.truth_rows += len(truth)
    comparison.loaded_rows += len(loaded)
    comparison.repeated += [key for key, count in counts.items() for _ in range(count - 1)]
    comparison.unexpected += [key for key in counts if key not in truth]
    for key, expected in truth.items():
        if key not in values:
            comparison.missing.append(key)
        elif values[key] != expected:
            comparison.wrong.append(key)


def loaded_rows(
    connection: object, client_id: str, start: datetime, end: datetime
) -> list[tuple[RowKey, RowValues]]:
    with connection.cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute(LOADED_ROWS, (client_id, start, end))
        rows = cursor.fetchall()
    connection.rollback()  # type: ignore[attr-defined]
    return [
        (
            (platform, account_id, campaign_id, local_date, int(local_hour)),
            (Decimal(spend), int(impressions), int(clicks), Decimal(conversions)),
        )
        for (platform, account_id, campaign_id, local_date, local_hour, spend, impressions,
             clicks, conversions) in rows
    ]  # fmt: skip


def truth_rows(
    http: httpx.Client, platform: str, account_id: str, start: datetime, end: datetime
) -> dict[RowKey, RowValues]:
    response = http.get(
        "/_simulator/truth/rows",
        params={
            "platform": platform,
            "account_id": account_id,
            "utc_start": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "utc_end": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
    )
    response.raise_for_status()
    return {
        (
            platform,
            account_id,
            row["campaign_id"],
            date.fromisoformat(row["local_date"]),
            int(row["local_hour"]),
        ): (
            Decimal(row["spend"]),
            int(row["impressions"]),
            int(row["clicks"]),
            Decimal(row["conversions"]),
        )
        for row in response.json()["rows"]
    }
