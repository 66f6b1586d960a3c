"""Look for credentials in everything a run leaves behind: event log, logs and output."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

import dagster as dg


class CapturedLogs(logging.Handler):
    """Keeps every log record, with its traceback, as the text a log file would hold."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@contextmanager
def capture_all_logs() -> Iterator[CapturedLogs]:
    """Record log records at every level while keeping the console at its current level."""
    root = logging.getLogger()
    handler = CapturedLogs()
    previous_level = root.level
    console_levels = [(existing, existing.level) for existing in root.handlers]
    for existing, _ in console_levels:
        existing.setLevel(max(existing.level, previous_level))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(previous_level)
        for existing, level in console_levels:
            existing.setLevel(level)


def event_log_text(instance: dg.DagsterInstance, run_ids: Iterable[str]) -> Iterator[str]:
    """Yield each stored event and run record of the runs as serialized text."""
    for run_id in run_ids:
        run = instance.get_run_by_id(run_id)
        if run is not None:
            yield dg.serialize_value(run)
        for entry in instance.all_logs(run_id):
            yield dg.serialize_value(entry)


def count_leaks(secrets: Sequence[str], texts: Iterable[str]) -> dict[str, int]:
    """Return, for each secret that appears, how many of the texts contain it.

    The dictionary is keyed by a masked form of the secret, never the secret itself.
    """
    found: dict[str, int] = {}
    for text in texts:
        for secret in secrets:
            if secret and secret in text:
                masked = f"{secret[:3]}...({len(secret)} characters)"
                found[masked] = found.get(masked, 0) + 1
    return found
