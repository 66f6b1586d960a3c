"""The kinds of fault `RandomFaultPlan` injects, and the requests each applies to."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from marketing_assets.simulator import google_faults, meta_errors, meta_faults
from marketing_assets.simulator.models import PLATFORMS
from marketing_assets.simulator.wire import (
    SimulatorRequest,
    SimulatorResponse,
    dropped_connection,
)

_BAD_GATEWAY_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
    b"<body><h1>502 Bad Gateway</h1>\n"
    b"<p>The server encountered a temporary error and could not complete your request.</p>\n"
    b"</body></html>\n"
)


@dataclass(frozen=True)
class FaultSettings:
    """Sizes of the injected faults, kept small by default so tests and chaos runs stay fast.

    `retry_delay_seconds` is Google's quotaErrorDetails.retryDelay. `regain_access_minutes` is
    Meta's estimated_time_to_regain_access, in minutes as Meta sends it. `slow_response_seconds`
    is how long a slow response waits before responding, so set it above the client's read
    timeout. `repeated_rows` is how many rows a duplicate-rows fault repeats.
    """

    retry_delay_seconds: int = 2
    regain_access_minutes: int = 1
    slow_response_seconds: float = 2.0
    repeated_rows: int = 2

    def __post_init__(self) -> None:
        for name in ("retry_delay_seconds", "regain_access_minutes", "repeated_rows"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"Invalid {name} {value!r}: use a whole number of 0 or more.")
        if not self.slow_response_seconds >= 0:
            raise ValueError(
                f"Invalid slow_response_seconds {self.slow_response_seconds!r}: use 0 or more."
            )


# Returns the response that replaces the handler, or None to let the handler run.
Respond = Callable[[SimulatorRequest, FaultSettings], SimulatorResponse | None]
# Returns the changed response, or None when the fault does not fit this response.
Transform = Callable[[SimulatorResponse, FaultSettings, random.Random], SimulatorResponse | None]


@dataclass(frozen=True)
class FaultKind:
    """One fault: the requests it applies to and how it replaces or changes the response.

    A kind sets `respond` (runs before the handler) or `transform` (changes the handler's
    response). `explicit_only` kinds are not retryable, so a plan injects them only when its
    kind list names them.
    """

    name: str
    platforms: frozenset[str]
    applies: Callable[[SimulatorRequest], bool]
    respond: Respond | None = None
    transform: Transform | None = None
    explicit_only: bool = False


def platform_of(request: SimulatorRequest) -> str | None:
    """Return the platform a request is for, or None for ECB, truth and unknown paths."""
    if google_faults.is_google_ads(request):
        return "google_ads"
    if meta_faults.is_meta(request):
        return "meta"
    return None


def _any_request(request: SimulatorRequest) -> bool:
    return True


def _slow_response(request: SimulatorRequest, settings: FaultSettings) -> None:
    time.sleep(settings.slow_response_seconds)


def _bad_gateway_page(request: SimulatorRequest, settings: FaultSettings) -> SimulatorResponse:
    return SimulatorResponse(502, _BAD_GATEWAY_PAGE, {"Content-Type": "text/html; charset=UTF-8"})


def _truncate_json(
    response: SimulatorResponse, settings: FaultSettings, rng: random.Random
) -> SimulatorResponse | None:
    """Keep the first half of a JSON body, as when a connection breaks mid-body."""
    content_type = response.headers.get("Content-Type", "")
    if "json" not in content_type or len(response.body) < 2:
        return None
    return SimulatorResponse(
        response.status, response.body[: len(response.body) // 2], response.headers
    )


def _google_kind(name: str, applies: Callable[[SimulatorRequest], bool], **actions) -> FaultKind:
    return FaultKind(name, frozenset({"google_ads"}), applies, **actions)


def _meta_kind(name: str, applies: Callable[[SimulatorRequest], bool], **actions) -> FaultKind:
    return FaultKind(name, frozenset({"meta"}), applies, **actions)


def _meta_rate_limit(code: int) -> FaultKind:
    def respond(request: SimulatorRequest, settings: FaultSettings) -> SimulatorResponse:
        return meta_faults.rate_limit(
            request, code, regain_access_minutes=settings.regain_access_minutes
        )

    return _meta_kind(f"meta_{code}", _any_request, respond=respond)


_BOTH = frozenset(PLATFORMS)
FAULT_KINDS: dict[str, FaultKind] = {
    kind.name: kind
    for kind in (
        _google_kind(
            "google_429",
            _any_request,
            respond=lambda request, settings: google_faults.quota_exhausted(
                request, retry_delay_seconds=settings.retry_delay_seconds
            ),
        ),
        _google_kind(
            "google_429_wrapped",
            google_faults.is_search_stream,
            respond=lambda request, settings: google_faults.wrapped_quota_exhausted(
                request, retry_delay_seconds=settings.retry_delay_seconds
            ),
        ),
        _google_kind(
            "google_500",
            _any_request,
            respond=lambda request, settings: google_faults.internal_error(request),
        ),
        _google_kind(
            "google_401",
            _any_request,
            respond=lambda request, settings: google_faults.expired_token(request),
            explicit_only=True,
        ),
        _google_kind(
            "google_403_permission_denied",
            _any_request,
            respond=lambda request, settings: google_faults.authorization_denied(
                request, "USER_PERMISSION_DENIED"
            ),
            explicit_only=True,
        ),
        _google_kind(
            "google_403_developer_token",
            _any_request,
            respond=lambda request, settings: google_faults.authorization_denied(
                request, "DEVELOPER_TOKEN_NOT_APPROVED"
            ),
            explicit_only=True,
        ),
        _google_kind(
            "google_missing_metrics",
            google_faults.is_search_stream,
            transform=lambda response, settings, rng: google_faults.drop_metrics(response, rng),
        ),
        *(_meta_rate_limit(code) for code in meta_faults.RATE_LIMITS),
        _meta_kind(
            "meta_2", _any_request, respond=lambda request, settings: meta_faults.transient_error()
        ),
        _meta_kind(
            "meta_190",
            _any_request,
            respond=lambda request, settings: meta_faults.expired_token(),
            explicit_only=True,
        ),
        _meta_kind(
            "meta_190_invalid",
            _any_request,
            respond=lambda request, settings: meta_errors.invalid_token(),
            explicit_only=True,
        ),
        _meta_kind(
            "meta_200",
            _any_request,
            respond=lambda request, settings: meta_errors.permission_error(200),
            explicit_only=True,
        ),
        _meta_kind(
            "meta_duplicate_rows",
            meta_faults.is_insights,
            transform=lambda response, settings, rng: meta_faults.repeat_rows(
                response, repeated_rows=settings.repeated_rows
            ),
        ),
        _meta_kind(
            "meta_missing_metrics",
            meta_faults.is_insights,
            transform=lambda response, settings, rng: meta_faults.drop_metrics(response, rng),
        ),
        FaultKind("slow_response", _BOTH, _any_request, respond=_slow_response),
        FaultKind(
            "dropped_connection",
            _BOTH,
            _any_request,
            respond=lambda request, settings: dropped_connection(),
        ),
        FaultKind("truncated_json", _BOTH, _any_request, transform=_truncate_json),
        FaultKind("html_502", _BOTH, _any_request, respond=_bad_gateway_page),
    )
}
DEFAULT_KINDS = tuple(name for name, kind in FAULT_KINDS.items() if not kind.explicit_only)
