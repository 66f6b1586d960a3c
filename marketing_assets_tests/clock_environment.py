"""A test module's own registry file and simulator, for tests that move the simulator's clock.

The session simulator in conftest keeps a fixed clock that other modules rely on, so a module
that moves time starts its own simulator for its own clients, in the same PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import dagster as dg
import httpx
import psycopg2
import pytest

from marketing_assets.assets.fx import fx_rates_job
from marketing_assets.definitions import defs
from marketing_assets.jobs import hourly_sync_job
from marketing_assets.local.demo import QUIET_CONSOLE
from marketing_assets.local.environment import simulator_variables
from marketing_assets.partitions import CLIENT_DIMENSION, client_range_tags
from marketing_assets.registry import Registry, load_registry
from marketing_assets.simulator import SimulatorCredentials, SimulatorServer
from marketing_assets.simulator.accounts import accounts_from_registry
from marketing_assets.storage.connection import libpq_dsn

PROJECT_ROOT = Path(__file__).resolve().parents[1]

DAY_TOTALS = """
SELECT platform, account_id, local_date, sum(spend), sum(impressions), sum(clicks),
       sum(conversions), count(DISTINCT local_hour)
FROM marketing.campaign_performance_hourly
WHERE client_id = ANY(%s)
GROUP BY platform, account_id, local_date
"""


@dataclass(frozen=True, slots=True)
class DayTotals:
    """Sums of one account-local day, and how many distinct local hour labels it has."""

    spend: Decimal
    impressions: int
    clicks: int
    conversions: Decimal
    hours: int


@dataclass
class ClockEnvironment:
    registry: Registry
    simulator: SimulatorServer
    database_url: str
    instance: dg.DagsterInstance

    def set_clock(self, now: datetime) -> None:
        self.simulator.set_clock(lambda: now)

    def load_fx_rates(self) -> None:
        """Materialize fx_rates from the simulator's ECB feed as of the simulator's clock."""
        result = defs.resolve_job_def(fx_rates_job.name).execute_in_process(instance=self.instance)
        assert result.success

    def run_hourly(
        self, client_id: str, start: datetime, end: datetime
    ) -> dg.ExecuteInProcessResult:
        """Run the hourly job for one client over the UTC hours [start, end) and require success."""
        result = defs.resolve_job_def(hourly_sync_job.name).execute_in_process(
            instance=self.instance,
            tags=client_range_tags(client_id, start, end),
            run_config=QUIET_CONSOLE,
            raise_on_error=False,
        )
        assert result.success, f"hourly_sync_job failed for {client_id} over [{start}, {end})"
        return result

    def truth_for_day(self, platform: str, account_id: str, day: date) -> DayTotals:
        """Return the simulator's totals of one account-local day at its current clock."""
        response = httpx.get(
            f"{self.simulator.url}/_simulator/truth",
            params={"platform": platform, "account_id": account_id, "date": day.isoformat()},
            timeout=30,
        )
        response.raise_for_status()
        body = response.json()
        return DayTotals(
            spend=Decimal(body["spend"]),
            impressions=int(body["impressions"]),
            clicks=int(body["clicks"]),
            conversions=Decimal(body["conversions"]),
            hours=int(body["hours"]),
        )

    def loaded_day_totals(self) -> dict[tuple[str, str, date], DayTotals]:
        """Sum the unified rows of this environment's clients by (platform, account, local day)."""
        rows = self.query(DAY_TOTALS, (self.registry.client_ids,))
        return {
            (platform, account_id, local_date): DayTotals(*sums)
            for platform, account_id, local_date, *sums in rows
        }

    def query(self, statement: str, parameters: tuple[object, ...]) -> list[tuple]:
        connection = psycopg2.connect(libpq_dsn(self.database_url))
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement, parameters)
                return cursor.fetchall()
        finally:
            connection.close()


@contextmanager
def clock_environment(
    registry_text: str,
    directory: Path,
    *,
    now: datetime,
    database_url: str,
    dagster_storage_url: str,
    profiles_text: str | None = None,
) -> Iterator[ClockEnvironment]:
    """Write the registry, serve its accounts at ``now`` and point the definitions at both.

    ``profiles_text`` gives accounts a time zone or currency other than their client's, in the
    format of the simulator's sample_accounts.yaml.
    """
    registry_file = directory / "clients.yaml"
    registry_file.write_text(registry_text, encoding="utf-8")
    registry = load_registry(registry_file)
    profiles_path = None
    if profiles_text is not None:
        profiles_path = directory / "accounts.yaml"
        profiles_path.write_text(profiles_text, encoding="utf-8")
    accounts = accounts_from_registry(registry, profiles_path=profiles_path)
    home = directory / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text((PROJECT_ROOT / "dagster.yaml").read_text())

    with (
        pytest.MonkeyPatch.context() as monkeypatch,
        SimulatorServer(
            accounts, credentials=SimulatorCredentials(), clock=lambda: now
        ) as simulator,
    ):
        variables = {
            **simulator_variables(simulator.url, SimulatorCredentials()),
            "MARKETING_ASSETS_DATABASE_URL": database_url,
            "MARKETING_ASSETS_DAGSTER_STORAGE_URL": dagster_storage_url,
            "MARKETING_ASSETS_REGISTRY": str(registry_file),
            "DAGSTER_HOME": str(home),
            "DAGSTER_DISABLE_TELEMETRY": "1",
        }
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        instance = dg.DagsterInstance.get()
        try:
            existing = set(instance.get_dynamic_partitions(CLIENT_DIMENSION))
            missing = [client for client in registry.client_ids if client not in existing]
            instance.add_dynamic_partitions(CLIENT_DIMENSION, missing)
            yield ClockEnvironment(registry, simulator, database_url, instance)
        finally:
            instance.dispose()
