"""Deployment settings read from the environment, resolved when a run or tick needs them."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

REGISTRY_PATH_VARIABLE = "MARKETING_ASSETS_REGISTRY"
SAMPLE_REGISTRY = "sample_clients.yaml"


def registry_path(configured: str = "") -> Path:
    """Return the registry file: the configured path, else $MARKETING_ASSETS_REGISTRY, else
    the sample clients shipped with the package."""
    if configured:
        return Path(configured)
    from_environment = os.environ.get(REGISTRY_PATH_VARIABLE, "")
    if from_environment:
        return Path(from_environment)
    return Path(str(resources.files("marketing_assets").joinpath(SAMPLE_REGISTRY)))
