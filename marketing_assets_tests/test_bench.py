"""The benchmark's building blocks: fleet registries, the latency plan, writers, the page."""

from __future__ import annotations

import threading
from pathlib import Path

import psycopg2

from marketing_assets.bench.command import RESULTS_MARKER, record_results
from marketing_assets.bench.fleet import fleet_clients, large_client, write_registry
from marketing_assets.bench.rows import bench_rows
from marketing_assets.bench.simulator_plan import LatencyPlan
from marketing_assets.bench.write_path import ratio_to_raw_copy, run_write_path
from marketing_assets.bench.writers import Database
from marketing_assets.local.postgres import DATA_DATABASE, EmbeddedPostgres
from marketing_assets.registry import load_registry
from marketing_assets.simulator import SimulatorRequest
from marketing_assets.storage.postgres_client import ensure_migrated


def request(path: str) -> SimulatorRequest:
    return SimulatorRequest("GET", path, "", {}, b"", "127.0.0.1")


def test_fleet_registry_loads(tmp_path: Path) -> None:
    path = write_registry(tmp_path / "fleet.yaml", fleet_clients(12))
    registry = load_registry(path)
    assert len(registry.clients) == 12
    assert len(registry.clients[0].accounts_on("google_ads")) == 2
    assert len(registry.clients[1].accounts_on("google_ads")) == 1
    assert len({client.time_zone for client in registry.clients}) == 8


def test_large_client_registry_loads(tmp_path: Path) -> None:
    registry = load_registry(write_registry(tmp_path / "large.yaml", [large_client(30)]))
    (client,) = registry.clients
    assert len(client.accounts_on("meta")) == 30
    assert len(client.accounts_on("google_ads")) == 30


def test_latency_plan_counts_platform_requests() -> None:
    plan = LatencyPlan(0.0)
    threads = [
        threading.Thread(target=plan.before_response, args=(request(path),))
        for path in ["/google-ads/v20/x", "/meta/v23.0/act_1/insights", "/ecb/x", "/meta/x"]
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert plan.requests() == {"google-ads": 1, "meta": 2}
    plan.reset()
    assert plan.requests() == {}


def test_bench_rows_fill_slice_exactly() -> None:
    rows = bench_rows(1_000)
    assert rows.frame.height == 1_000
    client_dimension, hour_dimension = rows.table_slice.partition_dimensions
    assert rows.frame["client_id"].n_unique() == len(client_dimension.partitions)
    window = hour_dimension.partitions
    assert rows.frame["utc_hour"].min() >= window.start
    assert rows.frame["utc_hour"].max() < window.end


def test_write_path_times_each_writer(
    embedded_postgres: EmbeddedPostgres, database_url: str
) -> None:
    ensure_migrated(database_url)
    database = Database(database_url, embedded_postgres.socket_dir, DATA_DATABASE)
    connection = psycopg2.connect(
        dbname=DATA_DATABASE, user="postgres", host=embedded_postgres.socket_dir
    )
    try:
        results = run_write_path(connection, database, {500: 1})
    finally:
        connection.close()
    by_writer = {result.writer: result for result in results}
    raw = by_writer["raw COPY (pre-rendered CSV)"]
    project = by_writer["project writer (IO manager path)"]
    assert len(raw.seconds) == 1
    assert len(project.seconds) == 1
    assert ratio_to_raw_copy(results, raw) == 1.0
    for result in results:
        assert result.seconds or result.skipped or result.failure, result.writer


def test_record_results_keeps_earlier_runs(tmp_path: Path) -> None:
    page = tmp_path / "benchmarks.md"
    page.write_text(f"# Benchmarks\n\nIntro.\n\n{RESULTS_MARKER}\n\n## Run one\n", encoding="utf-8")
    record_results(page, "## Run two\n")
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\nIntro.")
    assert text.index("## Run two") < text.index("## Run one")
    assert text.count(RESULTS_MARKER) == 1
