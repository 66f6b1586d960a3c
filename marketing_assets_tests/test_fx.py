"""ECB rate parsing and conversion into reporting currencies, with exact decimals."""

from datetime import UTC, date, datetime
from decimal import Decimal

import polars as pl
import pytest

from marketing_assets.fx.conversion import MissingRateError, RateTable
from marketing_assets.fx.ecb import EcbFormatError, parse_eurofxref
from marketing_assets.sync.reporting_currency import ReportingCurrencyError, with_reporting_spend
from marketing_assets.tables import CONVERSIONS, MONEY

ECB_XML = """<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01"
    xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
  <gesmes:subject>Reference rates</gesmes:subject>
  <gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender>
  <Cube>
    <Cube time="2026-03-06">
      <Cube currency="USD" rate="1.0850"/>
      <Cube currency="INR" rate="90.125"/>
    </Cube>
    <Cube time="2026-03-05">
      <Cube currency="USD" rate="1.0800"/>
      <Cube currency="INR" rate="90.000"/>
    </Cube>
  </Cube>
</gesmes:Envelope>
"""


def rate_table() -> RateTable:
    rates = parse_eurofxref(ECB_XML, source="test")
    return RateTable((rate.rate_date, rate.currency, rate.rate) for rate in rates)


def test_ecb_xml_is_parsed_exactly():
    rates = parse_eurofxref(ECB_XML, source="test")
    assert len(rates) == 4
    assert rates[0].rate_date == date(2026, 3, 6)
    assert rates[0].currency == "USD"
    assert rates[0].rate == Decimal("1.0850")


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("not xml", "not XML"),
        ("<root/>", "no <Cube time=...>"),
        (ECB_XML.replace('rate="1.0850"', 'rate="abc"'), "'abc' for 'USD'"),
        (ECB_XML.replace('rate="1.0850"', 'rate="0"'), "invalid entry currency='USD'"),
    ],
)
def test_invalid_ecb_document_is_rejected(document, message):
    with pytest.raises(EcbFormatError, match=message):
        parse_eurofxref(document, source="test")


def test_weekend_uses_friday_fixing():
    conversion = rate_table().factor("INR", "USD", date(2026, 3, 8))
    assert conversion.rate_date == date(2026, 3, 6)
    assert conversion.factor == (Decimal("1.0850") / Decimal("90.125")).quantize(Decimal("1e-18"))


def test_same_currency_needs_no_rate():
    conversion = RateTable([]).factor("NPR", "NPR", date(2026, 3, 8))
    assert conversion.factor == 1
    assert conversion.rate_date is None


def test_euro_is_the_base_currency():
    conversion = rate_table().factor("EUR", "USD", date(2026, 3, 5))
    assert conversion.factor == Decimal("1.08")


def test_euro_side_names_the_other_fixing_date():
    conversion = rate_table().factor("USD", "EUR", date(2026, 3, 8))
    assert conversion.rate_date == date(2026, 3, 6)


@pytest.mark.parametrize(("source", "day"), [("NPR", date(2026, 3, 6)), ("USD", date(2026, 3, 20))])
def test_missing_or_stale_rate_raises(source, day):
    with pytest.raises(MissingRateError, match=source):
        rate_table().factor(source, "EUR", day)


def unified(currency: str, spend: str, local_date: date) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "client_id": ["himal-treks"],
            "platform": ["google_ads"],
            "account_id": ["1374550086"],
            "currency": [currency],
            "local_date": [local_date],
            "utc_hour": [datetime(2026, 3, 6, 3, tzinfo=UTC)],
            "spend": [Decimal(spend)],
            "conversions": [Decimal("1")],
        },
        schema_overrides={"spend": MONEY, "conversions": CONVERSIONS},
    )


def test_rate_six_days_old_still_converts():
    # Thursday's fixing is still the latest when a zone at UTC+13 starts the Wednesday.
    conversion = rate_table().factor("USD", "EUR", date(2026, 3, 12))
    assert conversion.rate_date == date(2026, 3, 6)


def test_spend_is_converted_and_rounded_to_micros():
    frame = with_reporting_spend(
        unified("INR", "1000.00", date(2026, 3, 6)), {"himal-treks": "USD"}, rate_table()
    )
    expected = (Decimal("1000") * (Decimal("1.0850") / Decimal("90.125"))).quantize(
        Decimal("0.000001")
    )
    assert frame["spend_reporting"][0] == expected
    assert frame["reporting_currency"][0] == "USD"
    assert frame["fx_rate_date"][0] == date(2026, 3, 6)


def test_missing_rate_names_client_platform_account_day():
    with pytest.raises(ReportingCurrencyError) as error:
        with_reporting_spend(
            unified("NPR", "500.00", date(2026, 3, 6)), {"himal-treks": "USD"}, rate_table()
        )
    message = str(error.value)
    assert "client 'himal-treks'" in message
    assert "google_ads account 1374550086" in message
    assert "local day 2026-03-06" in message
    assert "No ECB reference rate for NPR" in message
