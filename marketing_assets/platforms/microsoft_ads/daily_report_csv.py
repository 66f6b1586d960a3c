"""Parser of a daily campaign performance report, Microsoft's own figures for whole days.

The CSV has the layout of the hourly report (see report_csv.py), and TimePeriod reads the day
alone, "2023-11-11". One report covers a range of days, with one row per campaign and day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from marketing_assets.platforms.errors import invalid_data
from marketing_assets.platforms.field_reader import FieldReader
from marketing_assets.platforms.microsoft_ads import settings
from marketing_assets.platforms.microsoft_ads.records import MicrosoftAdsCampaignDay
from marketing_assets.platforms.microsoft_ads.report_csv import read_report_table, report_csv_text
from marketing_assets.platforms.microsoft_ads.settings import PLATFORM


def parse_daily_report_zip(
    content: bytes, *, account_id: str, first_day: dt.date, last_day: dt.date
) -> list[MicrosoftAdsCampaignDay]:
    """Parse a downloaded daily report ZIP into one record per campaign and day."""
    text = report_csv_text(content, account_id=account_id, day=first_day, last_day=last_day)
    return parse_daily_report_csv(
        text, account_id=account_id, first_day=first_day, last_day=last_day
    )


def parse_daily_report_csv(
    text: str, *, account_id: str, first_day: dt.date, last_day: dt.date
) -> list[MicrosoftAdsCampaignDay]:
    """Parse a daily report's CSV text, checking its row count, time zone and days."""
    reader = FieldReader(PLATFORM, account_id, first_day, last_day=last_day)
    table = read_report_table(text, reader, settings.COLUMNS)
    records = [
        _parse_day_row(
            reader,
            values,
            path,
            time_zone=table.time_zone,
            report_time_zone=table.report_time_zone,
            last_day=last_day,
        )
        for path, values in table.rows
    ]
    repeated = _repeated_campaign_days(records)
    if repeated:
        detail = (
            f"{len(repeated)} daily row(s) repeat a campaign and day, for example "
            f"{', '.join(repeated[:3])}"
        )
        raise invalid_data(PLATFORM, account_id, first_day, detail, last_day=last_day)
    return records


def _parse_day_row(
    reader: FieldReader,
    values: Mapping[str, str],
    path: str,
    *,
    time_zone: str,
    report_time_zone: str,
    last_day: dt.date,
) -> MicrosoftAdsCampaignDay:
    account = reader.identifier(values, "AccountId", path)
    if account != reader.account_id:
        raise reader.invalid(f"{path}.AccountId is {account!r}, not the requested account")
    campaign_id = reader.identifier(values, "CampaignId", path)
    reader = reader.at_row(f"the day row of campaign {campaign_id}")
    date = _parse_day(reader, reader.key_string(values, "TimePeriod", path), path, last_day)
    reader = reader.on_day(date)
    return MicrosoftAdsCampaignDay(
        account_id=reader.account_id,
        campaign_id=campaign_id,
        campaign_name=reader.string(values, "CampaignName", path),
        currency=reader.currency(values, "CurrencyCode", path),
        time_zone=time_zone,
        report_time_zone=report_time_zone,
        date=date,
        spend=reader.decimal(values, "Spend", path),
        impressions=reader.count(values, "Impressions", path),
        clicks=reader.count(values, "Clicks", path),
        conversions=reader.decimal(values, "Conversions", path),
        conversion_value=reader.decimal(values, "Revenue", path),
    )


def _parse_day(reader: FieldReader, text: str, path: str, last_day: dt.date) -> dt.date:
    """Read a daily TimePeriod, which must be one of the requested days."""
    try:
        date = dt.date.fromisoformat(text)
    except ValueError as error:
        raise reader.invalid(f"{path}.TimePeriod is {text!r}, expected 'YYYY-MM-DD'") from error
    if reader.day is None or not reader.day <= date <= last_day:
        raise reader.invalid(f"{path}.TimePeriod is {text!r}, outside the requested days")
    return date


def _repeated_campaign_days(records: list[MicrosoftAdsCampaignDay]) -> list[str]:
    seen: set[tuple[str, dt.date]] = set()
    repeated = []
    for record in records:
        key = (record.campaign_id, record.date)
        if key in seen:
            repeated.append(f"campaign {record.campaign_id} on {record.date.isoformat()}")
        seen.add(key)
    return repeated
