"""Parse the ECB euro foreign exchange reference rates XML (eurofxref)."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

# The ECB's document puts the rates in this namespace; Envelope elements use gesmes.
EUROFXREF_NAMESPACE = "http://www.ecb.int/vocabulary/2002-08-01/eurofxref"


class EcbFormatError(ValueError):
    """The document is not ECB eurofxref XML; the message names what was wrong."""


@dataclass(frozen=True, slots=True)
class EuroRate:
    """Units of ``currency`` one euro bought on ``rate_date`` at the ECB reference fixing."""

    rate_date: date
    currency: str
    rate: Decimal


def parse_eurofxref(text: str | bytes, *, source: str) -> list[EuroRate]:
    """Return every rate in a eurofxref daily, 90-day or full-history document."""
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        raise EcbFormatError(f"{source}: not XML ({error}).") from error
    cube = f"{{{EUROFXREF_NAMESPACE}}}Cube"
    rates: list[EuroRate] = []
    for day in root.iter(cube):
        if "time" not in day.attrib:
            continue
        rate_date = _parse_date(day.attrib["time"], source)
        for entry in day.findall(cube):
            rates.append(_parse_rate(rate_date, entry.attrib, source))
    if not rates:
        raise EcbFormatError(
            f"{source}: no <Cube time=...><Cube currency=... rate=.../></Cube> entries found. "
            "Check that the FX URL serves the ECB eurofxref XML."
        )
    return rates


def _parse_date(value: str, source: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise EcbFormatError(f"{source}: invalid Cube time {value!r}.") from error


def _parse_rate(rate_date: date, attributes: dict[str, str], source: str) -> EuroRate:
    currency = attributes.get("currency", "")
    text = attributes.get("rate", "")
    try:
        rate = Decimal(text)
    except InvalidOperation as error:
        raise EcbFormatError(
            f"{source}: rate {text!r} for {currency!r} on {rate_date} is not a number."
        ) from error
    if len(currency) != 3 or not currency.isupper() or not rate.is_finite() or rate <= 0:
        raise EcbFormatError(
            f"{source}: invalid entry currency={currency!r} rate={text!r} on {rate_date}."
        )
    return EuroRate(rate_date, currency, rate)
