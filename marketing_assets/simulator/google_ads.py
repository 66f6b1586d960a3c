"""Google Ads API REST handlers: googleAds:searchStream and customers:listAccessibleCustomers."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from marketing_assets.simulator.context import SimulatorContext
from marketing_assets.simulator.data import CampaignHour, campaign_hours
from marketing_assets.simulator.gaql import (
    FIELD_KINDS,
    Condition,
    GaqlError,
    GaqlQuery,
    parse_gaql,
)
from marketing_assets.simulator.google_ads_errors import (
    USER_PERMISSION_DENIED_MESSAGE,
    google_ads_error,
    google_status_error,
)
from marketing_assets.simulator.models import SimulatedAccount
from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse, json_response

# Google splits a searchStream response into batches of up to 10,000 rows. The simulator uses
# a smaller batch so that tests see multi-batch responses with a few weeks of data.
BATCH_SIZE = 1000

_SEARCH_STREAM = re.compile(r"^/(v\d+)/customers/([^/]+)/googleAds:searchStream$")
_LIST_ACCESSIBLE = re.compile(r"^/(v\d+)/customers:listAccessibleCustomers$")
_METRIC_FIELDS = tuple(name for name in FIELD_KINDS if name.startswith("metrics."))


def handle_google_ads(
    request: SimulatorRequest, path: str, context: SimulatorContext
) -> SimulatorResponse:
    """Route a request whose path, after the /google-ads prefix, is `path`."""
    request_id = secrets.token_urlsafe(16)
    stream = _SEARCH_STREAM.match(path)
    if stream and request.method == "POST":
        return _search_stream(request, stream[1], stream[2], context, request_id)
    listing = _LIST_ACCESSIBLE.match(path)
    if listing and request.method == "GET":
        return _list_accessible_customers(request, listing[1], context, request_id)
    return google_status_error(404, "NOT_FOUND", f"The simulator does not serve {path!r}.")


def _check_credentials(
    request: SimulatorRequest, api_version: str, context: SimulatorContext, request_id: str
) -> SimulatorResponse | None:
    authorization = request.headers.get("authorization", "")
    if not authorization:
        return google_ads_error(
            "UNAUTHENTICATED",
            error_category="authenticationError",
            error_code="OAUTH_TOKEN_HEADER_INVALID",
            message="The Authorization header is missing: send 'Authorization: Bearer <token>'.",
            request_id=request_id,
            api_version=api_version,
        )
    if authorization != f"Bearer {context.credentials.google_ads_access_token}":
        return google_ads_error(
            "UNAUTHENTICATED",
            error_category="authenticationError",
            error_code="OAUTH_TOKEN_INVALID",
            message="Oauth token in the Authorization header is not valid.",
            request_id=request_id,
            api_version=api_version,
        )
    # Since API v19.1 an invalid developer token is an authentication error
    # (DEVELOPER_TOKEN_INVALID, HTTP 401); older versions returned DEVELOPER_TOKEN_NOT_APPROVED.
    if request.headers.get("developer-token") != context.credentials.google_ads_developer_token:
        return google_ads_error(
            "UNAUTHENTICATED",
            error_category="authenticationError",
            error_code="DEVELOPER_TOKEN_INVALID",
            message="The developer token is not valid.",
            request_id=request_id,
            api_version=api_version,
        )
    return None


def _list_accessible_customers(
    request: SimulatorRequest, api_version: str, context: SimulatorContext, request_id: str
) -> SimulatorResponse:
    failure = _check_credentials(request, api_version, context, request_id)
    if failure is not None:
        return failure
    # Only directly accessible customers are listed: managers and unmanaged accounts.
    accounts = context.platform_accounts("google_ads")
    ids = {account.manager_id or account.account_id for account in accounts}
    names = [f"customers/{customer_id}" for customer_id in sorted(ids)]
    return json_response(200, {"resourceNames": names}, {"request-id": request_id})


def _search_stream(
    request: SimulatorRequest,
    api_version: str,
    customer_id: str,
    context: SimulatorContext,
    request_id: str,
) -> SimulatorResponse:
    def error(status: str, category: str, code: str, message: str) -> SimulatorResponse:
        return google_ads_error(
            status,
            error_category=category,
            error_code=code,
            message=message,
            request_id=request_id,
            api_version=api_version,
        )

    failure = _check_credentials(request, api_version, context, request_id)
    if failure is not None:
        return failure
    if not customer_id.isdigit():
        return error(
            "UNAUTHENTICATED",
            "authenticationError",
            "CLIENT_CUSTOMER_ID_INVALID",
            f"Customer id {customer_id!r} is not a number: use 10 digits without dashes.",
        )

    try:
        body = json.loads(request.body or b"{}")
        query_text = body["query"]
        if not isinstance(query_text, str):
            raise TypeError(query_text)
    except (ValueError, KeyError, TypeError):
        return error(
            "INVALID_ARGUMENT",
            "queryError",
            "QUERY_ERROR",
            'The request body must be JSON like {"query": "SELECT ..."}.',
        )
    try:
        query = parse_gaql(query_text)
    except GaqlError as exc:
        return error("INVALID_ARGUMENT", "queryError", exc.error_code, str(exc))

    managers = {account.manager_id for account in context.platform_accounts("google_ads")}
    if customer_id in managers and any(field in _METRIC_FIELDS for field in query.fields):
        return error(
            "INVALID_ARGUMENT",
            "queryError",
            "REQUESTED_METRICS_FOR_MANAGER",
            f"Metrics cannot be requested for manager account {customer_id}.",
        )
    account = context.find_account("google_ads", customer_id)
    login_customer_id = request.headers.get("login-customer-id")
    if account is None or not _login_allowed(account, login_customer_id):
        return error(
            "PERMISSION_DENIED",
            "authorizationError",
            "USER_PERMISSION_DENIED",
            USER_PERMISSION_DENIED_MESSAGE,
        )

    if query.resource == "customer":
        results = [_customer_values(account)]
        return json_response(200, _batches(results, query, request_id), {"request-id": request_id})
    try:
        results = _query_results(account, query, context)
    except GaqlError as exc:
        return error("INVALID_ARGUMENT", "queryError", exc.error_code, str(exc))
    return json_response(200, _batches(results, query, request_id), {"request-id": request_id})


def _login_allowed(account: SimulatedAccount, login_customer_id: str | None) -> bool:
    if account.manager_id is not None:
        return login_customer_id == account.manager_id
    return login_customer_id in (None, account.account_id)


def _query_results(
    account: SimulatedAccount, query: GaqlQuery, context: SimulatorContext
) -> list[dict[str, Any]]:
    """Select, filter, aggregate, order and limit rows for the query as plain values."""
    now = context.clock()
    rows = []
    for day in query.dates():
        for hour in campaign_hours(account, day, now, revision=context.revision):
            # Google omits campaign-hour rows without impressions.
            if hour.impressions > 0:
                rows.append(_field_values(account, hour))

    dimension_conditions = [c for c in query.conditions if not c.field.startswith("metrics.")]
    rows = [row for row in rows if all(_matches(row, c) for c in dimension_conditions)]
    rows = _aggregate(rows, query.fields)
    metric_conditions = [c for c in query.conditions if c.field.startswith("metrics.")]
    rows = [row for row in rows if all(_matches(row, c) for c in metric_conditions)]

    for field, descending in reversed(query.order_by):
        rows.sort(key=lambda row: _comparable(row[field], FIELD_KINDS[field]), reverse=descending)
    if query.limit is not None:
        rows = rows[: query.limit]
    return rows


def _customer_values(account: SimulatedAccount) -> dict[str, Any]:
    return {
        "customer.id": account.account_id,
        "customer.resource_name": f"customers/{account.account_id}",
        "customer.descriptive_name": account.display_name,
        "customer.currency_code": account.currency,
        "customer.time_zone": account.time_zone,
        "customer.manager": False,
    }


def _field_values(account: SimulatedAccount, hour: CampaignHour) -> dict[str, Any]:
    return {
        **_customer_values(account),
        "campaign.id": hour.campaign.campaign_id,
        "campaign.resource_name": (
            f"customers/{account.account_id}/campaigns/{hour.campaign.campaign_id}"
        ),
        "campaign.name": hour.campaign.name,
        "campaign.status": hour.campaign.status,
        "segments.date": hour.day.isoformat(),
        "segments.hour": hour.hour,
        "metrics.impressions": hour.impressions,
        "metrics.clicks": hour.clicks,
        "metrics.cost_micros": hour.cost_micros,
        "metrics.conversions": hour.conversions,
        "metrics.conversions_value": hour.conversion_value,
    }


def _aggregate(rows: list[dict[str, Any]], fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """Sum metrics over segments the query does not select, as GAQL does."""
    segments = [field for field in ("segments.date", "segments.hour") if field in fields]
    grouped: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = (row["campaign.id"], *(row[segment] for segment in segments))
        total = grouped.get(key)
        if total is None:
            grouped[key] = dict(row)
            continue
        for metric in _METRIC_FIELDS:
            total[metric] += row[metric]
    return list(grouped.values())


def _matches(row: dict[str, Any], condition: Condition) -> bool:
    kind = FIELD_KINDS[condition.field]
    value = _comparable(row[condition.field], kind)
    operands = [_coerce(operand, kind) for operand in condition.values]
    operator = condition.operator
    if operator == "BETWEEN":
        return operands[0] <= value <= operands[1]
    if operator in ("IN", "NOT IN"):
        return (value in operands) == (operator == "IN")
    comparisons = {
        "=": value == operands[0],
        "!=": value != operands[0],
        ">": value > operands[0],
        ">=": value >= operands[0],
        "<": value < operands[0],
        "<=": value <= operands[0],
    }
    return comparisons[operator]


def _comparable(value: Any, kind: str) -> Any:
    """Return the value in the type conditions and ORDER BY compare (ids as integers)."""
    return int(value) if kind in ("int64", "int32") else value


def _coerce(operand: str, kind: str) -> Any:
    try:
        if kind in ("int64", "int32"):
            return int(operand)
        if kind == "double":
            return Decimal(operand)
    except (ArithmeticError, ValueError) as error:
        raise GaqlError("BAD_NUMBER", f"Invalid number {operand!r}.") from error
    if kind == "bool":
        return operand.upper() == "TRUE"
    return operand


def _batches(
    results: list[dict[str, Any]], query: GaqlQuery, request_id: str
) -> list[dict[str, Any]]:
    """Encode rows as proto3 JSON and split them into searchStream batches."""
    field_mask = ",".join(_lower_camel_path(field) for field in query.fields)
    encoded = [_encode_row(row, query.fields) for row in results]
    chunks = [encoded[start : start + BATCH_SIZE] for start in range(0, len(encoded), BATCH_SIZE)]
    batches: list[dict[str, Any]] = []
    for chunk in chunks or [[]]:
        batch: dict[str, Any] = {"fieldMask": field_mask, "requestId": request_id}
        # proto3 JSON omits an empty repeated field, so an empty stream has no "results".
        if chunk:
            batch = {"results": chunk, **batch}
        batches.append(batch)
    batches[-1]["queryResourceConsumption"] = str(len(results) * len(query.fields))
    return batches


def _encode_row(row: dict[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    encoded: dict[str, dict[str, Any]] = {}
    for field in fields:
        resource, name = field.split(".", 1)
        target = encoded.setdefault(resource, {})
        # Google adds the resource name of every selected resource to each row.
        if resource in ("customer", "campaign") and "resourceName" not in target:
            target["resourceName"] = row[f"{resource}.resource_name"]
        target[_lower_camel(name)] = _encode_value(row[field], FIELD_KINDS[field])
    return encoded


def _encode_value(value: Any, kind: str) -> Any:
    if kind == "int64":
        return str(value)
    if kind == "double":
        return float(value)
    return value


def _lower_camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _lower_camel_path(field: str) -> str:
    return ".".join(_lower_camel(part) for part in field.split("."))
