"""Microsoft Advertising Reporting v13 constants: report request and error classification."""

from __future__ import annotations

import datetime as dt
from typing import Any

from marketing_assets.platforms.errors import PLATFORM_LABELS

PLATFORM = "microsoft_ads"
# Registered here, beside the platform's other constants, so describe_scope() names the
# platform in every message without errors.py importing each platform.
PLATFORM_LABELS.setdefault(PLATFORM, "Microsoft Advertising")

DEFAULT_BASE_URL = "https://reporting.api.bingads.microsoft.com"
DEFAULT_API_VERSION = "v13"
SUBMIT_PATH = "GenerateReport/Submit"
POLL_PATH = "GenerateReport/Poll"

# Polling waits this long between Poll calls, and gives up once a report has been pending for
# the timeout. Hourly reports of one account-day usually finish within seconds (an estimate).
DEFAULT_POLL_INTERVAL_SECONDS = 5.0
DEFAULT_POLL_TIMEOUT_SECONDS = 600

REPORT_TYPE = "CampaignPerformanceReportRequest"
HOURLY = "Hourly"
DAILY = "Daily"
# Revenue is the conversion value. TimePeriod reads "2023-11-11|01" with Hourly aggregation and
# "2023-11-11" with Daily.
COLUMNS = (
    "AccountId",
    "CampaignId",
    "CampaignName",
    "TimePeriod",
    "CurrencyCode",
    "Impressions",
    "Clicks",
    "Spend",
    "Conversions",
    "Revenue",
)
TIME_ZONE_HEADER = "Time Zone"
ROWS_HEADER = "Rows"

# Poll statuses: Pending while the report runs, then Success or Error.
STATUS_PENDING = "Pending"
STATUS_SUCCESS = "Success"
STATUS_ERROR = "Error"

# ErrorCode values of OperationErrors. NOTE: CallRateExceeded (code 117) carries no documented
# wait hint in the body, so the client uses a Retry-After header when one comes.
RATE_LIMIT_ERROR_CODES = frozenset({"CallRateExceeded"})
ACCESS_TOKEN_ERROR_CODES = frozenset({"AuthenticationTokenExpired", "InvalidCredentials"})
PERMISSION_ERROR_CODES = frozenset({"UserIsNotAuthorized", "InvalidDeveloperToken"})
TRANSIENT_ERROR_CODES = frozenset({"InternalError"})
RETRYABLE_STATUS_CODES = frozenset({500, 502, 503, 504})

ACCESS_TOKEN_HINT = (
    "refresh the OAuth access token passed as access_token (MICROSOFT_ADS_ACCESS_TOKEN)"
)
PERMISSION_HINT = (
    "check developer_token (MICROSOFT_ADS_DEVELOPER_TOKEN), customer_id and that the user "
    "behind the token can read this account"
)


def report_request(
    account_id: str,
    day: dt.date,
    aggregation: str = HOURLY,
    *,
    last_day: dt.date | None = None,
) -> dict[str, Any]:
    """Build the Submit body of a campaign performance report, hourly by default.

    The report covers `day`, or `day` to `last_day` when that is given.

    No ReportTimeZone is sent, so the report uses the account's zone, and the parser reads
    the zone from the report either way. Header and footer rows stay in the CSV because the
    header carries the time zone and the row count.
    """
    end = last_day or day
    start_date = {"Day": day.day, "Month": day.month, "Year": day.year}
    end_date = {"Day": end.day, "Month": end.month, "Year": end.year}
    days = day.isoformat() if end == day else f"{day.isoformat()} to {end.isoformat()}"
    return {
        "ReportRequest": {
            "Type": REPORT_TYPE,
            "ReportName": f"marketing_assets {aggregation} {account_id} {days}",
            "Format": "Csv",
            "FormatVersion": "2.0",
            "ExcludeReportHeader": False,
            "ExcludeReportFooter": False,
            "ExcludeColumnHeaders": False,
            "ReturnOnlyCompleteData": False,
            "Aggregation": aggregation,
            "Columns": list(COLUMNS),
            "Scope": {"AccountIds": [int(account_id)]},
            "Time": {"CustomDateRangeStart": start_date, "CustomDateRangeEnd": end_date},
        }
    }
