"""The client registry: which clients exist and which ad accounts belong to each."""

from marketing_assets.registry.load import load_registry, parse_registry
from marketing_assets.registry.models import (
    PLATFORMS,
    AdAccount,
    Client,
    FreshnessThresholds,
    Registry,
    RegistryError,
)

__all__ = [
    "PLATFORMS",
    "AdAccount",
    "Client",
    "FreshnessThresholds",
    "Registry",
    "RegistryError",
    "load_registry",
    "parse_registry",
]
