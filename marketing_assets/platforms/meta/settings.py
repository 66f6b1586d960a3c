"""Meta Marketing API constants: version, insights query and the error-code classification."""

from __future__ import annotations

import datetime as dt
import json

DEFAULT_BASE_URL = "https://graph.facebook.com"
DEFAULT_API_VERSION = "v24.0"
DEFAULT_PAGE_SIZE = 500

INSIGHTS_LEVEL = "campaign"
INSIGHTS_FIELDS = (
    "campaign_id",
    "campaign_name",
    "account_currency",
    "spend",
    "impressions",
    "clicks",
    "actions",
    "action_values",
)
# Labels rows with the hour in the ad account's time zone, like "09:00:00 - 09:59:59".
HOUR_BREAKDOWN = "hourly_stats_aggregated_by_advertiser_time_zone"
AD_ACCOUNT_FIELDS = "id,name,timezone_name,currency"

# actions entries counted as conversions, and action_values entries summed as their value.
CONVERSION_ACTION_TYPES = frozenset({"purchase", "lead"})
CONVERSION_VALUE_ACTION_TYPES = frozenset({"purchase"})
# Conversions the Meta pixel tracks on the advertiser's site. Meta leaves conversions tracked
# off Meta out of hourly breakdowns, so only daily rows carry them and hourly conversion totals
# fall short of the daily report.
OFFSITE_CONVERSION_ACTION_TYPES = frozenset(
    {"offsite_conversion.fb_pixel_purchase", "offsite_conversion.fb_pixel_lead"}
)
OFFSITE_CONVERSION_VALUE_ACTION_TYPES = frozenset({"offsite_conversion.fb_pixel_purchase"})

# Meta reports rate limits as HTTP 400 with these error codes, not as 429. Code 17 with
# subcode 2446079 is the per-ad-account insights limit; 80000-80014 are business use case
# limits such as 80004 "too many calls to this ad-account".
RATE_LIMIT_ERROR_CODES = frozenset({4, 17, 32, 613, *range(80000, 80015)})
INVALID_TOKEN_ERROR_CODE = 190
# Code 10 and 200-299 are missing permissions (for example ads_read on the ad account).
PERMISSION_ERROR_CODES = frozenset({10, *range(200, 300)})
# Code 1 "unknown error" and code 2 "service temporarily unavailable" may pass on a retry,
# except code 1 with REDUCE_DATA_MESSAGE, which fails again until the request covers less data.
TRANSIENT_ERROR_CODES = frozenset({1, 2})
REDUCE_DATA_MESSAGE = "reduce the amount of data"
RETRYABLE_STATUS_CODES = frozenset({500, 502, 503, 504})

ACCESS_TOKEN_HINT = "refresh the access token passed as access_token (META_ACCESS_TOKEN)"
PERMISSION_HINT = (
    "give the token the ads_read permission, and its user or system user a role on this ad account"
)

# Above this share of any Meta rate limit, as reported in the usage headers, the client pauses
# before its next request, longer the closer usage is to 100% but never more than the maximum.
DEFAULT_USAGE_THRESHOLD_PERCENT = 75
DEFAULT_USAGE_PAUSE_MAX_SECONDS = 60


def insights_params(day: dt.date, *, page_size: int, after: str | None) -> dict[str, str]:
    """Build hourly insights query parameters for one account-local day.

    One day per request with time_increment=1, because a longer range without it sums the
    same hour across days.
    """
    params = daily_insights_params(day, day, page_size=page_size, after=after)
    params["breakdowns"] = HOUR_BREAKDOWN
    return params


def daily_insights_params(
    first_day: dt.date, last_day: dt.date, *, page_size: int, after: str | None
) -> dict[str, str]:
    """Build query parameters for one row per campaign and account-local day, from
    `first_day` to `last_day` (both included).

    Without breakdowns Meta reports each day's totals, pixel conversions included.
    time_increment=1 splits the range into days, and each row's date_start and date_stop
    name its day.
    """
    time_range = {"since": first_day.isoformat(), "until": last_day.isoformat()}
    params = {
        "level": INSIGHTS_LEVEL,
        "fields": ",".join(INSIGHTS_FIELDS),
        "time_range": json.dumps(time_range),
        "time_increment": "1",
        "limit": str(page_size),
    }
    if after is not None:
        params["after"] = after
    return params
