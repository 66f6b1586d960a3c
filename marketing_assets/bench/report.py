"""Render a benchmark run as the markdown of docs/benchmarks.md and as console lines."""

from __future__ import annotations

import math

from marketing_assets.bench.cycles import CycleResult, naive_projection
from marketing_assets.bench.suite import BenchReport
from marketing_assets.bench.write_path import ratio_to_raw_copy

CORES = 2
WRITE_TARGET_RATIO = 1.5
CYCLE_TARGET_SECONDS = 60
CPU_TARGET_RATIO = 5
BACKFILL_TARGET_SECONDS = 15 * 60
MEMORY_TARGET_MEGABYTES = 500
CYCLE_HEADER = (
    "| batch | Dagster runs | client-hours | wall s | CPU s | processes | API requests "
    "| peak RSS per worker MiB |"
)
CYCLE_ALIGNMENT = "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"


def number(value: float, digits: int = 1) -> str:
    return "n/a" if math.isnan(value) else f"{value:,.{digits}f}"


def write_path_lines(report: BenchReport) -> list[str]:
    lines = [
        "| writer | rows | median s | rows/s | x raw COPY | runs | note |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for result in report.write_path:
        if result.skipped or result.failure:
            status = result.skipped or f"FAILED: {result.failure}"
            lines.append(f"| {result.writer} | {result.rows:,} | | | | 0 | {status} |")
            continue
        ratio = ratio_to_raw_copy(report.write_path, result)
        lines.append(
            f"| {result.writer} | {result.rows:,} | {number(result.median_seconds, 3)} | "
            f"{number(result.rows_per_second, 0)} | {number(ratio, 2)} | {len(result.seconds)} | "
            f"{result.note} |"
        )
    return lines


def cycle_row(result: CycleResult) -> str:
    requests = result.total_requests
    return (
        f"| {result.label} | {result.runs} ({result.failed_runs} failed) | "
        f"{result.client_hours:,} | "
        f"{number(result.usage.wall_seconds)} | {number(result.usage.child_cpu_seconds)} | "
        f"{result.processes} | {requests:,} | {number(result.peak_rss_megabytes, 0)} |"
    )


def cycle_lines(report: BenchReport) -> list[str]:
    lines = [CYCLE_HEADER, CYCLE_ALIGNMENT]
    results = [*report.cycles]
    if report.naive:
        results.append(report.naive)
    lines.extend(cycle_row(result) for result in results)
    return lines


def naive_comparison_lines(report: BenchReport) -> list[str]:
    """Compare each measured steady-state cycle with the naive layout projected to its size."""
    if report.naive is None or not report.naive.runs:
        return ["The naive sample did not run."]
    lines = [
        "| clients | batched CPU s (measured) | naive CPU s (projected) | CPU ratio | batched "
        "wall s | naive wall s (projected) | naive processes (projected) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in report.cycles:
        if "steady" not in result.label:
            continue
        naive = naive_projection(report.naive, result.clients, CORES)
        ratio = naive["cpu_seconds"] / result.usage.child_cpu_seconds
        lines.append(
            f"| {result.clients} | {number(result.usage.child_cpu_seconds)} | "
            f"{number(naive['cpu_seconds'])} | {number(ratio, 2)} | "
            f"{number(result.usage.wall_seconds)} | {number(naive['wall_seconds'])} | "
            f"{number(naive['processes'], 0)} |"
        )
    return lines


def backfill_lines(report: BenchReport) -> list[str]:
    result = report.backfill
    if result is None:
        return ["The backfill did not run."]
    per_account_day = result.total_requests / max(result.account_days, 1)
    return [
        CYCLE_HEADER,
        CYCLE_ALIGNMENT,
        cycle_row(result),
        "",
        f"{result.total_requests:,} platform requests for {result.account_days:,} account-local "
        f"days: {number(per_account_day, 2)} requests per account-day, counted by the simulator "
        f"({result.requests}).",
    ]


def large_client_lines(report: BenchReport) -> list[str]:
    result = report.large_client
    if result is None:
        return ["The large-client run did not run."]
    return [
        f"One run of {report.settings.large_client_hours} UTC hours for a client with "
        f"{report.settings.large_client_accounts_per_platform} accounts per platform wrote "
        f"{report.large_client_rows:,} unified rows; {result.total_requests:,} API requests, "
        f"{number(result.usage.wall_seconds)} s wall, peak RSS of the run's process "
        f"{number(result.peak_rss_megabytes, 0)} MiB (target {MEMORY_TARGET_MEGABYTES} MiB)."
    ]


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def target_lines(report: BenchReport) -> list[str]:
    """Compare the run's figures with the targets; scaled figures are called estimates."""
    lines = ["| target | figure | verdict |", "| --- | --- | --- |"]
    project = [
        result
        for result in report.write_path
        if result.writer.startswith("project writer (") and result.seconds
    ]
    if project:
        largest = max(project, key=lambda result: result.rows)
        ratio = ratio_to_raw_copy(report.write_path, largest)
        lines.append(
            f"| write path within {WRITE_TARGET_RATIO}x raw COPY | {number(ratio, 2)}x at "
            f"{largest.rows:,} rows | {verdict(ratio <= WRITE_TARGET_RATIO)} |"
        )
    for result in report.cycles:
        if "steady" not in result.label:
            continue
        # Wall time scales with clients per worker; a cycle of fewer than 50 clients is scaled.
        scale = 50 / result.clients
        wall = result.usage.wall_seconds * scale
        kind = "measured" if scale == 1 else f"estimate, scaled from {result.clients} clients"
        lines.append(
            f"| hourly cycle of 50 clients within {CYCLE_TARGET_SECONDS} s | {number(wall)} s "
            f"({kind}) | {verdict(wall <= CYCLE_TARGET_SECONDS)} |"
        )
        if report.naive and report.naive.runs:
            naive = naive_projection(report.naive, result.clients, CORES)
            ratio = naive["cpu_seconds"] / result.usage.child_cpu_seconds
            lines.append(
                f"| at least {CPU_TARGET_RATIO}x less CPU than naive ({result.clients} clients) "
                f"| {number(ratio, 2)}x | {verdict(ratio >= CPU_TARGET_RATIO)} |"
            )
    if report.backfill and report.backfill.runs:
        result = report.backfill
        scale = 50 / result.clients
        wall = result.usage.wall_seconds * scale
        kind = "measured" if scale == 1 else f"estimate, scaled from {result.clients} clients"
        per_day = result.total_requests / max(result.account_days, 1)
        lines.append(
            f"| 30-day backfill of 50 clients within {BACKFILL_TARGET_SECONDS // 60} min | "
            f"{number(wall / 60)} min ({kind}) | {verdict(wall <= BACKFILL_TARGET_SECONDS)} |"
        )
        lines.append(
            f"| at most 1 API request per account-day | {number(per_day, 2)} | "
            f"{verdict(per_day <= 1)} |"
        )
    if report.large_client and report.large_client.runs:
        peak = report.large_client.peak_rss_megabytes
        lines.append(
            f"| peak memory under {MEMORY_TARGET_MEGABYTES} MiB | {number(peak, 0)} MiB for "
            f"{report.large_client_rows:,} rows | {verdict(peak < MEMORY_TARGET_MEGABYTES)} |"
        )
    return lines


def render_markdown(report: BenchReport) -> str:
    settings = report.settings
    sections = [
        f"## Run of {report.started_at:%Y-%m-%d %H:%M} UTC ({settings.mode} mode)",
        "",
        f"- Command: `{report.command}`",
        f"- Machine: {report.machine}",
        f"- Simulated platform latency: {settings.latency_seconds} s per request; "
        f"{settings.workers} concurrent run workers",
        "",
        "### Targets",
        "",
        *target_lines(report),
        "",
        "### Write path",
        "",
        *write_path_lines(report),
        "",
        "### Hourly cycle",
        "",
        *cycle_lines(report),
        "",
        *naive_comparison_lines(report),
        "",
        f"### Backfill of {settings.backfill_days} days x {settings.backfill_clients} clients",
        "",
        *backfill_lines(report),
        "",
        "### Peak memory of one large run",
        "",
        *large_client_lines(report),
        "",
    ]
    return "\n".join(sections)


def console_summary(report: BenchReport) -> list[str]:
    """Return one line per ratio and target, for the terminal."""
    lines = []
    for result in report.write_path:
        if result.writer.startswith("raw COPY"):
            continue
        if result.skipped or result.failure:
            status = result.skipped or f"FAILED: {result.failure}"
            lines.append(f"write {result.rows:>9,} rows  {result.writer}: {status}")
            continue
        ratio = ratio_to_raw_copy(report.write_path, result)
        lines.append(f"write {result.rows:>9,} rows  {result.writer}: {number(ratio, 2)}x raw COPY")
    if report.naive:
        for result in report.cycles:
            naive = naive_projection(report.naive, result.clients, CORES)
            ratio = naive["cpu_seconds"] / result.usage.child_cpu_seconds
            lines.append(
                f"cycle {result.label}: {number(result.usage.wall_seconds)} s wall, "
                f"{number(result.usage.child_cpu_seconds)} CPU s; naive projected "
                f"{number(naive['cpu_seconds'])} CPU s ({number(ratio, 2)}x)"
            )
    if report.backfill:
        result = report.backfill
        lines.append(
            f"{result.label}, {result.clients} clients: {number(result.usage.wall_seconds)} s "
            f"wall, {result.runs} runs, {result.total_requests} requests for "
            f"{result.account_days} account-days"
        )
    if report.large_client:
        lines.append(
            f"large client: {report.large_client_rows:,} rows, peak RSS "
            f"{number(report.large_client.peak_rss_megabytes, 0)} MiB"
        )
    lines.extend(line for line in target_lines(report)[2:])
    return lines
