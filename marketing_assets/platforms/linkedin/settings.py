"""LinkedIn Marketing API constants: version, adAnalytics query and error classification."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from marketing_assets.platforms.errors import PLATFORM_LABELS

PLATFORM = "linkedin"
# Registered here, beside the platform's other constants, so describe_scope() names LinkedIn
# in every message without errors.py importing each platform.
PLATFORM_LABELS.setdefault(PLATFORM, "LinkedIn")

DEFAULT_BASE_URL = "https://api.linkedin.com"
# LinkedIn-Version is a YYYYMM month. LinkedIn retires old versions with HTTP 426, so keep this
# at an active month.
DEFAULT_API_VERSION = "202511"
RESTLI_PROTOCOL_VERSION = "2.0.0"

ACCOUNT_URN_PREFIX = "urn:li:sponsoredAccount:"
CAMPAIGN_URN_PREFIX = "urn:li:sponsoredCampaign:"
# DAILY is adAnalytics' finest grain, so LinkedIn rows have a date and no hour.
ANALYTICS_FIELDS = (
    "pivotValues",
    "dateRange",
    "impressions",
    "clicks",
    "costInLocalCurrency",
    "externalWebsiteConversions",
    "conversionValueInLocalCurrency",
)

# Error bodies read {"status", "serviceErrorCode", "code", "message"}; the HTTP status decides.
RETRYABLE_STATUS_CODES = frozenset({500, 502, 503, 504})
VERSION_ERROR_STATUS = 426

ACCESS_TOKEN_HINT = "refresh the access token passed as access_token (LINKEDIN_ACCESS_TOKEN)"
PERMISSION_HINT = (
    "give the token the r_ads_reporting scope and its member a role on this ad account"
)


def analytics_query(account_id: str, day: dt.date) -> str:
    """Build the adAnalytics query string of one day for one account, in Rest.li 2.0 form.

    Rest.li 2.0 needs the parentheses, colons and commas of List() and dateRange as they
    are, but the URN inside List() percent-encoded, which a generic encoder gets wrong.
    """
    date = f"(year:{day.year},month:{day.month},day:{day.day})"
    account_urn = quote(f"{ACCOUNT_URN_PREFIX}{account_id}", safe="")
    parts = (
        "q=analytics",
        "pivot=CAMPAIGN",
        "timeGranularity=DAILY",
        f"dateRange=(start:{date},end:{date})",
        f"accounts=List({account_urn})",
        f"fields={','.join(ANALYTICS_FIELDS)}",
    )
    return "&".join(parts)
