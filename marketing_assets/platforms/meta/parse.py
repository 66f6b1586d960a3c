"""Pure parsers from Meta Graph API insights bodies to typed records.

Meta sends numbers as decimal strings ("14.35", "185"); they become Decimal and int so spend
and large counts stay exact. Rows that break a rule of docs/data-rules.md raise
PlatformDataError.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any, Generic, TypeVar

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
from marketing_assets.platforms.meta import settings
from marketing_assets.platforms.meta.records import MetaAdAccount, MetaCampaignDay, MetaCampaignHour

PLATFORM = "meta"

_HOUR_LABEL = re.compile(r"(\d{2}):00:00 - (\d{2}):59:59", re.ASCII)
_INTEGER = re.compile(r"\d+", re.ASCII)
_SIGNED_INTEGER = re.compile(r"-?\d+", re.ASCII)
_DECIMAL = re.compile(r"-?\d+(?:\.\d+)?", re.ASCII)


RecordT = TypeVar("RecordT")


@dataclass(frozen=True, slots=True)
class InsightsPage(Generic[RecordT]):
    """One page of insights: its records, the cursor of the next page and the skipped rows."""

    records: list[RecordT]
    next_cursor: str | None
    skipped_zero_rows: int


@dataclass(frozen=True, slots=True)
class MetaErrorInfo:
    """Fields of a Graph API error body that decide whether to retry."""

    code: int | None
    subcode: int | None
    type: str
    message: str
    fbtrace_id: str | None


class _RowReader:
    """Typed access to decoded JSON that raises PlatformResponseError naming the bad path.

    When `row` is set, errors start with it, so they name the campaign and hour being read.
    A reader of a report over several days has `last_day` set and `day` as the first day.
    """

    def __init__(
        self,
        account_id: str,
        day: dt.date | None,
        row: str = "",
        last_day: dt.date | None = None,
    ) -> None:
        self.account_id = account_id
        self.day = day
        self.row = row
        self.last_day = last_day

    def at_row(self, row: str) -> _RowReader:
        return _RowReader(self.account_id, self.day, row, self.last_day)

    def on_day(self, day: dt.date) -> _RowReader:
        """Return a reader whose errors name `day`, the date of the row being read."""
        return _RowReader(self.account_id, day, self.row)

    def malformed(self, detail: str) -> PlatformResponseError:
        return malformed_response(
            PLATFORM, self.account_id, self.day, self._in_row(detail), last_day=self.last_day
        )

    def invalid(self, detail: str) -> PlatformDataError:
        return invalid_data(
            PLATFORM, self.account_id, self.day, self._in_row(detail), last_day=self.last_day
        )

    def _in_row(self, detail: str) -> str:
        return f"in {self.row}, {detail}" if self.row else detail

    def mapping(self, value: object, path: str) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise self.malformed(f"{path} is {_abbreviate(value)}, expected a JSON object")
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
        """Read an id sent as a string of digits, rejecting null, empty and other text."""
        value = self.key_string(parent, key, path)
        if not _INTEGER.fullmatch(value):
            raise self.invalid(f"{path}.{key} is {value!r}, expected an id of digits")
        return value

    def count(self, parent: Mapping[str, Any], key: str, path: str) -> int:
        """Read a count sent as a decimal string. An omitted metric counts as 0."""
        if key not in parent:
            return 0
        value = parent[key]
        self._check_present(value, f"{path}.{key}")
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str) and _SIGNED_INTEGER.fullmatch(value):
            number = int(value)
        else:
            raise self.malformed(f"{path}.{key} is {value!r}, expected an integer string")
        problem = count_out_of_range(number)
        if problem:
            raise self.invalid(f"{path}.{key} is {value!r}, {problem}")
        return number

    def decimal(self, parent: Mapping[str, Any], key: str, path: str) -> Decimal:
        """Read an amount sent as a decimal string. An omitted metric counts as 0."""
        if key not in parent:
            return Decimal(0)
        value = parent[key]
        self._check_present(value, f"{path}.{key}")
        is_number = isinstance(value, (int, Decimal)) and not isinstance(value, bool)
        if not is_number and not (isinstance(value, str) and _DECIMAL.fullmatch(value)):
            raise self.malformed(f"{path}.{key} is {value!r}, expected a decimal string")
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
    text: str, *, account_id: str, day: dt.date | None, last_day: dt.date | None = None
) -> Any:
    """Decode a body with exact Decimals, as the shared decode_json does for every platform."""
    return decode_shared_json(
        text, platform=PLATFORM, account_id=account_id, day=day, last_day=last_day
    )


def parse_insights_page(
    text: str, *, account_id: str, day: dt.date
) -> InsightsPage[MetaCampaignHour]:
    """Parse one hourly insights page for `day`; rows must be dated `day` in the account zone."""
    return _parse_page(text, account_id=account_id, day=day, parse_row=_parse_row)


def parse_daily_insights_page(
    text: str, *, account_id: str, first_day: dt.date, last_day: dt.date
) -> InsightsPage[MetaCampaignDay]:
    """Parse one page of a report without breakdowns into one record per campaign and day.

    Each row must cover one account-local day from `first_day` to `last_day` (both
    included), as time_increment=1 splits the range. A campaign without delivery on a day
    comes back with zero metrics and is kept as a zero record.
    """
    return _parse_page(
        text, account_id=account_id, day=first_day, last_day=last_day, parse_row=_parse_day_row
    )


def _parse_page(
    text: str,
    *,
    account_id: str,
    day: dt.date,
    parse_row: Callable[[_RowReader, Mapping[str, Any], str], RecordT | None],
    last_day: dt.date | None = None,
) -> InsightsPage[RecordT]:
    """Parse a page with `parse_row`, counting the rows it returns None for as skipped."""
    reader = _RowReader(account_id, day, last_day=last_day)
    body = decode_json(text, account_id=account_id, day=day, last_day=last_day)
    body = reader.mapping(body, "the body")
    rows = body.get("data")
    if not isinstance(rows, list):
        raise reader.malformed(f"data is {_abbreviate(rows)}, expected an array")

    records = []
    skipped = 0
    for index, row in enumerate(rows):
        record = parse_row(reader, reader.mapping(row, f"data[{index}]"), f"data[{index}]")
        if record is None:
            skipped += 1
        else:
            records.append(record)
    return InsightsPage(records, _next_cursor(reader, body.get("paging")), skipped)


def _parse_row(reader: _RowReader, row: Mapping[str, Any], path: str) -> MetaCampaignHour | None:
    """Parse a row, or return None for a zero-impression row without the hour field."""
    campaign_id = reader.identifier(row, "campaign_id", path)
    reader = reader.at_row(f"the row of campaign {campaign_id}")
    if settings.HOUR_BREAKDOWN not in row:
        impressions = reader.count(row, "impressions", path)
        if impressions == 0:
            return None
        raise reader.malformed(
            f"{path} has {impressions} impressions but no {settings.HOUR_BREAKDOWN} field, "
            "so its hour is unknown"
        )
    hour_label = reader.key_string(row, settings.HOUR_BREAKDOWN, path)
    hour = _parse_hour(reader, hour_label, path)

    reader = reader.at_row(f"the row of campaign {campaign_id} at hour {hour}")
    actions = _action_list(reader, row, "actions", path)
    action_values = _action_list(reader, row, "action_values", path)
    return MetaCampaignHour(
        account_id=reader.account_id,
        campaign_id=campaign_id,
        campaign_name=reader.string(row, "campaign_name", path),
        account_currency=reader.currency(row, "account_currency", path),
        date=_parse_date_start(reader, row, path),
        hour=hour,
        hourly_stats=hour_label,
        spend=reader.decimal(row, "spend", path),
        impressions=reader.count(row, "impressions", path),
        clicks=reader.count(row, "clicks", path),
        conversions=_sum_actions(reader, actions, settings.CONVERSION_ACTION_TYPES, path),
        conversion_value=_sum_actions(
            reader, action_values, settings.CONVERSION_VALUE_ACTION_TYPES, path
        ),
        actions=json.dumps(
            {"actions": actions, "action_values": action_values},
            ensure_ascii=False,
            default=str,
        ),
    )


def _parse_day_row(reader: _RowReader, row: Mapping[str, Any], path: str) -> MetaCampaignDay:
    campaign_id = reader.identifier(row, "campaign_id", path)
    reader = reader.at_row(f"the row of campaign {campaign_id}")
    # An hour label means Meta applied the hourly breakdown, so the row covers one hour only.
    if settings.HOUR_BREAKDOWN in row:
        raise reader.malformed(
            f"{path} has the {settings.HOUR_BREAKDOWN} field, expected a daily row without "
            "breakdowns"
        )

    date = _parse_date_start(reader, row, path)
    reader = reader.on_day(date)
    actions = _action_list(reader, row, "actions", path)
    action_values = _action_list(reader, row, "action_values", path)
    conversions = _sum_actions(reader, actions, settings.CONVERSION_ACTION_TYPES, path)
    offsite_conversions = _sum_actions(
        reader, actions, settings.OFFSITE_CONVERSION_ACTION_TYPES, path
    )
    conversion_value = _sum_actions(
        reader, action_values, settings.CONVERSION_VALUE_ACTION_TYPES, path
    )
    offsite_conversion_value = _sum_actions(
        reader, action_values, settings.OFFSITE_CONVERSION_VALUE_ACTION_TYPES, path
    )
    return MetaCampaignDay(
        account_id=reader.account_id,
        campaign_id=campaign_id,
        account_currency=reader.currency(row, "account_currency", path),
        date=date,
        spend=reader.decimal(row, "spend", path),
        impressions=reader.count(row, "impressions", path),
        clicks=reader.count(row, "clicks", path),
        conversions=conversions,
        all_conversions=conversions + offsite_conversions,
        conversion_value=conversion_value,
        all_conversion_value=conversion_value + offsite_conversion_value,
    )


def drop_repeated_rows(
    records: list[MetaCampaignHour], *, account_id: str, day: dt.date
) -> tuple[list[MetaCampaignHour], int]:
    """Return the records without exact repeats of an earlier record, and how many were dropped.

    Meta's cursor paging can send the last rows of one page again at the start of the next.
    An exact repeat adds nothing, so it is dropped. Two different rows for one campaign and
    hour leave no way to tell which is current, so they raise PlatformDataError.
    """
    unique, conflicts = _drop_repeats(
        records, lambda record: f"campaign {record.campaign_id} at hour {record.hour}"
    )
    if conflicts:
        detail = (
            f"{len(conflicts)} row(s) repeat a campaign and hour with different values, "
            f"for example {'; '.join(conflicts[:3])}"
        )
        raise invalid_data(PLATFORM, account_id, day, detail)
    return unique, len(records) - len(unique)


def drop_repeated_day_rows(
    records: list[MetaCampaignDay], *, account_id: str, first_day: dt.date, last_day: dt.date
) -> tuple[list[MetaCampaignDay], int]:
    """Return daily records without exact repeats of an earlier record, and the count dropped.

    Paging repeats rows of daily reports as it does hourly ones (see drop_repeated_rows). Two
    different rows for one campaign and day raise PlatformDataError.
    """
    unique, conflicts = _drop_repeats(
        records, lambda record: f"campaign {record.campaign_id} on {record.date}"
    )
    if conflicts:
        detail = (
            f"{len(conflicts)} row(s) repeat a campaign and day with different values, "
            f"for example {'; '.join(conflicts[:3])}"
        )
        raise invalid_data(PLATFORM, account_id, first_day, detail, last_day=last_day)
    return unique, len(records) - len(unique)


def _drop_repeats(
    records: list[RecordT], describe_key: Callable[[RecordT], str]
) -> tuple[list[RecordT], list[str]]:
    """Return the first record of each key, and a description of each differing repeat.

    `describe_key` names a record's key, like "campaign 1 at hour 9".
    """
    first_by_key: dict[str, RecordT] = {}
    conflicts: list[str] = []
    for record in records:
        key = describe_key(record)
        earlier = first_by_key.setdefault(key, record)
        if earlier != record:
            conflicts.append(f"{key} ({_describe_differences(earlier, record)})")
    return list(first_by_key.values()), conflicts


def _describe_differences(first: Any, second: Any) -> str:
    return ", ".join(
        f"{field.name} {_abbreviate(str(getattr(first, field.name)))} then "
        f"{_abbreviate(str(getattr(second, field.name)))}"
        for field in fields(first)
        if getattr(first, field.name) != getattr(second, field.name)
    )


def parse_hour_label(label: str) -> int:
    """Return the start hour of a label like "09:00:00 - 09:59:59"; raise ValueError if not."""
    match = _HOUR_LABEL.fullmatch(label)
    if match is None or match.group(1) != match.group(2) or int(match.group(1)) > 23:
        raise ValueError(f"hour label {label!r} is not like '09:00:00 - 09:59:59'")
    return int(match.group(1))


def _parse_hour(reader: _RowReader, label: str, path: str) -> int:
    try:
        return parse_hour_label(label)
    except ValueError as error:
        raise reader.invalid(f"{path}.{settings.HOUR_BREAKDOWN}: {error}") from error


def _parse_date_start(reader: _RowReader, row: Mapping[str, Any], path: str) -> dt.date:
    """Read date_start, which must be a requested day. date_stop, when present, must be the
    same day, because time_increment=1 gives each row one day."""
    date = _requested_date(reader, row, "date_start", path)
    if "date_stop" in row:
        stop = _requested_date(reader, row, "date_stop", path)
        if stop != date:
            raise reader.invalid(
                f"{path} runs from date_start {date} to date_stop {stop}, expected one day per row"
            )
    return date


def _requested_date(reader: _RowReader, row: Mapping[str, Any], key: str, path: str) -> dt.date:
    text = reader.key_string(row, key, path)
    try:
        date = dt.date.fromisoformat(text)
    except ValueError as error:
        raise reader.invalid(f"{path}.{key} is {text!r}, expected YYYY-MM-DD") from error
    if reader.day is None or not reader.day <= date <= (reader.last_day or reader.day):
        raise reader.invalid(f"{path}.{key} is {text!r}, {_outside_requested_days(reader)}")
    return date


def _outside_requested_days(reader: _RowReader) -> str:
    if reader.last_day is None or reader.last_day == reader.day:
        return "outside the requested day"
    return f"outside the requested days {reader.day} to {reader.last_day}"


def _action_list(
    reader: _RowReader, row: Mapping[str, Any], key: str, path: str
) -> list[Mapping[str, Any]]:
    # Meta leaves actions out of rows that had none.
    actions = row.get(key, [])
    if not isinstance(actions, list):
        raise reader.malformed(f"{path}.{key} is {_abbreviate(actions)}, expected an array")
    for index, action in enumerate(actions):
        reader.string(reader.mapping(action, f"{path}.{key}[{index}]"), "action_type", path)
    return actions


def _sum_actions(
    reader: _RowReader, actions: list[Mapping[str, Any]], types: frozenset[str], path: str
) -> Decimal:
    total = Decimal(0)
    for action in actions:
        if action["action_type"] in types:
            total += reader.decimal(action, "value", f"{path} action {action['action_type']}")
    return total


def _next_cursor(reader: _RowReader, paging: object) -> str | None:
    """Return the after cursor when the page has paging.next, else None (last page)."""
    if paging is None:
        return None
    paging = reader.mapping(paging, "paging")
    if not paging.get("next"):
        return None
    cursors = reader.mapping(paging.get("cursors"), "paging.cursors")
    after = cursors.get("after")
    if not isinstance(after, str) or not after:
        raise reader.malformed(f"paging.cursors.after is {after!r} although paging.next is set")
    return after


def parse_ad_account(text: str, *, account_id: str) -> MetaAdAccount:
    """Parse the ad account node requested with fields=id,name,timezone_name,currency."""
    reader = _RowReader(account_id, None)
    body = reader.mapping(decode_json(text, account_id=account_id, day=None), "the body")
    node_id = reader.string(body, "id", "account")
    if node_id != f"act_{account_id}":
        raise reader.malformed(f"account.id is {node_id!r}, expected 'act_{account_id}'")
    return MetaAdAccount(
        account_id=account_id,
        name=reader.string(body, "name", "account"),
        time_zone=reader.string(body, "timezone_name", "account"),
        currency=reader.currency(body, "currency", "account"),
    )


def parse_error(text: str) -> MetaErrorInfo | None:
    """Parse a Graph API error body; None when the body is not in that format."""
    try:
        body = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return None
    return MetaErrorInfo(
        code=_optional_int(error.get("code")),
        subcode=_optional_int(error.get("error_subcode")),
        type=str(error.get("type") or ""),
        message=str(error.get("message") or ""),
        fbtrace_id=error.get("fbtrace_id") if isinstance(error.get("fbtrace_id"), str) else None,
    )


def parse_regain_access_seconds(header: str | None) -> float | None:
    """Return the longest estimated_time_to_regain_access in x-business-use-case-usage.

    The header maps business ids to lists of usage entries, and the estimate is in minutes.
    The result is in seconds, or None when the header has no positive estimate.
    """
    if not header:
        return None
    try:
        usage = json.loads(header)
    except json.JSONDecodeError:
        return None
    minutes = [
        entry.get("estimated_time_to_regain_access")
        for entries in (usage.values() if isinstance(usage, dict) else [])
        if isinstance(entries, list)
        for entry in entries
        if isinstance(entry, dict)
    ]
    positive = [value for value in minutes if isinstance(value, (int, float)) and value > 0]
    return max(positive) * 60.0 if positive else None


def _optional_int(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _INTEGER.fullmatch(value):
        return int(value)
    return None


def _abbreviate(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + "..."
