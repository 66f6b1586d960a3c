"""Pure parsers from Google Ads REST (proto3 JSON) bodies to typed records.

proto3 JSON sends int64 values (ids, impressions, clicks, costMicros) as strings and doubles
(conversions, conversionsValue) as numbers. Bodies are decoded with Decimal floats so doubles
keep the digits the API sent, and int64 strings become Python ints, so values beyond 2**31
stay exact.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from marketing_assets.platforms.errors import PlatformResponseError, malformed_response
from marketing_assets.platforms.google_ads.records import (
    GoogleAdsCampaignDay,
    GoogleAdsCampaignHour,
    GoogleAdsCustomer,
)

PLATFORM = "google_ads"

_DURATION = re.compile(r"(\d+(?:\.\d+)?)s", re.ASCII)
_INT64 = re.compile(r"-?\d+", re.ASCII)


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
    """Typed access to decoded JSON that raises PlatformResponseError naming the bad path."""

    def __init__(self, customer_id: str, day: dt.date) -> None:
        self.customer_id = customer_id
        self.day = day

    def malformed(self, detail: str) -> PlatformResponseError:
        return malformed_response(PLATFORM, self.customer_id, self.day, detail)

    def mapping(self, value: object, path: str) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise self.malformed(f"{path} is {value!r}, expected a JSON object")
        return value

    def string(self, parent: Mapping[str, Any], key: str, path: str) -> str:
        value = parent.get(key)
        if not isinstance(value, str):
            raise self.malformed(f"{path}.{key} is {value!r}, expected a string")
        return value

    def int64(
        self, parent: Mapping[str, Any], key: str, path: str, *, missing: int | None = None
    ) -> int:
        """Read an int64 sent as a decimal string; a missing key is `missing` when given."""
        if key not in parent and missing is not None:
            return missing
        value = parent.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and _INT64.fullmatch(value):
            return int(value)
        raise self.malformed(f"{path}.{key} is {value!r}, expected an int64 decimal string")

    def double(self, parent: Mapping[str, Any], key: str, path: str) -> Decimal:
        """Read a metric double; a missing key counts as 0."""
        value = parent.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            raise self.malformed(f"{path}.{key} is {value!r}, expected a JSON number")
        return Decimal(value)


def decode_json(text: str, *, customer_id: str, day: dt.date | None) -> Any:
    """Decode a body, keeping JSON numbers with a fraction or exponent as exact Decimals."""
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        detail = f"the body is not JSON ({error.msg} at position {error.pos}): {text[:200]!r}"
        raise malformed_response(PLATFORM, customer_id, day, detail) from error


def parse_search_stream(
    text: str, *, customer_id: str, day: dt.date
) -> list[GoogleAdsCampaignHour]:
    """Parse a searchStream body (a JSON array of batches) into campaign-hour records."""
    batches = decode_json(text, customer_id=customer_id, day=day)
    return parse_search_stream_batches(batches, customer_id=customer_id, day=day)


def parse_search_stream_batches(
    batches: object, *, customer_id: str, day: dt.date
) -> list[GoogleAdsCampaignHour]:
    """Parse decoded searchStream batches; every row must belong to `customer_id` and `day`."""
    reader = _RowReader(customer_id, day)
    return [_parse_row(reader, row, path) for row, path in _stream_rows(reader, batches)]


def parse_campaign_days(text: str, *, customer_id: str, day: dt.date) -> list[GoogleAdsCampaignDay]:
    """Parse the searchStream body of a campaign query without segments.hour into day rows."""
    batches = decode_json(text, customer_id=customer_id, day=day)
    reader = _RowReader(customer_id, day)
    return [_parse_day_row(reader, row, path) for row, path in _stream_rows(reader, batches)]


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
        currency_code=reader.string(customer, "currencyCode", "row.customer"),
        time_zone=reader.string(customer, "timeZone", "row.customer"),
    )


def _parse_row(reader: _RowReader, row: Mapping[str, Any], path: str) -> GoogleAdsCampaignHour:
    customer = _requested_customer(reader, row, path)
    campaign = reader.mapping(row.get("campaign"), f"{path}.campaign")
    segments = reader.mapping(row.get("segments"), f"{path}.segments")
    return GoogleAdsCampaignHour(
        customer_id=reader.customer_id,
        currency_code=reader.string(customer, "currencyCode", f"{path}.customer"),
        time_zone=reader.string(customer, "timeZone", f"{path}.customer"),
        campaign_id=str(reader.int64(campaign, "id", f"{path}.campaign")),
        campaign_name=reader.string(campaign, "name", f"{path}.campaign"),
        campaign_status=reader.string(campaign, "status", f"{path}.campaign"),
        date=_parse_date(reader, segments, f"{path}.segments"),
        hour=_parse_hour(reader, segments, f"{path}.segments"),
        **_metric_values(reader, row, path),
    )


def _parse_day_row(reader: _RowReader, row: Mapping[str, Any], path: str) -> GoogleAdsCampaignDay:
    customer = _requested_customer(reader, row, path)
    campaign = reader.mapping(row.get("campaign"), f"{path}.campaign")
    segments = reader.mapping(row.get("segments"), f"{path}.segments")
    # A row with segments.hour means the query was not a daily one, so its metrics cover one
    # hour and would understate the day.
    if "hour" in segments:
        raise reader.malformed(f"{path}.segments.hour is present in a daily campaign row")
    return GoogleAdsCampaignDay(
        customer_id=reader.customer_id,
        currency_code=reader.string(customer, "currencyCode", f"{path}.customer"),
        campaign_id=str(reader.int64(campaign, "id", f"{path}.campaign")),
        date=_parse_date(reader, segments, f"{path}.segments"),
        **_metric_values(reader, row, path),
    )


def _requested_customer(reader: _RowReader, row: Mapping[str, Any], path: str) -> Mapping[str, Any]:
    """Return the row's customer object after checking that it is the requested customer."""
    customer = reader.mapping(row.get("customer"), f"{path}.customer")
    customer_id = str(reader.int64(customer, "id", f"{path}.customer"))
    if customer_id != reader.customer_id:
        raise reader.malformed(f"{path}.customer.id is {customer_id!r}, expected the requested id")
    return customer


def _metric_values(reader: _RowReader, row: Mapping[str, Any], path: str) -> dict[str, Any]:
    """Read the five campaign metrics as keyword arguments of both campaign records."""
    # A row whose metrics are all zero may omit the metrics object as well as its keys.
    metrics = reader.mapping(row.get("metrics", {}), f"{path}.metrics")
    return {
        "impressions": _metric(reader, metrics, "impressions", path),
        "clicks": _metric(reader, metrics, "clicks", path),
        "cost_micros": _metric(reader, metrics, "costMicros", path),
        "conversions": reader.double(metrics, "conversions", f"{path}.metrics"),
        "conversions_value": reader.double(metrics, "conversionsValue", f"{path}.metrics"),
    }


def _metric(reader: _RowReader, metrics: Mapping[str, Any], key: str, path: str) -> int:
    # Zero metrics may be left out of the row (unverified), so a missing key counts as 0.
    return reader.int64(metrics, key, f"{path}.metrics", missing=0)


def _parse_date(reader: _RowReader, segments: Mapping[str, Any], path: str) -> dt.date:
    text = reader.string(segments, "date", path)
    try:
        date = dt.date.fromisoformat(text)
    except ValueError as error:
        raise reader.malformed(f"{path}.date is {text!r}, expected YYYY-MM-DD") from error
    if date != reader.day:
        raise reader.malformed(f"{path}.date is {text!r}, outside the requested day")
    return date


def _parse_hour(reader: _RowReader, segments: Mapping[str, Any], path: str) -> int:
    hour = segments.get("hour")
    if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23:
        raise reader.malformed(f"{path}.hour is {hour!r}, expected an integer from 0 to 23")
    return hour


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
