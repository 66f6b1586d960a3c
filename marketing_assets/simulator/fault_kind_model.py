"""Fault kinds, each with the requests it applies to and its action, and fault sizes."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse


@dataclass(frozen=True)
class FaultSettings:
    """Sizes of the injected faults, kept small by default so tests and chaos runs stay fast.

    `retry_delay_seconds` is Google's quotaErrorDetails.retryDelay and the Retry-After header of
    Microsoft Advertising and LinkedIn rate limits. `regain_access_minutes` is
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
