"""Pure parsers from Google Ads REST (proto3 JSON) bodies to typed records.

proto3 JSON sends int64 values (ids, impressions, clicks, costMicros) as strings and doubles
(conversions, conversionsValue) as numbers. Bodies are decoded with Decimal floats so doubles
keep the digits the API sent, and int64 strings become Python ints, so values beyond 2**31
stay exact. Rows that break a rule of docs/data-rules.md raise PlatformDataError.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

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
)
from marketing_assets.platforms.field_reader import decode_json as decode_shared_json
from marketing_assets.platforms.google_ads.records import (
    GoogleAdsCampaignDay,
    GoogleAdsCampaignHour,
    GoogleAdsCustomer,
)

PLATFORM = "google_ads"

RecordT = TypeVar("RecordT")

_DURATION = re.compile(r"(\d+(?:\.\d+)?)s", re.ASCII)
_INT64 = re.compile(r"-?\d+", re.ASCII)
_DIGITS = re.compile(r"\d+", re.ASCII)


@dataclass(frozen=True, slots=True)
class GoogleAdsErrorInfo:
    """Fields of a Google API error body that decide whether and when to retry.

    `error_codes` contains (category, value) pairs such as ("quotaError", "RESOURCE_EXHAUSTED")
    from every GoogleAdsFailure error; `retry_delay_seconds` comes from quotaErrorDetails or
    a google.rpc.RetryInfo detail.
    """

    code: int | None
    status: str
    message: str
    error_codes: tuple[tuple[str, str], ...]
    retry_delay_seconds: float | None
    request_id: str | None

    def has_error_code(self, values: frozenset[str] | set[str]) -> bool:
        return any(value in values for _, value in self.error_codes)


class _RowReader:
    """Typed access to decoded JSON that raises PlatformResponseError naming the bad path.

    When `row` is set, errors start with it, so they name the campaign and hour being read.
    A reader of a response over several days has `last_day` set and `day` as the first day.
    """

    def __init__(
        self,
        customer_id: str,
        day: dt.date | None,
        row: str = "",
        last_day: dt.date | None = None,
    ) -> None:
        self.customer_id = customer_id
        self.day = day
        self.row = row
        self.last_day = last_day

    def at_row(self, row: str) -> _RowReader:
        return _RowReader(self.customer_id, self.day, row, self.last_day)

    def on_day(self, day: dt.date) -> _RowReader:
        """Return a reader whose errors name `day`, the date of the row being read."""
        return _RowReader(self.customer_id, day, self.row)

    def malformed(self, detail: str) -> PlatformResponseError:
        return malformed_response(
            PLATFORM, self.customer_id, self.day, self._in_row(detail), last_day=self.last_day
        )

    def invalid(self, detail: str) -> PlatformDataError:
        return invalid_data(
            PLATFORM, self.customer_id, self.day, self._in_row(detail), last_day=self.last_day
        )

    def _in_row(self, detail: str) -> str:
        return f"in {self.row}, {detail}" if self.row else detail

    def mapping(self, value: object, path: str) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise self.malformed(f"{path} is {value!r}, expected a JSON object")
        return value

    def string(self, parent: Mapping[str, Any], key: str, path: str) -> str:
        value = parent.get(key)
        if not isinstance(value, str):
            raise self.malformed(f"{path}.{key} is {value!r}, expected a string")
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
        """Read an id (an int64 sent as a decimal string), rejecting null, empty and signed ids."""
        value = parent.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return str(value)
        if isinstance(value, str) and _DIGITS.fullmatch(value):
            return str(int(value))
        raise self.invalid(f"{path}.{key} is {value!r}, expected an id of digits")

    def count(self, parent: Mapping[str, Any], key: str, path: str) -> int:
        """Read an int64 metric sent as a decimal string. An omitted key is 0."""
        if key not in parent:
            return 0
        value = parent[key]
        self._check_present(value, f"{path}.{key}")
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str) and _INT64.fullmatch(value):
            number = int(value)
        else:
            raise self.malformed(f"{path}.{key} is {value!r}, expected an int64 decimal string")
        problem = count_out_of_range(number)
        if problem:
            raise self.invalid(f"{path}.{key} is {value!r}, {problem}")
        return number

    def double(self, parent: Mapping[str, Any], key: str, path: str) -> Decimal:
        """Read a metric double sent as a JSON number. An omitted key is 0."""
        if key not in parent:
            return Decimal(0)
        value = parent[key]
        self._check_present(value, f"{path}.{key}")
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            raise self.malformed(f"{path}.{key} is {value!r}, expected a JSON number")
        problem = amount_out_of_range(Decimal(value))
        if problem:
            raise self.invalid(f"{path}.{key} is {value!r}, {problem}")
        return Decimal(value)

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
    text: str, *, customer_id: str, day: dt.date | None, last_day: dt.date | None = None
) -> Any:
    """Decode a body with exact Decimals, as the shared decode_json does for every platform."""
    return decode_shared_json(
        text, platform=PLATFORM, account_id=customer_id, day=day, last_day=last_day
    )


def parse_search_stream(
    text: str, *, customer_id: str, day: dt.date
) -> list[GoogleAdsCampaignHour]:
    """Parse a searchStream body (a JSON array of batches) into campaign-hour records."""
    batches = decode_json(text, customer_id=customer_id, day=day)
    return parse_search_stream_batches(batches, customer_id=customer_id, day=day)


def parse_search_stream_batches(
    batches: object, *, customer_id: str, day: dt.date
) -> list[GoogleAdsCampaignHour]:
    """Parse decoded searchStream batches; every row must belong to `customer_id` and `day`.

    Raises PlatformDataError when two rows share a campaign and hour.
    """
    reader = _RowReader(customer_id, day)
    records = [_parse_row(reader, row, path) for row, path in _stream_rows(reader, batches)]
    _reject_repeated_keys(
        reader, records, lambda record: f"campaign {record.campaign_id} at hour {record.hour}"
    )
    return records


def parse_campaign_days(
    text: str, *, customer_id: str, first_day: dt.date, last_day: dt.date
) -> list[GoogleAdsCampaignDay]:
    """Parse the searchStream body of a campaign query without segments.hour into day rows.

    Every row must be dated from `first_day` to `last_day` (account-local, both included),
    and no campaign may appear twice on one date.
    """
    batches = decode_json(text, customer_id=customer_id, day=first_day, last_day=last_day)
    reader = _RowReader(customer_id, first_day, last_day=last_day)
    records = [_parse_day_row(reader, row, path) for row, path in _stream_rows(reader, batches)]
    _reject_repeated_keys(
        reader, records, lambda record: f"campaign {record.campaign_id} on {record.date}"
    )
    return records


def _stream_rows(reader: _RowReader, batches: object) -> Iterator[tuple[Mapping[str, Any], str]]:
    """Yield each row of decoded searchStream batches with its path for error messages."""
    if not isinstance(batches, list):
        raise reader.malformed(f"the body is {_abbreviate(batches)}, expected a JSON array")
    for batch_index, batch in enumerate(batches):
        batch_path = f"batch {batch_index}"
        results = reader.mapping(batch, batch_path).get("results", [])
        if not isinstance(results, list):
            raise reader.malformed(f"{batch_path}.results is {results!r}, expected an array")
        for row_index, row in enumerate(results):
            path = f"{batch_path} results[{row_index}]"
            yield reader.mapping(row, path), path


def parse_customer(text: str, *, customer_id: str) -> GoogleAdsCustomer:
    """Parse the searchStream body of a FROM customer query: exactly one row is expected."""
    batches = decode_json(text, customer_id=customer_id, day=None)
    reader = _RowReader(customer_id, None)
    if not isinstance(batches, list):
        raise reader.malformed(f"the body is {_abbreviate(batches)}, expected a JSON array")
    rows = [
        row
        for index, batch in enumerate(batches)
        for row in reader.mapping(batch, f"batch {index}").get("results", [])
    ]
    if len(rows) != 1:
        raise reader.malformed(f"a customer query returned {len(rows)} rows, expected 1")
    customer = reader.mapping(reader.mapping(rows[0], "row").get("customer"), "row.customer")
    return GoogleAdsCustomer(
        customer_id=str(customer.get("id", customer_id)),
        descriptive_name=str(customer.get("descriptiveName", "")),
        currency_code=reader.currency(customer, "currencyCode", "row.customer"),
        time_zone=reader.string(customer, "timeZone", "row.customer"),
    )


def _parse_row(reader: _RowReader, row: Mapping[str, Any], path: str) -> GoogleAdsCampaignHour:
    reader = reader.at_row(f"row {path}")
    customer = _requested_customer(reader, row)
    campaign = reader.mapping(row.get("campaign"), "campaign")
    segments = reader.mapping(row.get("segments"), "segments")
    campaign_id = reader.identifier(campaign, "id", "campaign")

    reader = reader.at_row(f"the row of campaign {campaign_id} ({path})")
    date = _parse_date(reader, segments)
    hour = _parse_hour(reader, segments)

    reader = reader.at_row(f"the row of campaign {campaign_id} at hour {hour} ({path})")
    return GoogleAdsCampaignHour(
        customer_id=reader.customer_id,
        currency_code=reader.currency(customer, "currencyCode", "customer"),
        time_zone=reader.string(customer, "timeZone", "customer"),
        campaign_id=campaign_id,
        campaign_name=reader.string(campaign, "name", "campaign"),
        campaign_status=reader.string(campaign, "status", "campaign"),
        date=date,
        hour=hour,
        **_metric_values(reader, row),
    )


def _parse_day_row(reader: _RowReader, row: Mapping[str, Any], path: str) -> GoogleAdsCampaignDay:
    reader = reader.at_row(f"row {path}")
    customer = _requested_customer(reader, row)
    campaign = reader.mapping(row.get("campaign"), "campaign")
    segments = reader.mapping(row.get("segments"), "segments")
    campaign_id = reader.identifier(campaign, "id", "campaign")

    reader = reader.at_row(f"the row of campaign {campaign_id} ({path})")
    # A row with segments.hour means the query was not a daily one, so its metrics cover one
    # hour and would understate the day.
    if "hour" in segments:
        raise reader.malformed("segments.hour is present in a daily campaign row")
    date = _parse_date(reader, segments)

    reader = reader.on_day(date)
    return GoogleAdsCampaignDay(
        customer_id=reader.customer_id,
        currency_code=reader.currency(customer, "currencyCode", "customer"),
        campaign_id=campaign_id,
        date=date,
        **_metric_values(reader, row),
    )


def _requested_customer(reader: _RowReader, row: Mapping[str, Any]) -> Mapping[str, Any]:
    """Return the row's customer object after checking that it is the requested customer."""
    customer = reader.mapping(row.get("customer"), "customer")
    customer_id = reader.identifier(customer, "id", "customer")
    if customer_id != reader.customer_id:
        raise reader.malformed(f"customer.id is {customer_id!r}, expected the requested id")
    return customer


def _metric_values(reader: _RowReader, row: Mapping[str, Any]) -> dict[str, Any]:
    """Read the five campaign metrics as keyword arguments of both campaign records."""
    # A row whose metrics are all zero may omit the metrics object as well as its keys.
    metrics = reader.mapping(row.get("metrics", {}), "metrics")
    return {
        "impressions": reader.count(metrics, "impressions", "metrics"),
        "clicks": reader.count(metrics, "clicks", "metrics"),
        "cost_micros": reader.count(metrics, "costMicros", "metrics"),
        "conversions": reader.double(metrics, "conversions", "metrics"),
        "conversions_value": reader.double(metrics, "conversionsValue", "metrics"),
    }


def _parse_date(reader: _RowReader, segments: Mapping[str, Any]) -> dt.date:
    text = reader.key_string(segments, "date", "segments")
    try:
        date = dt.date.fromisoformat(text)
    except ValueError as error:
        raise reader.invalid(f"segments.date is {text!r}, expected YYYY-MM-DD") from error
    if reader.day is None or not reader.day <= date <= (reader.last_day or reader.day):
        raise reader.invalid(f"segments.date is {text!r}, {_outside_requested_days(reader)}")
    return date


def _outside_requested_days(reader: _RowReader) -> str:
    if reader.last_day is None or reader.last_day == reader.day:
        return "outside the requested day"
    return f"outside the requested days {reader.day} to {reader.last_day}"


def _parse_hour(reader: _RowReader, segments: Mapping[str, Any]) -> int:
    hour = segments.get("hour")
    if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23:
        raise reader.invalid(f"segments.hour is {hour!r}, expected an integer from 0 to 23")
    return hour


def _reject_repeated_keys(
    reader: _RowReader, records: list[RecordT], key: Callable[[RecordT], str]
) -> None:
    """Raise PlatformDataError when two records share a key, identical or not.

    `key` describes a record's key, like "campaign 111 at hour 9". searchStream has no pages
    and the query's segments make each key unique, so a repeat has no known cause, and a
    differing copy leaves no way to tell which figures are current.
    """
    counts = Counter(key(record) for record in records)
    repeated = [described for described, n in counts.items() if n > 1]
    if not repeated:
        return
    examples = ", ".join(repeated[:3])
    raise reader.invalid(
        f"{len(repeated)} campaign key(s) appear in more than one row, for example {examples}"
    )


def parse_error(text: str) -> GoogleAdsErrorInfo | None:
    """Parse a Google error body, bare or wrapped in a one-element array.

    Returns None when the body is not in Google's error format (for example an HTML page from
    a proxy), so the caller falls back to the HTTP status alone.
    """
    try:
        body = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError:
        return None
    if isinstance(body, list) and len(body) == 1:
        body = body[0]
    if not isinstance(body, dict) or not isinstance(body.get("error"), dict):
        return None

    error = body["error"]
    code = error.get("code")
    error_codes: list[tuple[str, str]] = []
    retry_delays: list[float] = []
    request_id = None
    details = error.get("details")
    for detail in details if isinstance(details, list) else []:
        if not isinstance(detail, dict):
            continue
        request_id = request_id or _optional_str(detail.get("requestId"))
        _add_retry_delay(retry_delays, detail.get("retryDelay"))
        for failure in detail.get("errors") or []:
            if isinstance(failure, dict):
                error_codes.extend(_error_codes(failure))
                _add_retry_delay(retry_delays, _quota_retry_delay(failure))

    return GoogleAdsErrorInfo(
        code=code if isinstance(code, int) else None,
        status=_optional_str(error.get("status")) or "",
        message=_optional_str(error.get("message")) or "",
        error_codes=tuple(error_codes),
        retry_delay_seconds=max(retry_delays) if retry_delays else None,
        request_id=request_id,
    )


def parse_duration_seconds(value: str) -> float | None:
    """Parse a protobuf Duration in JSON form ("600s", "0.5s"); None when it does not match."""
    match = _DURATION.fullmatch(value.strip())
    return float(match.group(1)) if match else None


def parse_accessible_customers(text: str) -> list[str]:
    """Parse listAccessibleCustomers into customer ids ("customers/123" becomes "123")."""
    body = decode_json(text, customer_id="(all accessible)", day=None)
    names = body.get("resourceNames", []) if isinstance(body, dict) else None
    if not isinstance(names, list) or not all(
        isinstance(name, str) and name.startswith("customers/") for name in names
    ):
        detail = f"resourceNames is {names!r}, expected a list of 'customers/<id>' strings"
        raise malformed_response(PLATFORM, "(all accessible)", None, detail)
    return [name.removeprefix("customers/") for name in names]


def _error_codes(failure: Mapping[str, Any]) -> list[tuple[str, str]]:
    error_code = failure.get("errorCode")
    if not isinstance(error_code, dict):
        return []
    return [(str(category), str(value)) for category, value in error_code.items()]


def _quota_retry_delay(failure: Mapping[str, Any]) -> object:
    details = failure.get("details")
    quota = details.get("quotaErrorDetails") if isinstance(details, dict) else None
    return quota.get("retryDelay") if isinstance(quota, dict) else None


def _add_retry_delay(delays: list[float], value: object) -> None:
    if isinstance(value, str):
        seconds = parse_duration_seconds(value)
        if seconds is not None:
            delays.append(seconds)


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _abbreviate(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + "..."
