"""Fault kinds of TikTok, Microsoft Advertising and LinkedIn, in each API's real error form.

Kinds a retry cannot fix (a revoked token, a missing permission, a rejected request) are
`explicit_only`, like the credential kinds of Google Ads and Meta.
"""

from __future__ import annotations

from collections.abc import Callable

from marketing_assets.simulator import linkedin_faults, microsoft_ads_faults, tiktok_faults
from marketing_assets.simulator.fault_kind_model import FaultKind
from marketing_assets.simulator.wire import SimulatorRequest

Applies = Callable[[SimulatorRequest], bool]


def newer_platform_of(request: SimulatorRequest) -> str | None:
    """Return "tiktok", "microsoft_ads" or "linkedin" for their requests, else None."""
    if tiktok_faults.is_tiktok(request):
        return "tiktok"
    if microsoft_ads_faults.is_microsoft_ads(request):
        return "microsoft_ads"
    if linkedin_faults.is_linkedin(request):
        return "linkedin"
    return None


def _any_request(request: SimulatorRequest) -> bool:
    return True


def _submit_or_poll(request: SimulatorRequest) -> bool:
    return microsoft_ads_faults.is_submit(request) or microsoft_ads_faults.is_poll(request)


def _kind(platform: str, name: str, applies: Applies, **actions) -> FaultKind:
    return FaultKind(name, frozenset({platform}), applies, **actions)


TIKTOK_KINDS = (
    _kind(
        "tiktok",
        "tiktok_40100",
        _any_request,
        respond=lambda request, settings: tiktok_faults.rate_limit(),
    ),
    _kind(
        "tiktok",
        "tiktok_60001",
        _any_request,
        respond=lambda request, settings: tiktok_faults.maintenance(),
    ),
    _kind(
        "tiktok",
        "tiktok_40067",
        tiktok_faults.is_report,
        respond=lambda request, settings: tiktok_faults.query_too_large(),
        explicit_only=True,
    ),
    _kind(
        "tiktok",
        "tiktok_40105",
        _any_request,
        respond=lambda request, settings: tiktok_faults.revoked_token(),
        explicit_only=True,
    ),
    _kind(
        "tiktok",
        "tiktok_40002",
        _any_request,
        respond=lambda request, settings: tiktok_faults.no_permission(request),
        explicit_only=True,
    ),
    _kind(
        "tiktok",
        "tiktok_numeric_metrics",
        tiktok_faults.is_report,
        transform=lambda response, settings, rng: tiktok_faults.numeric_metrics(response, rng),
    ),
    _kind(
        "tiktok",
        "tiktok_duplicate_rows",
        tiktok_faults.is_report,
        transform=lambda response, settings, rng: tiktok_faults.repeat_rows(
            response, repeated_rows=settings.repeated_rows
        ),
    ),
)

MICROSOFT_ADS_KINDS = (
    _kind(
        "microsoft_ads",
        "microsoft_ads_117",
        _submit_or_poll,
        respond=lambda request, settings: microsoft_ads_faults.call_rate_exceeded(
            retry_after_seconds=settings.retry_delay_seconds
        ),
    ),
    _kind(
        "microsoft_ads",
        "microsoft_ads_500",
        _submit_or_poll,
        respond=lambda request, settings: microsoft_ads_faults.internal_error(),
    ),
    _kind(
        "microsoft_ads",
        "microsoft_ads_109",
        _submit_or_poll,
        respond=lambda request, settings: microsoft_ads_faults.expired_token(),
        explicit_only=True,
    ),
    # A report that fails to build fails the step, and the step's retry policy runs it again.
    _kind(
        "microsoft_ads",
        "microsoft_ads_report_error",
        microsoft_ads_faults.is_poll,
        transform=lambda response, settings, rng: microsoft_ads_faults.report_failed(response, rng),
    ),
    _kind(
        "microsoft_ads",
        "microsoft_ads_still_pending",
        microsoft_ads_faults.is_poll,
        transform=lambda response, settings, rng: microsoft_ads_faults.stuck_pending(response, rng),
    ),
    _kind(
        "microsoft_ads",
        "microsoft_ads_truncated_zip",
        microsoft_ads_faults.is_download,
        transform=lambda response, settings, rng: microsoft_ads_faults.truncated_zip(response, rng),
    ),
)

LINKEDIN_KINDS = (
    _kind(
        "linkedin",
        "linkedin_429",
        _any_request,
        respond=lambda request, settings: linkedin_faults.throttled(
            retry_after_seconds=settings.retry_delay_seconds
        ),
    ),
    _kind(
        "linkedin",
        "linkedin_500",
        _any_request,
        respond=lambda request, settings: linkedin_faults.internal_error(),
    ),
    _kind(
        "linkedin",
        "linkedin_401",
        _any_request,
        respond=lambda request, settings: linkedin_faults.revoked_token(),
        explicit_only=True,
    ),
    _kind(
        "linkedin",
        "linkedin_426",
        _any_request,
        respond=lambda request, settings: linkedin_faults.retired_version(request),
        explicit_only=True,
    ),
)

NEWER_PLATFORM_KINDS = (*TIKTOK_KINDS, *MICROSOFT_ADS_KINDS, *LINKEDIN_KINDS)
