"""Strict typed access to decoded response values, shared by the TikTok, Microsoft Advertising
and LinkedIn parsers.

It applies the same rules as the Meta parser: an omitted metric counts as 0, while null, "",
NaN, infinity, negative or oversized values raise PlatformDataError (docs/data-rules.md), and
values of the wrong type raise PlatformResponseError.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from marketing_assets.platforms.body_excerpt import body_excerpt
from marketing_assets.platforms.data_rules import (
    amount_out_of_range,
    blank_or_non_finite,
    count_out_of_range,
    unknown_currency,
    unpaired_surrogate,
)
from marketing_assets.platforms.errors import (
    PlatformDataError,
    PlatformResponseError,
    invalid_data,
    malformed_response,
    unreadable_body,
)

_DIGITS = re.compile(r"\d+", re.ASCII)
_SIGNED_INTEGER = re.compile(r"-?\d+", re.ASCII)
_DECIMAL = re.compile(r"-?\d+(?:\.\d+)?", re.ASCII)


class FieldReader:
    """Reads fields of one response, raising errors that name the platform, account and day.

    When `row` is set, error details start with it, so they name the campaign being read. A
    reader of a response over several days has `last_day` set and `day` as the first day.
    """

    def __init__(
        self,
        platform: str,
        account_id: str,
        day: dt.date | None,
        row: str = "",
        last_day: dt.date | None = None,
    ) -> None:
        self.platform = platform
        self.account_id = account_id
        self.day = day
        self.row = row
        self.last_day = last_day

    def at_row(self, row: str) -> FieldReader:
        return FieldReader(self.platform, self.account_id, self.day, row, self.last_day)

    def on_day(self, day: dt.date) -> FieldReader:
        """Return a reader whose errors name `day`, the date of the row being read."""
        return FieldReader(self.platform, self.account_id, day, self.row)

    def malformed(self, detail: str) -> PlatformResponseError:
        return malformed_response(
            self.platform, self.account_id, self.day, self._in_row(detail), last_day=self.last_day
        )

    def invalid(self, detail: str) -> PlatformDataError:
        return invalid_data(
            self.platform, self.account_id, self.day, self._in_row(detail), last_day=self.last_day
        )

    def _in_row(self, detail: str) -> str:
        return f"in {self.row}, {detail}" if self.row else detail

    def mapping(self, value: object, path: str) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise self.malformed(f"{path} is {abbreviate(value)}, expected a JSON object")
        return value

    def array(self, value: object, path: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.malformed(f"{path} is {abbreviate(value)}, expected an array")
        return value

    def string(self, parent: Mapping[str, Any], key: str, path: str) -> str:
        value = parent.get(key)
        if not isinstance(value, str):
            raise self.malformed(f"{path}.{key} is {abbreviate(value)}, expected a string")
        problem = unpaired_surrogate(value)
        if problem:
            raise self.invalid(f"{path}.{key} is {value!r}, {problem}")
        return value

    def key_string(self, parent: Mapping[str, Any], key: str, path: str) -> str:
        """Read a string that identifies the row, rejecting null and empty values."""
        value = parent.get(key)
        if value is None or value == "":
            raise self.invalid(f"{path}.{key} is {value!r}, expected a value")
        return self.string(parent, key, path)

    def identifier(self, parent: Mapping[str, Any], key: str, path: str) -> str:
        """Read an id of digits, sent as a string or a JSON integer, as a string."""
        value = parent.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return str(value)
        text = self.key_string(parent, key, path)
        if not _DIGITS.fullmatch(text):
            raise self.invalid(f"{path}.{key} is {text!r}, expected an id of digits")
        return text

    def count(self, parent: Mapping[str, Any], key: str, path: str) -> int:
        """Read a count sent as an integer or a string of digits. An omitted metric is 0."""
        if key not in parent:
            return 0
        value = parent[key]
        self._check_present(value, f"{path}.{key}")
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str) and _SIGNED_INTEGER.fullmatch(value):
            number = int(value)
        else:
            raise self.malformed(f"{path}.{key} is {value!r}, expected an integer")
        problem = count_out_of_range(number)
        if problem:
            raise self.invalid(f"{path}.{key} is {value!r}, {problem}")
        return number

    def decimal(self, parent: Mapping[str, Any], key: str, path: str) -> Decimal:
        """Read an amount sent as a decimal string or a JSON number. An omitted metric is 0.

        JSON numbers must have been decoded as Decimal (see `decode_json`), so no float ever
        rounds the amount.
        """
        if key not in parent:
            return Decimal(0)
        value = parent[key]
        self._check_present(value, f"{path}.{key}")
        is_number = isinstance(value, (int, Decimal)) and not isinstance(value, bool)
        if not is_number and not (isinstance(value, str) and _DECIMAL.fullmatch(value)):
            raise self.malformed(f"{path}.{key} is {value!r}, expected a decimal number")
        amount = Decimal(value)
        problem = amount_out_of_range(amount)
        if problem:
            raise self.invalid(f"{path}.{key} is {value!r}, {problem}")
        return amount

    def currency(self, parent: Mapping[str, Any], key: str, path: str) -> str:
        code = self.string(parent, key, path)
        problem = unknown_currency(code)
        if problem:
            raise self.invalid(f"{path}.{key} is {code!r}, {problem}")
        return code

    def _check_present(self, value: object, field: str) -> None:
        problem = blank_or_non_finite(value)
        if problem:
            raise self.invalid(f"{field} is {value!r}, {problem}")


def decode_json(
    text: str,
    *,
    platform: str,
    account_id: str,
    day: dt.date | None,
    last_day: dt.date | None = None,
) -> Any:
    """Decode a body, keeping JSON numbers with a fraction or exponent as exact Decimals.

    NaN and Infinity literals, which Python's decoder accepts, become Decimal too, so the
    metric readers reject them by the same finiteness check.
    """
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_constant)
    except json.JSONDecodeError as error:
        detail = f"the body is not JSON ({error.msg} at position {error.pos}): {body_excerpt(text)}"
        raise unreadable_body(platform, account_id, day, detail, last_day=last_day) from error


def decode_error_json(text: str) -> Any:
    """Decode an error body, or return None when it is not JSON (such as a proxy's HTML page)."""
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_constant)
    except (json.JSONDecodeError, InvalidOperation):
        return None


def _constant(name: str) -> Decimal:
    return Decimal(name)


def abbreviate(value: object) -> str:
    """Return repr(value), cut to 200 characters for an error message."""
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + "..."
