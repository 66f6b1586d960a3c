"""Meta Graph API handlers: the ad account node and its insights edge."""

from __future__ import annotations

import re

from marketing_assets.simulator.context import SimulatorContext
from marketing_assets.simulator.meta_errors import (
    graph_error,
    invalid_parameter,
    invalid_token,
    unknown_object,
)
from marketing_assets.simulator.meta_insights import handle_insights
from marketing_assets.simulator.models import SimulatedAccount
from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse, json_response

_AD_ACCOUNT = re.compile(r"^/v\d+\.\d+/(act_[^/]+)(/insights)?/?$")
_AD_ACCOUNT_FIELDS = ("id", "account_id", "name", "timezone_name", "currency", "account_status")


def handle_meta(
    request: SimulatorRequest, path: str, context: SimulatorContext
) -> SimulatorResponse:
    """Route a request whose path, after the /meta prefix, is `path`."""
    match = _AD_ACCOUNT.match(path)
    if match is None or request.method != "GET":
        return graph_error(2500, f"Unknown path components: {path}")

    token = _access_token(request)
    if not token:
        return graph_error(104, "An access token is required to request this resource.")
    if token != context.credentials.meta_access_token:
        return invalid_token()

    object_id = match[1]
    account = context.find_account("meta", object_id.removeprefix("act_"))
    if account is None:
        return unknown_object(object_id)
    if match[2]:
        return handle_insights(request, account, context)
    return _ad_account_node(request, account)


def _access_token(request: SimulatorRequest) -> str | None:
    token = request.query.get("access_token")
    if token:
        return token
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() in ("bearer", "oauth") and value:
        return value
    return None


def _ad_account_node(request: SimulatorRequest, account: SimulatedAccount) -> SimulatorResponse:
    values = {
        "id": f"act_{account.account_id}",
        "account_id": account.account_id,
        "name": account.display_name,
        "timezone_name": account.time_zone,
        "currency": account.currency,
        "account_status": 1,
    }
    requested = [item.strip() for item in request.query.get("fields", "id").split(",")]
    for field in requested:
        if field not in _AD_ACCOUNT_FIELDS:
            return invalid_parameter(
                f"Tried accessing nonexisting field ({field}) on node type (AdAccount)"
            )
    # Graph always returns the node id, whether requested or not.
    node = {field: values[field] for field in requested if field}
    node["id"] = values["id"]
    return json_response(200, node)
