"""Typed registry records, checked once on load so the rest of the code can trust them."""

from __future__ import annotations

from dataclasses import dataclass

# Platforms a registry entry may list accounts for. Adding a platform adds its name here.
PLATFORMS: tuple[str, ...] = ("google_ads", "meta", "tiktok", "microsoft_ads", "linkedin")
# Platforms with no finer grain than a day: their assets are partitioned by client and day,
# their rows reach the daily views but not the hourly one, and they have jobs of their own.
DAILY_PLATFORMS: tuple[str, ...] = ("linkedin",)


# Freshness thresholds in minutes of lag, where lag is the time since the end of the latest
# UTC hour loaded. The schedule loads the hours that closed at 5 past each hour, so a healthy
# client's lag stays between 5 and about 70 minutes, plus run time, queueing behind other
# clients' runs and step retries. A lag of 180 minutes means about two hourly runs in a row
# failed or never ran, so it warns. At 360 about five did, which is worth paging for.
DEFAULT_WARN_AFTER_MINUTES = 180
DEFAULT_FAIL_AFTER_MINUTES = 360


class RegistryError(ValueError):
    """An invalid client registry; the message names the file, entry and field."""


@dataclass(frozen=True, slots=True)
class FreshnessThresholds:
    """Lag in minutes after which a client's platform data counts as late (warn) or stale."""

    warn_after_minutes: int = DEFAULT_WARN_AFTER_MINUTES
    fail_after_minutes: int = DEFAULT_FAIL_AFTER_MINUTES


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
    freshness: FreshnessThresholds = FreshnessThresholds()

    @property
    def platforms(self) -> tuple[str, ...]:
        """Platforms the client has at least one account on, in PLATFORMS order."""
        listed = {account.platform for account in self.accounts}
        return tuple(platform for platform in PLATFORMS if platform in listed)

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
