"""Store and read ECB reference rates in marketing.fx_rates."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

import psycopg2.extensions
from psycopg2.extras import execute_values

from marketing_assets.fx.ecb import EuroRate

UPSERT_RATES = """
INSERT INTO marketing.fx_rates (rate_date, currency, rate_per_euro, loaded_at) VALUES %s
ON CONFLICT (rate_date, currency) DO UPDATE
SET rate_per_euro = EXCLUDED.rate_per_euro, loaded_at = EXCLUDED.loaded_at
WHERE marketing.fx_rates.rate_per_euro <> EXCLUDED.rate_per_euro
"""

SELECT_RATES = """
SELECT rate_date, currency, rate_per_euro FROM marketing.fx_rates
WHERE currency = ANY(%s) AND rate_date BETWEEN %s AND %s
"""


def upsert_rates(connection: psycopg2.extensions.connection, rates: Iterable[EuroRate]) -> int:
    """Insert new fixings and correct changed ones in one transaction; return rates read."""
    now = datetime.now(UTC)
    values = [(rate.rate_date, rate.currency, rate.rate, now) for rate in rates]
    with connection, connection.cursor() as cursor:
        execute_values(cursor, UPSERT_RATES, values, page_size=1000)
    return len(values)


def rates_between(
    connection: psycopg2.extensions.connection,
    currencies: Sequence[str],
    first: date,
    last: date,
) -> list[tuple[date, str, Decimal]]:
    with connection, connection.cursor() as cursor:
        cursor.execute(SELECT_RATES, (list(currencies), first, last))
        return list(cursor.fetchall())
