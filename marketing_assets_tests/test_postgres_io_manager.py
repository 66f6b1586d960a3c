"""The PostgreSQL IO manager replaces exactly a run's partitions, atomically."""

import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import dagster as dg
import polars as pl
import psycopg2
import pytest
from dagster import TimeWindow, partition_loading_context
from dagster._core.storage.db_io_manager import DbIOManager, TablePartitionDimension, TableSlice

from marketing_assets.assets.metadata import PARTITION_COLUMNS
from marketing_assets.partitions import client_hour_partitions
from marketing_assets.storage.connection import connect, libpq_dsn
from marketing_assets.storage.io_manager import (
    DynamicPartitionsDbIOManager,
    PostgresPolarsIOManager,
)
from marketing_assets.storage.polars_handler import PolarsPostgresTypeHandler
from marketing_assets.storage.postgres_client import PostgresDbClient, ensure_migrated
from marketing_assets.storage.run_table_slice import table_slice_from_run_tags
from marketing_assets.tables import CAMPAIGN_PERFORMANCE_HOURLY

HOUR = datetime(2026, 3, 1, 9, tzinfo=UTC)


def unified_rows(client_id: str, hour: datetime, campaigns: int, *, local_hour: int = 10):
    loaded = datetime(2026, 3, 1, 12, tzinfo=UTC)
    return pl.DataFrame(
        {
            "client_id": [client_id] * campaigns,
            "platform": ["google_ads"] * campaigns,
            "account_id": ["1234567890"] * campaigns,
            "campaign_id": [str(100 + index) for index in range(campaigns)],
            "campaign_name": ['Brand "DE" ; DROP TABLE x; --', *["Ünïcödé 🚀"] * (campaigns - 1)],
            "utc_hour": [hour] * campaigns,
            "local_date": [date(2026, 3, 1)] * campaigns,
            "local_hour": [local_hour] * campaigns,
            "account_time_zone": ["Europe/Berlin"] * campaigns,
            "currency": ["EUR"] * campaigns,
            "spend": [Decimal("2436.58")] * campaigns,
            "impressions": [3_000_000_000] * campaigns,
            "clicks": [48] * campaigns,
            "conversions": [Decimal("3.5")] * campaigns,
            "conversion_value": [Decimal("120.00")] * campaigns,
            "reporting_currency": ["USD"] * campaigns,
            "spend_reporting": [Decimal("2631.506400")] * campaigns,
            "fx_rate_date": [date(2026, 2, 27)] * campaigns,
            "loaded_at": [loaded] * campaigns,
            "dagster_run_id": ["test"] * campaigns,
        },
        schema=CAMPAIGN_PERFORMANCE_HOURLY,
    )


def build_asset(frames: dict[str, pl.DataFrame]) -> dg.AssetsDefinition:
    """An asset writing the unified table; it returns the frame registered for its client."""

    @dg.asset(
        name="google_ads_campaign_performance_hourly",
        partitions_def=client_hour_partitions,
        io_manager_key="warehouse_io_manager",
        metadata=PARTITION_COLUMNS,
    )
    def writer(context: dg.AssetExecutionContext) -> pl.DataFrame:
        client = context.partition_key.keys_by_dimension["client"]
        return frames[client]

    return writer


def materialize(asset, database_url: str, client: str, hour: datetime, instance):
    key = dg.MultiPartitionKey({"client": client, "hour": hour.strftime("%Y-%m-%d-%H:%M")})
    return dg.materialize(
        [asset],
        partition_key=key,
        instance=instance,
        resources={"warehouse_io_manager": PostgresPolarsIOManager(database_url=database_url)},
        raise_on_error=False,
    )


def stored(database_url: str, client: str) -> list[tuple]:
    connection = psycopg2.connect(libpq_dsn(database_url))
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT campaign_id, campaign_name, utc_hour, spend, impressions"
                " FROM marketing.google_ads_campaign_performance_hourly WHERE client_id = %s"
                " ORDER BY campaign_id, utc_hour",
                (client,),
            )
            return cursor.fetchall()
    finally:
        connection.close()


@pytest.fixture
def instance():
    with dg.instance_for_test() as test_instance:
        test_instance.add_dynamic_partitions(
            "client", ["io-a", "io-b", "io-c", "io-d", "io-e", "io-f", "io-g", "io-h"]
        )
        yield test_instance


def test_rewrite_replaces_partition_and_keeps_neighbours(database_url, instance):
    frames = {"io-a": unified_rows("io-a", HOUR, 3), "io-b": unified_rows("io-b", HOUR, 2)}
    asset = build_asset(frames)
    assert materialize(asset, database_url, "io-a", HOUR, instance).success
    assert materialize(asset, database_url, "io-b", HOUR, instance).success
    next_hour = HOUR + timedelta(hours=1)
    frames["io-a"] = unified_rows("io-a", next_hour, 1)
    assert materialize(asset, database_url, "io-a", next_hour, instance).success

    frames["io-a"] = unified_rows("io-a", HOUR, 2)
    assert materialize(asset, database_url, "io-a", HOUR, instance).success

    rows = stored(database_url, "io-a")
    assert [(row[0], row[2]) for row in rows] == [
        ("100", HOUR),
        ("100", next_hour),
        ("101", HOUR),
    ]
    assert rows[0][1] == 'Brand "DE" ; DROP TABLE x; --'
    assert rows[0][3] == Decimal("2436.580000")
    assert rows[0][4] == 3_000_000_000
    assert len(stored(database_url, "io-b")) == 2


def test_rows_outside_partition_fail_and_keep_previous_copy(database_url, instance):
    frames = {"io-c": unified_rows("io-c", HOUR, 2)}
    asset = build_asset(frames)
    assert materialize(asset, database_url, "io-c", HOUR, instance).success

    frames["io-c"] = unified_rows("io-c", HOUR + timedelta(hours=5), 4)
    result = materialize(asset, database_url, "io-c", HOUR, instance)

    assert not result.success
    failure = result.get_step_failure_events()[0].step_failure_data.error
    assert "fall outside the partitions this run writes" in str(failure)
    assert len(stored(database_url, "io-c")) == 2


def test_failed_copy_rolls_back_to_previous_copy(database_url, instance):
    frames = {"io-d": unified_rows("io-d", HOUR, 2)}
    asset = build_asset(frames)
    assert materialize(asset, database_url, "io-d", HOUR, instance).success
    before = stored(database_url, "io-d")

    # local_hour 30 violates the table's CHECK constraint in the middle of the COPY, after
    # the old rows were deleted in the same transaction.
    frames["io-d"] = unified_rows("io-d", HOUR, 3, local_hour=30)
    assert not materialize(asset, database_url, "io-d", HOUR, instance).success

    assert stored(database_url, "io-d") == before


def test_concurrent_writes_of_one_partition_leave_one_copy(database_url):
    """Four writers replace the same partition at once, each on its own connection."""
    table_slice = TableSlice(
        table="google_ads_campaign_performance_hourly",
        schema="marketing",
        partition_dimensions=[
            TablePartitionDimension("client_id", ["io-e"]),
            TablePartitionDimension("utc_hour", TimeWindow(HOUR, HOUR + timedelta(hours=1))),
        ],
    )
    ensure_migrated(database_url)
    start = threading.Barrier(4)
    errors = []

    def write(campaigns: int) -> None:
        connection = connect(database_url)
        try:
            with connection:
                start.wait()
                PostgresDbClient.delete_table_slice(None, table_slice, connection)
                PolarsPostgresTypeHandler().handle_output(
                    None, table_slice, unified_rows("io-e", HOUR, campaigns), connection
                )
        except Exception as error:  # collected so the assertion below shows it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(5,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(stored(database_url, "io-e")) == 5


def test_unchanged_partition_is_not_rewritten(database_url, instance):
    frames = {"io-f": unified_rows("io-f", HOUR, 2)}
    asset = build_asset(frames)
    first = materialize(asset, database_url, "io-f", HOUR, instance)
    loaded_first = loaded_at(database_url, "io-f")

    frames["io-f"] = unified_rows("io-f", HOUR, 2).with_columns(
        loaded_at=pl.lit(datetime(2026, 3, 2, tzinfo=UTC)), dagster_run_id=pl.lit("second")
    )
    second = materialize(asset, database_url, "io-f", HOUR, instance)

    assert output_metadata(first)["partitions_changed"] == 1
    assert output_metadata(second)["partitions_changed"] == 0
    assert output_metadata(second)["partitions_unchanged"] == 1
    assert loaded_at(database_url, "io-f") == loaded_first

    frames["io-f"] = unified_rows("io-f", HOUR, 3)
    third = materialize(asset, database_url, "io-f", HOUR, instance)
    assert output_metadata(third)["partitions_changed"] == 1
    assert len(stored(database_url, "io-f")) == 3


def output_metadata(result) -> dict[str, object]:
    (materialization,) = result.asset_materializations_for_node(
        "google_ads_campaign_performance_hourly"
    )
    return {key: value.value for key, value in materialization.metadata.items()}


def loaded_at(database_url: str, client: str) -> list[datetime]:
    connection = psycopg2.connect(libpq_dsn(database_url))
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT loaded_at FROM marketing.google_ads_campaign_performance_hourly"
                " WHERE client_id = %s",
                (client,),
            )
            return [row[0] for row in cursor.fetchall()]
    finally:
        connection.close()


def test_rerun_repairs_rows_changed_outside_pipeline(database_url, instance):
    frames = {"io-g": unified_rows("io-g", HOUR, 3)}
    asset = build_asset(frames)
    assert materialize(asset, database_url, "io-g", HOUR, instance).success
    connection = psycopg2.connect(libpq_dsn(database_url))
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM marketing.google_ads_campaign_performance_hourly"
                " WHERE client_id = 'io-g' AND campaign_id = '100'"
            )
            cursor.execute(
                "UPDATE marketing.google_ads_campaign_performance_hourly SET spend = 0"
                " WHERE client_id = 'io-g' AND campaign_id = '101'"
            )
    finally:
        connection.close()

    rerun = materialize(asset, database_url, "io-g", HOUR, instance)

    assert output_metadata(rerun)["partitions_changed"] == 1
    rows = stored(database_url, "io-g")
    assert [row[0] for row in rows] == ["100", "101", "102"]
    assert {row[3] for row in rows} == {Decimal("2436.580000")}


def test_campaign_names_keep_unicode_and_lose_nul(database_url, instance):
    name = 'Spring\x00 "Sale"\t🚀 עברית\nline two; DROP TABLE x; --'
    frames = {"io-h": unified_rows("io-h", HOUR, 1).with_columns(campaign_name=pl.lit(name))}
    assert materialize(build_asset(frames), database_url, "io-h", HOUR, instance).success

    (row,) = stored(database_url, "io-h")
    assert row[1] == name.replace("\x00", "")


class SliceComparingIOManager(DynamicPartitionsDbIOManager):
    """Records the slice built from run tags beside the slice Dagster itself lists."""

    def __init__(self, recorded: list, **kwargs):
        super().__init__(**kwargs)
        self.recorded = recorded

    def _get_table_slice(self, context, output_context):
        with partition_loading_context(dynamic_partitions_store=context.step_context.instance):
            listed = DbIOManager._get_table_slice(self, context, output_context)
        from_tags = table_slice_from_run_tags(
            context, output_context, schema=self._schema, database=self._database
        )
        self.recorded.append((type(context).__name__, from_tags, listed))
        return listed


class SliceComparingFactory(PostgresPolarsIOManager):
    def create_io_manager(self, context):
        return SliceComparingIOManager(
            RECORDED_SLICES,
            type_handlers=[PolarsPostgresTypeHandler()],
            db_client=PostgresDbClient(),
            database="",
            schema=self.schema_name,
            io_manager_name="SliceComparingIOManager",
            default_load_type=pl.DataFrame,
        )


RECORDED_SLICES: list = []


def test_run_tag_slice_equals_dagster_listing(database_url, instance):
    hours = [HOUR + timedelta(hours=offset) for offset in range(3)]
    rows = pl.concat([unified_rows("io-h", hour, 2) for hour in hours])

    @dg.asset(
        name="google_ads_campaign_performance_hourly",
        partitions_def=client_hour_partitions,
        io_manager_key="warehouse_io_manager",
        metadata=PARTITION_COLUMNS,
    )
    def writer() -> pl.DataFrame:
        return rows

    @dg.asset(
        partitions_def=client_hour_partitions,
        ins={"rows": dg.AssetIn(writer.key)},
        io_manager_key="warehouse_io_manager",
        metadata=PARTITION_COLUMNS,
    )
    def reader(rows: pl.DataFrame) -> None:
        assert rows.height == 6

    job = dg.define_asset_job(
        "slice_job", selection=[writer, reader], partitions_def=client_hour_partitions
    )
    defs = dg.Definitions(
        assets=[writer, reader],
        jobs=[job],
        resources={"warehouse_io_manager": SliceComparingFactory(database_url=database_url)},
    )
    RECORDED_SLICES.clear()
    result = defs.resolve_job_def("slice_job").execute_in_process(
        instance=instance,
        tags={
            "dagster/asset_partition_range_start": "io-h|2026-03-01-09:00",
            "dagster/asset_partition_range_end": "io-h|2026-03-01-11:00",
        },
    )

    assert result.success
    kinds = [kind for kind, _, _ in RECORDED_SLICES]
    assert kinds == ["OutputContext", "InputContext"]
    for _, from_tags, listed in RECORDED_SLICES:
        assert from_tags == listed
    window = RECORDED_SLICES[0][1].partition_dimensions[1].partitions
    assert (window.start, window.end) == (HOUR, HOUR + timedelta(hours=3))


def test_run_tag_slice_defers_multi_client_ranges(database_url, instance):
    rows = pl.concat([unified_rows(client, HOUR, 1) for client in ("io-f", "io-g")])

    @dg.asset(
        name="google_ads_campaign_performance_hourly",
        partitions_def=client_hour_partitions,
        io_manager_key="warehouse_io_manager",
        metadata=PARTITION_COLUMNS,
    )
    def writer() -> pl.DataFrame:
        return rows

    job = dg.define_asset_job(
        "two_clients_job", selection=[writer], partitions_def=client_hour_partitions
    )
    defs = dg.Definitions(
        assets=[writer],
        jobs=[job],
        resources={"warehouse_io_manager": SliceComparingFactory(database_url=database_url)},
    )
    RECORDED_SLICES.clear()
    defs.resolve_job_def("two_clients_job").execute_in_process(
        instance=instance,
        tags={
            "dagster/asset_partition_range_start": "io-f|2026-03-01-09:00",
            "dagster/asset_partition_range_end": "io-g|2026-03-01-09:00",
        },
        raise_on_error=False,
    )

    assert RECORDED_SLICES
    for _, from_tags, _ in RECORDED_SLICES:
        assert from_tags is None
