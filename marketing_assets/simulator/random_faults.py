"""A fault plan that injects the platforms' real error shapes at a seeded random rate."""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Sequence

from marketing_assets.simulator.fault_kinds import (
    DEFAULT_KINDS,
    FAULT_KINDS,
    FaultKind,
    FaultSettings,
    platform_of,
)
from marketing_assets.simulator.faults import FaultPlan
from marketing_assets.simulator.models import PLATFORMS
from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse

logger = logging.getLogger(__name__)

_SETTINGS_KEYS = {
    "retry_delay_seconds": int,
    "regain_access_minutes": int,
    "slow_response_seconds": float,
    "repeated_rows": int,
}


class RandomFaultPlan(FaultPlan):
    """Fault a share `rate` of platform requests with kinds drawn from `kinds`.

    Each ad platform request draws from one random generator seeded with `seed`, so
    the same seed and the same request order give the same faults. The fault kind is drawn
    among the `kinds` that apply to the request (for example `meta_duplicate_rows` only
    applies to insights pages), and a request that none apply to gets no fault. ECB and
    `/_simulator` requests are never faulted and take no draw. `kinds=None` means
    `DEFAULT_KINDS`: every kind except the non-retryable `explicit_only` ones, such as
    `google_401` and `meta_190`. `platforms` limits faults to some of the simulator's PLATFORMS.

    Kinds with a transform (truncated_json, *_missing_metrics, meta_duplicate_rows) change
    the handler's response and are counted only when the response fits, for example a
    successful insights page. Requests are drawn in the order they take the lock, so
    concurrent requests keep the counts exact but not the order of faults.
    """

    def __init__(
        self,
        rate: float,
        seed: int,
        kinds: Sequence[str] | None = None,
        *,
        platforms: Sequence[str] | None = None,
        settings: FaultSettings | None = None,
    ) -> None:
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 <= rate <= 1:
            raise ValueError(f"Invalid fault rate {rate!r}: use a number from 0 to 1.")
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise ValueError(f"Invalid fault seed {seed!r}: use an integer.")
        self.rate = float(rate)
        self.seed = seed
        self.kinds = _checked_kinds(kinds)
        self.platforms = _checked_platforms(platforms)
        if not any(FAULT_KINDS[name].platforms & set(self.platforms) for name in self.kinds):
            raise ValueError(
                f"None of the fault kinds {self.kinds!r} apply to platforms {self.platforms!r}."
            )
        self.settings = settings or FaultSettings()
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._counts = dict.fromkeys(self.kinds, 0)
        self._platform_requests = 0
        # The kind and seed a transform kind drew in before_response, for after_response on
        # the same request thread.
        self._pending = threading.local()

    @classmethod
    def from_spec(cls, text: str) -> RandomFaultPlan:
        """Parse a spec like "rate=0.2,seed=7,kinds=google_429+meta_17".

        Keys: rate (required), seed (default 0), kinds and platforms (joined with "+"), and
        the FaultSettings fields retry_delay_seconds, regain_access_minutes,
        slow_response_seconds and repeated_rows.
        """
        values = _parse_spec_pairs(text)
        if "rate" not in values:
            raise ValueError(f"Invalid fault spec {text!r}: rate is missing, e.g. 'rate=0.2'.")
        try:
            rate = float(values.pop("rate"))
            seed = int(values.pop("seed", "0"))
            settings = {
                key: _SETTINGS_KEYS[key](values.pop(key))
                for key in list(values)
                if key in _SETTINGS_KEYS
            }
        except ValueError as error:
            raise ValueError(f"Invalid fault spec {text!r}: {error}.") from error
        kinds = values["kinds"].split("+") if "kinds" in values else None
        platforms = values["platforms"].split("+") if "platforms" in values else None
        return cls(rate, seed, kinds, platforms=platforms, settings=FaultSettings(**settings))

    def __repr__(self) -> str:
        return (
            f"RandomFaultPlan(rate={self.rate}, seed={self.seed}, kinds={self.kinds!r},"
            f" platforms={self.platforms!r}, settings={self.settings!r})"
        )

    def stop_injecting(self, names: Sequence[str]) -> None:
        """Leave these kinds out of later draws; injected() keeps their counts so far."""
        with self._lock:
            self.kinds = tuple(name for name in self.kinds if name not in set(names))

    def injected(self) -> dict[str, int]:
        """Return a snapshot of how many faults of each configured kind were injected."""
        with self._lock:
            return dict(self._counts)

    def platform_requests(self) -> int:
        """Return how many ad platform requests the plan has drawn for."""
        with self._lock:
            return self._platform_requests

    def before_response(self, request: SimulatorRequest) -> SimulatorResponse | None:
        self._pending.draw = None
        kind, transform_seed = self._draw(request)
        if kind is None:
            return None
        if kind.transform is not None:
            self._pending.draw = (kind, transform_seed)
            return None
        self._record(kind, request)
        return kind.respond(request, self.settings) if kind.respond is not None else None

    def after_response(
        self, request: SimulatorRequest, response: SimulatorResponse
    ) -> SimulatorResponse:
        draw = getattr(self._pending, "draw", None)
        self._pending.draw = None
        if draw is None:
            return response
        kind, transform_seed = draw
        transform = kind.transform
        if transform is None:
            return response
        changed = transform(response, self.settings, random.Random(transform_seed))
        if changed is None:
            logger.debug(
                "Skipped fault %s on %s %s: HTTP %d response does not fit it",
                kind.name,
                request.method,
                request.path,
                response.status,
            )
            return response
        self._record(kind, request)
        return changed

    def _draw(self, request: SimulatorRequest) -> tuple[FaultKind | None, int]:
        """Draw whether to fault the request and with which kind, under the lock."""
        platform = platform_of(request)
        if platform not in self.platforms:
            return None, 0
        eligible = [
            FAULT_KINDS[name]
            for name in self.kinds
            if platform in FAULT_KINDS[name].platforms and FAULT_KINDS[name].applies(request)
        ]
        with self._lock:
            self._platform_requests += 1
            if self._rng.random() >= self.rate or not eligible:
                return None, 0
            return self._rng.choice(eligible), self._rng.getrandbits(32)

    def _record(self, kind: FaultKind, request: SimulatorRequest) -> None:
        with self._lock:
            self._counts[kind.name] += 1
        logger.info("Injected fault %s into %s %s", kind.name, request.method, request.path)


def _checked_kinds(kinds: Sequence[str] | None) -> tuple[str, ...]:
    if kinds is None:
        return DEFAULT_KINDS
    if isinstance(kinds, str) or not kinds:
        raise ValueError(
            f"Invalid fault kinds {kinds!r}: pass a non-empty list of names, or None for all."
        )
    unknown = [name for name in kinds if name not in FAULT_KINDS]
    if unknown:
        raise ValueError(
            f"Unknown fault kinds {unknown!r}: expected names from {tuple(FAULT_KINDS)!r}."
        )
    return tuple(dict.fromkeys(kinds))


def _checked_platforms(platforms: Sequence[str] | None) -> tuple[str, ...]:
    if platforms is None:
        return PLATFORMS
    unknown = [name for name in platforms if name not in PLATFORMS]
    if isinstance(platforms, str) or not platforms or unknown:
        raise ValueError(
            f"Invalid fault platforms {platforms!r}: pass a non-empty list of {PLATFORMS!r}."
        )
    return tuple(dict.fromkeys(platforms))


def _parse_spec_pairs(text: str) -> dict[str, str]:
    allowed = ("rate", "seed", "kinds", "platforms", *_SETTINGS_KEYS)
    values: dict[str, str] = {}
    for item in text.split(","):
        key, separator, value = (part.strip() for part in item.partition("="))
        if not separator or not value:
            raise ValueError(f"Invalid fault spec item {item!r} in {text!r}: use key=value.")
        if key not in allowed:
            raise ValueError(f"Unknown fault spec key {key!r} in {text!r}: use one of {allowed}.")
        if key in values:
            raise ValueError(f"Fault spec key {key!r} is given twice in {text!r}.")
        values[key] = value
    return values
