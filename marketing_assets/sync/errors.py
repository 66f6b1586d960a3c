"""Errors of a sync, carrying the client that a platform error happened for."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from marketing_assets.platforms.errors import PlatformError


class ClientSyncError(RuntimeError):
    """A platform request failed while syncing one client; the message names the client."""

    def __init__(self, client_id: str, error: PlatformError) -> None:
        super().__init__(f"Syncing client {client_id!r} failed: {error}")
        self.client_id = client_id
        self.platform_error = error


@contextmanager
def for_client(client_id: str) -> Iterator[None]:
    """Re-raise platform errors raised inside the block with the client's id in the message."""
    try:
        yield
    except PlatformError as error:
        raise ClientSyncError(client_id, error) from error
