"""Turn one account-day of platform records into raw landing rows for a run's window."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from marketing_assets.sync.hours import inside_window, with_utc_hour
from marketing_assets.sync.window import SyncWindow


def landing_rows(
    records: pl.DataFrame,
    *,
    time_zone: str,
    window: SyncWindow,
    where: str,
    schema: dict[str, pl.DataType],
    client_id: str,
    loaded_at: datetime,
    run_id: str,
    constants: dict[str, str] | None = None,
) -> pl.DataFrame:
    """Map the records' local hours to UTC, keep the window's hours and add load columns.

    ``constants`` adds columns with one value for every row, such as a time zone that the
    platform reports outside the rows.
    """
    frame = inside_window(with_utc_hour(records, time_zone, where=where), window)
    return frame.with_columns(
        client_id=pl.lit(client_id),
        loaded_at=pl.lit(loaded_at, dtype=schema["loaded_at"]),
        dagster_run_id=pl.lit(run_id),
        **{name: pl.lit(value) for name, value in (constants or {}).items()},
    ).select(list(schema))
