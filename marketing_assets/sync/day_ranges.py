"""Split sorted days into ranges short enough for one daily report request."""

from __future__ import annotations

from datetime import date

# TikTok and Microsoft Advertising daily reports are requested over at most this many days.
# NOTE: a guess below both platforms' limits, which were not checked; the simulator serves 31.
MAX_REPORT_DAYS = 30


def report_ranges(days: list[date], max_days: int = MAX_REPORT_DAYS) -> list[tuple[date, date]]:
    """Return (first, last) ranges that cover `days` (sorted, consecutive) in order."""
    return [
        (days[start], days[min(start + max_days, len(days)) - 1])
        for start in range(0, len(days), max_days)
    ]
