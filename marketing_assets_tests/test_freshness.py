"""Freshness alerts end to end: real runs, the real view, the simulator's on-call receivers.

Every test starts its own simulator and registry (clock_environment) in the shared embedded
PostgreSQL. The view marketing.data_freshness measures lag against PostgreSQL's now(), so the
tests place the simulator's clock on recent real hours instead of the suite's fixed clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import httpx
import pytest

from marketing_assets.alerts.notifier import AlertNotifier
from marketing_assets.definitions import defs
from marketing_assets.freshness.checks import freshness_check_key
from marketing_assets.freshness.sensors import freshness_sensor
from marketing_assets.freshness.tick import evaluate_freshness_tick
from marketing_assets.local.environment import oncall_variables
from marketing_assets.resources import RegistryResource
from marketing_assets.simulator import SimulatorCredentials
from marketing_assets.simulator.oncall_faults import OnCallOutage
from marketing_assets.storage.connection import connect
from marketing_assets.storage.warehouse import WarehouseResource
from marketing_assets_tests.clock_environment import ClockEnvironment, clock_environment

PLATFORMS = ("google_ads", "meta")
SOURCE = "marketing-assets freshness_sensor"
UI_URL = "http://127.0.0.1:3000"
MASKED_ROUTING_KEY = "***"


def registry_text(clients: dict[str, str], freshness: str = "") -> str:
    """Registry of clients given as {id: google ads id}, each also on Meta, in UTC and EUR."""
    entries = []
    for index, (client_id, google_id) in enumerate(clients.items(), start=1):
        entries.append(
            f"""
  - id: {client_id}
    name: {client_id.replace("-", " ").title()}
    time_zone: UTC
    currency: EUR
    accounts:
      google_ads: ["{google_id}"]
      meta: ["{google_id[:9]}{index:03d}"]
{freshness}"""
        )
    return "clients:" + "".join(entries)


def this_hour() -> datetime:
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


@pytest.fixture
def environment_factory(
    tmp_path: Path, database_url: str, dagster_storage_url: str
) -> Iterator[Any]:
    """Start a clock environment for a registry, closed when the test ends."""
    stack: list[Any] = []

    def start(registry: str, now: datetime) -> ClockEnvironment:
        manager = clock_environment(
            registry,
            tmp_path,
            now=now,
            database_url=database_url,
            dagster_storage_url=dagster_storage_url,
        )
        stack.append(manager)
        return manager.__enter__()

    yield start
    for manager in reversed(stack):
        manager.__exit__(None, None, None)


def notifier_for(environment: ClockEnvironment) -> AlertNotifier:
    variables = oncall_variables(environment.simulator.url, SimulatorCredentials())
    return AlertNotifier(
        pagerduty_routing_key=variables["MARKETING_ASSETS_PAGERDUTY_ROUTING_KEY"],
        pagerduty_events_url=variables["MARKETING_ASSETS_PAGERDUTY_EVENTS_URL"],
        slack_webhook_url=variables["MARKETING_ASSETS_SLACK_WEBHOOK_URL"],
        dagster_ui_url=UI_URL,
        backoff_initial_seconds=0,
        max_attempts=2,
    )


def run_freshness_sensor(environment: ClockEnvironment) -> dg.SkipReason:
    context = dg.build_sensor_context(
        instance=environment.instance,
        resources={
            "registry": RegistryResource(),
            "warehouse": WarehouseResource(database_url=environment.database_url),
            "alert_notifier": notifier_for(environment),
        },
    )
    result = freshness_sensor(context)
    assert isinstance(result, dg.SkipReason)
    return result


def received(environment: ClockEnvironment, client_ids: list[str]) -> list[dict[str, Any]]:
    """Return what the receivers accepted for these clients, oldest first."""
    response = httpx.get(f"{environment.simulator.url}/_simulator/oncall", timeout=10)
    response.raise_for_status()
    keys = {f"marketing-assets/freshness/{client}/{p}" for client in client_ids for p in PLATFORMS}
    entries = []
    for entry in response.json():
        body = entry["body"]
        if entry["receiver"] == "pagerduty" and body["dedup_key"] in keys:
            entries.append(entry)
        if entry["receiver"] == "slack" and any(
            f"`{client}`" in body["text"] or f"({client})" in body["text"] for client in client_ids
        ):
            entries.append(entry)
    return entries


def pagerduty_events(entries: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [
        (entry["body"]["event_action"], entry["body"]["dedup_key"])
        for entry in entries
        if entry["receiver"] == "pagerduty"
    ]


def slack_texts(entries: list[dict[str, Any]]) -> list[str]:
    return [entry["body"]["text"] for entry in entries if entry["receiver"] == "slack"]


def dashboard_statuses(environment: ClockEnvironment) -> dict[tuple[str, str], str]:
    rows = environment.query(
        "SELECT client_id, platform, status FROM marketing.data_freshness"
        " WHERE client_id = ANY(%s)",
        (environment.registry.client_ids,),
    )
    return {(client_id, platform): status for client_id, platform, status in rows}


def load(environment: ClockEnvironment, clients: list[str], start: datetime, end: datetime) -> None:
    """Load the clients' UTC hours [start, end) with the simulator's clock just after end."""
    environment.set_clock(end + timedelta(minutes=5))
    environment.load_fx_rates()
    for client_id in clients:
        environment.run_hourly(client_id, start, end)


def latest_check_status(environment: ClockEnvironment, platform: str) -> str:
    records = environment.instance.event_log_storage.get_asset_check_execution_history(
        freshness_check_key(platform), limit=1
    )
    return records[0].status.value


def test_unified_assets_carry_freshness_policy():
    for platform in PLATFORMS:
        spec = defs.resolve_assets_def(f"{platform}_campaign_performance_hourly").specs
        policy = next(iter(spec)).freshness_policy
        assert policy.fail_window.to_timedelta() == timedelta(hours=6)
        assert policy.warn_window.to_timedelta() == timedelta(hours=3)


def test_hourly_job_leaves_freshness_checks_to_sensor():
    job = defs.resolve_job_def("hourly_sync_job")
    check_names = {key.name for key in job.asset_layer.asset_graph.asset_check_keys}
    assert "meta_campaign_performance_hourly_fresh_per_client" not in check_names
    assert "meta_campaign_performance_hourly_rows_valid" in check_names


def test_stopped_client_pages_once_and_resolves_once(environment_factory):
    fresh = ["steady-north", "steady-south"]
    lagging = "stopped-east"
    clients = [*fresh, lagging]
    registry = registry_text(
        {"steady-north": "7100000001", "steady-south": "7100000002", lagging: "7100000003"}
    )
    hour = this_hour()
    environment = environment_factory(registry, hour)

    load(environment, clients, hour - timedelta(hours=10), hour - timedelta(hours=8))
    # The lagging client's sync stops while the clock moves past its fail window (6 hours).
    load(environment, fresh, hour - timedelta(hours=8), hour - timedelta(hours=4))
    load(environment, fresh, hour - timedelta(hours=4), hour)
    run_freshness_sensor(environment)
    run_freshness_sensor(environment)

    entries = received(environment, clients)
    assert sorted(pagerduty_events(entries)) == [
        ("trigger", f"marketing-assets/freshness/{lagging}/google_ads"),
        ("trigger", f"marketing-assets/freshness/{lagging}/meta"),
    ]
    assert len(slack_texts(entries)) == 2
    statuses = dashboard_statuses(environment)
    assert statuses == {
        **{(client, platform): "fresh" for client in fresh for platform in PLATFORMS},
        **{(lagging, platform): "stale" for platform in PLATFORMS},
    }
    assert latest_check_status(environment, "google_ads") == "FAILED"

    load(environment, [lagging], hour - timedelta(hours=8), hour)
    run_freshness_sensor(environment)

    entries = received(environment, clients)
    assert sorted(pagerduty_events(entries)[2:]) == [
        ("resolve", f"marketing-assets/freshness/{lagging}/google_ads"),
        ("resolve", f"marketing-assets/freshness/{lagging}/meta"),
    ]
    assert len(pagerduty_events(entries)) == 4
    assert len(slack_texts(entries)) == 4
    assert set(dashboard_statuses(environment).values()) == {"fresh"}
    assert latest_check_status(environment, "meta") == "SUCCEEDED"


def test_trigger_and_resolve_payloads_are_exact(environment_factory):
    client_id = "payload-west"
    registry = registry_text({client_id: "7200000001"})
    hour = this_hour()
    environment = environment_factory(registry, hour)
    last_hour = hour - timedelta(hours=8)
    load(environment, [client_id], last_hour, last_hour + timedelta(hours=1))

    run_freshness_sensor(environment)

    trigger = next(
        entry["body"]
        for entry in received(environment, [client_id])
        if entry["receiver"] == "pagerduty" and entry["body"]["payload"]["component"] == "meta"
    )
    details = trigger["payload"]["custom_details"]
    evaluated_at = datetime.strptime(details["evaluated_at"], "%Y-%m-%d %H:%M UTC").replace(
        tzinfo=UTC
    )
    lag_minutes = int((evaluated_at - last_hour - timedelta(hours=1)).total_seconds() // 60)
    lag_text = f"{lag_minutes // 60} h {lag_minutes % 60} min"
    hour_text = last_hour.strftime("%Y-%m-%d %H:00 UTC")
    assert trigger == {
        "routing_key": MASKED_ROUTING_KEY,
        "event_action": "trigger",
        "dedup_key": f"marketing-assets/freshness/{client_id}/meta",
        "payload": {
            "summary": (
                f"meta data of Payload West ({client_id}) is stale: last loaded hour "
                f"{hour_text}, {lag_text} behind (fail threshold 360 min)."
            ),
            "source": SOURCE,
            "severity": "critical",
            "component": "meta",
            "group": client_id,
            "custom_details": {
                "client": client_id,
                "platform": "meta",
                "status": "stale",
                "last_good_hour": hour_text,
                "loaded_at": details["loaded_at"],
                "lag": lag_text,
                "lag_minutes": lag_minutes,
                "warn_after_minutes": 180,
                "fail_after_minutes": 360,
                "evaluated_at": details["evaluated_at"],
            },
        },
        "links": [
            {
                "href": f"{UI_URL}/assets/meta_campaign_performance_hourly?view=partitions",
                "text": "Asset in Dagster",
            }
        ],
    }

    slack_trigger = next(
        entry["body"]
        for entry in received(environment, [client_id])
        if entry["receiver"] == "slack"
        and entry["body"]["text"].startswith(":rotating_light:")
        and "meta data of" in entry["body"]["text"]
    )
    assert slack_trigger["text"] == f":rotating_light: *CRITICAL*: {trigger['payload']['summary']}"

    load(environment, [client_id], last_hour + timedelta(hours=1), hour)
    run_freshness_sensor(environment)

    resolves = [
        entry["body"]
        for entry in received(environment, [client_id])
        if entry["receiver"] == "pagerduty" and entry["body"]["event_action"] == "resolve"
    ]
    assert sorted(resolves, key=lambda body: body["dedup_key"]) == [
        {
            "routing_key": MASKED_ROUTING_KEY,
            "event_action": "resolve",
            "dedup_key": f"marketing-assets/freshness/{client_id}/{platform}",
        }
        for platform in PLATFORMS
    ]


def test_flapping_client_pages_once_per_interval(environment_factory):
    client_id = "flapping-north"
    registry = registry_text(
        {client_id: "7300000001"},
        freshness="    freshness: {warn_after_minutes: 10, fail_after_minutes: 20}\n",
    )
    start = this_hour() - timedelta(hours=8)
    environment = environment_factory(registry, start)
    notifier = notifier_for(environment)

    def tick(now: datetime) -> None:
        connection = connect(environment.database_url)
        try:
            evaluate_freshness_tick(
                instance=environment.instance,
                registry=environment.registry,
                connection=connection,
                notifier=notifier,
                now=now,
                min_retrigger_interval=timedelta(minutes=60),
            )
        finally:
            connection.close()

    # Each step loads one more hour, then ticks 5 minutes (fresh) and 25 minutes (stale) after
    # that hour's end. The second step also ticks at 50 minutes.
    load(environment, [client_id], start, start + timedelta(hours=1))
    tick(start + timedelta(hours=1, minutes=25))  # stale: pages
    load(environment, [client_id], start + timedelta(hours=1), start + timedelta(hours=2))
    tick(start + timedelta(hours=2, minutes=5))  # fresh: resolves
    tick(start + timedelta(hours=2, minutes=25))  # stale 20 min after resolving: held back
    tick(start + timedelta(hours=2, minutes=50))  # still within the hour: held back
    load(environment, [client_id], start + timedelta(hours=2), start + timedelta(hours=3))
    tick(start + timedelta(hours=3, minutes=5))  # fresh: nothing open to resolve
    tick(start + timedelta(hours=3, minutes=25))  # stale 80 min after resolving: pages

    google_key = f"marketing-assets/freshness/{client_id}/google_ads"
    events = pagerduty_events(received(environment, [client_id]))
    assert [action for action, key in events if key == google_key] == [
        "trigger",
        "resolve",
        "trigger",
    ]
    suppressed = environment.query(
        "SELECT suppressed_triggers FROM marketing.alert_state WHERE dedup_key = %s",
        (google_key,),
    )
    assert suppressed == [(2,)]


def test_receiver_outage_delays_alert_without_losing_it(environment_factory):
    client_id = "outage-south"
    registry = registry_text({client_id: "7400000001"})
    hour = this_hour()
    environment = environment_factory(registry, hour)
    load(environment, [client_id], hour - timedelta(hours=9), hour - timedelta(hours=8))

    outage = OnCallOutage(status=503)
    environment.simulator.fault_plan = outage
    result = run_freshness_sensor(environment)

    assert received(environment, [client_id]) == []
    assert outage.faulted()["pagerduty"] >= 1
    assert "Triggered 2" in (result.skip_message or "")
    pending = environment.query(
        "SELECT count(*) FROM marketing.alert_outbox"
        " WHERE delivered_at IS NULL AND dedup_key LIKE %s",
        (f"marketing-assets/freshness/{client_id}/%",),
    )
    assert pending == [(2,)]

    outage.end()
    run_freshness_sensor(environment)
    run_freshness_sensor(environment)

    entries = received(environment, [client_id])
    assert sorted(pagerduty_events(entries)) == [
        ("trigger", f"marketing-assets/freshness/{client_id}/google_ads"),
        ("trigger", f"marketing-assets/freshness/{client_id}/meta"),
    ]
    assert len(slack_texts(entries)) == 2
