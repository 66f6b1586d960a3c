"""Counters a sync keeps for materialization metadata."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class FetchStats:
    """API requests made during one asset's fetch."""

    requests: int = 0
