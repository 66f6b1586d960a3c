"""Pure parsers from TikTok Business API bodies to typed records.

Every body, errors included, is an envelope {"code", "message", "request_id", "data"}; a
non-zero code is an error even under HTTP 200 (see tiktok/errors.py). Metric values may be
strings or numbers, and both become Decimal or int exactly. Rows that break a rule of
docs/data-rules.md raise PlatformDataError.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from marketing_assets.platforms.errors import invalid_data
from marketing_assets.platforms.field_reader import FieldReader, abbreviate, decode_json
from marketing_assets.platforms.tiktok.errors import error_from_envelope
from marketing_assets.platforms.tiktok.records import (
    TikTokAdvertiser,
    TikTokCampaignDay,
    TikTokCampaignHour,
)
from marketing_assets.platforms.tiktok.settings import OK_CODE, PLATFORM

_STAT_TIME_HOUR = re.compile(r"(\d{4}-\d{2}-\d{2}) (\d{2}):00:00", re.ASCII)
_STAT_TIME_DAY = re.compile(r"(\d{4}-\d{2}-\d{2}) 00:00:00", re.ASCII)


RecordT = TypeVar("RecordT", TikTokCampaignHour, TikTokCampaignDay)
ParseRow = Callable[[FieldReader, Mapping[str, Any], str], RecordT]


@dataclass(frozen=True, slots=True)
class ReportPage(Generic[RecordT]):
    """One report page: its records, its page number and the total page count."""

    records: list[RecordT]
    page: int
    total_page: int


def read_envelope(
    text: str,
    *,
    account_id: str,
    day: dt.date | None,
    status_code: int = 200,
    last_day: dt.date | None = None,
) -> Mapping[str, Any]:
    """Decode a body and return its `data` object, raising the classified error for code != 0.

    `day` is the requested day, or the first of the requested days when `last_day` is set.
    """
    reader = FieldReader(PLATFORM, account_id, day, last_day=last_day)
    decoded = decode_json(
        text, platform=PLATFORM, account_id=account_id, day=day, last_day=last_day
    )
    body = reader.mapping(decoded, "the body")
    code = body.get("code")
    if not isinstance(code, int) or isinstance(code, bool):
        raise reader.malformed(f"code is {abbreviate(code)}, expected an integer")
    if code != OK_CODE:
        raise error_from_envelope(
            body, status_code=status_code, account_id=account_id, day=day, last_day=last_day
        )
    return reader.mapping(body.get("data"), "data")


def parse_report_page(
    text: str, *, account_id: str, day: dt.date
) -> ReportPage[TikTokCampaignHour]:
    """Parse one page of an hourly report requested for `day` (advertiser-local)."""
    reader = FieldReader(PLATFORM, account_id, day)
    return _parse_page(text, reader, parse_row=_parse_row)


def parse_daily_report_page(
    text: str, *, account_id: str, first_day: dt.date, last_day: dt.date
) -> ReportPage[TikTokCampaignDay]:
    """Parse one page of a daily report (stat_time_day) of `first_day` to `last_day`."""
    reader = FieldReader(PLATFORM, account_id, first_day, last_day=last_day)
    return _parse_page(text, reader, parse_row=_parse_day_row)


def _parse_page(
    text: str, reader: FieldReader, *, parse_row: ParseRow[RecordT]
) -> ReportPage[RecordT]:
    data = read_envelope(
        text, account_id=reader.account_id, day=reader.day, last_day=reader.last_day
    )
    rows = reader.array(data.get("list"), "data.list")
    page_info = reader.mapping(data.get("page_info"), "data.page_info")
    page = reader.count(page_info, "page", "data.page_info")
    total_page = reader.count(page_info, "total_page", "data.page_info")

    records = [
        parse_row(reader, reader.mapping(row, f"data.list[{index}]"), f"data.list[{index}]")
        for index, row in enumerate(rows)
    ]
    return ReportPage(records, page=page, total_page=total_page)


def _parse_row(reader: FieldReader, row: Mapping[str, Any], path: str) -> TikTokCampaignHour:
    dimensions = reader.mapping(row.get("dimensions"), f"{path}.dimensions")
    metrics = reader.mapping(row.get("metrics"), f"{path}.metrics")
    campaign_id = reader.identifier(dimensions, "campaign_id", f"{path}.dimensions")
    reader = reader.at_row(f"the row of campaign {campaign_id}")

    stat_time_hour = reader.key_string(dimensions, "stat_time_hour", f"{path}.dimensions")
    date, hour = _parse_stat_time_hour(reader, stat_time_hour, path)
    reader = reader.at_row(f"the row of campaign {campaign_id} at hour {hour}")
    return TikTokCampaignHour(
        account_id=reader.account_id,
        campaign_id=campaign_id,
        campaign_name=reader.string(metrics, "campaign_name", f"{path}.metrics"),
        date=date,
        hour=hour,
        stat_time_hour=stat_time_hour,
        spend=reader.decimal(metrics, "spend", f"{path}.metrics"),
        impressions=reader.count(metrics, "impressions", f"{path}.metrics"),
        clicks=reader.count(metrics, "clicks", f"{path}.metrics"),
        conversions=reader.decimal(metrics, "conversion", f"{path}.metrics"),
    )


def _parse_day_row(reader: FieldReader, row: Mapping[str, Any], path: str) -> TikTokCampaignDay:
    dimensions = reader.mapping(row.get("dimensions"), f"{path}.dimensions")
    metrics = reader.mapping(row.get("metrics"), f"{path}.metrics")
    campaign_id = reader.identifier(dimensions, "campaign_id", f"{path}.dimensions")
    reader = reader.at_row(f"the day row of campaign {campaign_id}")

    stat_time_day = reader.key_string(dimensions, "stat_time_day", f"{path}.dimensions")
    date = _parse_stat_time_day(reader, stat_time_day, path)
    reader = reader.on_day(date)
    return TikTokCampaignDay(
        account_id=reader.account_id,
        campaign_id=campaign_id,
        campaign_name=reader.string(metrics, "campaign_name", f"{path}.metrics"),
        date=date,
        spend=reader.decimal(metrics, "spend", f"{path}.metrics"),
        impressions=reader.count(metrics, "impressions", f"{path}.metrics"),
        clicks=reader.count(metrics, "clicks", f"{path}.metrics"),
        conversions=reader.decimal(metrics, "conversion", f"{path}.metrics"),
    )


def _parse_stat_time_day(reader: FieldReader, text: str, path: str) -> dt.date:
    """Read "2025-03-01 00:00:00" as its date, which must be one of the requested days."""
    field = f"{path}.dimensions.stat_time_day"
    match = _STAT_TIME_DAY.fullmatch(text)
    if match is None:
        raise reader.invalid(f"{field} is {text!r}, expected 'YYYY-MM-DD 00:00:00'")
    try:
        date = dt.date.fromisoformat(match[1])
    except ValueError as error:
        raise reader.invalid(f"{field} is {text!r}, which is not a calendar date") from error
    last_day = reader.last_day or reader.day
    if reader.day is None or last_day is None or not reader.day <= date <= last_day:
        raise reader.invalid(f"{field} is {text!r}, outside the requested days")
    return date


def _parse_stat_time_hour(reader: FieldReader, text: str, path: str) -> tuple[dt.date, int]:
    """Split "2025-03-01 09:00:00" into its date, which must be the requested day, and hour."""
    field = f"{path}.dimensions.stat_time_hour"
    match = _STAT_TIME_HOUR.fullmatch(text)
    if match is None or int(match[2]) > 23:
        raise reader.invalid(f"{field} is {text!r}, expected 'YYYY-MM-DD HH:00:00'")
    try:
        date = dt.date.fromisoformat(match[1])
    except ValueError as error:
        raise reader.invalid(f"{field} is {text!r}, which is not a calendar date") from error
    if date != reader.day:
        raise reader.invalid(f"{field} is {text!r}, outside the requested day")
    return date, int(match[2])


def check_unique_hours(
    records: list[TikTokCampaignHour], *, account_id: str, day: dt.date
) -> list[TikTokCampaignHour]:
    """Return the records without exact repeats, raising when one campaign-hour differs.

    Page-numbered paging can repeat rows across pages when the report changes between
    requests. An exact repeat adds nothing, but two different rows for one campaign and hour
    leave no way to tell which is current.
    """
    first_by_key: dict[tuple[str, int], TikTokCampaignHour] = {}
    conflicts = []
    for record in records:
        earlier = first_by_key.setdefault((record.campaign_id, record.hour), record)
        if earlier != record:
            conflicts.append(f"campaign {record.campaign_id} at hour {record.hour}")
    if conflicts:
        detail = (
            f"{len(conflicts)} row(s) repeat a campaign and hour with different values, "
            f"for example {', '.join(conflicts[:3])}"
        )
        raise invalid_data(PLATFORM, account_id, day, detail)
    return list(first_by_key.values())


def check_unique_campaign_days(
    records: list[TikTokCampaignDay], *, account_id: str, first_day: dt.date, last_day: dt.date
) -> list[TikTokCampaignDay]:
    """Return the day rows without exact repeats, raising when one campaign-day's rows differ.

    Page-numbered paging can repeat rows, as in check_unique_hours.
    """
    first_by_key: dict[tuple[str, dt.date], TikTokCampaignDay] = {}
    conflicts = []
    for record in records:
        if first_by_key.setdefault((record.campaign_id, record.date), record) != record:
            conflicts.append(f"campaign {record.campaign_id} on {record.date.isoformat()}")
    if conflicts:
        detail = (
            f"{len(conflicts)} daily row(s) repeat a campaign and day with different values, "
            f"for example {', '.join(conflicts[:3])}"
        )
        raise invalid_data(PLATFORM, account_id, first_day, detail, last_day=last_day)
    return list(first_by_key.values())


def parse_advertiser(text: str, *, account_id: str) -> TikTokAdvertiser:
    """Parse advertiser/info for one advertiser_id into its name, time zone and currency."""
    reader = FieldReader(PLATFORM, account_id, None)
    data = read_envelope(text, account_id=account_id, day=None)
    entries = reader.array(data.get("list"), "data.list")
    matching = [
        entry
        for entry in entries
        if isinstance(entry, dict) and str(entry.get("advertiser_id")) == account_id
    ]
    if len(matching) != 1:
        raise reader.malformed(
            f"data.list has {len(matching)} entries for advertiser_id {account_id!r}, expected 1"
        )
    entry = matching[0]
    time_zone = reader.key_string(entry, "timezone", "data.list[0]")
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        detail = f"data.list[0].timezone is {time_zone!r}, expected an IANA time zone"
        raise reader.invalid(detail) from error
    return TikTokAdvertiser(
        account_id=account_id,
        name=reader.string(entry, "name", "data.list[0]"),
        time_zone=time_zone,
        currency=reader.currency(entry, "currency", "data.list[0]"),
    )
