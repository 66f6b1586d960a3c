"""Account id rules per platform: the form each API expects and the forms people paste."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from marketing_assets.registry.models import RegistryError

GOOGLE_ADS_ID_PATTERN = re.compile(r"^[0-9]{10}$")
# No leading zero: the platforms treat ids as numbers, so "0151" and "151" would name one
# account twice and count its spend twice.
META_ACCOUNT_ID_PATTERN = re.compile(r"^[1-9][0-9]{0,19}$")
# TikTok, Microsoft Advertising and LinkedIn ids are 64-bit integers, so 19 digits at most.
INT64_ID_PATTERN = re.compile(r"^[1-9][0-9]{0,18}$")
INT64_MAX = 2**63 - 1


@dataclass(frozen=True, slots=True)
class DigitsIdRule:
    """An account id of digits that may be written after a prefix the platform shows."""

    pattern: re.Pattern[str]
    prefix: str
    # Completes "{where} id: ... got {value!r}." in the error for an invalid id.
    expected: str


DIGITS_ID_RULES = {
    "meta": DigitsIdRule(
        META_ACCOUNT_ID_PATTERN,
        "act_",
        "a Meta ad account id is digits, optionally prefixed 'act_'",
    ),
    "tiktok": DigitsIdRule(
        INT64_ID_PATTERN,
        "",
        "a TikTok advertiser_id is up to 19 digits, like '7012345678901234567' "
        "(TikTok Ads Manager shows it under the advertiser's name)",
    ),
    "microsoft_ads": DigitsIdRule(
        INT64_ID_PATTERN,
        "",
        "a Microsoft Advertising account id is up to 19 digits, like '151234567' (the "
        "Account ID, not the letters-and-digits account number such as 'F149MJ18')",
    ),
    "linkedin": DigitsIdRule(
        INT64_ID_PATTERN,
        "urn:li:sponsoredAccount:",
        "a LinkedIn ad account id is up to 19 digits, optionally written as "
        "'urn:li:sponsoredAccount:<digits>'",
    ),
}


def google_ads_id(value: Any, where: str) -> str:
    # The Google Ads UI shows ids as 123-456-7890; the API wants the ten digits alone.
    digits = str(value).strip().replace("-", "")
    if not GOOGLE_ADS_ID_PATTERN.match(digits):
        raise RegistryError(
            f"{where}: a Google Ads customer id is ten digits (dashes allowed), got {value!r}."
        )
    return digits


def digits_account_id(platform: str, value: Any, where: str) -> str:
    """Return the digits of a Meta, TikTok, Microsoft Advertising or LinkedIn account id."""
    rule = DIGITS_ID_RULES[platform]
    account_id = str(value).strip()
    if rule.prefix:
        account_id = account_id.removeprefix(rule.prefix)
    too_large = (
        rule.pattern is INT64_ID_PATTERN and account_id.isdigit() and (int(account_id) > INT64_MAX)
    )
    if not rule.pattern.match(account_id) or too_large:
        raise RegistryError(f"{where} id: {rule.expected}, without leading zeros, got {value!r}.")
    return account_id
