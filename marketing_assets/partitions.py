"""Partitions shared by every hourly asset: client (dynamic) x UTC hour."""

from __future__ import annotations

import dagster as dg

CLIENT_DIMENSION = "client"
HOUR_DIMENSION = "hour"

client_partitions = dg.DynamicPartitionsDefinition(name="client")

# NOTE: every hour since the start date is a partition per client, and the UI's partition
# views slow down as that product grows; move the start forward rather than back unless a
# backfill needs older hours.
hour_partitions = dg.HourlyPartitionsDefinition(start_date="2026-01-01-00:00", timezone="UTC")

# Keys read "client|hour" because Dagster joins dimensions in name order.
client_hour_partitions = dg.MultiPartitionsDefinition(
    {CLIENT_DIMENSION: client_partitions, HOUR_DIMENSION: hour_partitions}
)

HOUR_KEY_FORMAT = "%Y-%m-%d-%H:%M"
