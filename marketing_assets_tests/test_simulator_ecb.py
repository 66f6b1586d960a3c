"""Simulator tests: ECB euro reference rates in the ECB's XML format, and the fx truth."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import httpx
import pytest

from marketing_assets.simulator import SimulatorServer
from marketing_assets.simulator.ecb import easter_sunday, is_target_business_day
from marketing_assets_tests.test_simulator import ACCOUNTS

NOW = datetime(2026, 12, 9, 18, 0, tzinfo=UTC)
NAMESPACES = {
    "gesmes": "http://www.gesmes.org/xml/2002-08-01",
    "ecb": "http://www.ecb.int/vocabulary/2002-08-01/eurofxref",
}
# The ECB's currencies in the ECB's order.
ECB_CURRENCIES = [
    *("USD", "JPY", "BGN", "CZK", "DKK", "GBP", "HUF", "PLN", "RON", "SEK"),
    *("CHF", "ISK", "NOK", "TRY", "AUD", "BRL", "CAD", "CNY", "HKD", "IDR"),
    *("ILS", "INR", "KRW", "MXN", "MYR", "NZD", "PHP", "SGD", "THB", "ZAR"),
]
# Decimals the ECB quotes; every other currency has 4.
ECB_DECIMALS = {
    **{"JPY": 2, "HUF": 2, "ISK": 2, "IDR": 2, "KRW": 2},
    **{"CZK": 3, "PHP": 3, "THB": 3, "GBP": 5},
}
MAGNITUDES = {
    "USD": (Decimal("1.0"), Decimal("1.2")),
    "JPY": (Decimal("145"), Decimal("175")),
    "GBP": (Decimal("0.8"), Decimal("0.9")),
    "INR": (Decimal("80"), Decimal("100")),
    "AUD": (Decimal("1.5"), Decimal("1.8")),
    "NZD": (Decimal("1.65"), Decimal("1.95")),
    "BGN": (Decimal("1.9558"), Decimal("1.9558")),
}
DAILY = "/ecb/stats/eurofxref/eurofxref-daily.xml"
RECENT = "/ecb/stats/eurofxref/eurofxref-hist-90d.xml"
HISTORY = "/ecb/stats/eurofxref/eurofxref-hist.xml"


def fetch_rates(server: SimulatorServer, path: str) -> dict[date, dict[str, Decimal]]:
    """Parse an ECB file into {date: {currency: rate}}, keeping the file's date order."""
    response = httpx.get(f"{server.url}{path}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{NAMESPACES['gesmes']}}}Envelope"
    assert root.findtext("gesmes:subject", namespaces=NAMESPACES) == "Reference rates"
    days = root.findall("ecb:Cube/ecb:Cube", NAMESPACES)
    return {
        date.fromisoformat(day.attrib["time"]): {
            cube.attrib["currency"]: Decimal(cube.attrib["rate"])
            for cube in day.findall("ecb:Cube", NAMESPACES)
        }
        for day in days
    }


def fx_truth(server: SimulatorServer, day: str) -> httpx.Response:
    return httpx.get(f"{server.url}/_simulator/fx", params={"date": day})


@pytest.fixture
def simulator() -> Iterator[SimulatorServer]:
    with SimulatorServer(ACCOUNTS, clock=lambda: NOW) as server:
        yield server


def test_ecb_daily_file_has_ecb_currencies(simulator: SimulatorServer) -> None:
    rates = fetch_rates(simulator, DAILY)

    assert list(rates) == [date(2026, 12, 9)]
    day_rates = rates[date(2026, 12, 9)]
    assert list(day_rates) == ECB_CURRENCIES
    assert "EUR" not in day_rates
    assert "NPR" not in day_rates
    for currency, rate in day_rates.items():
        assert -rate.as_tuple().exponent == ECB_DECIMALS.get(currency, 4), currency
        significant = len(rate.as_tuple().digits)
        # The ECB quotes IDR with 2 decimals too, so it alone has 7 significant digits.
        assert 4 <= significant <= (7 if currency == "IDR" else 6), currency
    for currency, (low, high) in MAGNITUDES.items():
        assert low <= day_rates[currency] <= high, currency


def test_ecb_recent_file_skips_weekends_and_holidays(simulator: SimulatorServer) -> None:
    rates = fetch_rates(simulator, RECENT)

    days = list(rates)
    assert days == sorted(days, reverse=True)
    assert days[0] == date(2026, 12, 9)
    assert days[-1] >= date(2026, 12, 9) - timedelta(days=89)
    assert len(days) >= 60
    assert all(day.weekday() < 5 for day in days)
    assert all(list(day_rates) == ECB_CURRENCIES for day_rates in rates.values())
    assert len({day_rates["USD"] for day_rates in rates.values()}) > 10


def test_ecb_history_skips_target_holidays(simulator: SimulatorServer) -> None:
    days = list(fetch_rates(simulator, HISTORY))

    assert days[0] == date(2026, 12, 9)
    assert days[-1] == date(1999, 1, 4)
    assert all(day.weekday() < 5 for day in days)
    holidays = {date(2025, 12, 25), date(2025, 12, 26), date(2026, 1, 1), date(2026, 5, 1)}
    holidays |= {date(2026, 4, 3), date(2026, 4, 6), date(2024, 3, 29), date(2024, 4, 1)}
    assert holidays.isdisjoint(days)
    assert date(2026, 4, 2) in days
    assert date(2026, 4, 7) in days


@pytest.mark.parametrize(
    ("now", "latest"),
    [
        # Winter: 16:00 in Berlin is 15:00 UTC.
        (datetime(2026, 12, 3, 14, 59, tzinfo=UTC), date(2026, 12, 2)),
        (datetime(2026, 12, 3, 15, 0, tzinfo=UTC), date(2026, 12, 3)),
        # Summer: 16:00 in Berlin is 14:00 UTC.
        (datetime(2026, 7, 1, 13, 59, tzinfo=UTC), date(2026, 6, 30)),
        (datetime(2026, 7, 1, 14, 0, tzinfo=UTC), date(2026, 7, 1)),
        # A Saturday, and Easter Monday 2026 after publication time.
        (datetime(2026, 12, 5, 18, 0, tzinfo=UTC), date(2026, 12, 4)),
        (datetime(2026, 4, 6, 18, 0, tzinfo=UTC), date(2026, 4, 2)),
    ],
)
def test_ecb_daily_file_follows_publication_time(now: datetime, latest: date) -> None:
    with SimulatorServer(ACCOUNTS, clock=lambda: now) as server:
        assert list(fetch_rates(server, DAILY)) == [latest]


# Runs a second server in a fresh interpreter, so no in-process cache can hide a difference.
_OTHER_PROCESS = """
import sys
from datetime import datetime
import httpx
from marketing_assets.simulator import SimulatorServer
now = datetime.fromisoformat(sys.argv[1])
with SimulatorServer([], clock=lambda: now) as server:
    sys.stdout.buffer.write(httpx.get(server.url + sys.argv[2]).content)
"""


def test_ecb_rates_same_across_processes(simulator: SimulatorServer) -> None:
    other = subprocess.run(
        [sys.executable, "-c", _OTHER_PROCESS, NOW.isoformat(), RECENT],
        capture_output=True,
        check=True,
        timeout=60,
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
    )
    here = httpx.get(f"{simulator.url}{RECENT}").content

    assert other.stdout == here
    assert b"<Cube currency='USD' rate='" in here


def test_ecb_past_rate_stable_after_clock_move(simulator: SimulatorServer) -> None:
    before = fetch_rates(simulator, DAILY)[date(2026, 12, 9)]
    simulator.set_clock(lambda: NOW + timedelta(days=30))
    later = fetch_rates(simulator, RECENT)

    assert later[date(2026, 12, 9)] == before
    assert max(later) == date(2027, 1, 8)


def test_fx_truth_matches_xml(simulator: SimulatorServer) -> None:
    rates = fetch_rates(simulator, RECENT)
    response = fx_truth(simulator, "2026-11-20")

    assert response.status_code == 200
    payload = response.json()
    assert payload["date"] == "2026-11-20"
    assert payload["base"] == "EUR"
    assert {code: Decimal(rate) for code, rate in payload["rates"].items()} == rates[
        date(2026, 11, 20)
    ]


@pytest.mark.parametrize(
    "day",
    ["2026-12-05", "2026-12-25", "2026-12-10", "1998-12-31"],
    ids=["saturday", "christmas", "not-yet-published", "before-1999"],
)
def test_fx_truth_404_without_rates(simulator: SimulatorServer, day: str) -> None:
    response = fx_truth(simulator, day)

    assert response.status_code == 404
    assert day in response.json()["error"]


def test_fx_truth_rejects_invalid_date(simulator: SimulatorServer) -> None:
    response = fx_truth(simulator, "2026-13-01")

    assert response.status_code == 400
    assert "2026-13-01" in response.json()["error"]


def test_ecb_unknown_file_is_404(simulator: SimulatorServer) -> None:
    response = httpx.get(f"{simulator.url}/ecb/stats/eurofxref/eurofxref.zip")

    assert response.status_code == 404


def test_target_calendar_and_easter() -> None:
    assert easter_sunday(2024) == date(2024, 3, 31)
    assert easter_sunday(2025) == date(2025, 4, 20)
    assert easter_sunday(2026) == date(2026, 4, 5)
    assert not is_target_business_day(date(2025, 4, 18))
    assert not is_target_business_day(date(2025, 4, 21))
    assert not is_target_business_day(date(2027, 1, 1))
    assert is_target_business_day(date(2025, 4, 22))
    assert is_target_business_day(date(2026, 12, 24))
