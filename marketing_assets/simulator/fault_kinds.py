"""The kinds of fault `RandomFaultPlan` injects, and the requests each applies to."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from marketing_assets.simulator import google_faults, meta_errors, meta_faults
from marketing_assets.simulator.fault_kind_model import FaultKind, FaultSettings
from marketing_assets.simulator.models import PLATFORMS
from marketing_assets.simulator.newer_fault_kinds import NEWER_PLATFORM_KINDS, newer_platform_of
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


def platform_of(request: SimulatorRequest) -> str | None:
    """Return the platform a request is for, or None for ECB, truth and unknown paths."""
    if google_faults.is_google_ads(request):
        return "google_ads"
    if meta_faults.is_meta(request):
        return "meta"
    return newer_platform_of(request)


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


_ALL_PLATFORMS = frozenset(PLATFORMS)
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
        *NEWER_PLATFORM_KINDS,
        FaultKind("slow_response", _ALL_PLATFORMS, _any_request, respond=_slow_response),
        FaultKind(
            "dropped_connection",
            _ALL_PLATFORMS,
            _any_request,
            respond=lambda request, settings: dropped_connection(),
        ),
        FaultKind("truncated_json", _ALL_PLATFORMS, _any_request, transform=_truncate_json),
        FaultKind("html_502", _ALL_PLATFORMS, _any_request, respond=_bad_gateway_page),
    )
}
DEFAULT_KINDS = tuple(name for name, kind in FAULT_KINDS.items() if not kind.explicit_only)
