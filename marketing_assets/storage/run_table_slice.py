"""Build a run's table slice from its partition tags instead of the full partition list.

Dagster's DbIOManager (1.13) finds a multi-partition run's key range through
`asset_partition_key_range`, which lists every key of the client since the hour partitions'
start date. That took 65 to 105 ms per call, six calls per run, and about a fifth of a
one-client run's CPU. The run's own tags already name both ends of the range.
"""

from __future__ import annotations

from dagster import (
    InputContext,
    MultiPartitionsDefinition,
    OutputContext,
    TimeWindow,
    TimeWindowPartitionsDefinition,
)
from dagster._core.storage.db_io_manager import TablePartitionDimension, TableSlice

RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"
PARTITION_TAG = "dagster/partition"
# Dagster joins a multi-partition key's dimension keys with this, in dimension-name order.
KEY_SEPARATOR = "|"


def run_range_bounds(tags: dict[str, str]) -> tuple[str, str] | None:
    """Return the first and last multi-partition keys a run's tags select, or None."""
    start, end = tags.get(RANGE_START_TAG), tags.get(RANGE_END_TAG)
    if start and end:
        return start, end
    single = tags.get(PARTITION_TAG)
    return (single, single) if single else None


def table_slice_from_run_tags(
    context: OutputContext | InputContext,
    output_context: OutputContext,
    *,
    schema: str,
    database: str,
) -> TableSlice | None:
    """Return the slice of the run's partition range, or None where only Dagster can tell.

    Covers an asset partitioned like its job, over one key of each non-time dimension (one
    client) and a contiguous range of the time dimension: the runs that the schedule, the
    single-run backfill policy and the command-line tools launch. Anything else returns None,
    and the caller falls back to Dagster's own listing.
    """
    if not (context.has_asset_key and context.has_asset_partitions):
        return None
    definition = context.asset_partitions_def
    if not isinstance(definition, MultiPartitionsDefinition):
        return None
    step_context = context.step_context
    # An input from an asset partitioned differently may map to other keys than the run's.
    if step_context.job_def.partitions_def != definition:
        return None
    bounds = run_range_bounds(step_context.dagster_run.tags)
    if bounds is None:
        return None
    first_keys, last_keys = (bound.split(KEY_SEPARATOR) for bound in bounds)
    dimensions = definition.partitions_defs
    if len(first_keys) != len(dimensions) or len(last_keys) != len(dimensions):
        return None
    metadata = output_context.definition_metadata or {}
    partition_expr = metadata.get("partition_expr")
    # A schema in the asset's metadata takes precedence in Dagster's own slice.
    if not isinstance(partition_expr, dict) or metadata.get("schema"):
        return None

    slice_dimensions = []
    for dimension, first, last in zip(dimensions, first_keys, last_keys, strict=True):
        if isinstance(dimension.partitions_def, TimeWindowPartitionsDefinition):
            partitions: TimeWindow | list[str] = TimeWindow(
                dimension.partitions_def.time_window_for_partition_key(first).start,
                dimension.partitions_def.time_window_for_partition_key(last).end,
            )
        elif first == last:
            partitions = [first]
        else:
            return None
        column = partition_expr.get(dimension.name)
        if column is None:
            return None
        slice_dimensions.append(
            TablePartitionDimension(partition_expr=column, partitions=partitions)
        )
    return TableSlice(
        table=context.asset_key.path[-1],
        schema=schema,
        database=database,
        partition_dimensions=slice_dimensions,
        columns=(context.definition_metadata or {}).get("columns"),
    )
