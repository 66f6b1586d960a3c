"""Wall time, CPU seconds and peak memory of a block of work, including its child processes."""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass
class Usage:
    """Resources one measured block used; CPU counts user plus system time."""

    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0
    child_cpu_seconds: float = 0.0

    @property
    def total_cpu_seconds(self) -> float:
        return self.cpu_seconds + self.child_cpu_seconds


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


@contextmanager
def measured() -> Iterator[Usage]:
    """Fill a `Usage` with the block's wall time and CPU time.

    Child CPU covers only children (and their descendants) that exited and were waited for
    inside the block, which is why the suites join their worker pools before the block ends.
    """
    usage = Usage()
    wall = time.perf_counter()
    own = cpu_seconds(resource.RUSAGE_SELF)
    children = cpu_seconds(resource.RUSAGE_CHILDREN)
    try:
        yield usage
    finally:
        usage.wall_seconds = time.perf_counter() - wall
        usage.cpu_seconds = cpu_seconds(resource.RUSAGE_SELF) - own
        usage.child_cpu_seconds = cpu_seconds(resource.RUSAGE_CHILDREN) - children


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
