"""Microsoft Advertising Reporting v13 handlers: Submit, Poll and the report download.

Report ids are stateless: each encodes the account, date range, columns, aggregation and time
zone of its report, so any simulator thread can serve its Poll and download. Only the count of
Poll calls per id is kept, so each report reads Pending once before it succeeds.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
import threading
from dataclasses import dataclass
from datetime import date
from typing import Any

from marketing_assets.simulator import microsoft_ads_errors as errors
from marketing_assets.simulator.context import SimulatorContext
from marketing_assets.simulator.microsoft_ads_report import (
    AGGREGATIONS,
    HOURLY,
    SUPPORTED_COLUMNS,
    in_time_zone,
    report_rows,
    report_zip,
)
from marketing_assets.simulator.models import SimulatedAccount
from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse, json_response

PLATFORM = "microsoft_ads"
PREFIX = "/microsoft-ads"
_SUBMIT = re.compile(r"^/Reporting/v13/GenerateReport/Submit/?$")
_POLL = re.compile(r"^/Reporting/v13/GenerateReport/Poll/?$")
_DOWNLOAD = re.compile(r"^/download/([A-Za-z0-9_.=-]+)\.zip$")
# Polls that read Pending before a report succeeds.
PENDING_POLLS = 1
# The simulator caps date ranges so one report cannot generate years of hourly rows.
MAX_RANGE_DAYS = 31

_poll_counts: dict[str, int] = {}
_poll_lock = threading.Lock()


@dataclass(frozen=True)
class ReportSpec:
    """What a report id stands for. `time_zone` overrides the account's zone when set."""

    account_id: str
    start: date
    end: date
    columns: tuple[str, ...]
    time_zone: str | None = None
    aggregation: str = HOURLY


def encode_report_id(spec: ReportSpec) -> str:
    payload = {
        "a": spec.account_id,
        "s": spec.start.isoformat(),
        "e": spec.end.isoformat(),
        "c": list(spec.columns),
        "z": spec.time_zone,
        "g": spec.aggregation,
    }
    encoded = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    return f"{secrets.token_hex(4)}.{encoded}"


def decode_report_id(report_id: str) -> ReportSpec | None:
    """Return the spec of a report id, or None when the id was not issued by the simulator."""
    _, _, encoded = report_id.partition(".")
    try:
        text = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
        payload = json.loads(text)
        return ReportSpec(
            account_id=str(payload["a"]),
            start=date.fromisoformat(payload["s"]),
            end=date.fromisoformat(payload["e"]),
            columns=tuple(payload["c"]),
            time_zone=payload.get("z"),
            aggregation=payload.get("g", HOURLY),
        )
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        return None


def handle_microsoft_ads(
    request: SimulatorRequest, path: str, context: SimulatorContext
) -> SimulatorResponse:
    """Route a request whose path, after the /microsoft-ads prefix, is `path`."""
    download = _DOWNLOAD.match(path)
    if download and request.method == "GET":
        # The signed download URL needs no credentials, like the real blob storage URL.
        return _download(download[1], context)
    if request.method != "POST" or not (_SUBMIT.match(path) or _POLL.match(path)):
        return errors.invalid_report_request(f"No Reporting operation at {request.method} {path}.")

    problem = _credentials_problem(request, context)
    if problem is not None:
        return problem
    account = context.find_account(PLATFORM, request.headers.get("customeraccountid", ""))
    if account is None:
        return errors.not_authorized()
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return errors.invalid_report_request("The request body is not JSON.")
    if not isinstance(body, dict):
        return errors.invalid_report_request("The request body is not a JSON object.")
    if _SUBMIT.match(path):
        return _submit(body, account)
    return _poll(request, body, account, context)


def _credentials_problem(
    request: SimulatorRequest, context: SimulatorContext
) -> SimulatorResponse | None:
    credentials = context.credentials
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or token != credentials.microsoft_ads_access_token:
        return errors.invalid_credentials()
    if request.headers.get("developertoken") != credentials.microsoft_ads_developer_token:
        return errors.api_fault(401, errors.INVALID_CREDENTIALS, "Invalid developer token.")
    if not request.headers.get("customerid", "").isdigit():
        return errors.not_authorized()
    return None


def _submit(body: dict[str, Any], account: SimulatedAccount) -> SimulatorResponse:
    report = body.get("ReportRequest")
    if not isinstance(report, dict):
        return errors.invalid_report_request("ReportRequest is required.")
    try:
        spec = _report_spec(report, account)
    except ValueError as error:
        return errors.invalid_report_request(str(error))
    return json_response(200, {"ReportRequestId": encode_report_id(spec)})


def _report_spec(report: dict[str, Any], account: SimulatedAccount) -> ReportSpec:
    """Validate a CampaignPerformanceReportRequest, raising ValueError naming the bad field."""
    expected = {"Type": "CampaignPerformanceReportRequest", "Format": "Csv"}
    for field, value in expected.items():
        if report.get(field) != value:
            raise ValueError(
                f"{field} must be {value!r} in the simulator, got {report.get(field)!r}."
            )
    aggregation = report.get("Aggregation")
    if aggregation not in AGGREGATIONS:
        raise ValueError(f"Aggregation must be one of {AGGREGATIONS} in the simulator.")
    columns = report.get("Columns")
    if not isinstance(columns, list) or not columns:
        raise ValueError("Columns must be a non-empty list.")
    unknown = [column for column in columns if column not in SUPPORTED_COLUMNS]
    if unknown:
        raise ValueError(f"Columns {unknown!r} are not served by the simulator.")
    scope = report.get("Scope") or {}
    if scope.get("AccountIds") != [int(account.account_id)]:
        raise ValueError("Scope.AccountIds must list the CustomerAccountId header's account.")
    time = report.get("Time") or {}
    start, end = _date(time.get("CustomDateRangeStart")), _date(time.get("CustomDateRangeEnd"))
    if start > end or (end - start).days >= MAX_RANGE_DAYS:
        raise ValueError(f"Time must span 1 to {MAX_RANGE_DAYS} days, got {start} to {end}.")
    return ReportSpec(account.account_id, start, end, tuple(columns), aggregation=aggregation)


def _date(value: object) -> date:
    if not isinstance(value, dict):
        raise ValueError("Time.CustomDateRangeStart and End must be {Day, Month, Year} objects.")
    try:
        return date(int(value["Year"]), int(value["Month"]), int(value["Day"]))
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"Invalid date {value!r} in Time.") from error


def _poll(
    request: SimulatorRequest,
    body: dict[str, Any],
    account: SimulatedAccount,
    context: SimulatorContext,
) -> SimulatorResponse:
    report_id = body.get("ReportRequestId")
    spec = decode_report_id(report_id) if isinstance(report_id, str) else None
    if spec is None or spec.account_id != account.account_id:
        return errors.invalid_report_request(f"ReportRequestId {report_id!r} is not valid.")
    with _poll_lock:
        polls = _poll_counts.get(report_id, 0) + 1
        _poll_counts[report_id] = polls
    if polls <= PENDING_POLLS:
        return json_response(
            200, {"ReportRequestStatus": {"Status": "Pending", "ReportDownloadUrl": None}}
        )
    reporting_account = in_time_zone(account, spec.time_zone)
    rows = report_rows(
        reporting_account, spec.start, spec.end, context.clock(), revision=context.revision
    )
    if not rows:
        # Microsoft sends no download URL for a report without rows.
        return json_response(
            200, {"ReportRequestStatus": {"Status": "Success", "ReportDownloadUrl": None}}
        )
    url = f"http://{request.host}{PREFIX}/download/{report_id}.zip?sv=2026-01-01&sig=simulated"
    return json_response(
        200, {"ReportRequestStatus": {"Status": "Success", "ReportDownloadUrl": url}}
    )


def _download(report_id: str, context: SimulatorContext) -> SimulatorResponse:
    spec = decode_report_id(report_id)
    account = context.find_account(PLATFORM, spec.account_id) if spec else None
    if spec is None or account is None:
        return SimulatorResponse(404, b"<Error><Code>BlobNotFound</Code></Error>")
    now = context.clock()
    reporting_account = in_time_zone(account, spec.time_zone)
    rows = report_rows(reporting_account, spec.start, spec.end, now, revision=context.revision)
    content = report_zip(reporting_account, rows, list(spec.columns), now, spec.aggregation)
    return SimulatorResponse(200, content, {"Content-Type": "application/x-zip-compressed"})
