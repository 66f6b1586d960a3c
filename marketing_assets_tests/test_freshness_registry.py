"""Registry field 'freshness': defaults, overrides and every invalid value named."""

from __future__ import annotations

import pytest

from marketing_assets.freshness.settings import min_retrigger_interval
from marketing_assets.registry import FreshnessThresholds, RegistryError, parse_registry

CLIENT = """clients:
  - id: acme-shoes
    name: Acme Shoes
    time_zone: Europe/Berlin
    currency: EUR
    accounts: {meta: ["42"]}
"""


def with_freshness(value: str) -> str:
    return CLIENT + f"    freshness: {value}\n"


def test_missing_freshness_uses_defaults():
    client = parse_registry(CLIENT).clients[0]
    assert client.freshness == FreshnessThresholds(warn_after_minutes=180, fail_after_minutes=360)


def test_freshness_overrides_are_read():
    client = parse_registry(
        with_freshness("{warn_after_minutes: 60, fail_after_minutes: 120}")
    ).clients[0]
    assert client.freshness == FreshnessThresholds(warn_after_minutes=60, fail_after_minutes=120)


def test_one_threshold_keeps_other_default():
    client = parse_registry(with_freshness("{fail_after_minutes: 720}")).clients[0]
    assert client.freshness == FreshnessThresholds(warn_after_minutes=180, fail_after_minutes=720)


def test_client_platforms_follow_accounts():
    assert parse_registry(CLIENT).clients[0].platforms == ("meta",)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("90", r"field 'freshness' must be a mapping"),
        ("{warn_after: 10}", r"unknown field\(s\) \['warn_after'\]"),
        ("{warn_after_minutes: 0}", r"'freshness.warn_after_minutes' must be a whole number"),
        ("{fail_after_minutes: 2.5}", r"'freshness.fail_after_minutes' must be a whole number"),
        ("{warn_after_minutes: true}", r"'freshness.warn_after_minutes' must be a whole number"),
        (
            "{warn_after_minutes: 120, fail_after_minutes: 120}",
            r"'freshness.fail_after_minutes' \(120\) must be greater than",
        ),
        ("{warn_after_minutes: 400}", r"\(360\) must be greater than .* \(400\)"),
    ],
)
def test_invalid_freshness_names_client_and_field(value, message):
    with pytest.raises(RegistryError, match=message) as raised:
        parse_registry(with_freshness(value))
    assert "client #1 ('acme-shoes')" in str(raised.value)


def test_retrigger_interval_reads_minutes(monkeypatch):
    monkeypatch.setenv("MARKETING_ASSETS_ALERT_MIN_RETRIGGER_MINUTES", "15")
    assert min_retrigger_interval().total_seconds() == 15 * 60


def test_invalid_retrigger_interval_says_what_to_set(monkeypatch):
    monkeypatch.setenv("MARKETING_ASSETS_ALERT_MIN_RETRIGGER_MINUTES", "soon")
    with pytest.raises(ValueError, match="set it to a number of minutes"):
        min_retrigger_interval()


def test_notifier_settings_leave_out_unset_destinations(monkeypatch):
    from marketing_assets.settings import NOTIFIER_VARIABLES, notifier_settings

    for variable in NOTIFIER_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    assert notifier_settings() == {}

    monkeypatch.setenv("MARKETING_ASSETS_SLACK_WEBHOOK_URL", "http://127.0.0.1:9/slack/x")
    settings = notifier_settings()
    assert list(settings) == ["slack_webhook_url"]
    # The resource keeps the variable's name, so the UI never shows the webhook URL.
    assert settings["slack_webhook_url"].env_var_name == "MARKETING_ASSETS_SLACK_WEBHOOK_URL"
