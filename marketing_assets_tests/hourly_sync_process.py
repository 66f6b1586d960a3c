"""Run hourly_sync_job for one client and UTC window in this process, for process-level tests.

Usage: python -m marketing_assets_tests.hourly_sync_process CLIENT START END RESULT_FILE

START and END are ISO 8601 UTC instants on whole hours (END exclusive). The run reads the same
environment variables as the code location. The run's outcome is written to RESULT_FILE as
JSON, and the exit status is 0 only when the run succeeded.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path

import dagster as dg
from dagster._utils.error import SerializableErrorInfo

from marketing_assets.definitions import defs
from marketing_assets.jobs import hourly_sync_job
from marketing_assets.local.demo import QUIET_CONSOLE
from marketing_assets.partitions import client_range_tags

# Events that mean a step raised, even when a retry later succeeded.
STEP_ERROR_EVENTS = (dg.DagsterEventType.STEP_FAILURE, dg.DagsterEventType.STEP_UP_FOR_RETRY)


def run_outcome(result: dg.ExecuteInProcessResult) -> dict[str, object]:
    """Return the run's status, each asset's ``partitions_changed`` and every step error."""
    partitions_changed: dict[str, int] = {}
    for event in result.get_asset_materialization_events():
        metadata = event.materialization.metadata
        if "partitions_changed" in metadata:
            name = event.asset_key.to_user_string()
            partitions_changed[name] = int(metadata["partitions_changed"].value)
    step_errors = [
        f"{event.step_key}: {error_chain(event.event_specific_data.error)}"
        for event in result.all_events
        if event.event_type in STEP_ERROR_EVENTS
    ]
    return {
        "run_id": result.run_id,
        "success": result.success,
        "partitions_changed": partitions_changed,
        "step_errors": step_errors,
    }


def error_chain(error: SerializableErrorInfo | None) -> str:
    """Join the messages of an error and its causes, without the stack traces."""
    messages = []
    while error is not None:
        messages.append(error.message.strip())
        error = error.cause
    return " Caused by: ".join(messages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("client", help="client id (a key of the client partition dimension)")
    parser.add_argument("start", type=datetime.fromisoformat, help="first UTC hour, inclusive")
    parser.add_argument("end", type=datetime.fromisoformat, help="end UTC hour, exclusive")
    parser.add_argument("result_file", type=Path, help="file to write the run outcome to")
    arguments = parser.parse_args(argv)

    instance = dg.DagsterInstance.get()
    try:
        result = defs.resolve_job_def(hourly_sync_job.name).execute_in_process(
            instance=instance,
            tags=client_range_tags(arguments.client, arguments.start, arguments.end),
            run_config=QUIET_CONSOLE,
            raise_on_error=False,
        )
    finally:
        instance.dispose()
    outcome = run_outcome(result)
    arguments.result_file.write_text(json.dumps(outcome, indent=2), encoding="utf-8")
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())
