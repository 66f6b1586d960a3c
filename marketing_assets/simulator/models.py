"""Accounts and credentials that configure a simulator instance."""

from __future__ import annotations

import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PLATFORMS = ("google_ads", "meta", "tiktok", "microsoft_ads", "linkedin")

_GOOGLE_CUSTOMER_ID = re.compile(r"^\d{10}$")
_META_ACCOUNT_ID = re.compile(r"^\d{1,20}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
# Google Ads accepts click-through conversion windows of 1-90 days; 30 is its default.
MIN_CONVERSION_WINDOW_DAYS = 1
MAX_CONVERSION_WINDOW_DAYS = 90


@dataclass(frozen=True)
class SimulatorCredentials:
    """Tokens the simulator accepts; any other value gets the platform's auth error.

    `slack_webhook_path` is the part of the webhook URL after `/slack/services/`.
    """

    google_ads_developer_token: str = "sim-google-ads-developer-token"
    google_ads_access_token: str = "sim-google-ads-access-token"
    meta_access_token: str = "sim-meta-access-token"
    tiktok_access_token: str = "sim-tiktok-access-token"
    microsoft_ads_access_token: str = "sim-microsoft-ads-access-token"
    microsoft_ads_developer_token: str = "sim-microsoft-ads-developer-token"
    linkedin_access_token: str = "sim-linkedin-access-token"
    pagerduty_routing_key: str = "sim-pagerduty-routing-key"
    slack_webhook_path: str = "TSIM00000/BSIM00000/simslackwebhooksecret"


@dataclass(frozen=True)
class SimulatedAccount:
    """One advertiser account served by the simulator.

    `account_id` is a 10-digit Google Ads customer id, or the digits of a Meta ad account id
    (without `act_`), TikTok advertiser_id, Microsoft Advertising account id or LinkedIn ad
    account id. When `manager_id` is set (Google Ads only), requests must carry
    `login-customer-id: <manager_id>`. `conversion_window_days` is how many days Google Ads
    keeps revising a day's conversions; Meta accounts ignore it and revise for 28 days.
    """

    platform: str
    account_id: str
    time_zone: str
    currency: str
    manager_id: str | None = None
    name: str = ""
    conversion_window_days: int = 30

    def __post_init__(self) -> None:
        if self.platform not in PLATFORMS:
            raise ValueError(f"Unknown platform {self.platform!r}: expected one of {PLATFORMS}.")
        pattern = _GOOGLE_CUSTOMER_ID if self.platform == "google_ads" else _META_ACCOUNT_ID
        if not pattern.match(self.account_id):
            raise ValueError(
                f"Invalid {self.platform} account id {self.account_id!r}: use digits only"
                " (Google Ads customer ids have 10 digits and no dashes)."
            )
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"Unknown IANA time zone {self.time_zone!r}.") from error
        if not _CURRENCY.match(self.currency):
            raise ValueError(f"Invalid currency {self.currency!r}: use an ISO 4217 code.")
        if self.manager_id is not None:
            if self.platform != "google_ads":
                raise ValueError("manager_id is only valid for google_ads accounts.")
            if not _GOOGLE_CUSTOMER_ID.match(self.manager_id):
                raise ValueError(f"Invalid manager id {self.manager_id!r}: use 10 digits.")
        window = self.conversion_window_days
        if (
            not isinstance(window, int)
            or isinstance(window, bool)
            or not MIN_CONVERSION_WINDOW_DAYS <= window <= MAX_CONVERSION_WINDOW_DAYS
        ):
            raise ValueError(
                f"Invalid conversion_window_days {window!r}: use a whole number of days from"
                f" {MIN_CONVERSION_WINDOW_DAYS} to {MAX_CONVERSION_WINDOW_DAYS}."
            )

    @property
    def display_name(self) -> str:
        """The account name, or a generated one when none was configured."""
        return self.name or f"Simulated {self.platform} account {self.account_id}"
