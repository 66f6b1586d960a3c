"""Start `dagster dev` on a free 127.0.0.1 port and ask its GraphQL endpoint about runs."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# An estimate: loading dagster, polars and pandera and the definitions took under a minute
# on a 2-core machine; three times that leaves room for a slower CI machine.
UI_START_TIMEOUT_SECONDS = 180

RUNS_QUERY = """
query Runs($filter: RunsFilter) {
  runsOrError(filter: $filter) {
    ... on Runs { results { runId status tags { key value } } }
  }
}
"""


@dataclass
class DagsterDev:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def graphql(self, query: str, variables: dict[str, object] | None = None) -> dict:
        response = httpx.post(
            f"{self.url}/graphql", json={"query": query, "variables": variables or {}}, timeout=30
        )
        response.raise_for_status()
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]

    def runs(self) -> list[dict]:
        return self.graphql(RUNS_QUERY)["runsOrError"]["results"]

    def log_tail(self, characters: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-characters:]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def dagster_dev(log_path: Path) -> Iterator[DagsterDev]:
    """Run `dagster dev -w workspace.yaml` with this process's environment until exit.

    The environment must already point at PostgreSQL and the simulator (local_environment).
    """
    port = free_port()
    command = [sys.executable, "-m", "dagster", "dev", "-w", "workspace.yaml"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    with log_path.open("wb") as log:
        # A session of its own, so the stop below reaches the webserver and the daemon too.
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=dict(os.environ),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = DagsterDev(f"http://127.0.0.1:{port}", process, log_path)
    try:
        wait_until_loaded(server)
        yield server
    finally:
        stop(process)


def wait_until_loaded(server: DagsterDev) -> None:
    """Wait until the webserver responds and the code location has loaded."""
    deadline = time.monotonic() + UI_START_TIMEOUT_SECONDS
    query = "{ workspaceOrError { ... on Workspace { locationEntries { loadStatus } } } }"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"dagster dev exited early:\n{server.log_tail()}")
        try:
            entries = server.graphql(query)["workspaceOrError"]["locationEntries"]
        except httpx.HTTPError:
            entries = []
        if entries and all(entry["loadStatus"] == "LOADED" for entry in entries):
            return
        time.sleep(1)
    raise TimeoutError(
        f"dagster dev did not load the code location within {UI_START_TIMEOUT_SECONDS} s:\n"
        f"{server.log_tail()}"
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop dagster dev and its children with SIGTERM, then SIGKILL after 30 s."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
