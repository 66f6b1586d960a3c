"""ECB euro foreign exchange reference rates, served offline in the ECB's XML format.

The paths mirror www.ecb.europa.eu under the `/ecb` prefix: `stats/eurofxref/eurofxref-daily.xml`
contains the latest published day, `eurofxref-hist-90d.xml` the last 90 calendar days and
`eurofxref-hist.xml` every day since 1999-01-04, newest first. The ECB publishes one rate per
currency (units per euro) on TARGET business days at about 16:00 Frankfurt time.

The simulated rates are exact Decimals derived from SHA-512 draws, so every server serves the same
rate for a date: a slow drift between monthly anchors plus a small daily move around a level
close to the real rates of 2024-2025.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from marketing_assets.simulator.context import SimulatorContext
from marketing_assets.simulator.draws import Draws
from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse, json_response

FIRST_RATE_DATE = date(1999, 1, 4)
PUBLICATION_ZONE = ZoneInfo("Europe/Berlin")
PUBLICATION_TIME = time(16, 0)
RECENT_DAYS = 90

DAILY_PATH = "/stats/eurofxref/eurofxref-daily.xml"
RECENT_PATH = "/stats/eurofxref/eurofxref-hist-90d.xml"
HISTORY_PATH = "/stats/eurofxref/eurofxref-hist.xml"

# Anchors of the slow drift are this many days apart, and rates move linearly between them.
_ANCHOR_SPACING_DAYS = 30


@dataclass(frozen=True)
class CurrencyProfile:
    """Movement parameters of one currency's simulated rate: level, ECB decimals and range.

    `max_drift` bounds the slow deviation from `level` and `max_daily_move` the extra move of a
    single day, both as a share of `level`.
    """

    code: str
    level: Decimal
    decimals: int
    max_drift: Decimal
    max_daily_move: Decimal


def _profile(code: str, level: str, max_drift: str = "0.05") -> CurrencyProfile:
    decimals = len(level.partition(".")[2])
    drift = Decimal(max_drift)
    return CurrencyProfile(code, Decimal(level), decimals, drift, drift / 10)


# The currencies of the ECB's reference rates, in the ECB's order, with the decimals it uses.
# NOTE: BGN is pegged at 1.9558. Bulgaria adopted the euro on 2026-01-01, after which the ECB may
# no longer publish BGN; the simulator keeps it on every date.
CURRENCIES = (
    _profile("USD", "1.0800"),
    _profile("JPY", "160.00", "0.06"),
    _profile("BGN", "1.9558", "0"),
    _profile("CZK", "25.100", "0.03"),
    _profile("DKK", "7.4600", "0.002"),
    _profile("GBP", "0.85000", "0.03"),
    _profile("HUF", "395.00"),
    _profile("PLN", "4.2800", "0.03"),
    _profile("RON", "4.9800", "0.01"),
    _profile("SEK", "11.3000"),
    _profile("CHF", "0.9400", "0.03"),
    _profile("ISK", "150.00", "0.03"),
    _profile("NOK", "11.5000"),
    _profile("TRY", "38.0000", "0.10"),
    _profile("AUD", "1.6500"),
    _profile("BRL", "6.0000", "0.08"),
    _profile("CAD", "1.5000"),
    _profile("CNY", "7.8000"),
    _profile("HKD", "8.4000"),
    _profile("IDR", "17500.00"),
    _profile("ILS", "4.0000"),
    _profile("INR", "90.0000"),
    _profile("KRW", "1500.00"),
    _profile("MXN", "20.5000", "0.08"),
    _profile("MYR", "4.9000"),
    _profile("NZD", "1.8000"),
    _profile("PHP", "63.000"),
    _profile("SGD", "1.4700", "0.03"),
    _profile("THB", "38.000"),
    _profile("ZAR", "20.0000", "0.08"),
)

_ENVELOPE_START = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01"'
    ' xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">\n'
    "\t<gesmes:subject>Reference rates</gesmes:subject>\n"
    "\t<gesmes:Sender>\n"
    "\t\t<gesmes:name>European Central Bank</gesmes:name>\n"
    "\t</gesmes:Sender>\n"
    "\t<Cube>\n"
)
_ENVELOPE_END = "\t</Cube>\n</gesmes:Envelope>\n"


def handle_ecb(
    request: SimulatorRequest, path: str, context: SimulatorContext
) -> SimulatorResponse:
    """Route a request whose path, after the /ecb prefix, is `path`."""
    if path not in (DAILY_PATH, RECENT_PATH, HISTORY_PATH):
        return _text_response(404, f"The simulator serves no ECB file at {path!r}.\n")
    if request.method != "GET":
        return _text_response(405, f"Use GET for /ecb{path}.\n")

    latest = latest_rate_date(context.clock())
    if path == DAILY_PATH:
        first = latest
    elif path == RECENT_PATH:
        first = latest - timedelta(days=RECENT_DAYS - 1)
    else:
        first = FIRST_RATE_DATE
    body = rates_document(first, latest)
    return SimulatorResponse(200, body, {"Content-Type": "text/xml"})


def is_target_business_day(day: date) -> bool:
    """Tell whether TARGET2 is open: not a weekend, 1 Jan, Good Friday, Easter Monday, 1 May,
    25 Dec or 26 Dec."""
    if day.weekday() >= 5:
        return False
    if (day.month, day.day) in ((1, 1), (5, 1), (12, 25), (12, 26)):
        return False
    easter = easter_sunday(day.year)
    return day not in (easter - timedelta(days=2), easter + timedelta(days=1))


def easter_sunday(year: int) -> date:
    """Return Western (Gregorian) Easter Sunday, by the anonymous Gregorian algorithm."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's published name
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


def latest_rate_date(now: datetime) -> date:
    """Return the newest date with published rates at `now`; before 1999-01-04 there is none,
    so the result is then earlier than FIRST_RATE_DATE."""
    if now.tzinfo is None:
        raise ValueError(f"The simulator clock returned naive {now!r}: return an aware datetime.")
    local = now.astimezone(PUBLICATION_ZONE)
    day = local.date() if local.time() >= PUBLICATION_TIME else local.date() - timedelta(days=1)
    while day >= FIRST_RATE_DATE and not is_target_business_day(day):
        day -= timedelta(days=1)
    return day


def published_rates(day: date, now: datetime) -> dict[str, Decimal] | None:
    """Return the rates the ECB has published for `day` by `now`, or None when it has none."""
    if not FIRST_RATE_DATE <= day <= latest_rate_date(now) or not is_target_business_day(day):
        return None
    return dict(rates_for(day))


@functools.lru_cache(maxsize=16384)
def rates_for(day: date) -> tuple[tuple[str, Decimal], ...]:
    """Return the simulated reference rates of `day` in the ECB's currency order."""
    offset = (day - FIRST_RATE_DATE).days
    anchor, position = divmod(offset, _ANCHOR_SPACING_DAYS)
    progress = Decimal(position) / _ANCHOR_SPACING_DAYS
    rates = []
    for index, profile in enumerate(CURRENCIES):
        daily = Draws("ecb", day.isoformat(), index // 8).uniform(index % 8)
        start, end = _anchor_drift(profile, anchor), _anchor_drift(profile, anchor + 1)
        drift = start + (end - start) * progress
        move = profile.max_daily_move * (2 * daily - 1)
        rate = profile.level * (1 + drift + move)
        rates.append((profile.code, rate.quantize(Decimal(1).scaleb(-profile.decimals))))
    return tuple(rates)


@functools.lru_cache(maxsize=4096)
def _anchor_drift(profile: CurrencyProfile, anchor: int) -> Decimal:
    return profile.max_drift * (2 * Draws("ecb-anchor", profile.code, anchor).uniform(0) - 1)


# The full history is several megabytes, so only a few rendered files are kept.
@functools.lru_cache(maxsize=8)
def rates_document(first: date, last: date) -> bytes:
    """Render the ECB XML file with every published date from `last` back to `first`."""
    parts = [_ENVELOPE_START]
    day = last
    while day >= max(first, FIRST_RATE_DATE):
        if is_target_business_day(day):
            parts.append(f"\t\t<Cube time='{day.isoformat()}'>\n")
            for code, rate in rates_for(day):
                parts.append(f"\t\t\t<Cube currency='{code}' rate='{rate}'/>\n")
            parts.append("\t\t</Cube>\n")
        day -= timedelta(days=1)
    parts.append(_ENVELOPE_END)
    return "".join(parts).encode()


def fx_truth(query: dict[str, str], context: SimulatorContext) -> SimulatorResponse:
    """Return the rates published for `date=YYYY-MM-DD` at the clock's now, or a 404."""
    text = query.get("date", "")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return json_response(400, {"error": f"Invalid date {text!r}: use YYYY-MM-DD."})
    rates = published_rates(day, context.clock())
    if rates is None:
        return json_response(
            404,
            {
                "error": f"The ECB published no reference rates for {day.isoformat()} by the"
                " simulator's clock: weekends, TARGET holidays, dates before 1999-01-04 and dates"
                " not yet published (16:00 Europe/Berlin) have none."
            },
        )
    payload = {
        "date": day.isoformat(),
        "base": "EUR",
        "rates": {code: str(rate) for code, rate in rates.items()},
    }
    return json_response(200, payload)


def _text_response(status: int, message: str) -> SimulatorResponse:
    return SimulatorResponse(
        status, message.encode(), {"Content-Type": "text/plain; charset=UTF-8"}
    )
