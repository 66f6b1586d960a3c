"""Simulator tests: past days restated as the clock moves, served and truth alike."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from marketing_assets.simulator import SimulatedAccount, SimulatorServer
from marketing_assets.simulator.restatement import revision_ages
from marketing_assets_tests.test_simulator import GOOGLE_BERLIN, META_NEW_YORK
from marketing_assets_tests.test_simulator_truth import (
    exact_totals,
    google_rows,
    google_totals,
    meta_rows,
    meta_totals,
    truth,
)

DAY = date(2026, 12, 3)
GOOGLE_SHORT_WINDOW = SimulatedAccount(
    "google_ads", "4567890123", "America/Los_Angeles", "USD", conversion_window_days=7
)
GOOGLE_LONG_WINDOW = SimulatedAccount(
    "google_ads", "5678901234", "Asia/Kathmandu", "NPR", conversion_window_days=90
)
META_KOLKATA_ADS = SimulatedAccount("meta", "345678901234", "Asia/Kolkata", "INR")
ACCOUNTS = (GOOGLE_BERLIN, GOOGLE_SHORT_WINDOW, GOOGLE_LONG_WINDOW, META_NEW_YORK, META_KOLKATA_ADS)
REVISED_KEYS = ("spend", "clicks", "conversions", "conversion_value", "daily_conversions")


def noon_utc(day: date, age_days: int) -> datetime:
    """Return 12:00 UTC `age_days` after `day`: the same local date in every zone used here."""
    return datetime.combine(day + timedelta(days=age_days), datetime.min.time(), UTC).replace(
        hour=12
    )


def revised_figures(server: SimulatorServer, account: SimulatedAccount) -> dict[str, Any]:
    payload = truth(server, account, date=DAY.isoformat())
    return {key: Decimal(str(payload[key])) for key in REVISED_KEYS}


@pytest.fixture
def simulator() -> Iterator[SimulatorServer]:
    with SimulatorServer(ACCOUNTS, clock=lambda: noon_utc(DAY, 1)) as server:
        yield server


def test_revision_ages_per_platform_and_window() -> None:
    assert revision_ages(META_NEW_YORK) == (1, 2, 3, 7, 14, 28)
    assert revision_ages(GOOGLE_BERLIN) == (1, 2, 3, 7, 14, 30)
    assert revision_ages(GOOGLE_SHORT_WINDOW) == (1, 2, 3, 7)
    assert revision_ages(GOOGLE_LONG_WINDOW) == (1, 2, 3, 7, 14, 30, 60, 90)
    window_45 = SimulatedAccount(
        "google_ads", "1111111111", "UTC", "EUR", conversion_window_days=45
    )
    assert revision_ages(window_45) == (1, 2, 3, 7, 14, 30, 45)


@pytest.mark.parametrize(
    "account",
    [GOOGLE_BERLIN, GOOGLE_SHORT_WINDOW, GOOGLE_LONG_WINDOW, META_NEW_YORK],
    ids=["google-30-days", "google-7-days", "google-90-days", "meta"],
)
def test_restatement_changes_only_at_step_ages(
    simulator: SimulatorServer, account: SimulatedAccount
) -> None:
    steps = revision_ages(account)
    changed_ages = []
    simulator.set_clock(lambda: noon_utc(DAY, 1))
    previous = revised_figures(simulator, account)
    for age in range(2, steps[-1] + 8):
        simulator.set_clock(lambda age=age: noon_utc(DAY, age))
        figures = revised_figures(simulator, account)
        if figures != previous:
            changed_ages.append(age)
        previous = figures

    assert changed_ages == [age for age in steps if age > 1]


@pytest.mark.parametrize(
    "account",
    [GOOGLE_BERLIN, GOOGLE_SHORT_WINDOW, META_NEW_YORK],
    ids=["google-30-days", "google-7-days", "meta"],
)
def test_restatement_is_final_after_last_step(
    simulator: SimulatorServer, account: SimulatedAccount
) -> None:
    last_step = revision_ages(account)[-1]
    simulator.set_clock(lambda: noon_utc(DAY, last_step))
    at_last_step = truth(simulator, account, date=DAY.isoformat())
    simulator.set_clock(lambda: noon_utc(DAY, 400))
    a_year_later = truth(simulator, account, date=DAY.isoformat())

    assert at_last_step["revision_steps"] == len(revision_ages(account))
    for key in (*REVISED_KEYS, "impressions", "rows", "daily_conversion_value"):
        assert a_year_later[key] == at_last_step[key], key


def test_google_credits_clicks_adds_conversions(simulator: SimulatorServer) -> None:
    by_age = {}
    ages = (1, 2, 3, 7, 14, 30)
    for age in ages:
        simulator.set_clock(lambda age=age: noon_utc(DAY, age))
        by_age[age] = revised_figures(simulator, GOOGLE_BERLIN)

    spend = [by_age[age]["spend"] for age in ages]
    clicks = [by_age[age]["clicks"] for age in ages]
    conversions = [by_age[age]["conversions"] for age in ages]
    assert spend == sorted(spend, reverse=True)
    assert clicks == sorted(clicks, reverse=True)
    assert spend[2:] == [spend[2]] * 4
    assert conversions == sorted(conversions)
    assert len(set(conversions)) == len(conversions)


def test_meta_spend_revised_mostly_early(simulator: SimulatorServer) -> None:
    spend = {}
    for age in (1, 3, 28):
        simulator.set_clock(lambda age=age: noon_utc(DAY, age))
        spend[age] = revised_figures(simulator, META_KOLKATA_ADS)["spend"]

    assert spend[1] > spend[3] > spend[28]
    assert spend[1] - spend[3] > spend[3] - spend[28]


def test_truth_equals_served_across_clock_move(simulator: SimulatorServer) -> None:
    day = DAY.isoformat()
    simulator.set_clock(lambda: noon_utc(DAY, 1))
    google_before = google_totals(google_rows(simulator, GOOGLE_BERLIN, day))
    meta_before = meta_totals(meta_rows(simulator, META_NEW_YORK, day))
    assert exact_totals(truth(simulator, GOOGLE_BERLIN, date=day)) == google_before
    assert exact_totals(truth(simulator, META_NEW_YORK, date=day)) == meta_before

    simulator.set_clock(lambda: noon_utc(DAY, 8))
    google_after = google_totals(google_rows(simulator, GOOGLE_BERLIN, day))
    meta_after = meta_totals(meta_rows(simulator, META_NEW_YORK, day))
    assert google_after != google_before
    assert meta_after != meta_before
    assert google_after["impressions"] == google_before["impressions"]
    assert exact_totals(truth(simulator, GOOGLE_BERLIN, date=day)) == google_after
    assert exact_totals(truth(simulator, META_NEW_YORK, date=day)) == meta_after


def test_truth_window_uses_each_days_own_age(simulator: SimulatorServer) -> None:
    # The UTC window covers parts of two local days in Kolkata, each at its own age.
    simulator.set_clock(lambda: noon_utc(DAY, 2))
    window = truth(
        simulator,
        META_KOLKATA_ADS,
        utc_start="2026-12-02T18:30:00Z",
        utc_end="2026-12-04T18:30:00Z",
    )
    first = truth(simulator, META_KOLKATA_ADS, date="2026-12-03")
    second = truth(simulator, META_KOLKATA_ADS, date="2026-12-04")

    assert first["age_days"] == 2
    assert second["age_days"] == 1
    expected = {key: first[key] + second[key] for key in ("rows", "impressions", "clicks")}
    expected["spend"] = Decimal(first["spend"]) + Decimal(second["spend"])
    assert {key: Decimal(str(window[key])) for key in expected} == expected


@pytest.mark.parametrize("age", [0, 1, 2, 3, 7, 29, 91])
def test_restated_rows_stay_valid(simulator: SimulatorServer, age: int) -> None:
    simulator.set_clock(lambda: noon_utc(DAY, age))
    google = google_rows(simulator, GOOGLE_SHORT_WINDOW, "2026-11-30", DAY.isoformat())
    meta = meta_rows(simulator, META_NEW_YORK, DAY.isoformat())

    assert google
    assert meta
    for row in google:
        metrics = row["metrics"]
        assert 0 <= int(metrics["clicks"]) <= int(metrics["impressions"])
        assert int(metrics["costMicros"]) >= 0
        assert metrics["conversions"] >= 0
        assert metrics["conversions"] == metrics["conversions"].quantize(Decimal("0.01"))
        assert metrics["conversionsValue"] >= 0
    for row in meta:
        assert 0 <= int(row["clicks"]) <= int(row["impressions"])
        assert Decimal(row["spend"]) >= 0
        assert Decimal(row["spend"]).as_tuple().exponent == -2
        for action in row.get("actions", []):
            assert int(action["value"]) >= 0


def test_revision_parameter_shifts_restated_numbers() -> None:
    totals = []
    for revision in (0, 1):
        with SimulatorServer(
            ACCOUNTS, clock=lambda: noon_utc(DAY, 10), revision=revision
        ) as server:
            totals.append(truth(server, GOOGLE_BERLIN, date=DAY.isoformat()))

    assert totals[0]["spend"] != totals[1]["spend"]
    assert totals[0]["revision_steps"] == totals[1]["revision_steps"] == 4


def test_restated_numbers_same_across_servers() -> None:
    totals = []
    for _ in range(2):
        with SimulatorServer(ACCOUNTS, clock=lambda: noon_utc(DAY, 5)) as server:
            totals.append(truth(server, META_NEW_YORK, date=DAY.isoformat()))

    assert totals[0] == totals[1]


def test_set_clock_rejects_non_callable(simulator: SimulatorServer) -> None:
    with pytest.raises(TypeError, match="must be callable"):
        simulator.set_clock(noon_utc(DAY, 3))  # type: ignore[arg-type]


@pytest.mark.parametrize("window", [0, 91, True, 7.5])
def test_simulated_account_rejects_invalid_conversion_window(window: object) -> None:
    with pytest.raises(ValueError, match="conversion_window_days"):
        SimulatedAccount(
            "google_ads",
            "1234567890",
            "Europe/Berlin",
            "EUR",
            conversion_window_days=window,  # type: ignore[arg-type]
        )
