"""Ground-truth totals (`/_simulator/...`), computed from the generator, not from API JSON.

Conversions: `conversions` and `conversion_value` count what the hourly reports return. For
Meta that is the on-Meta action types `purchase` + `lead` (value: `purchase`), the same
definition as the Meta client. A `date=` request adds `daily_conversions` and
`daily_conversion_value`, the figures of the platform's daily report. For Meta they also count
the pixel conversions `offsite_conversion.fb_pixel_purchase` and
`offsite_conversion.fb_pixel_lead`, which hourly breakdowns leave out. For the other platforms
they equal the hourly sums. Every total is computed with the server's clock at request time, so
it includes the restatements the API serves at that moment.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from marketing_assets.simulator.context import SimulatorContext
from marketing_assets.simulator.daily_truth import DayTruthError, truth_day_rows
from marketing_assets.simulator.data import MICROS_PER_UNIT, CampaignHour, campaign_hours
from marketing_assets.simulator.ecb import fx_truth
from marketing_assets.simulator.localtime import local_hours
from marketing_assets.simulator.models import SimulatedAccount
from marketing_assets.simulator.restatement import (
    revision_age,
    revision_ages,
    revision_steps_passed,
)
from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse, json_response

# Bounds the work one truth request can cause.
MAX_WINDOW = timedelta(days=400)
DAILY_ONLY_PLATFORMS = frozenset({"linkedin"})


class TruthRequestError(ValueError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def handle_simulator(
    request: SimulatorRequest, path: str, context: SimulatorContext
) -> SimulatorResponse:
    """Route a request whose path, after the /_simulator prefix, is `path`."""
    if request.method != "GET":
        return json_response(405, {"error": f"Use GET for /_simulator{path}."})
    if path == "/health":
        return json_response(200, {"status": "ok"})
    if path == "/accounts":
        return json_response(200, [dataclasses.asdict(account) for account in context.accounts])
    if path in ("/truth", "/truth/rows"):
        answer = truth_totals if path == "/truth" else truth_rows
        try:
            return json_response(200, answer(request.query, context))
        except TruthRequestError as error:
            return json_response(error.status, {"error": str(error)})
    if path == "/fx":
        return fx_truth(request.query, context)
    return json_response(404, {"error": f"Unknown simulator endpoint /_simulator{path}."})


def truth_totals(query: dict[str, str], context: SimulatorContext) -> dict[str, Any]:
    """Sum what the platform API serves now for one local date or one UTC window."""
    platform = query.get("platform", "")
    account_id = query.get("account_id", "")
    account = context.find_account(platform, account_id)
    if account is None:
        raise TruthRequestError(
            404, f"No simulated account with platform={platform!r} and account_id={account_id!r}."
        )
    now = context.clock()
    header: dict[str, Any] = {"platform": platform, "account_id": account_id}

    daily: dict[str, Any] = {}
    if "date" in query:
        day = _parse_date(query["date"])
        hours = campaign_hours(account, day, now, revision=context.revision)
        header["date"] = day.isoformat()
        daily = _daily_figures(account, day, now, hours)
    elif "utc_start" in query and "utc_end" in query:
        start, end = _parse_instant(query["utc_start"]), _parse_instant(query["utc_end"])
        if not start < end <= start + MAX_WINDOW:
            raise TruthRequestError(
                400, f"utc_end must be after utc_start and at most {MAX_WINDOW.days} days later."
            )
        hours = _window_hours(account, start, end, now, context.revision)
        header["utc_start"] = query["utc_start"]
        header["utc_end"] = query["utc_end"]
    else:
        raise TruthRequestError(400, "Pass either date=YYYY-MM-DD or both utc_start and utc_end.")

    header.update({"time_zone": account.time_zone, "currency": account.currency})
    return header | _sum_hours(account, hours) | daily


def truth_rows(query: dict[str, str], context: SimulatorContext) -> dict[str, Any]:
    """List every row the hourly API serves now in one UTC window, keyed like the tables.

    Hours without impressions are left out, as the platforms leave them out of reports.
    LinkedIn serves no hours, so its accounts take first_day and last_day instead and get one
    row per campaign and local day (see daily_truth.py).
    """
    platform = query.get("platform", "")
    account_id = query.get("account_id", "")
    account = context.find_account(platform, account_id)
    if account is None:
        raise TruthRequestError(
            404, f"No simulated account with platform={platform!r} and account_id={account_id!r}."
        )
    if platform in DAILY_ONLY_PLATFORMS:
        if "first_day" not in query or "last_day" not in query:
            raise TruthRequestError(
                400,
                f"{platform} reports daily figures only, so it has no hourly rows: pass "
                "first_day and last_day (YYYY-MM-DD) for its campaign days.",
            )
        try:
            return truth_day_rows(query, context)
        except DayTruthError as error:
            raise TruthRequestError(error.status, str(error)) from error
    if "utc_start" not in query or "utc_end" not in query:
        raise TruthRequestError(400, "Pass both utc_start and utc_end.")
    start, end = _parse_instant(query["utc_start"]), _parse_instant(query["utc_end"])
    if not start < end <= start + MAX_WINDOW:
        raise TruthRequestError(
            400, f"utc_end must be after utc_start and at most {MAX_WINDOW.days} days later."
        )
    hours = _window_hours(account, start, end, context.clock(), context.revision)
    rows = [
        {
            "campaign_id": hour.campaign.campaign_id,
            "local_date": hour.day.isoformat(),
            "local_hour": hour.hour,
            "spend": str(_spend(account, hour)),
            "impressions": hour.impressions,
            "clicks": hour.clicks,
            "conversions": str(hour.conversions),
        }
        for hour in hours
        if hour.impressions > 0
    ]
    return {"platform": platform, "account_id": account_id, "rows": rows}


def _spend(account: SimulatedAccount, hour: CampaignHour) -> Decimal:
    if account.platform == "google_ads":
        return Decimal(hour.cost_micros) / MICROS_PER_UNIT
    return hour.spend


def _window_hours(
    account: SimulatedAccount, start: datetime, end: datetime, now: datetime, revision: int
) -> list[CampaignHour]:
    """Collect campaign hours whose local hour starts (first occurrence) in [start, end)."""
    zone = ZoneInfo(account.time_zone)
    day = start.astimezone(zone).date() - timedelta(days=1)
    last_day = end.astimezone(zone).date() + timedelta(days=1)
    selected: list[CampaignHour] = []
    while day <= last_day:
        starts = {hour.hour: hour.utc_start for hour in local_hours(day, account.time_zone)}
        for campaign_hour in campaign_hours(account, day, now, revision=revision):
            if start <= starts[campaign_hour.hour] < end:
                selected.append(campaign_hour)
        day += timedelta(days=1)
    return selected


def _sum_hours(account: SimulatedAccount, hours: list[CampaignHour]) -> dict[str, Any]:
    served = [hour for hour in hours if hour.impressions > 0]
    if account.platform == "google_ads":
        micros = sum(hour.cost_micros for hour in served)
        spend = Decimal(micros) / MICROS_PER_UNIT
    else:
        spend = sum((hour.spend for hour in served), Decimal(0))
    return {
        # Local hour labels served, counting hours without impressions: 23 on a spring-forward day.
        "hours": len({(hour.day, hour.hour) for hour in hours}),
        "rows": len(served),
        "spend": str(spend),
        "impressions": sum(hour.impressions for hour in served),
        "clicks": sum(hour.clicks for hour in served),
        "conversions": str(sum((hour.conversions for hour in served), Decimal(0))),
        "conversion_value": str(sum((hour.conversion_value for hour in served), Decimal(0))),
    }


def _daily_figures(
    account: SimulatedAccount, day: date, now: datetime, hours: list[CampaignHour]
) -> dict[str, Any]:
    """Return the daily report's conversions and the day's restatement progress at `now`."""
    served = [hour for hour in hours if hour.impressions > 0]
    conversions = sum((hour.conversions for hour in served), Decimal(0))
    value = sum((hour.conversion_value for hour in served), Decimal(0))
    # Google's hourly segments carry every conversion; only Meta adds the pixel ones daily.
    conversions += sum(hour.offsite_purchases + hour.offsite_leads for hour in served)
    value += sum((hour.offsite_conversion_value for hour in served), Decimal(0))
    return {
        "daily_conversions": str(conversions),
        "daily_conversion_value": str(value),
        "age_days": revision_age(account, day, now),
        "revision_steps": revision_steps_passed(account, day, now),
        "revision_ages": list(revision_ages(account)),
    }


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise TruthRequestError(400, f"Invalid date {text!r}: use YYYY-MM-DD.") from error


def _parse_instant(text: str) -> datetime:
    try:
        instant = datetime.fromisoformat(text)
    except ValueError as error:
        raise TruthRequestError(
            400, f"Invalid instant {text!r}: use ISO 8601 like 2026-12-03T16:00:00Z."
        ) from error
    if instant.tzinfo is None:
        raise TruthRequestError(400, f"Instant {text!r} has no UTC offset: add Z or +00:00.")
    return instant.astimezone(UTC)
