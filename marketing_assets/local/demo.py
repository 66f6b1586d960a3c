"""The demo: load the last 24 closed UTC hours for every sample client, then reconcile."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import dagster as dg

from marketing_assets.assets.fx import fx_rates_job
from marketing_assets.local.daily_runs import run_linkedin_days
from marketing_assets.local.daily_truth import daily_clients, reconcile_days
from marketing_assets.local.environment import LocalEnvironment
from marketing_assets.local.reconcile import AccountReconciliation, reconcile_window
from marketing_assets.local.text_table import text_table
from marketing_assets.partitions import CLIENT_DIMENSION, TRIGGER_TAG, client_range_tags
from marketing_assets.registry.models import DAILY_PLATFORMS
from marketing_assets.run_selection import hourly_job_for_platforms

logger = logging.getLogger(__name__)

DEMO_HOURS = 24
# Dagster's console logger prints every step event. The event log in PostgreSQL keeps them
# all for the UI, so the terminal shows only warnings and errors.
RECONCILIATION_CHECKS = (
    "google_ads_reconciles_with_platform_days",
    "meta_reconciles_with_platform_days",
    "tiktok_reconciles_with_platform_days",
    "microsoft_ads_reconciles_with_platform_days",
)
QUIET_CONSOLE = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


# For an account at +05:45, a UTC hour contains the local hour that starts 45 minutes into
# it, which closes 45 minutes after the UTC hour ends. Platforms serve an hour once closed.
LONGEST_OFFSET_REMAINDER = timedelta(minutes=45)


def closed_hours_window(now: datetime, hours: int = DEMO_HOURS) -> tuple[datetime, datetime]:
    """Return the last ``hours`` UTC hours whose local hours have closed in every zone."""
    latest = now.astimezone(UTC) - LONGEST_OFFSET_REMAINDER
    end = latest.replace(minute=0, second=0, microsecond=0)
    return end - timedelta(hours=hours), end


def hours_before(end: datetime | None, hours: int) -> tuple[datetime, datetime]:
    """Return the UTC window of ``hours`` hours ending at ``end`` (whole hours), or ending
    at the latest hour closed in every zone when ``end`` is None."""
    if end is None:
        return closed_hours_window(datetime.now(UTC), hours)
    end = end.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    return end - timedelta(hours=hours), end


def register_clients(
    environment: LocalEnvironment, instance: dg.DagsterInstance | None = None
) -> list[str]:
    """Add the registry's clients as partitions now, rather than on the sensor's next tick."""
    instance = instance or dg.DagsterInstance.get()
    client_ids = environment.registry.client_ids
    existing = set(instance.get_dynamic_partitions(CLIENT_DIMENSION))
    missing = [client_id for client_id in client_ids if client_id not in existing]
    if missing:
        instance.add_dynamic_partitions(CLIENT_DIMENSION, missing)
    return client_ids


def run_demo(
    environment: LocalEnvironment, *, end: datetime | None = None, hours: int = DEMO_HOURS
) -> int:
    """Materialize and reconcile; return the process exit code (0 when all match)."""
    from marketing_assets.definitions import defs

    start, end = hours_before(end, hours)
    instance = dg.DagsterInstance.get()
    client_ids = register_clients(environment, instance)
    fx_result = defs.resolve_job_def(fx_rates_job.name).execute_in_process(
        instance=instance, run_config=QUIET_CONSOLE, raise_on_error=False
    )
    print(f"run {fx_result.run_id[:8]} for fx_rates: {run_status(fx_result)}")

    failed_clients = []
    for client_id in client_ids:
        platforms = environment.registry.client(client_id).platforms
        if not set(platforms) - set(DAILY_PLATFORMS):
            continue
        result = hourly_job_for_platforms(defs, platforms).execute_in_process(
            instance=instance,
            tags={**client_range_tags(client_id, start, end), TRIGGER_TAG: "demo"},
            run_config=QUIET_CONSOLE,
            raise_on_error=False,
        )
        print(
            f"run {result.run_id[:8]} for {client_id}: {run_status(result)}; "
            f"{daily_report_summary(result)}"
        )
        if not result.success:
            failed_clients.append(client_id)
            for reason in failure_reasons(result):
                print(f"    {reason}")

    # LinkedIn reports days only, so its runs load whole local days: those of the window that
    # had ended by its end in each client's time zone, which are complete when compared.
    daily_days = daily_clients(environment.registry, start, end)
    for item in daily_days:
        client_id = item.client.client_id
        result = run_linkedin_days(defs, instance, item, run_config=QUIET_CONSOLE, trigger="demo")
        print(
            f"run {result.run_id[:8]} for {client_id} LinkedIn days {item.first_day} to "
            f"{item.last_day}: {run_status(result)}"
        )
        if not result.success:
            failed_clients.append(client_id)
            for reason in failure_reasons(result):
                print(f"    {reason}")

    reconciliations = reconcile_window(
        environment.registry,
        database_url=environment.database_url,
        simulator_url=environment.simulator.url,
        start=start,
        end=end,
    )
    reconciliations += reconcile_days(
        daily_days,
        database_url=environment.database_url,
        simulator_url=environment.simulator.url,
    )
    print()
    print(f"UTC hours {start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} (end exclusive)")
    print("LinkedIn: each client's local days from the window's start to the last that had ended")
    print(format_report(reconciliations, failed_clients))
    mismatched = [item for item in reconciliations if not item.matches]
    for item in mismatched:
        print(f"MISMATCH {item.client_id} {item.platform} {item.account_id}: ")
        for difference in item.differences:
            print(f"    {difference}")
    if failed_clients or mismatched:
        print(f"\n{len(failed_clients)} failed run(s), {len(mismatched)} mismatched account(s).")
        return 1
    print(f"\nAll {len(reconciliations)} accounts of {len(client_ids)} clients reconcile exactly.")
    return 0


def failure_reasons(result: dg.ExecuteInProcessResult) -> list[str]:
    """First lines of the failed steps' errors and the failed checks' descriptions."""
    reasons = [
        f"{check.check_name}: {check.description}"
        for check in result.get_asset_check_evaluations()
        if not check.passed
    ]
    for event in result.get_step_failure_events():
        error = event.step_failure_data.error
        cause = error.cause if error and error.cause else error
        message = cause.message.strip().splitlines()[0] if cause else "unknown error"
        reasons.append(f"{event.step_key}: {message}")
    return reasons


def daily_report_summary(result: dg.ExecuteInProcessResult) -> str:
    """Summarize how many whole account-days the run's reconciliation checks compared."""
    compared = different = 0
    found = False
    for check in result.get_asset_check_evaluations():
        if check.check_name in RECONCILIATION_CHECKS:
            found = True
            compared += check.metadata["account_days_compared"].value
            different += check.metadata["account_days_different"].value
    if not found:
        return "daily reports not compared"
    return f"{compared} whole account-days vs daily reports, {different} different"


def run_status(result: dg.ExecuteInProcessResult) -> str:
    return "succeeded" if result.success else "FAILED"


def format_report(items: list[AccountReconciliation], failed_clients: list[str]) -> str:
    by_client: dict[str, list[AccountReconciliation]] = defaultdict(list)
    for item in items:
        by_client[item.client_id].append(item)
    header = ("client", "rows", "spend by platform and currency", "status")
    lines = []
    for client_id, accounts in by_client.items():
        spend: dict[tuple[str, str], object] = defaultdict(int)
        for item in accounts:
            spend[(item.platform, item.loaded.currency)] += item.loaded.spend
        spend_text = "; ".join(
            f"{platform} {amount:,.2f} {currency}"
            for (platform, currency), amount in sorted(spend.items())
        )
        if client_id in failed_clients:
            status = "RUN FAILED"
        elif all(item.matches for item in accounts):
            status = "reconciled"
        else:
            status = "MISMATCH"
        rows = sum(item.loaded.rows for item in accounts)
        lines.append((client_id, str(rows), spend_text, status))
    return text_table(header, lines)
