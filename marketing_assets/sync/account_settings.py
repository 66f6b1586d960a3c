"""The time zone and currency of an account, from the rows a run stored or from the platform."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from marketing_assets.platforms.google_ads.resource import GoogleAdsResource
from marketing_assets.platforms.meta.resource import MetaResource
from marketing_assets.registry import AdAccount
from marketing_assets.sync.stored_days import StoredAccount


@dataclass(frozen=True, slots=True)
class AccountSettings:
    """The IANA time zone an account's report dates are in, and its currency."""

    time_zone: str
    currency: str


def account_settings(
    stored: StoredAccount,
    fetch_from_platform: Callable[[], AccountSettings],
    *,
    where: str,
    log: logging.Logger | logging.LoggerAdapter,
) -> AccountSettings:
    """Return the one zone and currency of the account's stored rows, else ask the platform.

    The platform is asked when the window has no rows of the account, or when its rows carry
    more than one zone or currency. In that case the account changed its settings, and the
    platform returns the current ones. `where` names the client and account in the log.
    """
    if len(stored.time_zones) == 1 and len(stored.currencies) == 1:
        (time_zone,) = stored.time_zones
        (currency,) = stored.currencies
        return AccountSettings(time_zone, currency)

    current = fetch_from_platform()
    if not stored.time_zones:
        log.info(
            "%s has no rows in the window, so its time zone %s and currency %s come from the "
            "platform",
            where,
            current.time_zone,
            current.currency,
        )
    else:
        log.warning(
            "%s: the window's rows carry time zones %s and currencies %s, so the account "
            "changed its settings. Comparing days in the platform's current time zone %s and "
            "currency %s",
            where,
            ", ".join(sorted(stored.time_zones)),
            ", ".join(sorted(stored.currencies)),
            current.time_zone,
            current.currency,
        )
    return current


def google_ads_settings(resource: GoogleAdsResource, account: AdAccount) -> AccountSettings:
    """Request a Google Ads account's settings (one searchStream FROM customer)."""
    customer = resource.fetch_customer(
        customer_id=account.account_id, login_customer_id=account.login_customer_id
    )
    return AccountSettings(customer.time_zone, customer.currency_code)


def meta_settings(resource: MetaResource, account: AdAccount) -> AccountSettings:
    """Request a Meta ad account's settings (one ad account node)."""
    ad_account = resource.fetch_ad_account(account_id=account.account_id)
    return AccountSettings(ad_account.time_zone, ad_account.currency)
