"""Registries of synthetic clients, so the benchmarks can sync 50, 200 or 1,000 of them."""

from __future__ import annotations

from pathlib import Path

import yaml

# Zones on both sides of UTC, with half- and quarter-hour offsets, so each client's window
# touches a realistic mix of account-local days.
TIME_ZONES = (
    "America/Los_Angeles",
    "America/New_York",
    "Europe/Berlin",
    "Europe/London",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Sydney",
    "America/Sao_Paulo",
)
CURRENCIES = ("USD", "EUR", "GBP", "AUD")


def fleet_client_id(number: int) -> str:
    return f"fleet-{number:04d}"


def fleet_clients(count: int) -> list[dict[str, object]]:
    """Return ``count`` registry entries, each with one Google Ads and one Meta account.

    Every fifth client has a second Google Ads account, as agencies often split brand and
    performance campaigns.
    """
    clients = []
    for number in range(count):
        google_accounts = [{"id": f"{6_000_000_000 + number * 2}"}]
        if number % 5 == 0:
            google_accounts.append({"id": f"{6_000_000_000 + number * 2 + 1}"})
        clients.append(
            {
                "id": fleet_client_id(number),
                "name": f"Fleet client {number}",
                "time_zone": TIME_ZONES[number % len(TIME_ZONES)],
                "currency": CURRENCIES[number % len(CURRENCIES)],
                "accounts": {
                    "google_ads": google_accounts,
                    "meta": [{"id": f"{320_000_000_000 + number}"}],
                },
            }
        )
    return clients


def large_client(accounts_per_platform: int) -> dict[str, object]:
    """Return one client with many accounts on each platform, for the peak-memory run.

    The simulator gives each account 2 to 6 campaigns, so 500 accounts per platform yield
    about 100,000 campaign-hours a day.
    """
    return {
        "id": "large-client",
        "name": "Large client",
        "time_zone": "Europe/Berlin",
        "currency": "EUR",
        "accounts": {
            "google_ads": [
                {"id": f"{7_000_000_000 + index}"} for index in range(accounts_per_platform)
            ],
            "meta": [
                {"id": f"{330_000_000_000 + index}"} for index in range(accounts_per_platform)
            ],
        },
    }


def write_registry(path: Path, clients: list[dict[str, object]]) -> Path:
    path.write_text(yaml.safe_dump({"clients": clients}, sort_keys=False), encoding="utf-8")
    return path
