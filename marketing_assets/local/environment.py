"""Start the local services and point the code location's settings at them."""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from marketing_assets.local.postgres import (
    DAGSTER_DATABASE,
    DATA_DATABASE,
    EmbeddedPostgres,
    start_embedded_postgres,
)
from marketing_assets.registry import Registry, load_registry
from marketing_assets.settings import MICROSOFT_ADS_POLL_VARIABLE, registry_path
from marketing_assets.simulator import FaultPlan, SimulatorCredentials, SimulatorServer
from marketing_assets.simulator.accounts import accounts_from_registry

logger = logging.getLogger(__name__)

DATABASE_URL_VARIABLE = "MARKETING_ASSETS_DATABASE_URL"
DAGSTER_STORAGE_URL_VARIABLE = "MARKETING_ASSETS_DAGSTER_STORAGE_URL"
DEFAULT_STATE_DIR = Path(".marketing_assets")
# The simulator accepts any digits as the manager account of Microsoft Advertising requests.
SIMULATED_MICROSOFT_ADS_CUSTOMER_ID = "9990002222"
SIMULATED_MICROSOFT_ADS_POLL_SECONDS = "0.05"


@dataclass
class LocalEnvironment:
    """The local services' addresses and the environment variables that point at them."""

    registry: Registry
    simulator: SimulatorServer
    postgres: EmbeddedPostgres | None
    variables: dict[str, str]

    @property
    def database_url(self) -> str:
        return self.variables[DATABASE_URL_VARIABLE]


@contextmanager
def local_environment(
    state_dir: Path = DEFAULT_STATE_DIR,
    *,
    simulator_port: int = 0,
    fault_plan: FaultPlan | None = None,
    freeze_clock: bool = False,
) -> Iterator[LocalEnvironment]:
    """Run the simulator and, unless database URLs are configured, an embedded PostgreSQL.

    Sets the variables the definitions read (platform URLs and simulator tokens, database
    URLs, DAGSTER_HOME) in this process's environment, and restores them on exit.
    """
    state_dir = state_dir.resolve()
    registry = load_registry(registry_path())
    variables: dict[str, str] = {}
    postgres = None
    if os.environ.get(DATABASE_URL_VARIABLE) and os.environ.get(DAGSTER_STORAGE_URL_VARIABLE):
        logger.info("Using the PostgreSQL databases configured in the environment")
    else:
        postgres = start_embedded_postgres(state_dir / "postgres")
        variables[DATABASE_URL_VARIABLE] = postgres.url(DATA_DATABASE)
        variables[DAGSTER_STORAGE_URL_VARIABLE] = postgres.url(DAGSTER_DATABASE)
    variables["DAGSTER_HOME"] = str(prepare_dagster_home(state_dir / "dagster_home"))

    credentials = SimulatorCredentials()
    # A frozen clock keeps the simulator from restating a day in the middle of a session, at
    # an account's midnight, between the fetch and the comparison with its ground truth.
    started = datetime.now(UTC)
    clock_options = {"clock": lambda: started} if freeze_clock else {}
    simulator = SimulatorServer(
        accounts_from_registry(registry),
        port=simulator_port,
        credentials=credentials,
        fault_plan=fault_plan,
        **clock_options,
    )
    simulator.start()
    variables.update(simulator_variables(simulator.url, credentials))
    previous = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield LocalEnvironment(registry, simulator, postgres, dict(os.environ))
    finally:
        simulator.stop()
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def simulator_variables(url: str, credentials: SimulatorCredentials) -> dict[str, str]:
    return {
        "GOOGLE_ADS_API_URL": f"{url}/google-ads",
        "GOOGLE_ADS_DEVELOPER_TOKEN": credentials.google_ads_developer_token,
        "GOOGLE_ADS_ACCESS_TOKEN": credentials.google_ads_access_token,
        "META_API_URL": f"{url}/meta",
        "META_ACCESS_TOKEN": credentials.meta_access_token,
        "TIKTOK_API_URL": f"{url}/tiktok",
        "TIKTOK_ACCESS_TOKEN": credentials.tiktok_access_token,
        "MICROSOFT_ADS_API_URL": f"{url}/microsoft-ads",
        "MICROSOFT_ADS_ACCESS_TOKEN": credentials.microsoft_ads_access_token,
        "MICROSOFT_ADS_DEVELOPER_TOKEN": credentials.microsoft_ads_developer_token,
        "MICROSOFT_ADS_CUSTOMER_ID": SIMULATED_MICROSOFT_ADS_CUSTOMER_ID,
        # The simulator's reports read Pending once, so a long wait before the next poll
        # would only slow the demo down.
        MICROSOFT_ADS_POLL_VARIABLE: SIMULATED_MICROSOFT_ADS_POLL_SECONDS,
        "LINKEDIN_API_URL": f"{url}/linkedin",
        "LINKEDIN_ACCESS_TOKEN": credentials.linkedin_access_token,
        "FX_RATES_URL": f"{url}/ecb/stats/eurofxref/eurofxref-hist-90d.xml",
        **oncall_variables(url, credentials),
    }


def oncall_variables(url: str, credentials: SimulatorCredentials) -> dict[str, str]:
    """Point the alert notifier's settings at the simulator's PagerDuty and Slack receivers."""
    return {
        "MARKETING_ASSETS_PAGERDUTY_ROUTING_KEY": credentials.pagerduty_routing_key,
        "MARKETING_ASSETS_PAGERDUTY_EVENTS_URL": f"{url}/pagerduty/v2/enqueue",
        "MARKETING_ASSETS_SLACK_WEBHOOK_URL": (
            f"{url}/slack/services/{credentials.slack_webhook_path}"
        ),
    }


def prepare_dagster_home(home: Path) -> Path:
    """Create DAGSTER_HOME holding the project's dagster.yaml (PostgreSQL instance storage)."""
    source = Path("dagster.yaml")
    if not source.is_file():
        raise FileNotFoundError(
            "dagster.yaml was not found in the current folder. Run marketing-assets from the "
            "project's top folder, where dagster.yaml and workspace.yaml are."
        )
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, home / "dagster.yaml")
    return home
