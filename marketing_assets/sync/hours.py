"""Map account-local (date, hour) labels to the UTC hour partition they belong to."""

from __future__ import annotations

import polars as pl

from marketing_assets.sync.window import SyncWindow


class LocalHourError(ValueError):
    """A platform labelled an hour that does not exist in the account's time zone."""


def with_utc_hour(frame: pl.DataFrame, time_zone: str, *, where: str) -> pl.DataFrame:
    """Add ``utc_hour``: the UTC hour containing the start of each row's local hour.

    Each local hour lands in exactly one partition. With a whole-hour offset that is the hour
    it starts. With a half- or quarter-hour offset (Asia/Kolkata +05:30) the local hour starts
    mid-way through a UTC hour and belongs to that one. On a day when clocks fall back, the
    repeated hour label takes its first occurrence.
    """
    local_start = pl.col("local_date").cast(pl.Datetime("us")) + pl.duration(
        hours=pl.col("local_hour")
    )
    utc_hour = (
        local_start.dt.replace_time_zone(time_zone, ambiguous="earliest", non_existent="null")
        .dt.convert_time_zone("UTC")
        .dt.truncate("1h")
    )
    result = frame.with_columns(utc_hour=utc_hour)
    missing = result.filter(pl.col("utc_hour").is_null())
    if missing.height:
        examples = missing.select("local_date", "local_hour").head(3).rows()
        raise LocalHourError(
            f"{where}: {missing.height} row(s) carry local hours that do not exist in "
            f"{time_zone} (skipped by a daylight-saving change), for example {examples}. "
            "Check the account's time zone setting on the platform."
        )
    return result


def inside_window(frame: pl.DataFrame, window: SyncWindow) -> pl.DataFrame:
    """Keep the rows whose UTC hour lies in the window; a local day spans other partitions."""
    return frame.filter((pl.col("utc_hour") >= window.start) & (pl.col("utc_hour") < window.end))
