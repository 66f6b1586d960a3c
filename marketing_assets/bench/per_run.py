"""Measure one client's warm 72-hour runs, and compare pooled with unpooled instance storage.

`python -m marketing_assets.bench.per_run [--runs 6] [--compare-storage-pool]`, from the
project folder. It starts the embedded PostgreSQL and the simulator (no added latency) in a
temporary folder and loads the first sample client's 72 closed UTC hours once as a warm-up.
Then it repeats the run and prints medians of the run process's CPU (user plus system), the
wall time and PostgreSQL's server CPU. With --compare-storage-pool, runs alternate between the
project's pooled storage and dagster-postgres's default NullPool engines in one process.
Run it at two commits to compare a code change.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path

HOURS = 72


def postgres_cpu_seconds() -> float:
    """Return the CPU seconds of every running postgres process and its exited children."""
    total_ticks = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            command = Path(f"/proc/{entry}/cmdline").read_bytes()
            if b"postgres" not in command:
                continue
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # utime, stime, cutime and cstime: fields 14 to 17 of /proc/PID/stat.
        total_ticks += sum(int(value) for value in fields[11:15])
    return total_ticks / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=6, help="measured runs after the warm-up")
    parser.add_argument(
        "--compare-storage-pool",
        action="store_true",
        help="alternate runs between pooled and NullPool instance storage engines",
    )
    arguments = parser.parse_args()
    warnings.filterwarnings("ignore")

    import dagster as dg
    from dagster_postgres.utils import create_pg_engine
    from sqlalchemy import pool

    from marketing_assets.bench.run_worker import QUIET_CONSOLE, run_fx_rates, start_worker
    from marketing_assets.local.environment import local_environment
    from marketing_assets.partitions import CLIENT_DIMENSION, client_range_tags

    with tempfile.TemporaryDirectory() as state_dir, local_environment(Path(state_dir)) as env:
        start_worker()
        from marketing_assets.definitions import defs
        from marketing_assets.run_selection import hourly_job_for_platforms

        instance = dg.DagsterInstance.get()
        instance.add_dynamic_partitions(CLIENT_DIMENSION, env.registry.client_ids)
        run_fx_rates()
        storages = (instance.run_storage, instance.event_log_storage, instance.schedule_storage)
        pooled_engines = [storage._engine for storage in storages]
        null_pool_engines = [
            create_pg_engine(
                storage.postgres_url, None, isolation_level="AUTOCOMMIT", poolclass=pool.NullPool
            )
            for storage in storages
        ]
        client = env.registry.clients[0]
        job = hourly_job_for_platforms(defs, client.platforms)
        end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        tags = client_range_tags(client.client_id, end - timedelta(hours=HOURS), end)

        results: dict[str, list[tuple[float, float, float]]] = {"pooled": [], "null pool": []}
        # The first run (and with the comparison, the first of each kind) is a warm-up.
        warm_up_runs = 2 if arguments.compare_storage_pool else 1
        for index in range(arguments.runs + warm_up_runs):
            mode = "null pool" if arguments.compare_storage_pool and index % 2 == 0 else "pooled"
            engines = null_pool_engines if mode == "null pool" else pooled_engines
            for storage, engine in zip(storages, engines, strict=True):
                storage._engine = engine
            cpu_start, wall_start, postgres_start = (
                time.process_time(),
                time.perf_counter(),
                postgres_cpu_seconds(),
            )
            result = job.execute_in_process(
                instance=instance, tags=tags, run_config=QUIET_CONSOLE, raise_on_error=False
            )
            if not result.success:
                raise SystemExit(f"run {result.run_id} of {client.client_id} failed")
            if index >= warm_up_runs:
                results[mode].append(
                    (
                        time.process_time() - cpu_start,
                        time.perf_counter() - wall_start,
                        postgres_cpu_seconds() - postgres_start,
                    )
                )

    print(f"client {client.client_id}, {HOURS} UTC hours to {end:%Y-%m-%d %H:%M}, medians:")
    for mode, samples in results.items():
        if samples:
            cpu, wall, postgres = (
                statistics.median(sample[i] for sample in samples) for i in range(3)
            )
            print(
                f"{mode:9}  {len(samples)} runs  run CPU {cpu:.2f} s  wall {wall:.2f} s  "
                f"PostgreSQL CPU {postgres:.2f} s"
            )


if __name__ == "__main__":
    main()
