"""Compare what LinkedIn days landed in PostgreSQL with the simulator's ground truth.

LinkedIn reports whole days only, so its accounts are compared over reported dates, never over
UTC hours: account totals for the demo, and row by row for the chaos run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import httpx
import psycopg2.extensions

from marketing_assets.local.ground_truth import RowComparison, compare_client
from marketing_assets.local.reconcile import AccountReconciliation, AccountTotals
from marketing_assets.registry import Client, Registry
from marketing_assets.registry.models import DAILY_PLATFORMS
from marketing_assets.storage.connection import connect

# A loaded LinkedIn row's identity, in the shape of the hourly rows' keys: the campaign day
# takes the place of the hour, and the hour is None.
DayRowKey = tuple[str, str, str, date, None]
DayRowValues = tuple[Decimal, int, int, Decimal]

LOADED_DAY_ROWS = """
SELECT platform, account_id, campaign_id, local_date, currency,
       spend, impressions, clicks, conversions
FROM marketing.linkedin_campaign_performance_daily
WHERE client_id = %s AND local_date BETWEEN %s AND %s
"""


@dataclass(frozen=True, slots=True)
class ClientDays:
    """The reported dates, first_day to last_day (both included), compared for one client."""

    client: Client
    first_day: date
    last_day: date


def closed_days(time_zone: str, start: datetime, end: datetime) -> tuple[date, date]:
    """Return the first and last local day to compare for the UTC window [start, end): from
    the day the window starts on in ``time_zone`` to the last day that had ended by ``end``.

    A window shorter than a day gets that last ended day alone. Only ended days are compared,
    because they are served complete by then and stay put between the run and the
    comparison, while the current, open day keeps growing.
    """
    zone = ZoneInfo(time_zone)
    last = end.astimezone(zone).date() - timedelta(days=1)
    first = min(start.astimezone(zone).date(), last)
    return first, last


def daily_clients(registry: Registry, start: datetime, end: datetime) -> list[ClientDays]:
    """Return each client with accounts on a daily-only platform, and its days to compare for
    the window. LinkedIn exposes no account time zone, so the client's zone is used in its
    place."""
    return [
        ClientDays(client, *closed_days(client.time_zone, start, end))
        for client in registry.clients
        if any(client.accounts_on(platform) for platform in DAILY_PLATFORMS)
    ]


def reconcile_days(
    clients: list[ClientDays], *, database_url: str, simulator_url: str
) -> list[AccountReconciliation]:
    """Return one reconciliation per daily-only account over its client's days."""
    results = []
    connection = connect(database_url)
    http = httpx.Client(base_url=simulator_url, timeout=60)
    try:
        for item in clients:
            loaded = loaded_day_rows(connection, item)
            for platform in DAILY_PLATFORMS:
                for account in item.client.accounts_on(platform):
                    truth, currency = truth_day_rows(http, platform, account.account_id, item)
                    own = {
                        key: entry
                        for key, entry in loaded.items()
                        if key[:2] == (platform, account.account_id)
                    }
                    # Several currencies on one account would be a loading error, and joining
                    # them keeps it visible in the report.
                    loaded_currency = ", ".join(sorted({entry[1] for entry in own.values()}))
                    loaded_rows = {key: values for key, (values, _) in own.items()}
                    results.append(
                        AccountReconciliation(
                            client_id=item.client.client_id,
                            platform=platform,
                            account_id=account.account_id,
                            loaded=totals(loaded_rows, loaded_currency or currency),
                            truth=totals(truth, currency),
                        )
                    )
    finally:
        http.close()
        connection.close()
    return results


def compare_day_rows(
    comparison: RowComparison, clients: list[ClientDays], *, database_url: str, simulator_url: str
) -> None:
    """Add every LinkedIn campaign day of ``clients`` to ``comparison``, row by row."""
    connection = connect(database_url)
    http = httpx.Client(base_url=simulator_url, timeout=60)
    try:
        for item in clients:
            truth: dict[DayRowKey, DayRowValues] = {}
            for platform in DAILY_PLATFORMS:
                for account in item.client.accounts_on(platform):
                    truth |= truth_day_rows(http, platform, account.account_id, item)[0]
            rows = [(key, values) for key, (values, _) in loaded_day_rows(connection, item).items()]
            compare_client(comparison, truth, rows)  # type: ignore[arg-type]
    finally:
        http.close()
        connection.close()


def totals(rows: dict[DayRowKey, DayRowValues], currency: str) -> AccountTotals:
    return AccountTotals(
        rows=len(rows),
        spend=sum((values[0] for values in rows.values()), Decimal(0)),
        impressions=sum(values[1] for values in rows.values()),
        clicks=sum(values[2] for values in rows.values()),
        conversions=sum((values[3] for values in rows.values()), Decimal(0)),
        currency=currency,
    )


def loaded_day_rows(
    connection: psycopg2.extensions.connection, item: ClientDays
) -> dict[DayRowKey, tuple[DayRowValues, str]]:
    """Return the loaded rows of the client's days with their currency.

    The primary key makes each campaign day unique, so a dict loses no row.
    """
    with connection.cursor() as cursor:
        cursor.execute(LOADED_DAY_ROWS, (item.client.client_id, item.first_day, item.last_day))
        rows = cursor.fetchall()
    connection.rollback()
    return {
        (platform, account_id, campaign_id, local_date, None): (
            (Decimal(spend), int(impressions), int(clicks), Decimal(conversions)),
            currency,
        )
        for (platform, account_id, campaign_id, local_date, currency, spend, impressions,
             clicks, conversions) in rows
    }  # fmt: skip


def truth_day_rows(
    http: httpx.Client, platform: str, account_id: str, item: ClientDays
) -> tuple[dict[DayRowKey, DayRowValues], str]:
    """Return the simulator's campaign days of one account and the account's currency."""
    response = http.get(
        "/_simulator/truth/rows",
        params={
            "platform": platform,
            "account_id": account_id,
            "first_day": item.first_day.isoformat(),
            "last_day": item.last_day.isoformat(),
        },
    )
    response.raise_for_status()
    body = response.json()
    rows = {
        (platform, account_id, row["campaign_id"], date.fromisoformat(row["local_date"]), None): (
            Decimal(row["spend"]),
            int(row["impressions"]),
            int(row["clicks"]),
            Decimal(row["conversions"]),
        )
        for row in body["rows"]
    }
    return rows, body["currency"]
