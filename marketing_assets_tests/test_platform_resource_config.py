"""Timeouts, retry budget and usage pacing of the platform resources, set as Dagster config."""

from __future__ import annotations

import dagster as dg
import pytest

from marketing_assets.platforms.google_ads import GoogleAdsResource
from marketing_assets.platforms.meta import MetaResource

ENV_FIELDS = {
    "timeout_seconds": "TEST_PLATFORM_TIMEOUT_SECONDS",
    "connect_timeout_seconds": "TEST_PLATFORM_CONNECT_TIMEOUT_SECONDS",
    "max_retry_seconds": "TEST_PLATFORM_MAX_RETRY_SECONDS",
    "max_attempts": "TEST_PLATFORM_MAX_ATTEMPTS",
    "usage_threshold_percent": "TEST_META_USAGE_THRESHOLD_PERCENT",
    "usage_pause_max_seconds": "TEST_META_USAGE_PAUSE_MAX_SECONDS",
}


def meta_settings(resource: MetaResource) -> dict[str, object]:
    return {field: getattr(resource, field) for field in ENV_FIELDS}


def materialize_meta_settings(resource: MetaResource) -> dict[str, object]:
    """Run an asset that returns the resource's settings as Dagster resolved them."""

    @dg.asset
    def settings(meta: MetaResource) -> dict[str, object]:
        return meta_settings(meta)

    result = dg.materialize([settings], resources={"meta": resource})
    return result.output_for_node("settings")


def test_defaults():
    resource = MetaResource(access_token="token")

    assert meta_settings(resource) == {
        "timeout_seconds": 120,
        "connect_timeout_seconds": 10,
        "max_retry_seconds": 300,
        "max_attempts": 5,
        "usage_threshold_percent": 75,
        "usage_pause_max_seconds": 60,
    }
    assert resource.backoff_initial_seconds == 1.0


def test_google_ads_shares_timeouts_and_retry_budget():
    fields = GoogleAdsResource.model_fields

    for name in ("timeout_seconds", "connect_timeout_seconds", "max_retry_seconds", "max_attempts"):
        assert fields[name].annotation is int
        assert fields[name].description


def test_env_vars_set_fields_at_run_start(monkeypatch):
    values = {
        "timeout_seconds": 30,
        "connect_timeout_seconds": 3,
        "max_retry_seconds": 900,
        "max_attempts": 8,
        "usage_threshold_percent": 60,
        "usage_pause_max_seconds": 15,
    }
    for field, name in ENV_FIELDS.items():
        monkeypatch.setenv(name, str(values[field]))
    resource = MetaResource(
        access_token="token", **{field: dg.EnvVar.int(name) for field, name in ENV_FIELDS.items()}
    )

    assert materialize_meta_settings(resource) == values


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("timeout_seconds", 0, "Invalid timeout_seconds 0: use 1 or more."),
        ("connect_timeout_seconds", -5, "Invalid connect_timeout_seconds -5: use 1 or more."),
        ("max_retry_seconds", -1, "Invalid max_retry_seconds -1: use 0 or more."),
        ("max_attempts", 0, "Invalid max_attempts 0: use 1 or more."),
        ("backoff_initial_seconds", -0.5, "Invalid backoff_initial_seconds -0.5: use 0 or more."),
        (
            "usage_threshold_percent",
            100,
            "Invalid usage_threshold_percent 100: use a number from 1 to 99.",
        ),
        ("usage_pause_max_seconds", -1, "Invalid usage_pause_max_seconds -1: use 0 or more."),
    ],
)
def test_out_of_range_value_is_rejected(field: str, value: object, message: str):
    with pytest.raises(ValueError, match=message):
        MetaResource(access_token="token", **{field: value})


def test_invalid_env_var_fails_run(monkeypatch):
    monkeypatch.setenv("TEST_PLATFORM_MAX_ATTEMPTS", "0")
    resource = MetaResource(
        access_token="token", max_attempts=dg.EnvVar.int("TEST_PLATFORM_MAX_ATTEMPTS")
    )

    with pytest.raises(dg.DagsterResourceFunctionError) as raised:
        materialize_meta_settings(resource)

    assert "Invalid max_attempts 0: use 1 or more." in str(raised.value.__cause__)


def test_fields_describe_their_unit():
    fields = MetaResource.model_fields

    for name in ENV_FIELDS:
        description = fields[name].description or ""
        assert description
        unit = name.rsplit("_", 1)[-1]
        if unit in ("seconds", "percent"):
            assert unit in description
