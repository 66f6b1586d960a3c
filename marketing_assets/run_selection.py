"""Selection of the hourly job's assets and checks for one client's run.

A run selects only the platforms the client has accounts on. Every other platform's steps
would fetch nothing and still cost the run a step each: resource setup, events, an IO
manager write and its checks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import dagster as dg
from dagster._core.definitions.assets.graph.base_asset_graph import BaseAssetGraph

from marketing_assets.jobs import hourly_sync_job
from marketing_assets.registry.models import DAILY_PLATFORMS


@dataclass(frozen=True, slots=True)
class PlatformSelection:
    """The hourly job's assets and checks of some platforms."""

    asset_keys: frozenset[dg.AssetKey]
    check_keys: frozenset[dg.AssetCheckKey]

    @property
    def empty(self) -> bool:
        return not self.asset_keys


def hourly_platform_selection(
    asset_graph: BaseAssetGraph, platforms: Iterable[str]
) -> PlatformSelection:
    """Resolve the hourly job's selection narrowed to the groups of ``platforms``.

    A platform the hourly job does not hold (a daily-only one) selects nothing.
    """
    selection = hourly_sync_job.selection & dg.AssetSelection.groups(*platforms)
    return PlatformSelection(
        frozenset(selection.resolve(asset_graph)), frozenset(selection.resolve_checks(asset_graph))
    )


def has_hourly_platform(platforms: Iterable[str]) -> bool:
    """Return True when one of ``platforms`` reports hours, so the hourly job has steps for it."""
    return bool(set(platforms) - set(DAILY_PLATFORMS))


def hourly_job_for_platforms(defs: dg.Definitions, platforms: tuple[str, ...]) -> dg.JobDefinition:
    """Return the hourly job narrowed to ``platforms``, for runs executed in this process.

    Building a subset job resolves the whole asset graph, so each is built once per process.
    """
    key = (id(defs), tuple(sorted(platforms)))
    if key not in _SUBSET_JOBS:
        _SUBSET_JOBS[key] = _subset_hourly_job(defs, key[1])
    return _SUBSET_JOBS[key]


_SUBSET_JOBS: dict[tuple[int, tuple[str, ...]], dg.JobDefinition] = {}


def _subset_hourly_job(defs: dg.Definitions, platforms: tuple[str, ...]) -> dg.JobDefinition:
    job = defs.resolve_job_def(hourly_sync_job.name)
    selection = hourly_platform_selection(defs.resolve_asset_graph(), platforms)
    if selection.empty:
        raise ValueError(
            f"No hourly assets belong to the platforms {', '.join(platforms) or '(none)'}; "
            "a client needs an account on an hourly platform to run the hourly job."
        )
    return job.get_subset(
        asset_selection=set(selection.asset_keys), asset_check_selection=set(selection.check_keys)
    )


def executable_keys(job: dg.JobDefinition) -> list[dg.AssetKey]:
    """Return the assets a job's runs materialize, in a stable order."""
    return sorted(job.asset_layer.executable_asset_keys, key=str)
