"""Shared fixtures: an embedded PostgreSQL and the simulator on 127.0.0.1, started once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest

from marketing_assets.local.postgres import (
    DAGSTER_DATABASE,
    DATA_DATABASE,
    EmbeddedPostgres,
    start_embedded_postgres,
)
from marketing_assets.registry import Registry, load_registry
from marketing_assets.settings import registry_path
from marketing_assets.simulator import FaultPlan, SimulatorCredentials, SimulatorServer
from marketing_assets.simulator.accounts import accounts_from_registry

# Step retries (see assets/policies.py) wait 60 s by default; tests retry at once. Set before
# any test module imports the definitions, which read it.
os.environ.setdefault("MARKETING_ASSETS_STEP_RETRY_DELAY_SECONDS", "0")
# The simulator's Microsoft Advertising reports read Pending once. The default wait of 5 s
# before the next poll would add 5 s to every report a test fetches.
os.environ.setdefault("MICROSOFT_ADS_POLL_INTERVAL_SECONDS", "0.05")

# Fixed clock for end-to-end tests, so expected totals do not depend on when tests run.
FIXED_NOW = datetime(2026, 11, 2, 7, 20, tzinfo=UTC)


@pytest.fixture(scope="session")
def embedded_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedPostgres]:
    server = start_embedded_postgres(tmp_path_factory.mktemp("pg"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def database_url(embedded_postgres: EmbeddedPostgres) -> str:
    return embedded_postgres.url(DATA_DATABASE)


@pytest.fixture(scope="session")
def dagster_storage_url(embedded_postgres: EmbeddedPostgres) -> str:
    return embedded_postgres.url(DAGSTER_DATABASE)


@pytest.fixture(scope="session")
def sample_registry() -> Registry:
    return load_registry(registry_path(""))


@pytest.fixture(scope="session")
def simulator(sample_registry: Registry) -> Iterator[SimulatorServer]:
    server = SimulatorServer(
        accounts_from_registry(sample_registry),
        credentials=SimulatorCredentials(),
        clock=lambda: FIXED_NOW,
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture
def platform_environment(
    simulator: SimulatorServer, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """Set the variables the definitions read so they reach the simulator and test database."""
    from marketing_assets.local.environment import simulator_variables

    variables = {
        **simulator_variables(simulator.url, SimulatorCredentials()),
        "MARKETING_ASSETS_DATABASE_URL": database_url,
    }
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("MARKETING_ASSETS_REGISTRY", raising=False)
    return variables


@pytest.fixture
def dagster_home(tmp_path: Path, dagster_storage_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A DAGSTER_HOME using the project's dagster.yaml, stored in the embedded PostgreSQL."""
    project_root = Path(__file__).resolve().parents[1]
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text((project_root / "dagster.yaml").read_text())
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.setenv("MARKETING_ASSETS_DAGSTER_STORAGE_URL", dagster_storage_url)
    os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")
    return home


@pytest.fixture
def fx_rates_loaded(platform_environment: dict[str, str], dagster_home: Path) -> None:
    """Materialize fx_rates from the simulator's ECB feed, as the daily schedule would."""
    import dagster as dg

    from marketing_assets.assets.fx import fx_rates_job
    from marketing_assets.definitions import defs

    result = defs.resolve_job_def(fx_rates_job.name).execute_in_process(
        instance=dg.DagsterInstance.get()
    )
    assert result.success


@contextmanager
def simulator_with_plan(
    registry: Registry, plan: FaultPlan, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SimulatorServer]:
    """Run a simulator of the sample accounts whose requests go through ``plan``, and point
    the platform variables at it for the test."""
    from marketing_assets.local.environment import simulator_variables

    server = SimulatorServer(
        accounts_from_registry(registry), clock=lambda: FIXED_NOW, fault_plan=plan
    )
    server.start()
    try:
        for name, value in simulator_variables(server.url, SimulatorCredentials()).items():
            monkeypatch.setenv(name, value)
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def no_stale_definitions_state_storage() -> Iterator[None]:
    """Clear a definitions-state storage that a test left current.

    Invoking a sensor directly with a context from `build_sensor_context` (dagster 1.13)
    leaves its instance's definitions-state storage current after the instance is gone, and
    a later `dg.materialize` without an instance then fails with "Attempted to resolve
    undefined DagsterInstance weakref".
    """
    from dagster._core.storage.defs_state.base import _current_storage

    before = _current_storage.get()
    yield
    if _current_storage.get() is not before:
        _current_storage.set(before)
