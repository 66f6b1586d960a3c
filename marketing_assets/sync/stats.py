"""Counters a sync keeps for materialization metadata."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

# The logger and message with which platforms/http.py announces each retry of a request.
RETRY_LOGGER = "marketing_assets.platforms.http"
RETRY_MESSAGE_START = "Retrying "


@dataclass
class FetchStats:
    """API requests and HTTP retries made during one asset's fetch, and when it started."""

    requests: int = 0
    retries: int = 0
    started: float = field(default_factory=time.monotonic)

    def seconds(self) -> float:
        return time.monotonic() - self.started


class _RetryCounter(logging.Handler):
    def __init__(self, stats: FetchStats) -> None:
        super().__init__(level=logging.WARNING)
        self.stats = stats

    def emit(self, record: logging.LogRecord) -> None:
        if str(record.msg).startswith(RETRY_MESSAGE_START):
            self.stats.retries += 1


@contextmanager
def counting_retries(stats: FetchStats) -> Iterator[FetchStats]:
    """Count the HTTP retries logged while the block runs into ``stats.retries``.

    NOTE: this counts the retry log lines of the whole process, which is one step under
    Dagster's default multiprocess executor. Two fetches running at once in one process
    (the in-process executor with threads) would count each other's retries.
    """
    counter = _RetryCounter(stats)
    logger = logging.getLogger(RETRY_LOGGER)
    logger.addHandler(counter)
    try:
        yield stats
    finally:
        logger.removeHandler(counter)
