"""Add spend in each client's reporting currency to unified rows."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import polars as pl
import psycopg2.extensions

from marketing_assets.fx.conversion import MAX_RATE_AGE_DAYS, MissingRateError, RateTable
from marketing_assets.storage.fx_rates import rates_between
from marketing_assets.tables import MONEY

FACTOR = pl.Decimal(38, 18)


class ReportingCurrencyError(ValueError):
    """Spend could not be converted; the message names client, platform, account and day."""


def needed_conversions(frame: pl.DataFrame, reporting_currency: Mapping[str, str]) -> pl.DataFrame:
    """Distinct (client, platform, account, currency, local date) rows that need a rate."""
    return (
        frame.select("client_id", "platform", "account_id", "currency", "local_date")
        .unique()
        .with_columns(
            reporting_currency=pl.col("client_id").replace_strict(
                dict(reporting_currency), return_dtype=pl.String()
            )
        )
    )


def with_reporting_spend(
    frame: pl.DataFrame, reporting_currency: Mapping[str, str], rates: RateTable
) -> pl.DataFrame:
    """Add reporting_currency, spend_reporting and fx_rate_date.

    spend_reporting is rounded to 6 decimals, half to even (polars' decimal rounding, the
    same as Python's Decimal default).

    A missing rate raises ReportingCurrencyError rather than converting at a guessed rate.
    """
    if frame.is_empty():
        return frame.with_columns(
            reporting_currency=pl.lit(None, dtype=pl.String()),
            spend_reporting=pl.lit(None, dtype=MONEY),
            fx_rate_date=pl.lit(None, dtype=pl.Date()),
        )
    needs = needed_conversions(frame, reporting_currency)
    factors, rate_dates = [], []
    for client_id, platform, account_id, currency, local_date, target in needs.iter_rows():
        try:
            conversion = rates.factor(currency, target, local_date)
        except MissingRateError as error:
            raise ReportingCurrencyError(
                f"Cannot convert {currency} spend to {target} for client {client_id!r}, "
                f"{platform} account {account_id}, local day {local_date}: {error} Materialize "
                "fx_rates, and check that FX_RATES_URL serves this currency and day (for days "
                "older than 90 days, point it at eurofxref-hist.xml). The partition was not "
                "written, so its last good copy stays."
            ) from error
        factors.append(conversion.factor)
        rate_dates.append(conversion.rate_date)
    lookup = needs.with_columns(
        factor=pl.Series(factors, dtype=FACTOR),
        fx_rate_date=pl.Series(rate_dates, dtype=pl.Date()),
    ).select("client_id", "account_id", "platform", "local_date", "reporting_currency",
             "factor", "fx_rate_date")  # fmt: skip
    return (
        frame.join(lookup, on=["client_id", "account_id", "platform", "local_date"], how="left")
        .with_columns(spend_reporting=(pl.col("spend") * pl.col("factor")).round(6).cast(MONEY))
        .drop("factor")
    )


def load_rate_table(
    connection: psycopg2.extensions.connection,
    frame: pl.DataFrame,
    reporting_currency: Mapping[str, str],
) -> RateTable:
    """Read the rates the frame's currencies and local days can need, with the days before
    the first one that a weekend or holiday makes the latest fixing."""
    if frame.is_empty():
        return RateTable([])
    currencies = sorted(set(frame["currency"].unique()) | set(reporting_currency.values()))
    first: date = frame["local_date"].min()  # type: ignore[assignment]
    last: date = frame["local_date"].max()  # type: ignore[assignment]
    return RateTable(
        rates_between(connection, currencies, first - timedelta(days=MAX_RATE_AGE_DAYS), last)
    )
