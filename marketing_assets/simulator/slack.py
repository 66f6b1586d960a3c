"""A Slack incoming-webhook receiver: `POST /slack/services/<webhook path>`.

Responds as Slack documents: 200 `ok`, 400 `invalid_payload` and 404 `no_service`, each as
plain text.
"""

from __future__ import annotations

import json

from marketing_assets.simulator.context import SimulatorContext
from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse

_PLAIN_TEXT = {"Content-Type": "text/plain; charset=utf-8"}
_WEBHOOK_PREFIX = "/slack/services/"


def handle_slack(
    request: SimulatorRequest, path: str, context: SimulatorContext
) -> SimulatorResponse:
    """Route a request whose path, after the /slack prefix, is `path`."""
    if path != f"/services/{context.credentials.slack_webhook_path}":
        return _text(404, "no_service")
    if request.method != "POST":
        # NOTE: Slack's response to other methods is unverified, so this one is our own.
        return _text(405, "invalid_method")
    try:
        message = json.loads(request.body)
    except ValueError:
        return _text(400, "invalid_payload")
    if not is_valid_message(message):
        return _text(400, "invalid_payload")
    context.oncall_inbox.record("slack", message, context.clock().isoformat())
    return _text(200, "ok")


def is_valid_message(message: object) -> bool:
    """Accept an object with a non-empty `text`, non-empty `blocks` of typed objects, or both."""
    if not isinstance(message, dict):
        return False
    text = message.get("text")
    blocks = message.get("blocks")
    if text is not None and not isinstance(text, str):
        return False
    if blocks is not None and not (
        isinstance(blocks, list)
        and blocks
        and all(isinstance(block, dict) and isinstance(block.get("type"), str) for block in blocks)
    ):
        return False
    return bool(text) or bool(blocks)


def _text(status: int, body: str) -> SimulatorResponse:
    return SimulatorResponse(status, body.encode(), _PLAIN_TEXT)


def loggable_path(path: str) -> str:
    """Return `path` with a webhook's secret part replaced, for request logs."""
    if path.startswith(_WEBHOOK_PREFIX):
        return _WEBHOOK_PREFIX + "[redacted]"
    return path
