import datetime as dt
import json
import re

import httpx
import pytest

from marketing_assets.platforms.errors import (
    PlatformAuthError,
    PlatformRateLimitError,
    PlatformRequestError,
    PlatformTransientError,
)
from marketing_assets.platforms.google_ads.resource import (
    error_from_response,
    validate_customer_id,
)

DAY = dt.date(2026, 12, 3)
CUSTOMER = "1234567890"


def google_error(code: int, status: str, message: str, error_code: dict | None = None) -> str:
    error: dict = {"code": code, "status": status, "message": message}
    if error_code is not None:
        error["details"] = [
            {
                "@type": "type.googleapis.com/google.ads.googleads.v22.errors.GoogleAdsFailure",
                "errors": [{"errorCode": error_code, "message": message}],
                "requestId": "req-1",
            }
        ]
    return json.dumps([{"error": error}])


def map_error(status_code: int, body: str):
    response = httpx.Response(status_code, text=body)
    return error_from_response(response, customer_id=CUSTOMER, day=DAY)


def test_quota_error_is_rate_limit_with_retry_delay():
    body = json.dumps(
        {
            "error": {
                "code": 429,
                "status": "RESOURCE_EXHAUSTED",
                "message": "Resource has been exhausted.",
                "details": [
                    {
                        "@type": "GoogleAdsFailure",
                        "errors": [
                            {
                                "errorCode": {"quotaError": "RESOURCE_TEMPORARILY_EXHAUSTED"},
                                "details": {"quotaErrorDetails": {"retryDelay": "42s"}},
                            }
                        ],
                    }
                ],
            }
        }
    )

    error = map_error(429, body)

    assert isinstance(error, PlatformRateLimitError)
    assert error.retry_after == 42.0
    assert error.status_code == 429
    assert "customer 1234567890 on 2026-12-03" in str(error)
    assert "HTTP 429 RESOURCE_EXHAUSTED" in str(error)
    assert "Wait 42 s" in str(error)


def test_429_without_body_is_rate_limit_without_hint():
    error = map_error(429, "Too Many Requests")

    assert isinstance(error, PlatformRateLimitError)
    assert error.retry_after is None


def test_401_is_auth_error_naming_token_variable():
    error = map_error(401, google_error(401, "UNAUTHENTICATED", "Request had invalid credentials."))

    assert isinstance(error, PlatformAuthError)
    assert "HTTP 401 UNAUTHENTICATED" in str(error)
    assert "GOOGLE_ADS_ACCESS_TOKEN" in str(error)
    assert "Do not retry" in str(error)


def test_user_permission_denied_points_at_login_customer_id():
    body = google_error(
        403,
        "PERMISSION_DENIED",
        "User doesn't have permission to access customer.",
        {"authorizationError": "USER_PERMISSION_DENIED"},
    )

    error = map_error(403, body)

    assert isinstance(error, PlatformAuthError)
    assert "(USER_PERMISSION_DENIED)" in str(error)
    assert "login_customer_id" in str(error)
    assert "[request id req-1]" in str(error)


def test_unapproved_developer_token_is_auth_error():
    body = google_error(
        403,
        "PERMISSION_DENIED",
        "The developer token is not approved.",
        {"authorizationError": "DEVELOPER_TOKEN_NOT_APPROVED"},
    )

    error = map_error(403, body)

    assert isinstance(error, PlatformAuthError)
    assert "Do not retry: apply for Basic or Standard access" in str(error)
    assert "GOOGLE_ADS_DEVELOPER_TOKEN" in str(error)


@pytest.mark.parametrize(
    ("error_code", "hint"),
    [
        ("CUSTOMER_NOT_ENABLED", "reactivate the customer in Google Ads"),
        (
            "CLOUD_PROJECT_NOT_APPROVED_FOR_PRODUCTION",
            "apply for Explorer, Basic or Standard access",
        ),
    ],
)
def test_authorization_error_names_fix(error_code: str, hint: str):
    body = google_error(403, "PERMISSION_DENIED", "Denied.", {"authorizationError": error_code})

    error = map_error(403, body)

    assert isinstance(error, PlatformAuthError)
    assert f"customer {CUSTOMER} on 2026-12-03" in str(error)
    assert f"({error_code})" in str(error)
    assert f"Do not retry: {hint}" in str(error)


def test_invalid_argument_is_request_error():
    body = google_error(
        400,
        "INVALID_ARGUMENT",
        "Request contains an invalid argument.",
        {"queryError": "UNRECOGNIZED_FIELD"},
    )

    error = map_error(400, body)

    assert isinstance(error, PlatformRequestError)
    assert "(UNRECOGNIZED_FIELD)" in str(error)


@pytest.mark.parametrize(
    ("status_code", "body"),
    [
        (500, google_error(500, "INTERNAL", "Internal error encountered.")),
        (503, google_error(503, "UNAVAILABLE", "The service is currently unavailable.")),
        (502, "<html>Bad Gateway</html>"),
    ],
)
def test_server_errors_are_transient(status_code: int, body: str):
    error = map_error(status_code, body)

    assert isinstance(error, PlatformTransientError)
    assert f"HTTP {status_code}" in str(error)


@pytest.mark.parametrize(
    "value",
    ["123-456-7890", "act_1", "", "12345678901", "12345 67890", "1234567890\n", "١٢٣٤٥٦٧٨٩٠"],
)
def test_validate_customer_id_rejects_non_ten_digits(value: str):
    with pytest.raises(ValueError, match=re.escape(f"customer_id {value!r}: expected 10 digits")):
        validate_customer_id(value, field="customer_id")
