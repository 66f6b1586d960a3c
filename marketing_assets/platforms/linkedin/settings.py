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


# adAnalytics has no paging. Connector authors report that it cuts a response at 15,000
# elements without an error (LinkedIn's reference does not mention a limit), so a response
# that long counts as cut short. One request covers at most 31 days, which keeps an account
# with up to 483 campaigns a day under the cut.
MAX_ELEMENTS = 15_000
MAX_DAYS_PER_REQUEST = 31

# How long after an account-local day ends LinkedIn's figures for it count as complete.
# NOTE: LinkedIn documents no fixed delay, so 12 hours is an estimate. Migration 0011 uses
# the same value in marketing.data_freshness_at.
REPORTING_DELAY = dt.timedelta(hours=12)
# Every scheduled run re-reads this many days before the current one, where invalid-click
# credits and most late conversions land, and once a day the whole conversion window. Its
# default is 30 days after a click (LinkedIn Help, "LinkedIn conversion window"). Accounts set
# to 90 days need lookback_days.linkedin: 90 in the registry.
RECENT_DAYS = 3
CONVERSION_WINDOW_DAYS = 30


def analytics_query(account_id: str, first_day: dt.date, last_day: dt.date) -> str:
    """Build the adAnalytics query of the days `first_day` to `last_day` (both included) for
    one account, in Rest.li 2.0 form.

    Rest.li 2.0 needs the parentheses, colons and commas of List() and dateRange as they
    are, but the URN inside List() percent-encoded, which a generic encoder gets wrong.
    """
    start = f"(year:{first_day.year},month:{first_day.month},day:{first_day.day})"
    end = f"(year:{last_day.year},month:{last_day.month},day:{last_day.day})"
    account_urn = quote(f"{ACCOUNT_URN_PREFIX}{account_id}", safe="")
    parts = (
        "q=analytics",
        "pivot=CAMPAIGN",
        "timeGranularity=DAILY",
        f"dateRange=(start:{start},end:{end})",
        f"accounts=List({account_urn})",
        f"fields={','.join(ANALYTICS_FIELDS)}",
    )
    return "&".join(parts)
