"""MetaResource against the simulator's usage limit: pacing keeps a burst below 100%.

The burst is one day of hourly insights read 8 rows a page, about 18 calls, against a limit
of 10 calls per 2 s window, so an unpaced client runs into the limit within one window.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from marketing_assets.platforms.errors import PlatformRateLimitError
from marketing_assets.platforms.meta import MetaResource
from marketing_assets.simulator import SimulatorServer
from marketing_assets.simulator.meta_usage_limit import MetaUsageLimit
from marketing_assets_tests.test_simulator import ACCOUNTS, FIXED_NOW, META_NEW_YORK

DAY = dt.date(2026, 12, 3)
PAGE_SIZE = 8
CALLS_PER_WINDOW = 10
WINDOW_SECONDS = 2.0


@contextmanager
def limited_simulator() -> Iterator[tuple[SimulatorServer, MetaUsageLimit]]:
    plan = MetaUsageLimit(calls_per_window=CALLS_PER_WINDOW, window_seconds=WINDOW_SECONDS)
    with SimulatorServer(ACCOUNTS, clock=lambda: FIXED_NOW, fault_plan=plan) as server:
        yield server, plan


def meta(server: SimulatorServer, **settings: object) -> MetaResource:
    return MetaResource(
        access_token="sim-meta-access-token",
        base_url=f"{server.url}/meta",
        page_size=PAGE_SIZE,
        max_attempts=2,
        max_retry_seconds=5,
        backoff_initial_seconds=0.01,
        **settings,
    )


def test_paced_burst_never_hits_limit(caplog):
    caplog.set_level(logging.WARNING, logger="marketing_assets.platforms")
    with SimulatorServer(ACCOUNTS, clock=lambda: FIXED_NOW) as unlimited:
        expected = meta(unlimited).fetch_campaign_hours(
            account_id=META_NEW_YORK.account_id, day=DAY
        )

    with limited_simulator() as (server, plan):
        records = meta(server).fetch_campaign_hours(account_id=META_NEW_YORK.account_id, day=DAY)

    assert len(expected) > PAGE_SIZE * CALLS_PER_WINDOW
    assert records == expected
    assert plan.rejected() == 0
    assert "Retrying" not in caplog.text
    pauses = [record for record in caplog.records if record.getMessage().startswith("Pausing")]
    assert pauses
    message = pauses[-1].getMessage()
    assert f"for ad account {META_NEW_YORK.account_id}" in message
    assert "usage_threshold_percent=75" in message
    assert re.search(r"\(business use case \d+%, ad account \d+%, app \d+%", message)


def test_unpaced_burst_hits_limit():
    with limited_simulator() as (server, plan):
        resource = meta(server, usage_pause_max_seconds=0)
        with pytest.raises(PlatformRateLimitError, match="error code 80004") as raised:
            resource.fetch_campaign_hours(account_id=META_NEW_YORK.account_id, day=DAY)

    assert plan.rejected() == 1
    assert raised.value.retry_after == 60.0
