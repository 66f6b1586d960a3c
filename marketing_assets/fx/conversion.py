"""Convert spend between currencies through the euro, with exact decimal factors."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, localcontext

EURO = "EUR"
# The ECB fixes rates on TARGET business days only, at about 16:00 Frankfurt time. After
# Easter Monday, a zone at UTC+13 starts its Wednesday before Tuesday's fixing, so Thursday's
# rate, 6 days back, is still the latest. An older rate means the feed stopped, and
# converting at it would use a stale price.
MAX_RATE_AGE_DAYS = 7
# Digits kept in a conversion factor: enough that 1e12 units convert to the cent.
FACTOR_DIGITS = 18


class MissingRateError(LookupError):
    """No usable reference rate; converting at a guessed rate would show wrong spend."""


@dataclass(frozen=True, slots=True)
class ConversionFactor:
    factor: Decimal
    rate_date: date | None


class RateTable:
    """ECB rates by currency, with lookups of the latest fixing on or before a day."""

    def __init__(self, rates: Iterable[tuple[date, str, Decimal]]) -> None:
        self._by_currency: dict[str, dict[date, Decimal]] = {}
        for rate_date, currency, rate in rates:
            self._by_currency.setdefault(currency, {})[rate_date] = rate

    def euro_rate(self, currency: str, day: date) -> tuple[Decimal, date]:
        if currency == EURO:
            return Decimal(1), day
        fixings = self._by_currency.get(currency, {})
        for age in range(MAX_RATE_AGE_DAYS + 1):
            candidate = day - timedelta(days=age)
            if candidate in fixings:
                return fixings[candidate], candidate
        raise MissingRateError(
            f"No ECB reference rate for {currency} on or up to {MAX_RATE_AGE_DAYS} days "
            f"before {day}."
        )

    def factor(self, source: str, target: str, day: date) -> ConversionFactor:
        """Return the multiplier from ``source`` to ``target`` money on ``day``."""
        if source == target:
            return ConversionFactor(Decimal(1), None)
        source_rate, source_date = self.euro_rate(source, day)
        target_rate, target_date = self.euro_rate(target, day)
        with localcontext() as context:
            context.prec = 34
            factor = (target_rate / source_rate).quantize(Decimal(1).scaleb(-FACTOR_DIGITS))
        # The euro has no fixing of its own, so only the other currency's fixing is named.
        fixing_dates = [
            fixing
            for currency, fixing in ((source, source_date), (target, target_date))
            if currency != EURO
        ]
        return ConversionFactor(factor, max(fixing_dates))
