"""Request and response values passed between the HTTP server and the platform handlers."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs


@dataclass(frozen=True)
class SimulatorRequest:
    """An HTTP request as the handlers see it; header names are lower-case."""

    method: str
    path: str
    query_string: str
    headers: Mapping[str, str]
    body: bytes
    host: str

    @property
    def query(self) -> dict[str, str]:
        """The query parameters; a repeated parameter keeps its last value."""
        parsed = parse_qs(self.query_string, keep_blank_values=True)
        return {name: values[-1] for name, values in parsed.items()}


@dataclass(frozen=True)
class SimulatorResponse:
    """An HTTP response.

    With `drop_connection` set, the server closes the socket without sending a response.
    """

    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)
    drop_connection: bool = False


def dropped_connection() -> SimulatorResponse:
    """Build the marker that makes the server close the socket without a response."""
    return SimulatorResponse(0, b"", drop_connection=True)


def json_response(
    status: int, payload: Any, headers: Mapping[str, str] | None = None
) -> SimulatorResponse:
    """Encode `payload` as compact UTF-8 JSON, keeping non-ASCII characters as they are."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    all_headers = {"Content-Type": "application/json; charset=UTF-8", **(headers or {})}
    return SimulatorResponse(status, body, all_headers)


def is_zero(value: Any) -> bool:
    """Return True for a zero metric in either wire form: "0", "0.00", 0, 0.0 or []."""
    if isinstance(value, list):
        return not value
    try:
        return float(value) == 0
    except (TypeError, ValueError):
        return False
