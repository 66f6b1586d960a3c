"""Value rules that both platform parsers apply to metrics and currency codes.

Each function returns the expectation a value breaks, or None when the value passes, so each
parser raises its own error naming the row and field it was reading. docs/data-rules.md lists
every rule with its reason.
"""

from __future__ import annotations

from decimal import Decimal

from marketing_assets.registry.currencies import ISO_4217_CODES

# Counts land in bigint columns.
MAX_COUNT = 2**63 - 1
# Amounts land in numeric(38, 6) and numeric(38, 9) columns, which hold at most 29 digits
# before the decimal point.
AMOUNT_LIMIT = Decimal(10) ** 29
# Spellings of NaN and infinity that proto3 JSON and Python's decoders accept.
_NON_FINITE_TEXT = frozenset({"nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"})


def blank_or_non_finite(value: object) -> str | None:
    """Check a metric value that the row contains, rejecting null, "", NaN and infinity.

    An omitted metric is 0 and never reaches this check, because proto3 JSON leaves unset
    fields out of Google rows, and Meta leaves out metrics a row has none of, such as actions.
    Neither platform documents null or "" as a metric value, so such a value means the
    response was damaged, and reading it as 0 could hide a real figure.
    """
    if value is None or value == "":
        return "expected a number (an omitted metric counts as 0, an empty one is invalid)"
    if isinstance(value, str) and value.strip().lower() in _NON_FINITE_TEXT:
        return "expected a finite number"
    if isinstance(value, Decimal) and not value.is_finite():
        return "expected a finite number"
    return None


def count_out_of_range(count: int) -> str | None:
    """Check a count such as impressions, clicks or cost in micros."""
    if count < 0:
        return "expected 0 or more"
    if count > MAX_COUNT:
        return f"expected at most {MAX_COUNT}, the largest bigint"
    return None


def amount_out_of_range(amount: Decimal) -> str | None:
    """Check an amount such as spend, conversions or conversion value."""
    if amount < 0:
        return "expected 0 or more"
    if amount >= AMOUNT_LIMIT:
        return "expected less than 10**29, the largest amount the numeric columns hold"
    return None


def unpaired_surrogate(text: str) -> str | None:
    """Check that text is valid Unicode, which UTF-8 and so PostgreSQL can store.

    A lone JSON escape such as "\\ud800" decodes to a surrogate that UTF-8 cannot encode.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "expected text without unpaired UTF-16 surrogates, which UTF-8 cannot encode"
    return None


def unknown_currency(code: str) -> str | None:
    """Check an account currency against the ISO 4217 codes listed in ISO_4217_CODES."""
    if code in ISO_4217_CODES:
        return None
    return (
        "expected an ISO 4217 currency code. If ISO 4217 lists this code, add it to "
        "marketing_assets/registry/currencies.py"
    )
