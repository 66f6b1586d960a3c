"""The backfill command: one run per client and range, progress lines and a summary table."""

from __future__ import annotations

from datetime import timedelta

import pytest

from marketing_assets.local.backfill import run_backfill
from marketing_assets.local.demo import closed_hours_window
from marketing_assets.registry import parse_registry
from marketing_assets_tests.conftest import FIXED_NOW

CLIENTS = ["kiwi-kitchenware", "aloha-surf-co"]


def window() -> tuple:
    end = closed_hours_window(FIXED_NOW)[1]
    return end - timedelta(hours=2), end


def test_backfill_runs_each_client_then_skips_finished(
    platform_environment, dagster_home, fx_rates_loaded, sample_registry, capsys
):
    start, end = window()

    assert run_backfill(sample_registry, start=start, end=end, client_ids=CLIENTS) == 0
    first = capsys.readouterr().out
    assert "[1/2] run" in first
    assert "[2/2] run" in first
    assert "client            hours  runs" in first
    assert "2 run(s), 0 failed." in first

    again = run_backfill(
        sample_registry, start=start, end=end, client_ids=CLIENTS, failed_only=True
    )
    assert again == 0
    second = capsys.readouterr().out
    assert "nothing to run" in second
    assert "0 run(s), 0 failed." in second


def test_backfill_rejects_unknown_client(platform_environment, dagster_home, sample_registry):
    start, end = window()
    with pytest.raises(ValueError, match=r"Unknown client.*no-such-client"):
        run_backfill(sample_registry, start=start, end=end, client_ids=["no-such-client"])


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2025-12-31T22:00", "2026-01-01T02:00", "before the first hour partition"),
        ("2026-11-02T05:00", "2026-11-02T08:00", "after the latest hour closed"),
        ("2026-11-02T02:00", "2026-11-02T01:00", "must be before --end"),
    ],
)
def test_backfill_range_names_the_bad_bound(start, end, message):
    from datetime import UTC, datetime

    from marketing_assets.local.backfill import check_backfill_range

    with pytest.raises(ValueError, match=message):
        check_backfill_range(
            datetime.fromisoformat(start).replace(tzinfo=UTC),
            datetime.fromisoformat(end).replace(tzinfo=UTC),
            FIXED_NOW,
        )


def test_backfill_skips_client_without_hourly_platform(
    platform_environment, dagster_home, fx_rates_loaded, sample_registry, capsys
):
    linkedin_only = parse_registry(
        "clients:\n"
        "  - {id: only-linkedin, name: Only LinkedIn, time_zone: Europe/London,"
        " currency: GBP, accounts: {linkedin: ['509000001']}}\n",
        source="test registry",
    )
    start, end = window()

    assert run_backfill(linkedin_only, start=start, end=end) == 0
    output = capsys.readouterr().out
    assert "only-linkedin: this command loads hours only" in output
    assert "linkedin_daily_sync_job" in output
    assert "0 run(s), 0 failed." in output
