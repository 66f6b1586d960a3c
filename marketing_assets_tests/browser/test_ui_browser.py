"""An operator's path through the Dagster UI in Debian's Chromium, with screenshots for docs.

The test starts the embedded PostgreSQL, the simulator (on the real clock) and
`dagster dev`, then opens Meta's unified asset, launches a backfill of two clients over six
closed hours from the group's Materialize dialog, waits for the runs, and opens the checks.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from marketing_assets.local.demo import closed_hours_window
from marketing_assets.partitions import HOUR_KEY_FORMAT
from marketing_assets_tests.browser.dagster_dev import PROJECT_ROOT, DagsterDev, dagster_dev

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"
# Without the background-networking flags Chromium keeps dialing Google's hosts, which this
# machine's closed network refuses; --no-sandbox because CI runs as root.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CLIENTS = ("aloha-surf-co", "kiwi-kitchenware")
HOURS = 6
UNIFIED_ASSET = "meta_campaign_performance_hourly"
ROWS_CHECK = "meta_campaign_performance_hourly_rows_valid"
# On a 2-core machine the whole backfill took under 3 minutes, each client's run about 100 s.
BACKFILL_TIMEOUT_SECONDS = 600
TERMINAL_RUN_STATUSES = {"SUCCESS", "FAILURE", "CANCELED"}

BACKFILLS_QUERY = """
{
  partitionBackfillsOrError {
    ... on PartitionBackfills { results { id status } }
  }
}
"""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason="Debian's chromium is not installed (run `make browser` as root); CI runs this",
    ),
]


@pytest.fixture
def ui(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DagsterDev]:
    """`marketing-assets dev` in a temporary state folder, with clients and fx_rates loaded."""
    import dagster as dg

    from marketing_assets.assets.fx import fx_rates_job
    from marketing_assets.definitions import defs
    from marketing_assets.local.demo import register_clients
    from marketing_assets.local.environment import (
        DAGSTER_STORAGE_URL_VARIABLE,
        DATABASE_URL_VARIABLE,
        local_environment,
    )

    # A PostgreSQL of its own, so the UI lists only this test's runs.
    monkeypatch.delenv(DATABASE_URL_VARIABLE, raising=False)
    monkeypatch.delenv(DAGSTER_STORAGE_URL_VARIABLE, raising=False)
    monkeypatch.delenv("MARKETING_ASSETS_REGISTRY", raising=False)
    monkeypatch.chdir(PROJECT_ROOT)
    with local_environment(tmp_path / "state") as environment:
        instance = dg.DagsterInstance.get()
        register_clients(environment, instance)
        fx = defs.resolve_job_def(fx_rates_job.name).execute_in_process(instance=instance)
        assert fx.success
        try:
            with dagster_dev(tmp_path / "dagster_dev.log") as server:
                yield server
        finally:
            instance.dispose()
            if environment.postgres is not None:
                environment.postgres.stop()


def test_ui_backfill_two_clients(ui: DagsterDev) -> None:
    from playwright.sync_api import expect, sync_playwright

    start, end = closed_hours_window(datetime.now(UTC), HOURS)
    first, last = (
        start.strftime(HOUR_KEY_FORMAT),
        (end - timedelta(hours=1)).strftime(HOUR_KEY_FORMAT),
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # On 127.0.0.1 the UI opens a newsletter dialog over the page, at a moment of its own,
    # until the instance records it as seen.
    ui.graphql("mutation { setNuxSeen }")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.set_default_timeout(30_000)
        page.goto(f"{ui.url}/assets/{UNIFIED_ASSET}?view=partitions")
        expect(page.get_by_text("aloha-surf-co").first).to_be_visible()
        expect(page.get_by_text(last).first).to_be_visible()
        expect(page.get_by_text("Partitions").first).to_be_visible()
        page.screenshot(path=SCREENSHOTS / "asset-partitions-before.png")

        launch_backfill(page, first, last)
        backfill_id = wait_for_backfill(ui)
        runs = backfill_runs(ui, backfill_id)
        assert len(runs) == len(CLIENTS), runs
        assert {run["status"] for run in runs} == {"SUCCESS"}, runs

        page.goto(f"{ui.url}/runs/b/{backfill_id}?tab=runs")
        expect(page.get_by_text("Success").first).to_be_visible()
        page.screenshot(path=SCREENSHOTS / "backfill-succeeded.png")

        page.goto(f"{ui.url}/assets/{UNIFIED_ASSET}?view=partitions")
        expect(page.get_by_text("Materialized (12)").first).to_be_visible()
        page.screenshot(path=SCREENSHOTS / "asset-partitions-after.png")

        # The list truncates check names in the middle, so the check is chosen by its URL.
        page.goto(f"{ui.url}/assets/{UNIFIED_ASSET}?view=checks&checkDetail={ROWS_CHECK}")
        try:
            # The list also contains a hidden copy of each name, used to measure truncation.
            expect(page.get_by_text(ROWS_CHECK).filter(visible=True).first).to_be_visible()
            expect(page.get_by_text(re.compile("^(Passed|Succeeded)$")).first).to_be_visible()
        finally:
            page.screenshot(path=SCREENSHOTS / "asset-checks.png")

        page.goto(f"{ui.url}/assets/{UNIFIED_ASSET}?view=overview")
        expect(page.get_by_text("spend_reporting").first).to_be_visible()
        page.screenshot(path=SCREENSHOTS / "asset-overview.png", full_page=True)
        browser.close()


def launch_backfill(page: Page, first_hour: str, last_hour: str) -> None:
    """Select both Meta assets, the two clients and the hours in the Materialize dialog."""
    from playwright.sync_api import expect

    page.goto(page.url.split("/assets/")[0] + "/locations/marketing_assets/asset-groups/meta")
    page.get_by_role("button", name="Materialize all…").click()
    dialog = page.get_by_role("dialog").filter(has_text="Launch runs to materialize").first
    dialog.locator(":text('Select a partition or create one'):visible").first.click()
    for client in CLIENTS:
        page.get_by_placeholder("Filter partitions").fill(client)
        page.get_by_role("menuitem").filter(has_text=client).filter(visible=True).first.click()
    page.keyboard.press("Escape")

    hours = dialog.get_by_placeholder("ex: 2026-01-01-00:00", exact=False).filter(visible=True)
    hours.first.fill(f"[{first_hour}...{last_hour}]")
    hours.first.press("Enter")
    expect(dialog.get_by_text(f"{len(CLIENTS) * HOURS} partitions")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "backfill-dialog.png")
    dialog.get_by_role("button", name="Launch backfill").click()
    expect(dialog).to_be_hidden()


def wait_for_backfill(ui: DagsterDev) -> str:
    """Return the id of the one backfill once its runs have all ended."""
    deadline = time.monotonic() + BACKFILL_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        backfills = ui.graphql(BACKFILLS_QUERY)["partitionBackfillsOrError"]["results"]
        assert len(backfills) <= 1, backfills
        if backfills and backfills[0]["status"] != "REQUESTED":
            runs = backfill_runs(ui, backfills[0]["id"])
            if all(run["status"] in TERMINAL_RUN_STATUSES for run in runs):
                return backfills[0]["id"]
        time.sleep(3)
    raise TimeoutError(
        f"the backfill did not finish within {BACKFILL_TIMEOUT_SECONDS} s: "
        f"{ui.graphql(BACKFILLS_QUERY)}, runs {ui.runs()}\n{ui.log_tail()}"
    )


def backfill_runs(ui: DagsterDev, backfill_id: str) -> list[dict]:
    return [
        run for run in ui.runs() if {"key": "dagster/backfill", "value": backfill_id} in run["tags"]
    ]
