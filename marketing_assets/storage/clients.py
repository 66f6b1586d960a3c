"""Keep marketing.clients equal to the registry entries of the clients a run writes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import psycopg2.extensions
from psycopg2.extras import execute_values

from marketing_assets.registry import Client

UPSERT_CLIENTS = """
INSERT INTO marketing.clients (client_id, name, time_zone, reporting_currency, updated_at,
    platforms, warn_after_minutes, fail_after_minutes)
VALUES %s
ON CONFLICT (client_id) DO UPDATE SET
    name = EXCLUDED.name,
    time_zone = EXCLUDED.time_zone,
    reporting_currency = EXCLUDED.reporting_currency,
    updated_at = EXCLUDED.updated_at,
    platforms = EXCLUDED.platforms,
    warn_after_minutes = EXCLUDED.warn_after_minutes,
    fail_after_minutes = EXCLUDED.fail_after_minutes,
    removed_from_registry_at = NULL
WHERE (marketing.clients.name, marketing.clients.time_zone, marketing.clients.reporting_currency,
       marketing.clients.platforms, marketing.clients.warn_after_minutes,
       marketing.clients.fail_after_minutes, marketing.clients.removed_from_registry_at)
    IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.time_zone, EXCLUDED.reporting_currency,
       EXCLUDED.platforms, EXCLUDED.warn_after_minutes, EXCLUDED.fail_after_minutes, NULL)
"""

# Name, time zone and currency label loaded rows, so only a successful run changes them for a
# client already listed (see upsert_clients). Platforms and freshness thresholds label nothing,
# so the freshness sensor applies registry edits to them at once.
SYNC_FRESHNESS_SETTINGS = """
INSERT INTO marketing.clients (client_id, name, time_zone, reporting_currency, updated_at,
    platforms, warn_after_minutes, fail_after_minutes)
VALUES %s
ON CONFLICT (client_id) DO UPDATE SET
    updated_at = EXCLUDED.updated_at,
    platforms = EXCLUDED.platforms,
    warn_after_minutes = EXCLUDED.warn_after_minutes,
    fail_after_minutes = EXCLUDED.fail_after_minutes,
    removed_from_registry_at = NULL
WHERE (marketing.clients.platforms, marketing.clients.warn_after_minutes,
       marketing.clients.fail_after_minutes, marketing.clients.removed_from_registry_at)
    IS DISTINCT FROM (EXCLUDED.platforms, EXCLUDED.warn_after_minutes,
       EXCLUDED.fail_after_minutes, NULL)
"""

MARK_REMOVED_CLIENTS = """
UPDATE marketing.clients SET removed_from_registry_at = %s
WHERE removed_from_registry_at IS NULL AND NOT (client_id = ANY(%s))
"""


def client_row(client: Client, now: datetime) -> tuple[object, ...]:
    return (
        client.client_id,
        client.name,
        client.time_zone,
        client.currency,
        now,
        list(client.platforms),
        client.freshness.warn_after_minutes,
        client.freshness.fail_after_minutes,
    )


def upsert_clients(connection: psycopg2.extensions.connection, clients: Iterable[Client]) -> None:
    """Write the registry entries of ``clients`` into marketing.clients and commit."""
    now = datetime.now(UTC)
    values = [client_row(client, now) for client in clients]
    if not values:
        return
    with connection, connection.cursor() as cursor:
        execute_values(cursor, UPSERT_CLIENTS, values)


def sync_freshness_settings(
    connection: psycopg2.extensions.connection, clients: Iterable[Client], *, now: datetime
) -> None:
    """Make marketing.clients list exactly the registry's clients for the freshness view.

    Adds clients never loaded (so the view shows them stale), updates platforms and thresholds,
    and marks clients no longer in the registry as removed, in the caller's transaction.
    """
    values = [client_row(client, now) for client in clients]
    with connection.cursor() as cursor:
        if values:
            execute_values(cursor, SYNC_FRESHNESS_SETTINGS, values)
        cursor.execute(MARK_REMOVED_CLIENTS, (now, [row[0] for row in values]))
