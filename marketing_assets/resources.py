"""Dagster resources that are not platform clients."""

from __future__ import annotations

import dagster as dg
from pydantic import Field

from marketing_assets.registry import Registry, load_registry
from marketing_assets.settings import registry_path


class RegistryResource(dg.ConfigurableResource):
    """The client registry file, read fresh on each use so edits apply without a redeploy."""

    path: str = Field(
        default="",
        description=(
            "Path of the registry YAML. Empty means $MARKETING_ASSETS_REGISTRY, or the sample "
            "clients shipped with the package when that is unset too."
        ),
    )

    def load(self) -> Registry:
        return load_registry(registry_path(self.path))
