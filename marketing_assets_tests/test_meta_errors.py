import datetime as dt
import json

import httpx
import pytest

from marketing_assets.platforms.errors import (
    PlatformAuthError,
    PlatformRateLimitError,
    PlatformRequestError,
    PlatformTransientError,
)
from marketing_assets.platforms.meta.resource import (
    MetaReduceDataError,
    error_from_response,
    validate_account_id,
)

DAY = dt.date(2026, 12, 3)
ACCOUNT = "123456789012"


def map_error(status_code: int, code: int | None, message: str = "", **extra: object):
    error = {"message": message, "type": "OAuthException", "fbtrace_id": "Fb1", **extra}
    if code is not None:
        error["code"] = code
    headers = {}
    if "usage" in extra:
        headers["x-business-use-case-usage"] = json.dumps(error.pop("usage"))
    response = httpx.Response(status_code, json={"error": error}, headers=headers)
    return error_from_response(response, account_id=ACCOUNT, day=DAY)


@pytest.mark.parametrize("code", [4, 17, 32, 613, 80000, 80004, 80014])
def test_http_400_rate_limit_codes(code: int):
    error = map_error(400, code, "User request limit reached")

    assert isinstance(error, PlatformRateLimitError)
    assert error.status_code == 400
    assert f"error code {code}" in str(error)


def test_rate_limit_uses_estimated_time_to_regain_access():
    usage = {"act": [{"type": "ads_insights", "estimated_time_to_regain_access": 5}]}

    error = map_error(400, 17, "User request limit reached", error_subcode=2446079, usage=usage)

    assert isinstance(error, PlatformRateLimitError)
    assert error.retry_after == 300.0
    assert "error code 17 subcode 2446079" in str(error)
    assert "wait 300 s" in str(error)


def test_rate_limit_without_usage_header_has_no_hint():
    error = map_error(400, 80004, "There have been too many calls to this ad-account.")

    assert isinstance(error, PlatformRateLimitError)
    assert error.retry_after is None


def test_invalid_token_is_auth_error_naming_variable():
    error = map_error(400, 190, "Error validating access token: Session has expired.")

    assert isinstance(error, PlatformAuthError)
    assert "META_ACCESS_TOKEN" in str(error)
    assert "ad account 123456789012 on 2026-12-03" in str(error)
    assert "HTTP 400, error code 190" in str(error)
    assert "[fbtrace_id Fb1]" in str(error)


@pytest.mark.parametrize(("status_code", "code"), [(403, 200), (400, 10), (400, 294), (400, 299)])
def test_permission_error_is_auth_error(status_code: int, code: int):
    error = map_error(status_code, code, "Permissions error")

    assert isinstance(error, PlatformAuthError)
    assert f"ad account {ACCOUNT} on 2026-12-03" in str(error)
    assert f"error code {code}" in str(error)
    assert "Do not retry: give the token the ads_read permission" in str(error)


def test_http_401_is_auth_error_without_graph_body():
    response = httpx.Response(401, text="Unauthorized")

    error = error_from_response(response, account_id=ACCOUNT, day=DAY)

    assert isinstance(error, PlatformAuthError)
    assert "META_ACCESS_TOKEN" in str(error)


def test_reduce_data_error_is_request_error():
    error = map_error(500, 1, "Please reduce the amount of data you're asking for, then retry")

    assert isinstance(error, PlatformRequestError)
    assert "fewer fields" in str(error)


def test_reduce_data_error_names_range():
    message = "Please reduce the amount of data you're asking for, then retry"
    body = {"error": {"message": message, "type": "OAuthException", "code": 1}}
    last_day = DAY + dt.timedelta(days=2)

    error = error_from_response(
        httpx.Response(500, json=body), account_id=ACCOUNT, day=DAY, last_day=last_day
    )

    assert isinstance(error, MetaReduceDataError)
    assert "ad account 123456789012 from 2026-12-03 to 2026-12-05 failed" in str(error)
    assert "request fewer days at a time" in str(error)
    assert error.last_day == last_day


@pytest.mark.parametrize(("status_code", "code"), [(500, 2), (500, 1), (503, None), (502, None)])
def test_temporary_errors_are_transient(status_code: int, code: int | None):
    error = map_error(status_code, code, "Service temporarily unavailable")

    assert isinstance(error, PlatformTransientError)


def test_invalid_parameter_is_request_error():
    error = map_error(400, 100, "(#100) breakdowns[0] must be one of the following values")

    assert isinstance(error, PlatformRequestError)
    assert "Do not retry" in str(error)


def test_non_graph_body_keeps_status():
    response = httpx.Response(502, text="<html>Bad Gateway</html>")

    error = error_from_response(response, account_id=ACCOUNT, day=DAY)

    assert isinstance(error, PlatformTransientError)
    assert "HTTP 502 and a body that is not a Graph API error object" in str(error)


@pytest.mark.parametrize("value", ["act_123", "12 34", "", "123\n", "١٢٣"])
def test_validate_account_id_rejects_non_digits(value: str):
    with pytest.raises(ValueError, match="expected digits only"):
        validate_account_id(value)
