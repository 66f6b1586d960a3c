"""The hourly rows a run stored for one client and platform, summed per account-local day."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import psycopg2.extensions

from marketing_assets.sync.window import SyncWindow

# Every hour of a complete local day lies inside the window (see complete_local_days), so the
# window's UTC hours select all rows of the days the checks compare.
STORED_DAYS = """
SELECT account_id, local_date, account_time_zone, currency,
       coalesce(sum(spend), 0), coalesce(sum(impressions), 0), coalesce(sum(clicks), 0),
       coalesce(sum(conversions), 0)
FROM marketing.campaign_performance_hourly
WHERE client_id = %s AND platform = %s AND utc_hour >= %s AND utc_hour < %s
GROUP BY account_id, local_date, account_time_zone, currency
"""


@dataclass(frozen=True, slots=True)
class DayTotals:
    spend: Decimal
    impressions: int
    clicks: int
    conversions: Decimal

    def __add__(self, other: DayTotals) -> DayTotals:
        return DayTotals(
            self.spend + other.spend,
            self.impressions + other.impressions,
            self.clicks + other.clicks,
            self.conversions + other.conversions,
        )


NO_ROWS = DayTotals(Decimal(0), 0, 0, Decimal(0))


@dataclass(slots=True)
class StoredAccount:
    """One account's rows in a window: their time zones and currencies, and daily sums.

    Rows of one load share one zone and one currency, so more than one of either means the
    account changed them and the window contains rows of both settings.
    """

    time_zones: set[str] = field(default_factory=set)
    currencies: set[str] = field(default_factory=set)
    totals: dict[date, DayTotals] = field(default_factory=dict)

    def day_totals(self, day: date) -> DayTotals:
        return self.totals.get(day, NO_ROWS)


def stored_accounts(
    connection: psycopg2.extensions.connection,
    client_id: str,
    platform: str,
    window: SyncWindow,
) -> dict[str, StoredAccount]:
    """Read the client's rows of `platform` in the window's UTC hours, by account id.

    Accounts without rows in the window are missing from the result.
    """
    with connection.cursor() as cursor:
        cursor.execute(STORED_DAYS, (client_id, platform, window.start, window.end))
        rows = cursor.fetchall()

    accounts: dict[str, StoredAccount] = {}
    for account_id, local_date, time_zone, currency, *sums in rows:
        account = accounts.setdefault(account_id, StoredAccount())
        account.time_zones.add(time_zone)
        account.currencies.add(currency)
        spend, impressions, clicks, conversions = sums
        totals = DayTotals(Decimal(spend), int(impressions), int(clicks), Decimal(conversions))
        account.totals[local_date] = account.day_totals(local_date) + totals
    return accounts
