"""Sizes of the quick and full benchmark runs."""

from __future__ import annotations

from dataclasses import dataclass

# Google Ads searchStream and Meta insights calls for one account-day typically take a few
# hundred milliseconds; the simulator answers in about a millisecond without this delay.
DEFAULT_LATENCY_SECONDS = 0.3
# The instance's run queue (dagster.yaml) allows four runs at once.
CONCURRENT_RUNS = 4


@dataclass(frozen=True, slots=True)
class BenchSettings:
    """What one benchmark run measures, and at which sizes."""

    mode: str
    # Repetitions per row count of the write path; slow peers run every repetition too.
    write_repetitions: dict[int, int]
    cycle_clients: tuple[int, ...]
    naive_sample_runs: int
    backfill_clients: int
    backfill_days: int
    large_client_accounts_per_platform: int
    large_client_hours: int = 24
    latency_seconds: float = DEFAULT_LATENCY_SECONDS
    workers: int = CONCURRENT_RUNS

    @property
    def fleet_size(self) -> int:
        return sum(self.cycle_clients) + self.backfill_clients


# Quick mode keeps every measurement but shrinks the fleet so it ends within about 10 minutes
# on a shared 2-core machine; the report scales its per-run figures to the full sizes.
QUICK = BenchSettings(
    mode="quick",
    write_repetitions={10_000: 3, 100_000: 1},
    cycle_clients=(8,),
    naive_sample_runs=2,
    backfill_clients=2,
    backfill_days=30,
    large_client_accounts_per_platform=50,
)
FULL = BenchSettings(
    mode="full",
    write_repetitions={10_000: 5, 100_000: 3, 1_000_000: 1},
    cycle_clients=(50, 200),
    naive_sample_runs=4,
    backfill_clients=50,
    backfill_days=30,
    large_client_accounts_per_platform=500,
)
