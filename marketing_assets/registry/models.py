"""Typed registry records, checked once on load so the rest of the code can trust them."""

from __future__ import annotations

from dataclasses import dataclass

# Platforms a registry entry may list accounts for. Adding a platform adds its name here.
PLATFORMS: tuple[str, ...] = ("google_ads", "meta")


class RegistryError(ValueError):
    """An invalid client registry; the message names the file, entry and field."""


@dataclass(frozen=True, slots=True)
class AdAccount:
    """One ad account of a client on one platform."""

    platform: str
    account_id: str
    # Google Ads manager (MCC) id to send as login-customer-id when the account is reached
    # through a manager; None for direct access and for other platforms.
    login_customer_id: str | None = None


@dataclass(frozen=True, slots=True)
class Client:
    """A client whose campaigns the platform syncs."""

    client_id: str
    name: str
    time_zone: str
    currency: str
    accounts: tuple[AdAccount, ...]
    # Per-platform override of how many past account-local days the daily full re-read
    # covers, as (platform, days) pairs; platforms not listed use their default.
    lookback_days: tuple[tuple[str, int], ...] = ()

    def lookback_override(self, platform: str) -> int | None:
        return dict(self.lookback_days).get(platform)

    def accounts_on(self, platform: str) -> tuple[AdAccount, ...]:
        return tuple(account for account in self.accounts if account.platform == platform)


@dataclass(frozen=True, slots=True)
class Registry:
    """All clients, in file order, with unique ids and unique accounts."""

    clients: tuple[Client, ...]

    @property
    def client_ids(self) -> list[str]:
        return [client.client_id for client in self.clients]

    def client(self, client_id: str) -> Client:
        for client in self.clients:
            if client.client_id == client_id:
                return client
        raise KeyError(
            f"Client {client_id!r} is not in the registry. Add it to the registry file, or "
            "check the partition key for a typo."
        )
