"""Deployment settings read from the environment, resolved when a run or tick needs them."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

REGISTRY_PATH_VARIABLE = "MARKETING_ASSETS_REGISTRY"
SAMPLE_REGISTRY = "sample_clients.yaml"


def registry_path(configured: str = "") -> Path:
    """Return the registry file: the configured path, else $MARKETING_ASSETS_REGISTRY, else
    the sample clients shipped with the package."""
    if configured:
        return Path(configured)
    from_environment = os.environ.get(REGISTRY_PATH_VARIABLE, "")
    if from_environment:
        return Path(from_environment)
    return Path(str(resources.files("marketing_assets").joinpath(SAMPLE_REGISTRY)))


# Platform HTTP settings a deployment may tune without code: variable -> resource field.
HTTP_SETTING_VARIABLES = {
    "MARKETING_ASSETS_HTTP_TIMEOUT_SECONDS": "timeout_seconds",
    "MARKETING_ASSETS_HTTP_MAX_RETRY_SECONDS": "max_retry_seconds",
    "MARKETING_ASSETS_HTTP_MAX_ATTEMPTS": "max_attempts",
}


def http_settings() -> dict[str, float]:
    """Return the platform resources' HTTP fields set in the environment, checked.

    Unset variables are left out, so the resources keep their defaults.
    """
    settings: dict[str, float] = {}
    for variable, field in HTTP_SETTING_VARIABLES.items():
        text = os.environ.get(variable, "")
        if not text:
            continue
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if not value > 0 or (field == "max_attempts" and not value.is_integer()):
            kind = "a whole number" if field == "max_attempts" else "a number of seconds"
            raise ValueError(
                f"Invalid {variable}={text!r}: set it to {kind} above 0, or unset it for the "
                "default."
            )
        settings[field] = int(value) if field == "max_attempts" else value
    return settings


MICROSOFT_ADS_POLL_VARIABLE = "MICROSOFT_ADS_POLL_INTERVAL_SECONDS"


def microsoft_ads_poll_settings() -> dict[str, float]:
    """Return MicrosoftAdsResource's poll_interval_seconds when the environment sets it.

    The field is a float, which no dg.EnvVar can set, so the variable is read when the code
    location loads. Unset, the resource keeps its default of 5 seconds.
    """
    text = os.environ.get(MICROSOFT_ADS_POLL_VARIABLE, "")
    if not text:
        return {}
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not seconds >= 0:
        raise ValueError(
            f"Invalid {MICROSOFT_ADS_POLL_VARIABLE}={text!r}: set it to a number of seconds, 0 "
            "or more, or unset it for the default of 5."
        )
    return {"poll_interval_seconds": seconds}


# Alert destinations: variable -> AlertNotifier field. Each is optional, so a deployment
# may page through PagerDuty only, post to Slack only, or neither.
NOTIFIER_VARIABLES = {
    "MARKETING_ASSETS_PAGERDUTY_ROUTING_KEY": "pagerduty_routing_key",
    "MARKETING_ASSETS_PAGERDUTY_EVENTS_URL": "pagerduty_events_url",
    "MARKETING_ASSETS_SLACK_WEBHOOK_URL": "slack_webhook_url",
    "MARKETING_ASSETS_DAGSTER_UI_URL": "dagster_ui_url",
}


def notifier_settings() -> dict[str, object]:
    """Return AlertNotifier fields for the variables set when the code location loads.

    A set variable is passed as dg.EnvVar, so the UI shows its name, never the routing key or
    webhook URL, and the value is read when a sensor runs. An unset one is left out: a
    dg.EnvVar of an unset variable would fail every sensor tick that uses the notifier.
    """
    import dagster as dg

    return {
        field: dg.EnvVar(variable)
        for variable, field in NOTIFIER_VARIABLES.items()
        if os.environ.get(variable)
    }
