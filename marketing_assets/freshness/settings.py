"""Alert settings a deployment may tune without code, read when a sensor tick starts."""

from __future__ import annotations

import os
from datetime import timedelta

MIN_RETRIGGER_VARIABLE = "MARKETING_ASSETS_ALERT_MIN_RETRIGGER_MINUTES"
# A client whose data flaps between fresh and stale pages at most once an hour. An hour is
# long enough that a flapping sync does not wake someone every tick, and short enough that a
# relapse after a fix pages again within the hour.
DEFAULT_MIN_RETRIGGER_MINUTES = 60


def min_retrigger_interval() -> timedelta:
    """Return the shortest time between two pages of one incident key, from the environment."""
    text = os.environ.get(MIN_RETRIGGER_VARIABLE, "")
    if not text:
        return timedelta(minutes=DEFAULT_MIN_RETRIGGER_MINUTES)
    try:
        minutes = float(text)
    except ValueError:
        minutes = -1.0
    if not minutes >= 0:
        raise ValueError(
            f"Invalid {MIN_RETRIGGER_VARIABLE}={text!r}: set it to a number of minutes, 0 or "
            f"more, or unset it for the default of {DEFAULT_MIN_RETRIGGER_MINUTES}."
        )
    return timedelta(minutes=minutes)
