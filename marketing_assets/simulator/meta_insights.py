"""Meta insights: parameter validation, row building and cursor paging."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from marketing_assets.simulator.context import SimulatorContext
from marketing_assets.simulator.data import CampaignHour, campaign_hours
from marketing_assets.simulator.meta_errors import invalid_parameter
from marketing_assets.simulator.meta_usage import usage_headers
from marketing_assets.simulator.models import SimulatedAccount
from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse, json_response

HOURLY_BREAKDOWN = "hourly_stats_aggregated_by_advertiser_time_zone"
INSIGHTS_FIELDS = (
    "account_id",
    "account_name",
    "account_currency",
    "campaign_id",
    "campaign_name",
    "spend",
    "impressions",
    "clicks",
    "actions",
    "action_values",
    "date_start",
    "date_stop",
)
# Conversions tracked off Meta by the pixel. Meta leaves them out of hourly breakdowns, so only
# rows without `breakdowns` carry them, and hourly sums fall short of the daily report.
PIXEL_PURCHASE = "offsite_conversion.fb_pixel_purchase"
PIXEL_LEAD = "offsite_conversion.fb_pixel_lead"
DEFAULT_FIELDS = ("impressions", "spend")
DEFAULT_LIMIT = 25
MAX_LIMIT = 500
# The simulator caps ranges so one request cannot generate years of hourly rows.
MAX_RANGE_DAYS = 400
_CURSOR_PREFIX = "sim-offset:"


class InsightsParameterError(ValueError):
    pass


@dataclass(frozen=True)
class InsightsParameters:
    fields: tuple[str, ...]
    since: date
    until: date
    daily: bool
    hourly: bool
    limit: int
    offset: int


def handle_insights(
    request: SimulatorRequest, account: SimulatedAccount, context: SimulatorContext
) -> SimulatorResponse:
    try:
        parameters = parse_parameters(request.query)
    except InsightsParameterError as error:
        return invalid_parameter(str(error))

    rows = build_rows(account, parameters, context)
    page = rows[parameters.offset : parameters.offset + parameters.limit]
    payload: dict[str, Any] = {"data": page}
    if page:
        last = parameters.offset + len(page) - 1
        paging: dict[str, Any] = {
            "cursors": {"before": encode_cursor(parameters.offset), "after": encode_cursor(last)}
        }
        if last + 1 < len(rows):
            paging["next"] = _next_url(request, encode_cursor(last))
        payload["paging"] = paging
    return json_response(200, payload, _usage_headers(account))


def parse_parameters(query: dict[str, str]) -> InsightsParameters:
    """Validate insights query parameters, raising InsightsParameterError with Graph's wording."""
    level = query.get("level")
    if level != "campaign":
        raise InsightsParameterError(
            f"Param level must be 'campaign' in the simulator, got {level!r}."
        )
    fields = _parse_fields(query.get("fields"))
    since, until = _parse_time_range(query.get("time_range"))

    time_increment = query.get("time_increment", "all_days")
    if time_increment not in ("1", "all_days"):
        raise InsightsParameterError(
            f"Param time_increment must be 1 or all_days in the simulator, got {time_increment!r}."
        )
    breakdowns = [item for item in query.get("breakdowns", "").split(",") if item]
    if any(item != HOURLY_BREAKDOWN for item in breakdowns):
        raise InsightsParameterError(
            f"Param breakdowns must be {HOURLY_BREAKDOWN} in the simulator, got {breakdowns!r}."
        )

    limit_text = query.get("limit", str(DEFAULT_LIMIT))
    if not limit_text.isdigit() or int(limit_text) == 0:
        raise InsightsParameterError(f"Param limit must be a positive integer, got {limit_text!r}.")
    after = query.get("after")
    offset = decode_cursor(after) + 1 if after else 0
    return InsightsParameters(
        fields=fields,
        since=since,
        until=until,
        daily=time_increment == "1",
        hourly=bool(breakdowns),
        limit=min(int(limit_text), MAX_LIMIT),
        offset=offset,
    )


def _parse_fields(text: str | None) -> tuple[str, ...]:
    if text is None:
        return DEFAULT_FIELDS
    fields = tuple(item.strip() for item in text.split(",") if item.strip())
    for index, field in enumerate(fields):
        if field not in INSIGHTS_FIELDS:
            raise InsightsParameterError(
                f"fields[{index}] must be one of the following values: {', '.join(INSIGHTS_FIELDS)}"
            )
    return fields


def _parse_time_range(text: str | None) -> tuple[date, date]:
    if text is None:
        raise InsightsParameterError(
            'Param time_range is required by the simulator, e.g. {"since":"2026-03-01",'
            '"until":"2026-03-01"}.'
        )
    try:
        time_range = json.loads(text)
        since = date.fromisoformat(time_range["since"])
        until = date.fromisoformat(time_range["until"])
    except (ValueError, KeyError, TypeError) as error:
        raise InsightsParameterError(
            f"Param time_range must be a JSON object with since and until dates, got {text!r}."
        ) from error
    if since > until:
        raise InsightsParameterError(f"Param time_range has since {since} after until {until}.")
    if (until - since).days >= MAX_RANGE_DAYS:
        raise InsightsParameterError(f"Param time_range is longer than {MAX_RANGE_DAYS} days.")
    return since, until


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{offset}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not text.startswith(_CURSOR_PREFIX):
            raise ValueError(text)
        return int(text.removeprefix(_CURSOR_PREFIX))
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise InsightsParameterError(f"Param after is not a valid cursor: {cursor!r}.") from error


def build_rows(
    account: SimulatedAccount, parameters: InsightsParameters, context: SimulatorContext
) -> list[dict[str, Any]]:
    """Build insights rows in a stable order: period, campaign, hour, hourless row last."""
    now = context.clock()
    groups: dict[tuple[date, date, str], list[CampaignHour]] = {}
    day = parameters.since
    while day <= parameters.until:
        period = (day, day) if parameters.daily else (parameters.since, parameters.until)
        for hour in campaign_hours(account, day, now, revision=context.revision):
            groups.setdefault((*period, hour.campaign.campaign_id), []).append(hour)
        day += timedelta(days=1)

    rows = []
    for (start, stop, _), hours in sorted(groups.items(), key=lambda item: item[0]):
        rows.extend(_group_rows(account, parameters, start, stop, hours))
    return rows


def _group_rows(
    account: SimulatedAccount,
    parameters: InsightsParameters,
    start: date,
    stop: date,
    hours: list[CampaignHour],
) -> list[dict[str, Any]]:
    active = [hour for hour in hours if hour.impressions > 0]
    buckets: dict[int | None, list[CampaignHour]] = {}
    for hour in active:
        buckets.setdefault(hour.hour if parameters.hourly else None, []).append(hour)

    rows = []
    for hour_label in sorted(buckets, key=lambda label: -1 if label is None else label):
        row = _metrics_row(account, parameters, buckets[hour_label])
        row.update({"date_start": start.isoformat(), "date_stop": stop.isoformat()})
        if hour_label is not None:
            row[HOURLY_BREAKDOWN] = f"{hour_label:02d}:00:00 - {hour_label:02d}:59:59"
        rows.append(row)
    # Meta returns hours without impressions as one row without the hour field and with
    # spend "0" only; clients must drop it.
    if len(active) < len(hours) and (parameters.hourly or not active):
        row = _attribute_fields(account, parameters.fields, hours[0])
        row["spend"] = "0"
        row.update({"date_start": start.isoformat(), "date_stop": stop.isoformat()})
        rows.append(row)
    return rows


def _attribute_fields(
    account: SimulatedAccount, fields: tuple[str, ...], hour: CampaignHour
) -> dict[str, Any]:
    values = {
        "account_id": account.account_id,
        "account_name": account.display_name,
        "account_currency": account.currency,
        "campaign_id": hour.campaign.campaign_id,
        "campaign_name": hour.campaign.name,
    }
    return {field: values[field] for field in fields if field in values}


def _metrics_row(
    account: SimulatedAccount, parameters: InsightsParameters, hours: list[CampaignHour]
) -> dict[str, Any]:
    row = _attribute_fields(account, parameters.fields, hours[0])
    clicks = sum(hour.clicks for hour in hours)
    action_counts = [
        ("link_click", clicks),
        ("purchase", sum(hour.purchases for hour in hours)),
        ("lead", sum(hour.leads for hour in hours)),
    ]
    action_values = [("purchase", sum((hour.conversion_value for hour in hours), Decimal(0)))]
    if not parameters.hourly:
        action_counts.append((PIXEL_PURCHASE, sum(hour.offsite_purchases for hour in hours)))
        action_counts.append((PIXEL_LEAD, sum(hour.offsite_leads for hour in hours)))
        pixel_value = sum((hour.offsite_conversion_value for hour in hours), Decimal(0))
        action_values.append((PIXEL_PURCHASE, pixel_value))

    metrics: dict[str, Any] = {
        "spend": f"{sum((hour.spend for hour in hours), Decimal(0)):.2f}",
        "impressions": str(sum(hour.impressions for hour in hours)),
        "clicks": str(clicks),
        "actions": [
            {"action_type": action_type, "value": str(count)}
            for action_type, count in action_counts
            if count > 0
        ],
        "action_values": [
            {"action_type": action_type, "value": f"{value:.2f}"}
            for action_type, value in action_values
            if value
        ],
    }
    for field in parameters.fields:
        # Graph leaves out an action list that would be empty.
        if field in metrics and metrics[field] != []:
            row[field] = metrics[field]
    return row


def _next_url(request: SimulatorRequest, after: str) -> str:
    query = dict(request.query)
    query["after"] = after
    return f"http://{request.host}{request.path}?{urlencode(query)}"


def _usage_headers(account: SimulatedAccount) -> dict[str, str]:
    """Build usage headers at a low, constant level, which a MetaUsageLimit plan makes grow."""
    return usage_headers(account.account_id, account_percent=1, app_percent=0, reset_seconds=0)
