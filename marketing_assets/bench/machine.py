"""A one-line description of the machine and software a benchmark ran on."""

from __future__ import annotations

import os
import platform
from importlib import metadata
from pathlib import Path

import psycopg2.extensions


def cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def memory_gigabytes() -> float | None:
    meminfo = Path("/proc/meminfo")
    if not meminfo.is_file():
        return None
    for line in meminfo.read_text(encoding="utf-8").splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return None


def package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def describe_machine(connection: psycopg2.extensions.connection) -> str:
    """Return CPU, cores, memory, OS, Python, PostgreSQL and the key package versions."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (server_version,) = cursor.fetchone()
    memory = memory_gigabytes()
    memory_text = f"{memory:.1f} GiB RAM" if memory is not None else "RAM unknown"
    packages = ", ".join(
        f"{name} {package_version(name)}"
        for name in ("dagster", "polars", "pandas", "dlt", "psycopg2-binary")
    )
    return (
        f"{cpu_model()}, {os.cpu_count()} cores, {memory_text}, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, PostgreSQL "
        f"{server_version} (embedded, Unix socket); {packages}"
    )
