"""The CSV and ZIP of a simulated Microsoft Advertising campaign performance report.

An hourly report has one row per campaign and hour with impressions, TimePeriod "2023-11-11|01".
A daily report sums those hours into one row per campaign and day, TimePeriod "2023-11-11".
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from marketing_assets.platforms.microsoft_ads.time_zones import REPORT_TIME_ZONES
from marketing_assets.simulator.data import CampaignHour, campaign_hours
from marketing_assets.simulator.models import SimulatedAccount

# IANA zones the simulator's accounts use that share the rules of a listed report zone.
_ZONE_ALIASES = {"Europe/Vienna": "Europe/Berlin", "Europe/Rome": "Europe/Berlin"}
_BY_IANA = {zone.iana: zone for zone in REPORT_TIME_ZONES}
HOURLY = "Hourly"
DAILY = "Daily"
AGGREGATIONS = (HOURLY, DAILY)


def time_zone_header(iana: str) -> str:
    """Return the "Time Zone" header value of a zone, like "(GMT-05:00) Eastern Time ..."."""
    zone = _BY_IANA.get(_ZONE_ALIASES.get(iana, iana))
    if zone is None:
        raise ValueError(f"No Microsoft Advertising report time zone follows {iana!r}.")
    # The display name shows the standard offset, the lower of the winter and summer offsets.
    offsets = [
        ZoneInfo(iana).utcoffset(datetime(2026, month, 1)) or timedelta() for month in (1, 7)
    ]
    minutes = int(min(offsets).total_seconds() // 60)
    if minutes == 0:
        return f"(GMT) {zone.display_name}"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"(GMT{sign}{hours:02d}:{rest:02d}) {zone.display_name}"


def report_rows(
    account: SimulatedAccount, start: date, end: date, now: datetime, *, revision: int
) -> list[CampaignHour]:
    """Return the campaign hours with impressions of `start` to `end` in the account's zone."""
    rows = []
    day = start
    while day <= end:
        hours = campaign_hours(account, day, now, revision=revision)
        rows.extend(sorted(hours, key=lambda hour: (hour.campaign.campaign_id, hour.hour)))
        day += timedelta(days=1)
    return [row for row in rows if row.impressions > 0]


def in_time_zone(account: SimulatedAccount, time_zone: str | None) -> SimulatedAccount:
    """Return the account reporting in `time_zone`, as a report built in another zone would."""
    return replace(account, time_zone=time_zone) if time_zone else account


def daily_rows(rows: list[CampaignHour]) -> list[CampaignHour]:
    """Sum the hourly rows into one row per campaign and day, whose `hour` is unused."""
    groups: dict[tuple[date, str], list[CampaignHour]] = defaultdict(list)
    for row in rows:
        groups[(row.day, row.campaign.campaign_id)].append(row)
    return [
        replace(
            hours[0],
            hour=0,
            impressions=sum(hour.impressions for hour in hours),
            clicks=sum(hour.clicks for hour in hours),
            spend=sum((hour.spend for hour in hours), Decimal(0)),
            conversions=sum((hour.conversions.quantize(Decimal(1)) for hour in hours), Decimal(0)),
            conversion_value=sum((hour.conversion_value for hour in hours), Decimal(0)),
        )
        for _, hours in sorted(groups.items())
    ]


def report_zip(
    account: SimulatedAccount,
    rows: list[CampaignHour],
    columns: list[str],
    now: datetime,
    aggregation: str = HOURLY,
) -> bytes:
    """Write the report CSV, with its header and footer rows, into a ZIP."""
    if aggregation == DAILY:
        rows = daily_rows(rows)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    report_time = now.astimezone(UTC).strftime("%m/%d/%Y %H:%M:%S")
    for header in (
        "Report Name: Campaign Performance",
        f"Report Time: {report_time}",
        f"Time Zone: {time_zone_header(account.time_zone)}",
        f"Report Aggregation: {aggregation}",
        "Report Filter: ",
        "Potential Incomplete Data: true",
        f"Rows: {len(rows)}",
    ):
        writer.writerow([header])
    writer.writerow([])
    writer.writerow(columns)
    for row in rows:
        values = _column_values(account, row, aggregation)
        writer.writerow([values[column] for column in columns])
    writer.writerow([])
    writer.writerow([f"\N{COPYRIGHT SIGN}{now.year} Microsoft Corporation. All rights reserved. "])

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as output:
        output.writestr("CampaignPerformance.csv", ("\ufeff" + buffer.getvalue()).encode())
    return archive.getvalue()


def _column_values(
    account: SimulatedAccount, row: CampaignHour, aggregation: str
) -> dict[str, str]:
    time_period = row.day.isoformat()
    if aggregation == HOURLY:
        time_period += f"|{row.hour:02d}"
    return {
        "AccountId": account.account_id,
        "AccountName": account.display_name,
        "CampaignId": row.campaign.campaign_id,
        "CampaignName": row.campaign.name,
        "CampaignStatus": "Active" if row.campaign.status == "ENABLED" else "Paused",
        "TimePeriod": time_period,
        "CurrencyCode": account.currency,
        "Impressions": str(row.impressions),
        "Clicks": str(row.clicks),
        "Spend": f"{row.spend:.2f}",
        "Conversions": str(row.conversions.quantize(Decimal(1))),
        "Revenue": f"{row.conversion_value:.2f}",
        "Ctr": f"{Decimal(100 * row.clicks) / row.impressions:.2f}%",
    }


SUPPORTED_COLUMNS = (
    "AccountId",
    "AccountName",
    "CampaignId",
    "CampaignName",
    "CampaignStatus",
    "TimePeriod",
    "CurrencyCode",
    "Impressions",
    "Clicks",
    "Spend",
    "Conversions",
    "Revenue",
    "Ctr",
)
