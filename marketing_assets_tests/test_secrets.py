"""No credential reaches the Dagster event log, log output or error messages."""

import logging
from datetime import timedelta

import dagster as dg
import psycopg2

from marketing_assets.definitions import defs
from marketing_assets.jobs import hourly_sync_job
from marketing_assets.local.demo import closed_hours_window
from marketing_assets.partitions import CLIENT_DIMENSION, client_range_tags
from marketing_assets.simulator import SimulatorCredentials
from marketing_assets.storage.connection import libpq_dsn
from marketing_assets_tests.conftest import FIXED_NOW

CLIENT = "kestrel-coffee"
WRONG_META_TOKEN = "canary-meta-token-7f3a9c"
WRONG_DEVELOPER_TOKEN = "canary-developer-token-51be02"


def event_log_text(dagster_storage_url: str, run_ids: list[str]) -> str:
    connection = psycopg2.connect(libpq_dsn(dagster_storage_url))
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT event FROM event_logs WHERE run_id = ANY(%s)", (run_ids,))
            return "\n".join(row[0] for row in cursor.fetchall())
    finally:
        connection.close()


def run_client(instance: dg.DagsterInstance) -> dg.ExecuteInProcessResult:
    end = closed_hours_window(FIXED_NOW)[1]
    tags = client_range_tags(CLIENT, end - timedelta(hours=3), end)
    job = defs.resolve_job_def(hourly_sync_job.name)
    return job.execute_in_process(instance=instance, tags=tags, raise_on_error=False)


def test_tokens_absent_from_event_log_and_output(
    platform_environment,
    dagster_home,
    fx_rates_loaded,
    dagster_storage_url,
    monkeypatch,
    capfd,
    caplog,
):
    caplog.set_level(logging.DEBUG)
    instance = dg.DagsterInstance.get()
    instance.add_dynamic_partitions(CLIENT_DIMENSION, [CLIENT])
    succeeded = run_client(instance)
    monkeypatch.setenv("META_ACCESS_TOKEN", WRONG_META_TOKEN)
    monkeypatch.setenv("GOOGLE_ADS_DEVELOPER_TOKEN", WRONG_DEVELOPER_TOKEN)
    rejected = run_client(instance)

    assert succeeded.success
    assert not rejected.success
    credentials = SimulatorCredentials()
    secrets = [
        credentials.google_ads_access_token,
        credentials.google_ads_developer_token,
        credentials.meta_access_token,
        WRONG_META_TOKEN,
        WRONG_DEVELOPER_TOKEN,
    ]
    events = event_log_text(dagster_storage_url, [succeeded.run_id, rejected.run_id])
    captured = capfd.readouterr()
    # The rejections reached the event log, named with their client, so they were scanned.
    assert "Syncing client 'kestrel-coffee' failed" in events
    assert "190" in events
    for secret in secrets:
        assert secret not in events
        assert secret not in captured.out
        assert secret not in captured.err
        assert secret not in caplog.text
