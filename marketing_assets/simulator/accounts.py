"""Build the simulator's accounts from the client registry."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml

from marketing_assets.registry import Registry
from marketing_assets.simulator.models import SimulatedAccount

SAMPLE_PROFILES = "sample_accounts.yaml"


def accounts_from_registry(
    registry: Registry, *, profiles_path: Path | None = None
) -> list[SimulatedAccount]:
    """Return one simulated account per registry account.

    An account takes its client's time zone and currency unless the profiles file gives its
    own, because on the real platforms an account's zone and currency are set on the account
    and may differ from how the client reports.
    """
    profiles = _load_profiles(profiles_path)
    accounts: list[SimulatedAccount] = []
    for client in registry.clients:
        for account in client.accounts:
            profile = profiles.get((account.platform, account.account_id), {})
            accounts.append(
                SimulatedAccount(
                    platform=account.platform,
                    account_id=account.account_id,
                    time_zone=profile.get("time_zone", client.time_zone),
                    currency=profile.get("currency", client.currency),
                    manager_id=profile.get("manager_id"),
                    name=f"{client.name} ({account.platform} {account.account_id})",
                )
            )
    return accounts


def _load_profiles(path: Path | None) -> dict[tuple[str, str], dict[str, str]]:
    if path is None:
        text = resources.files("marketing_assets.simulator").joinpath(SAMPLE_PROFILES).read_text()
    else:
        text = Path(path).read_text(encoding="utf-8")
    document = yaml.safe_load(text) or {}
    return {
        (entry["platform"], str(entry["account_id"])): {
            key: str(value) for key, value in entry.items() if key not in {"platform", "account_id"}
        }
        for entry in document.get("accounts", [])
    }
