"""Partitions of the platform assets: client (dynamic) x UTC hour, or client x day for
platforms that report days only."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import dagster as dg

CLIENT_DIMENSION = "client"
HOUR_DIMENSION = "hour"

client_partitions = dg.DynamicPartitionsDefinition(name="client")

# NOTE: every hour since the start date is a partition per client, and the UI's partition
# views slow down as that product grows. Move the start forward rather than back, unless a
# backfill needs older hours.
hour_partitions = dg.HourlyPartitionsDefinition(start_date="2026-01-01-00:00", timezone="UTC")

# Keys read "client|hour" because Dagster joins dimensions in name order.
client_hour_partitions = dg.MultiPartitionsDefinition(
    {CLIENT_DIMENSION: client_partitions, HOUR_DIMENSION: hour_partitions}
)

HOUR_KEY_FORMAT = "%Y-%m-%d-%H:%M"

DAY_DIMENSION = "day"
DAY_KEY_FORMAT = "%Y-%m-%d"
# Day partitions of daily-only platforms (LinkedIn), keyed by the date the platform reported,
# which is a day in the ad account's time zone. They start on the hour partitions' first UTC
# day. end_offset=2 adds the next UTC date, because zones up to UTC+14 are already on it while
# UTC is not: their current, still open day must be a partition too.
day_partitions = dg.DailyPartitionsDefinition(start_date="2026-01-01", timezone="UTC", end_offset=2)

# Keys read "client|day", such as "kestrel-coffee|2026-12-04".
client_day_partitions = dg.MultiPartitionsDefinition(
    {CLIENT_DIMENSION: client_partitions, DAY_DIMENSION: day_partitions}
)

# Run tags: the client a run loads (for per-client run concurrency limits in dagster.yaml)
# and what started it.
CLIENT_TAG = "marketing_assets/client"
TRIGGER_TAG = "marketing_assets/trigger"


def client_range_tags(client_id: str, start: datetime, end: datetime) -> dict[str, str]:
    """Return run tags selecting one client over the UTC hours [start, end).

    These are the tags a single-run backfill carries; the run covers every hour in between.
    """
    first = dg.MultiPartitionKey(
        {CLIENT_DIMENSION: client_id, HOUR_DIMENSION: start.strftime(HOUR_KEY_FORMAT)}
    )
    last = dg.MultiPartitionKey(
        {
            CLIENT_DIMENSION: client_id,
            HOUR_DIMENSION: (end - timedelta(hours=1)).strftime(HOUR_KEY_FORMAT),
        }
    )
    return {
        "dagster/asset_partition_range_start": str(first),
        "dagster/asset_partition_range_end": str(last),
        CLIENT_TAG: client_id,
    }


def client_day_range_tags(client_id: str, first_day: date, last_day: date) -> dict[str, str]:
    """Return run tags selecting one client over the days first_day to last_day (both
    included), for the jobs of daily-only platforms."""
    first = dg.MultiPartitionKey(
        {CLIENT_DIMENSION: client_id, DAY_DIMENSION: first_day.strftime(DAY_KEY_FORMAT)}
    )
    last = dg.MultiPartitionKey(
        {CLIENT_DIMENSION: client_id, DAY_DIMENSION: last_day.strftime(DAY_KEY_FORMAT)}
    )
    return {
        "dagster/asset_partition_range_start": str(first),
        "dagster/asset_partition_range_end": str(last),
        CLIENT_TAG: client_id,
    }
