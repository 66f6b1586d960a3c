"""Rows that break the pandera schemas stop at the blocking checks; dashboards keep old rows."""

from datetime import timedelta

import dagster as dg
import polars as pl
import psycopg2
import pytest

from marketing_assets.assets import raw as raw_assets
from marketing_assets.definitions import defs
from marketing_assets.jobs import hourly_sync_job
from marketing_assets.local.demo import closed_hours_window
from marketing_assets.partitions import CLIENT_DIMENSION, client_range_tags
from marketing_assets.storage.connection import libpq_dsn
from marketing_assets_tests.conftest import FIXED_NOW

CLIENT = "rheinwerk-moebel"


class NegativeSpendFetch:
    """Wraps the Meta fetch and, once enabled, gives its first row a negative spend.

    The parsers reject negative spend in responses (docs/data-rules.md), so this puts the bad
    row after them, where only the blocking check stands between it and the tables: a bug in
    our own reshaping would arrive the same way.
    """

    def __init__(self, fetch) -> None:
        self.fetch = fetch
        self.enabled = False

    def __call__(self, *args, **kwargs) -> pl.DataFrame:
        frame = self.fetch(*args, **kwargs)
        if not self.enabled or frame.is_empty():
            return frame
        first = pl.int_range(pl.len()) == 0
        return frame.with_columns(
            campaign_id=pl.when(first).then(pl.lit("990001")).otherwise(pl.col("campaign_id")),
            spend=pl.when(first).then(pl.lit(-5).cast(frame["spend"].dtype)).otherwise("spend"),
        )


@pytest.fixture
def faulty_simulator(monkeypatch):
    fetch = NegativeSpendFetch(raw_assets.fetch_meta_window)
    monkeypatch.setattr(raw_assets, "fetch_meta_window", fetch)
    return fetch


def unified_rows(database_url: str) -> list[tuple]:
    connection = psycopg2.connect(libpq_dsn(database_url))
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT platform, account_id, campaign_id, utc_hour, spend, dagster_run_id"
                " FROM marketing.campaign_performance_hourly WHERE client_id = %s"
                " ORDER BY 1, 2, 3, 4",
                (CLIENT,),
            )
            return cursor.fetchall()
    finally:
        connection.close()


def test_invalid_rows_keep_last_good_copy(
    platform_environment, dagster_home, fx_rates_loaded, database_url, faulty_simulator
):
    instance = dg.DagsterInstance.get()
    instance.add_dynamic_partitions(CLIENT_DIMENSION, [CLIENT])
    end = closed_hours_window(FIXED_NOW)[1]
    tags = client_range_tags(CLIENT, end - timedelta(hours=2), end)
    job = defs.resolve_job_def(hourly_sync_job.name)

    assert job.execute_in_process(instance=instance, tags=tags).success
    good = unified_rows(database_url)
    assert any(row[0] == "meta" for row in good)

    faulty_simulator.enabled = True
    result = job.execute_in_process(instance=instance, tags=tags, raise_on_error=False)

    assert not result.success
    evaluations = {item.check_name: item for item in result.get_asset_check_evaluations()}
    failed = evaluations["meta_raw_rows_valid"]
    assert not failed.passed
    failing_rows = failed.metadata["failing_rows"].value
    assert "spend" in failing_rows
    assert "990001" in failing_rows
    assert result.asset_materializations_for_node("meta_campaign_performance_hourly") == []
    assert unified_rows(database_url) == good
