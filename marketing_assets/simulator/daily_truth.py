"""Ground-truth rows of daily-only platforms (LinkedIn): one row per campaign and local day.

The rows are summed from the generator's hours, as the LinkedIn handler sums them, so they
equal what adAnalytics serves at the server's clock at request time.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from marketing_assets.simulator.context import SimulatorContext
from marketing_assets.simulator.data import campaign_hours

# Bounds the work one truth request can cause.
MAX_DAYS = 400


class DayTruthError(ValueError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def truth_day_rows(query: dict[str, str], context: SimulatorContext) -> dict[str, Any]:
    """List every campaign day a daily-only account serves now from first_day to last_day.

    Campaigns without impressions on a day are left out, as adAnalytics leaves them out.
    """
    platform = query.get("platform", "")
    account_id = query.get("account_id", "")
    account = context.find_account(platform, account_id)
    if account is None:
        raise DayTruthError(
            404, f"No simulated account with platform={platform!r} and account_id={account_id!r}."
        )
    first_day = _parse_day(query.get("first_day", ""), "first_day")
    last_day = _parse_day(query.get("last_day", ""), "last_day")
    if not first_day <= last_day < first_day + timedelta(days=MAX_DAYS):
        raise DayTruthError(
            400, f"last_day must be on or after first_day and at most {MAX_DAYS - 1} days later."
        )
    now = context.clock()
    rows = []
    day = first_day
    while day <= last_day:
        totals: dict[str, dict[str, Any]] = {}
        for hour in campaign_hours(account, day, now, revision=context.revision):
            row = totals.setdefault(
                hour.campaign.campaign_id,
                {"spend": Decimal(0), "impressions": 0, "clicks": 0, "conversions": Decimal(0)},
            )
            row["spend"] += hour.spend
            row["impressions"] += hour.impressions
            row["clicks"] += hour.clicks
            row["conversions"] += hour.conversions
        rows += [
            {
                "campaign_id": campaign_id,
                "local_date": day.isoformat(),
                "spend": str(row["spend"]),
                "impressions": row["impressions"],
                "clicks": row["clicks"],
                "conversions": str(row["conversions"]),
            }
            for campaign_id, row in sorted(totals.items())
            if row["impressions"] > 0
        ]
        day += timedelta(days=1)
    return {
        "platform": platform,
        "account_id": account_id,
        "time_zone": account.time_zone,
        "currency": account.currency,
        "rows": rows,
    }


def _parse_day(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise DayTruthError(400, f"Invalid {name} {text!r}: use YYYY-MM-DD.") from error
