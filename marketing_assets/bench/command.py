"""The `marketing-assets bench` command: run the suite, print ratios, write the results page."""

from __future__ import annotations

import argparse
import logging
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

RESULTS_MARKER = "<!-- bench results: newest first -->"
DEFAULT_OUTPUT = Path("docs/benchmarks.md")


def run_bench_command(arguments: argparse.Namespace) -> int:
    """Run the benchmark suite in a fresh state folder and record it in ``arguments.output``."""
    # Imported here so `marketing-assets --help` does not load Dagster.
    from dataclasses import replace

    from marketing_assets.bench.report import console_summary, render_markdown
    from marketing_assets.bench.settings import FULL, QUICK
    from marketing_assets.bench.suite import run_suite

    settings = QUICK if arguments.quick else FULL
    if arguments.latency is not None:
        settings = replace(settings, latency_seconds=arguments.latency)
    # Dagster's storage migrations log each alembic plugin at INFO.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    state_dir = Path(tempfile.mkdtemp(prefix="marketing-assets-bench-"))
    command = shlex.join(["marketing-assets", *sys.argv[1:]])
    try:
        report = run_suite(settings, state_dir, command)
    finally:
        shutil.rmtree(state_dir, ignore_errors=True)
    for line in console_summary(report):
        print(line)
    record_results(arguments.output, render_markdown(report))
    print(f"Results written to {arguments.output}")
    return 0


def record_results(path: Path, section: str) -> None:
    """Insert ``section`` below the results marker of ``path``, keeping earlier runs."""
    text = path.read_text(encoding="utf-8") if path.is_file() else f"{RESULTS_MARKER}\n"
    if RESULTS_MARKER not in text:
        text = f"{text.rstrip()}\n\n{RESULTS_MARKER}\n"
    head, tail = text.split(RESULTS_MARKER, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{head}{RESULTS_MARKER}\n\n{section}\n{tail.lstrip()}", encoding="utf-8")


def add_bench_parser(commands: argparse._SubParsersAction) -> None:
    bench = commands.add_parser(
        "bench",
        help="benchmark the write path, hourly cycles, a backfill and peak memory; write "
        "docs/benchmarks.md",
    )
    bench.add_argument(
        "--quick", action="store_true", help="smaller fleet and row counts, under 10 minutes"
    )
    bench.add_argument(
        "--latency",
        type=float,
        default=None,
        help="seconds the simulator waits before each platform response (default: 0.3)",
    )
    bench.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="markdown page the results are added to (default: %(default)s)",
    )
    bench.set_defaults(command=run_bench_command)
