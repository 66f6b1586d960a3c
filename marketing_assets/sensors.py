"""Sensors that keep Dagster's view of the world equal to the client registry."""

import dagster as dg

from marketing_assets.partitions import CLIENT_DIMENSION, client_partitions
from marketing_assets.resources import RegistryResource


@dg.sensor(
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        "Adds a client partition for each new registry entry and removes the partitions of "
        "clients no longer listed; their loaded rows stay in PostgreSQL."
    ),
)
def client_registry_sensor(
    context: dg.SensorEvaluationContext, registry: RegistryResource
) -> dg.SensorResult | dg.SkipReason:
    # An invalid registry raises here, which fails the tick with the error and changes nothing.
    registered = set(registry.load().client_ids)
    current = set(context.instance.get_dynamic_partitions(CLIENT_DIMENSION))
    added, removed = sorted(registered - current), sorted(current - registered)
    if not added and not removed:
        return dg.SkipReason(f"Client partitions already match the registry ({len(registered)}).")
    context.log.info("Registry sync: adding %s, removing %s", added, removed)
    requests: list[dg.AddDynamicPartitionsRequest | dg.DeleteDynamicPartitionsRequest] = []
    if added:
        requests.append(client_partitions.build_add_request(added))
    if removed:
        requests.append(client_partitions.build_delete_request(removed))
    return dg.SensorResult(dynamic_partitions_requests=requests)
