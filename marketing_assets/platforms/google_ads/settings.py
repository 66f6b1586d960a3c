"""Google Ads API constants: version, GAQL fields and the retry classification."""

from __future__ import annotations

import datetime as dt

DEFAULT_BASE_URL = "https://googleads.googleapis.com"
DEFAULT_API_VERSION = "v22"

# One row per campaign and account-local hour; segments.date and segments.hour are in the
# account's time zone, so the day filter below selects one local day.
CAMPAIGN_HOUR_FIELDS = (
    "customer.id",
    "customer.currency_code",
    "customer.time_zone",
    "campaign.id",
    "campaign.name",
    "campaign.status",
    "segments.date",
    "segments.hour",
    "metrics.impressions",
    "metrics.clicks",
    "metrics.cost_micros",
    "metrics.conversions",
    "metrics.conversions_value",
)

# One row per campaign and account-local day: the same metrics without segments.hour, so
# Google sums each day itself. A query over several days returns one row per campaign and day.
CAMPAIGN_DAY_FIELDS = (
    "customer.id",
    "customer.currency_code",
    "campaign.id",
    "segments.date",
    "metrics.impressions",
    "metrics.clicks",
    "metrics.cost_micros",
    "metrics.conversions",
    "metrics.conversions_value",
)

# HTTP statuses worth another attempt: 429 RESOURCE_EXHAUSTED, 500 INTERNAL, 502/504 from
# proxies and 503 UNAVAILABLE. 400, 401 and 403 never change on a retry.
RETRYABLE_STATUS_CODES = frozenset({429, 500, 502, 503, 504})

# quotaError values in a GoogleAdsFailure that mean "wait, then retry".
RETRYABLE_QUOTA_ERRORS = frozenset({"RESOURCE_EXHAUSTED", "RESOURCE_TEMPORARILY_EXHAUSTED"})

ACCESS_TOKEN_HINT = (
    "refresh the OAuth access token passed as access_token (GOOGLE_ADS_ACCESS_TOKEN)"
)

# authenticationError values of a 401 that the access token does not explain.
AUTHENTICATION_ERROR_HINTS = {
    "DEVELOPER_TOKEN_INVALID": (
        "check the developer token passed as developer_token (GOOGLE_ADS_DEVELOPER_TOKEN)"
    ),
}

# authorizationError values and what the operator should do about each.
AUTHORIZATION_ERROR_HINTS = {
    "USER_PERMISSION_DENIED": (
        "grant the OAuth user access to this customer, and pass the manager account id as "
        "login_customer_id when the customer is reached through a manager account"
    ),
    "DEVELOPER_TOKEN_NOT_APPROVED": (
        "apply for Basic or Standard access for the developer token passed as developer_token "
        "(GOOGLE_ADS_DEVELOPER_TOKEN), because a token with test access reaches only test "
        "accounts"
    ),
    # API v25 added this value and deprecated DEVELOPER_TOKEN_NOT_APPROVED, which it replaces.
    "CLOUD_PROJECT_NOT_APPROVED_FOR_PRODUCTION": (
        "apply for Explorer, Basic or Standard access for the OAuth client's Google Cloud "
        "project, because it is approved only for test accounts"
    ),
    "DEVELOPER_TOKEN_PROHIBITED": "use the developer token of the OAuth client's project",
    "CUSTOMER_NOT_ENABLED": (
        "reactivate the customer in Google Ads or remove it from the client registry, because "
        "Google rejects requests for a customer that is deactivated or not yet enabled"
    ),
}
DEFAULT_PERMISSION_HINT = (
    "check the developer token, the OAuth user's access to this customer and login_customer_id"
)


def campaign_hours_query(day: dt.date) -> str:
    """Build the GAQL query for hourly campaign metrics of one account-local day."""
    return _campaign_query(CAMPAIGN_HOUR_FIELDS, day, day)


def campaign_days_query(first_day: dt.date, last_day: dt.date) -> str:
    """Build the GAQL query for daily campaign totals of the account-local days from
    `first_day` to `last_day`, both included."""
    return _campaign_query(CAMPAIGN_DAY_FIELDS, first_day, last_day)


def _campaign_query(fields: tuple[str, ...], first_day: dt.date, last_day: dt.date) -> str:
    # GAQL's BETWEEN includes both dates.
    return (
        f"SELECT {', '.join(fields)} FROM campaign "
        f"WHERE segments.date BETWEEN '{first_day.isoformat()}' AND '{last_day.isoformat()}'"
    )


CUSTOMER_FIELDS: tuple[str, ...] = (
    "customer.id",
    "customer.descriptive_name",
    "customer.currency_code",
    "customer.time_zone",
)


def customer_query() -> str:
    """Build the GAQL query for the account's own settings (one row, no date segment)."""
    return f"SELECT {', '.join(CUSTOMER_FIELDS)} FROM customer"
