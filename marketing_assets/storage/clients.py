"""Keep marketing.clients equal to the registry entries of the clients a run writes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import psycopg2.extensions
from psycopg2.extras import execute_values

from marketing_assets.registry import Client

UPSERT_CLIENTS = """
INSERT INTO marketing.clients (client_id, name, time_zone, reporting_currency, updated_at)
VALUES %s
ON CONFLICT (client_id) DO UPDATE SET
    name = EXCLUDED.name,
    time_zone = EXCLUDED.time_zone,
    reporting_currency = EXCLUDED.reporting_currency,
    updated_at = EXCLUDED.updated_at
WHERE (marketing.clients.name, marketing.clients.time_zone, marketing.clients.reporting_currency)
    IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.time_zone, EXCLUDED.reporting_currency)
"""


def upsert_clients(connection: psycopg2.extensions.connection, clients: Iterable[Client]) -> None:
    now = datetime.now(UTC)
    values = [
        (client.client_id, client.name, client.time_zone, client.currency, now)
        for client in clients
    ]
    if not values:
        return
    with connection, connection.cursor() as cursor:
        execute_values(cursor, UPSERT_CLIENTS, values)
