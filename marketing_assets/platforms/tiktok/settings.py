"""TikTok Business API constants: version, report query and the error-code classification."""

from __future__ import annotations

import datetime as dt
import json

from marketing_assets.platforms.errors import PLATFORM_LABELS

PLATFORM = "tiktok"
# Registered here, beside the platform's other constants, so describe_scope() names TikTok in
# every message without errors.py importing each platform.
PLATFORM_LABELS.setdefault(PLATFORM, "TikTok")

DEFAULT_BASE_URL = "https://business-api.tiktok.com"
DEFAULT_API_VERSION = "v1.3"
# TikTok rejects page_size above 1000.
MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = MAX_PAGE_SIZE
# A day has at most 25 local hours, so even 1000 campaigns fit in 25 pages of 1000 rows. More
# pages than this means the page numbers do not advance.
MAX_PAGES = 1000

REPORT_PATH = "report/integrated/get/"
ADVERTISER_INFO_PATH = "advertiser/info/"
ADVERTISER_FIELDS = ("name", "currency", "timezone")

# stat_time_hour reads "2025-03-01 09:00:00" in the advertiser's time zone, and stat_time_day
# reads "2025-03-01 00:00:00".
DIMENSIONS = ("campaign_id", "stat_time_hour")
DAILY_DIMENSIONS = ("campaign_id", "stat_time_day")
# campaign_name is an attribute metric that TikTok returns next to the numbers.
METRICS = ("campaign_name", "spend", "impressions", "clicks", "conversion")

# TikTok answers errors with HTTP 200 and a non-zero `code`. Codes 40100, 40067, 60001 and
# 40002 come from public connector fixtures. NOTE: 40100 as the rate-limit code, and the
# token codes 40104/40105, are unverified against TikTok's own reference.
OK_CODE = 0
RATE_LIMIT_CODES = frozenset({40100})
ACCESS_TOKEN_CODES = frozenset({40104, 40105})
PERMISSION_CODES = frozenset({40001, 40002})
QUERY_TOO_LARGE_CODES = frozenset({40067})
TRANSIENT_CODES = frozenset({50000, 50002, 60001})
RETRYABLE_STATUS_CODES = frozenset({500, 502, 503, 504})

ACCESS_TOKEN_HINT = "refresh the access token passed as access_token (TIKTOK_ACCESS_TOKEN)"
PERMISSION_HINT = (
    "authorize the app for this advertiser in TikTok Business Center and check the advertiser_id"
)


def report_params(
    advertiser_id: str,
    day: dt.date,
    *,
    page: int,
    page_size: int,
    dimensions: tuple[str, ...] = DIMENSIONS,
    last_day: dt.date | None = None,
) -> dict[str, str]:
    """Build report query parameters for advertiser-local days, hourly by default.

    Hourly reports accept one day per request, so start_date equals end_date. A daily report
    (DAILY_DIMENSIONS) may cover `day` to `last_day`.
    """
    return {
        "advertiser_id": advertiser_id,
        "report_type": "BASIC",
        "data_level": "AUCTION_CAMPAIGN",
        "dimensions": json.dumps(list(dimensions)),
        "metrics": json.dumps(list(METRICS)),
        "start_date": day.isoformat(),
        "end_date": (last_day or day).isoformat(),
        "page": str(page),
        "page_size": str(page_size),
    }


def advertiser_params(advertiser_id: str) -> dict[str, str]:
    return {
        "advertiser_ids": json.dumps([advertiser_id]),
        "fields": json.dumps(list(ADVERTISER_FIELDS)),
    }
