"""State shared by the request handlers of one simulator instance."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from marketing_assets.simulator.models import SimulatedAccount, SimulatorCredentials
from marketing_assets.simulator.oncall_inbox import OnCallInbox


@dataclass(frozen=True)
class SimulatorContext:
    accounts: tuple[SimulatedAccount, ...]
    credentials: SimulatorCredentials
    clock: Callable[[], datetime]
    revision: int = 0
    # Mutable and shared: dataclasses.replace (as in set_clock) keeps the same inbox.
    oncall_inbox: OnCallInbox = field(default_factory=OnCallInbox)

    def find_account(self, platform: str, account_id: str) -> SimulatedAccount | None:
        for account in self.accounts:
            if account.platform == platform and account.account_id == account_id:
                return account
        return None

    def platform_accounts(self, platform: str) -> list[SimulatedAccount]:
        return [account for account in self.accounts if account.platform == platform]
