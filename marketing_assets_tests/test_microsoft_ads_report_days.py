"""Which report days a Microsoft Advertising sync requests, learning the zone from reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from marketing_assets.platforms.microsoft_ads.records import MicrosoftAdsCampaignHour
from marketing_assets.sync.microsoft_ads import fetch_report_days, possible_days
from marketing_assets.sync.window import SyncWindow, parse_hour_key

# UTC 2026-11-01 06:00 to 2026-11-02 06:00.
WINDOW = SyncWindow(("a",), parse_hour_key("2026-11-01-06:00"), parse_hour_key("2026-11-02-06:00"))


def record(day: dt.date, time_zone: str) -> MicrosoftAdsCampaignHour:
    return MicrosoftAdsCampaignHour(
        account_id="151000001",
        campaign_id="500000001",
        campaign_name="Brand",
        currency="USD",
        time_zone=time_zone,
        report_time_zone=time_zone,
        date=day,
        hour=9,
        time_period=f"{day.isoformat()}|09",
        spend=Decimal("1.00"),
        impressions=10,
        clicks=1,
        conversions=Decimal(0),
        conversion_value=Decimal(0),
    )


class ReportsInZone:
    """Serves one row a day in `time_zone` on `days_with_rows`, recording requested days."""

    def __init__(self, time_zone: str, days_with_rows: set[dt.date] | None = None) -> None:
        self.time_zone = time_zone
        self.days_with_rows = days_with_rows
        self.requested: list[dt.date] = []

    def __call__(self, day: dt.date) -> list[MicrosoftAdsCampaignHour]:
        self.requested.append(day)
        if self.days_with_rows is not None and day not in self.days_with_rows:
            return []
        return [record(day, self.time_zone)]


def test_right_guess_requests_each_local_day_once():
    reports = ReportsInZone("America/Los_Angeles")

    fetched = fetch_report_days(reports, WINDOW, "America/Los_Angeles")

    assert reports.requested == WINDOW.local_days("America/Los_Angeles")
    assert sorted(fetched) == reports.requested


def test_report_zone_ahead_of_guess_adds_its_days():
    reports = ReportsInZone("Asia/Kolkata")

    fetched = fetch_report_days(reports, WINDOW, "America/Los_Angeles")

    # Los Angeles covers 2026-10-31 and 11-01; Kolkata's window reaches 2026-11-02 11:30.
    assert reports.requested == [dt.date(2026, 10, 31), dt.date(2026, 11, 1), dt.date(2026, 11, 2)]
    assert set(WINDOW.local_days("Asia/Kolkata")) <= set(fetched)


def test_empty_guess_requests_possible_days():
    reports = ReportsInZone("Pacific/Kiritimati", days_with_rows={dt.date(2026, 11, 2)})

    # Pago Pago (UTC-11) covers 2026-10-31 and 11-01, which have no rows here.
    fetched = fetch_report_days(reports, WINDOW, "Pacific/Pago_Pago")

    assert reports.requested[:2] == [dt.date(2026, 10, 31), dt.date(2026, 11, 1)]
    assert set(reports.requested) == possible_days(WINDOW)
    assert len(reports.requested) == len(set(reports.requested))
    assert fetched[dt.date(2026, 11, 2)]


def test_possible_days_span_all_offsets():
    assert possible_days(WINDOW) == {
        dt.date(2026, 10, 31),
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 2),
    }
    late = SyncWindow(
        ("a",), parse_hour_key("2026-11-01-11:00"), parse_hour_key("2026-11-01-12:00")
    )
    # 11:00 UTC is 23:00 the day before at UTC-12 and 01:00 the day after at UTC+14.
    assert possible_days(late) == {
        dt.date(2026, 10, 31),
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 2),
    }
