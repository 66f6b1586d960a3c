"""Compare what landed in PostgreSQL with the simulator's ground truth, account by account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import httpx

from marketing_assets.registry import Registry
from marketing_assets.registry.models import DAILY_PLATFORMS
from marketing_assets.storage.connection import connect

METRICS = ("rows", "spend", "impressions", "clicks", "conversions")

TOTALS_QUERY = """
SELECT platform, account_id, count(*), coalesce(sum(spend), 0), coalesce(sum(impressions), 0),
       coalesce(sum(clicks), 0), coalesce(sum(conversions), 0), min(currency)
FROM marketing.campaign_performance_hourly
WHERE client_id = %s AND utc_hour >= %s AND utc_hour < %s
GROUP BY platform, account_id
"""


@dataclass(frozen=True, slots=True)
class AccountTotals:
    rows: int
    spend: Decimal
    impressions: int
    clicks: int
    conversions: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class AccountReconciliation:
    client_id: str
    platform: str
    account_id: str
    loaded: AccountTotals
    truth: AccountTotals

    @property
    def differences(self) -> list[str]:
        found = []
        for metric in METRICS:
            loaded, truth = getattr(self.loaded, metric), getattr(self.truth, metric)
            if loaded != truth:
                found.append(f"{metric}: loaded {loaded}, platform {truth}")
        return found

    @property
    def matches(self) -> bool:
        return not self.differences


def reconcile_window(
    registry: Registry,
    *,
    database_url: str,
    simulator_url: str,
    start: datetime,
    end: datetime,
) -> list[AccountReconciliation]:
    """Return one reconciliation per registry account of an hourly platform over the UTC window
    [start, end)."""
    results = []
    connection = connect(database_url)
    http = httpx.Client(base_url=simulator_url, timeout=30)
    try:
        for client in registry.clients:
            loaded = loaded_totals(connection, client.client_id, start, end)
            for account in client.accounts:
                # Daily-only platforms have no hours, so daily_truth.py compares their days.
                if account.platform in DAILY_PLATFORMS:
                    continue
                truth = truth_totals(http, account.platform, account.account_id, start, end)
                empty = AccountTotals(0, Decimal(0), 0, 0, Decimal(0), truth.currency)
                results.append(
                    AccountReconciliation(
                        client_id=client.client_id,
                        platform=account.platform,
                        account_id=account.account_id,
                        loaded=loaded.get((account.platform, account.account_id), empty),
                        truth=truth,
                    )
                )
    finally:
        http.close()
        connection.close()
    return results


def loaded_totals(
    connection: object, client_id: str, start: datetime, end: datetime
) -> dict[tuple[str, str], AccountTotals]:
    with connection.cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute(TOTALS_QUERY, (client_id, start, end))
        rows = cursor.fetchall()
    connection.rollback()  # type: ignore[attr-defined]
    return {
        (platform, account_id): AccountTotals(
            rows=count,
            spend=Decimal(spend),
            impressions=int(impressions),
            clicks=int(clicks),
            conversions=Decimal(conversions),
            currency=currency,
        )
        for platform, account_id, count, spend, impressions, clicks, conversions, currency in rows
    }


def truth_totals(
    http: httpx.Client, platform: str, account_id: str, start: datetime, end: datetime
) -> AccountTotals:
    response = http.get(
        "/_simulator/truth",
        params={
            "platform": platform,
            "account_id": account_id,
            "utc_start": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "utc_end": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
    )
    response.raise_for_status()
    body = response.json()
    return AccountTotals(
        rows=int(body["rows"]),
        spend=Decimal(body["spend"]),
        impressions=int(body["impressions"]),
        clicks=int(body["clicks"]),
        conversions=Decimal(body["conversions"]),
        currency=body["currency"],
    )
