"""Time each writer on the same rows, side by side, and compare it with raw COPY."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import psycopg2.extensions

from marketing_assets.bench.measure import measured, median
from marketing_assets.bench.rows import bench_rows
from marketing_assets.bench.writers import INSTALL_HINT, Database, Writer, all_writers

logger = logging.getLogger(__name__)

RAW_COPY = 0


@dataclass
class WriterResult:
    """One writer's timings at one row count; ``failure`` or ``skipped`` when it did not run."""

    writer: str
    rows: int
    seconds: list[float] = field(default_factory=list)
    failure: str = ""
    skipped: str = ""
    note: str = ""

    @property
    def median_seconds(self) -> float:
        return median(self.seconds)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.median_seconds if self.seconds else float("nan")


def run_write_path(
    connection: psycopg2.extensions.connection,
    database: Database,
    repetitions_by_rows: dict[int, int],
) -> list[WriterResult]:
    """Run every writer ``repetitions`` times per row count, interleaved within a round.

    Interleaving means a noisy neighbour slows every writer of a round alike, so the ratios
    hold up better than the absolute times.
    """
    writers = all_writers()
    results: list[WriterResult] = []
    for rows_count, repetitions in repetitions_by_rows.items():
        rows = bench_rows(rows_count)
        round_results = [
            WriterResult(writer.name, rows_count, note=writer.note) for writer in writers
        ]
        for writer, result in zip(writers, round_results, strict=True):
            missing = writer.missing_modules()
            if missing:
                result.skipped = f"not installed ({', '.join(missing)}): {INSTALL_HINT}"
        for repetition in range(repetitions):
            for writer, result in zip(writers, round_results, strict=True):
                if result.skipped or result.failure:
                    continue
                time_once(writer, result, rows, connection, database)
            logger.info(
                "Write path: %d rows, round %d of %d done", rows_count, repetition + 1, repetitions
            )
        results.extend(round_results)
    return results


def time_once(
    writer: Writer,
    result: WriterResult,
    rows: object,
    connection: psycopg2.extensions.connection,
    database: Database,
) -> None:
    writer.reset(connection)
    prepared = writer.prepare(rows, database)
    try:
        with measured() as usage:
            writer.write(prepared, database)
    except Exception as error:
        result.failure = f"{type(error).__name__}: {first_line(error)}"
        logger.warning(
            "Write path: %s failed at %d rows: %s", writer.name, result.rows, result.failure
        )
        return
    finally:
        writer.reset(connection)
    result.seconds.append(usage.wall_seconds)


def first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:160] if text else ""


def ratio_to_raw_copy(results: list[WriterResult], result: WriterResult) -> float:
    """Return how many times longer than raw COPY the writer took at the same row count."""
    baseline = next(
        item
        for item in results
        if item.rows == result.rows and item.writer == results[RAW_COPY].writer
    )
    if not result.seconds or not baseline.seconds:
        return float("nan")
    return result.median_seconds / baseline.median_seconds
