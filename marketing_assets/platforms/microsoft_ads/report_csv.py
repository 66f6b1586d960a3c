"""Parser of a downloaded Microsoft Advertising report: a ZIP holding one CSV.

The CSV starts with header rows such as "Time Zone: ..." and "Rows: 12", then a blank row,
the column names, the data rows, and a copyright footer. The hours of TimePeriod follow the
zone in the "Time Zone" header, so each record carries that zone.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass

from marketing_assets.platforms.errors import invalid_data, unreadable_body
from marketing_assets.platforms.field_reader import FieldReader
from marketing_assets.platforms.microsoft_ads import settings
from marketing_assets.platforms.microsoft_ads.records import MicrosoftAdsCampaignHour
from marketing_assets.platforms.microsoft_ads.settings import PLATFORM
from marketing_assets.platforms.microsoft_ads.time_zones import iana_zone_of

_TIME_PERIOD = re.compile(r"(\d{4}-\d{2}-\d{2})\|(\d{2})", re.ASCII)
_FOOTER_MARK = "\N{COPYRIGHT SIGN}"


@dataclass(frozen=True, slots=True)
class ReportTable:
    """The data rows of a report CSV by column name, with the time zone its header states.

    Each row comes with its place in messages, like "CSV line 9".
    """

    time_zone: str
    report_time_zone: str
    rows: list[tuple[str, dict[str, str]]]


def parse_report_zip(
    content: bytes, *, account_id: str, day: dt.date
) -> list[MicrosoftAdsCampaignHour]:
    """Parse a downloaded report ZIP into one record per campaign and hour of `day`."""
    return parse_report_csv(
        report_csv_text(content, account_id=account_id, day=day), account_id=account_id, day=day
    )


def report_csv_text(
    content: bytes, *, account_id: str, day: dt.date, last_day: dt.date | None = None
) -> str:
    """Return the text of the ZIP's only CSV; a ZIP cut short is retried like a dropped body.

    `day` is the report's day, or its first day when `last_day` is set.
    """
    reader = FieldReader(PLATFORM, account_id, day, last_day=last_day)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = [name for name in archive.namelist() if not name.endswith("/")]
            if len(names) != 1 or not names[0].lower().endswith(".csv"):
                detail = f"the report ZIP holds {names!r}, expected one CSV file"
                raise reader.malformed(detail)
            data = archive.read(names[0])
    except zipfile.BadZipFile as error:
        detail = f"the downloaded report is not a ZIP file ({error}), {len(content)} bytes"
        raise unreadable_body(PLATFORM, account_id, day, detail, last_day=last_day) from error
    try:
        # Microsoft writes the CSV as UTF-8 with a byte order mark.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        detail = f"the report CSV is not UTF-8 ({error.reason} at byte {error.start})"
        raise reader.malformed(detail) from error


def parse_report_csv(text: str, *, account_id: str, day: dt.date) -> list[MicrosoftAdsCampaignHour]:
    """Parse the report CSV text, checking its row count and time zone headers."""
    reader = FieldReader(PLATFORM, account_id, day)
    table = read_report_table(text, reader, settings.COLUMNS)
    records = [
        _parse_row(
            reader,
            values,
            path,
            time_zone=table.time_zone,
            report_time_zone=table.report_time_zone,
        )
        for path, values in table.rows
    ]
    return _unique_hours(records, account_id=account_id, day=day)


def read_report_table(text: str, reader: FieldReader, required: tuple[str, ...]) -> ReportTable:
    """Read the header rows, the time zone, the `required` columns and the data rows.

    The "Rows" header, when present, must equal the count of data rows, which catches a CSV
    cut short.
    """
    rows = list(csv.reader(io.StringIO(text, newline="")))
    headers, position = _report_headers(rows)

    report_time_zone = headers.get(settings.TIME_ZONE_HEADER)
    if report_time_zone is None:
        raise reader.malformed(f"the report has no {settings.TIME_ZONE_HEADER!r} header row")
    time_zone = iana_zone_of(report_time_zone)
    if time_zone is None:
        raise reader.malformed(
            f"the report's time zone {report_time_zone!r} is not in REPORT_TIME_ZONES, so its "
            "hours cannot be placed in UTC. Add it to microsoft_ads/time_zones.py"
        )

    if position >= len(rows):
        raise reader.malformed("the report has header rows but no column names")
    columns = rows[position]
    missing = [column for column in required if column not in columns]
    if missing:
        raise reader.malformed(f"the report's columns {columns!r} lack {missing!r}")

    data_rows = []
    for line_index, row in enumerate(rows[position + 1 :], start=position + 2):
        if not row or (len(row) == 1 and row[0].startswith(_FOOTER_MARK)):
            continue
        if len(row) != len(columns):
            raise reader.malformed(
                f"CSV line {line_index} has {len(row)} values, expected {len(columns)}"
            )
        data_rows.append((f"CSV line {line_index}", dict(zip(columns, row, strict=True))))

    _check_row_count(reader, headers.get(settings.ROWS_HEADER), len(data_rows))
    return ReportTable(time_zone, report_time_zone, data_rows)


def _report_headers(rows: list[list[str]]) -> tuple[dict[str, str], int]:
    """Read the "Name: value" rows before the first blank row; return them and the next index.

    A CSV written with ExcludeReportHeader has no such block and starts with the columns.
    """
    headers: dict[str, str] = {}
    for index, row in enumerate(rows):
        if not row:
            return headers, index + 1
        if len(row) != 1 or ": " not in row[0]:
            return headers, index
        name, _, value = row[0].partition(": ")
        headers[name.strip()] = value.strip()
    return headers, len(rows)


def _parse_row(
    reader: FieldReader,
    values: Mapping[str, str],
    path: str,
    *,
    time_zone: str,
    report_time_zone: str,
) -> MicrosoftAdsCampaignHour:
    account = reader.identifier(values, "AccountId", path)
    if account != reader.account_id:
        raise reader.invalid(f"{path}.AccountId is {account!r}, not the requested account")
    campaign_id = reader.identifier(values, "CampaignId", path)
    reader = reader.at_row(f"the row of campaign {campaign_id}")
    time_period = reader.key_string(values, "TimePeriod", path)
    date, hour = _parse_time_period(reader, time_period, path)

    reader = reader.at_row(f"the row of campaign {campaign_id} at hour {hour}")
    return MicrosoftAdsCampaignHour(
        account_id=reader.account_id,
        campaign_id=campaign_id,
        campaign_name=reader.string(values, "CampaignName", path),
        currency=reader.currency(values, "CurrencyCode", path),
        time_zone=time_zone,
        report_time_zone=report_time_zone,
        date=date,
        hour=hour,
        time_period=time_period,
        spend=reader.decimal(values, "Spend", path),
        impressions=reader.count(values, "Impressions", path),
        clicks=reader.count(values, "Clicks", path),
        conversions=reader.decimal(values, "Conversions", path),
        conversion_value=reader.decimal(values, "Revenue", path),
    )


def _parse_time_period(reader: FieldReader, text: str, path: str) -> tuple[dt.date, int]:
    """Split "2023-11-11|01" into its date, which must be the requested day, and hour."""
    match = _TIME_PERIOD.fullmatch(text)
    if match is None or int(match[2]) > 23:
        raise reader.invalid(f"{path}.TimePeriod is {text!r}, expected 'YYYY-MM-DD|HH'")
    try:
        date = dt.date.fromisoformat(match[1])
    except ValueError as error:
        raise reader.invalid(f"{path}.TimePeriod is {text!r}, not a calendar date") from error
    if date != reader.day:
        raise reader.invalid(f"{path}.TimePeriod is {text!r}, outside the requested day")
    return date, int(match[2])


def _check_row_count(reader: FieldReader, header: str | None, parsed: int) -> None:
    """Compare the "Rows" header with the rows read, which catches a CSV cut short."""
    if header is None:
        return
    if not header.isdigit():
        raise reader.malformed(
            f"the {settings.ROWS_HEADER!r} header is {header!r}, expected a count"
        )
    if int(header) != parsed:
        raise reader.malformed(
            f"the {settings.ROWS_HEADER!r} header says {header} rows but the CSV has {parsed}"
        )


def _unique_hours(
    records: list[MicrosoftAdsCampaignHour], *, account_id: str, day: dt.date
) -> list[MicrosoftAdsCampaignHour]:
    """Reject two rows for one campaign and hour, because their sum or either may be meant."""
    seen: set[tuple[str, int]] = set()
    repeated = []
    for record in records:
        key = (record.campaign_id, record.hour)
        if key in seen:
            repeated.append(f"campaign {record.campaign_id} at {record.time_period}")
        seen.add(key)
    if repeated:
        detail = (
            f"{len(repeated)} row(s) repeat a campaign and TimePeriod, for example "
            f"{', '.join(repeated[:3])}"
        )
        raise invalid_data(PLATFORM, account_id, day, detail)
    return records
