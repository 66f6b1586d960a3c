"""A parser for the subset of GAQL the simulator serves: hourly metrics FROM campaign, and
the account's own settings FROM customer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

# Field name -> value kind. Kinds decide the proto3 JSON encoding: int64 is a JSON string,
# int32 and double are numbers, enums are names.
FIELD_KINDS = {
    "customer.id": "int64",
    "customer.resource_name": "string",
    "customer.descriptive_name": "string",
    "customer.currency_code": "string",
    "customer.time_zone": "string",
    "customer.manager": "bool",
    "campaign.id": "int64",
    "campaign.resource_name": "string",
    "campaign.name": "string",
    "campaign.status": "enum",
    "segments.date": "date",
    "segments.hour": "int32",
    "metrics.impressions": "int64",
    "metrics.clicks": "int64",
    "metrics.cost_micros": "int64",
    "metrics.conversions": "double",
    "metrics.conversions_value": "double",
}

# Google Ads rejects longer ranges on some reports with DATE_RANGE_TOO_WIDE; the simulator
# caps every query so one request cannot make it generate years of hourly rows.
MAX_DATE_RANGE_DAYS = 400

_QUERY = re.compile(
    r"^\s*SELECT\s+(?P<select>.+?)\s+FROM\s+(?P<resource>\S+)"
    r"(?:\s+WHERE\s+(?P<where>.+?))?"
    r"(?:\s+ORDER\s+BY\s+(?P<order>.+?))?"
    r"(?:\s+LIMIT\s+(?P<limit>\S+))?\s*$",
    re.IGNORECASE | re.DOTALL,
)
_TOKEN = re.compile(
    r"\s*(?:(?P<string>'[^']*'|\"[^\"]*\")|(?P<op>!=|>=|<=|=|>|<|\(|\)|,)"
    r"|(?P<word>[A-Za-z_][\w.]*)|(?P<number>-?\d+(?:\.\d+)?))"
)
_OPERATORS = {"=", "!=", ">", ">=", "<", "<=", "IN", "NOT IN", "BETWEEN"}


class GaqlError(ValueError):
    """An invalid query, with the Google Ads QueryError code that names the problem."""

    def __init__(self, error_code: str, message: str) -> None:
        super().__init__(message)
        self.error_code = error_code


@dataclass(frozen=True)
class Condition:
    field: str
    operator: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class GaqlQuery:
    fields: tuple[str, ...]
    conditions: tuple[Condition, ...]
    order_by: tuple[tuple[str, bool], ...]
    limit: int | None
    start_date: date
    end_date: date
    resource: str = "campaign"

    def dates(self) -> list[date]:
        days = (self.end_date - self.start_date).days
        return [self.start_date + timedelta(days=offset) for offset in range(days + 1)]


def parse_gaql(text: str) -> GaqlQuery:
    """Parse a GAQL query, raising GaqlError with Google's QueryError code when invalid."""
    if not re.match(r"^\s*SELECT\b", text, re.IGNORECASE):
        raise GaqlError("EXPECTED_SELECT", "The query must start with SELECT.")
    match = _QUERY.match(text)
    if match is None:
        raise GaqlError("EXPECTED_FROM", "The query has no FROM clause.")
    resource = match["resource"]
    if resource not in ("campaign", "customer"):
        raise GaqlError(
            "BAD_RESOURCE_TYPE_IN_FROM_CLAUSE",
            f"Invalid resource {resource!r} in the FROM clause: the simulator serves campaign "
            "and customer.",
        )

    fields = tuple(name.strip() for name in match["select"].split(","))
    for name in fields:
        _check_field(name)
    if len(set(fields)) != len(fields):
        raise GaqlError("QUERY_ERROR", "A field is selected more than once.")

    conditions = _parse_where(match["where"] or "")
    if resource == "customer":
        return _customer_query(fields, conditions)
    order_by = _parse_order_by(match["order"] or "", fields)
    limit = _parse_limit(match["limit"])
    start_date, end_date = _date_range(conditions)
    return GaqlQuery(fields, conditions, order_by, limit, start_date, end_date)


def _customer_query(fields: tuple[str, ...], conditions: tuple[Condition, ...]) -> GaqlQuery:
    # FROM customer returns the account's single row of settings; it takes no date segment.
    for name in fields:
        if not name.startswith("customer."):
            raise GaqlError(
                "PROHIBITED_FIELD_IN_SELECT_CLAUSE",
                f"Field {name!r} cannot be selected FROM customer in the simulator.",
            )
    today = date.today()
    return GaqlQuery(fields, conditions, (), None, today, today, resource="customer")


def _check_field(name: str) -> None:
    if not re.fullmatch(r"[a-z_]+(?:\.[a-z_]+)+", name):
        raise GaqlError("BAD_FIELD_NAME", f"Invalid field name {name!r}.")
    if name not in FIELD_KINDS:
        raise GaqlError("UNRECOGNIZED_FIELD", f"Unrecognized field in the query: {name!r}.")


def _tokenize(text: str) -> list[str]:
    tokens, position = [], 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None:
            raise GaqlError("BAD_SYMBOL", f"Unexpected input at {text[position:][:20]!r}.")
        tokens.append(match.group().strip())
        position = match.end()
    return tokens


def _parse_where(text: str) -> tuple[Condition, ...]:
    tokens = _tokenize(text)
    conditions, index = [], 0
    while index < len(tokens):
        condition, index = _parse_condition(tokens, index)
        conditions.append(condition)
        if index < len(tokens):
            if tokens[index].upper() != "AND":
                raise GaqlError(
                    "EXPECTED_AND", f"Expected AND between conditions, got {tokens[index]!r}."
                )
            index += 1
            if index == len(tokens):
                raise GaqlError("UNEXPECTED_END_OF_QUERY", "The query ends after AND.")
    return tuple(conditions)


def _parse_condition(tokens: list[str], index: int) -> tuple[Condition, int]:
    def take() -> str:
        nonlocal index
        if index >= len(tokens):
            raise GaqlError("UNEXPECTED_END_OF_QUERY", "The WHERE clause ends too early.")
        index += 1
        return tokens[index - 1]

    field = take()
    _check_field(field)
    operator = take().upper()
    if operator == "NOT":
        operator = "NOT " + take().upper()
    if operator == "DURING":
        raise GaqlError(
            "PROHIBITED_FIELD_IN_WHERE_CLAUSE",
            "The simulator does not support DURING: filter segments.date with BETWEEN.",
        )
    if operator not in _OPERATORS:
        raise GaqlError("BAD_OPERATOR", f"Invalid operator {operator!r} after {field}.")

    if operator == "BETWEEN":
        low = _literal(take())
        if take().upper() != "AND":
            raise GaqlError("EXPECTED_AND", "BETWEEN needs two values joined by AND.")
        return Condition(field, operator, (low, _literal(take()))), index
    if operator in ("IN", "NOT IN"):
        if take() != "(":
            raise GaqlError("EXPECTED_LIST", f"{operator} needs a list in parentheses.")
        values = []
        while True:
            values.append(_literal(take()))
            separator = take()
            if separator == ")":
                break
            if separator != ",":
                raise GaqlError("EXPECTED_LIST", f"Unexpected {separator!r} in a list.")
        return Condition(field, operator, tuple(values)), index
    return Condition(field, operator, (_literal(take()),)), index


def _literal(token: str) -> str:
    if token[:1] in ("'", '"'):
        return token[1:-1]
    if token in ("(", ")", ",") or token.upper() in ("AND", "BETWEEN", "IN", "NOT"):
        raise GaqlError("BAD_VALUE", f"Expected a value, got {token!r}.")
    return token


def _parse_order_by(text: str, fields: tuple[str, ...]) -> tuple[tuple[str, bool], ...]:
    if not text:
        return ()
    order = []
    for item in text.split(","):
        parts = item.split()
        if not parts or len(parts) > 2:
            raise GaqlError("BAD_FIELD_NAME", f"Invalid ORDER BY item {item.strip()!r}.")
        _check_field(parts[0])
        direction = parts[1].upper() if len(parts) == 2 else "ASC"
        if direction not in ("ASC", "DESC"):
            raise GaqlError("QUERY_ERROR", f"Invalid ORDER BY direction {parts[1]!r}.")
        order.append((parts[0], direction == "DESC"))
    return tuple(order)


def _parse_limit(text: str | None) -> int | None:
    if text is None:
        return None
    if not text.isdigit() or int(text) == 0:
        raise GaqlError("BAD_LIMIT_VALUE", f"Invalid LIMIT value {text!r}.")
    return int(text)


def _date_range(conditions: tuple[Condition, ...]) -> tuple[date, date]:
    """Derive the finite date range the conditions on segments.date allow."""
    lows: list[date] = []
    highs: list[date] = []
    for condition in conditions:
        if condition.field != "segments.date":
            continue
        values = [_parse_date(value) for value in condition.values]
        if condition.operator in ("=", "IN", "BETWEEN"):
            lows.append(min(values))
            highs.append(max(values))
        elif condition.operator in (">", ">="):
            lows.append(values[0] + timedelta(days=int(condition.operator == ">")))
        elif condition.operator in ("<", "<="):
            highs.append(values[0] - timedelta(days=int(condition.operator == "<")))
    if not lows or not highs:
        raise GaqlError(
            "EXPECTED_FILTERS_ON_DATE_RANGE",
            "Filter segments.date to a finite range, e.g. segments.date BETWEEN 'a' AND 'b'.",
        )
    start, end = max(lows), min(highs)
    if start > end:
        raise GaqlError("DATE_RANGE_TOO_NARROW", f"The date range {start} to {end} is empty.")
    if (end - start).days >= MAX_DATE_RANGE_DAYS:
        raise GaqlError(
            "DATE_RANGE_TOO_WIDE",
            f"The date range {start} to {end} is longer than {MAX_DATE_RANGE_DAYS} days.",
        )
    return start, end


def _parse_date(value: str) -> date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError as error:
        raise GaqlError(
            "BAD_VALUE", f"Invalid date {value!r} for segments.date: use 'YYYY-MM-DD'."
        ) from error
