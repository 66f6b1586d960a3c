"""Read and validate the client registry YAML file."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from marketing_assets.registry.account_ids import digits_account_id, google_ads_id
from marketing_assets.registry.currencies import ISO_4217_CODES
from marketing_assets.registry.models import (
    DEFAULT_FAIL_AFTER_MINUTES,
    DEFAULT_WARN_AFTER_MINUTES,
    PLATFORMS,
    AdAccount,
    Client,
    FreshnessThresholds,
    Registry,
    RegistryError,
)

# Client ids become Dagster partition keys, SQL values and parts of file names, so they are
# restricted to lowercase slugs: no separators that Dagster multi-partition keys use ('|', ',').
CLIENT_ID_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")

CLIENT_FIELDS = {"id", "name", "time_zone", "currency", "accounts", "lookback_days", "freshness"}
FRESHNESS_FIELDS = ("warn_after_minutes", "fail_after_minutes")
# Google Ads accepts conversion windows of up to 90 days; no platform restates older data.
MAX_LOOKBACK_DAYS = 90
ACCOUNT_FIELDS = {
    "google_ads": {"id", "login_customer_id"},
    "meta": {"id"},
    "tiktok": {"id"},
    "microsoft_ads": {"id"},
    "linkedin": {"id"},
}


# zoneinfo also finds these files, but they name no real zone: localtime and posixrules
# follow the host's settings, and Factory is a placeholder.
NOT_TIME_ZONES = {"localtime", "posixrules", "Factory"}


class UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that rejects a key repeated in one mapping, which PyYAML would
    otherwise resolve silently by keeping the last value."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} is repeated", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def describe_yaml_error(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    if mark is None:
        return problem
    return f"{problem} at line {mark.line + 1}, column {mark.column + 1}"


def load_registry(path: Path | str) -> Registry:
    """Read and validate the registry file at ``path``; raise RegistryError on any problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise RegistryError(
            f"Cannot read the client registry {str(path)!r}: {error.strerror}. Set "
            "MARKETING_ASSETS_REGISTRY to the path of a registry YAML file."
        ) from error
    return parse_registry(text, source=str(path))


def parse_registry(text: str, *, source: str = "<registry>") -> Registry:
    """Validate registry YAML text; every error names the source, the entry and the field."""
    try:
        # UniqueKeyLoader is a SafeLoader, so no Python objects are built from the file.
        document = yaml.load(text, Loader=UniqueKeyLoader)
    except yaml.YAMLError as error:
        raise RegistryError(f"{source}: not valid YAML: {describe_yaml_error(error)}") from error
    if not isinstance(document, Mapping) or not isinstance(document.get("clients"), list):
        raise RegistryError(f"{source}: expected a top-level 'clients:' list of client entries.")

    clients: list[Client] = []
    seen_ids: dict[str, int] = {}
    account_owners: dict[tuple[str, str], str] = {}
    for index, entry in enumerate(document["clients"], start=1):
        client = _parse_client(entry, source, index)
        where = f"{source}: client #{index} ({client.client_id!r})"
        if client.client_id in seen_ids:
            raise RegistryError(
                f"{where}: field 'id' repeats the id of client #{seen_ids[client.client_id]}. "
                "Client ids must be unique."
            )
        seen_ids[client.client_id] = index
        for account in client.accounts:
            key = (account.platform, account.account_id)
            # One account under two clients would count its spend twice on dashboards.
            if key in account_owners and account_owners[key] != client.client_id:
                raise RegistryError(
                    f"{where}: {account.platform} account {account.account_id!r} already belongs "
                    f"to client {account_owners[key]!r}. Each ad account belongs to one client."
                )
            if key in account_owners:
                raise RegistryError(
                    f"{where}: {account.platform} account {account.account_id!r} is listed twice."
                )
            account_owners[key] = client.client_id
        clients.append(client)
    return Registry(clients=tuple(clients))


def _parse_client(entry: Any, source: str, index: int) -> Client:
    where = f"{source}: client #{index}"
    if not isinstance(entry, Mapping):
        raise RegistryError(f"{where}: expected a mapping with fields {sorted(CLIENT_FIELDS)}.")
    unknown = set(entry) - CLIENT_FIELDS
    if unknown:
        raise RegistryError(
            f"{where}: unknown field(s) {sorted(map(str, unknown))}; "
            f"allowed fields are {sorted(CLIENT_FIELDS)}."
        )
    client_id = _required_string(entry, "id", where)
    if not CLIENT_ID_PATTERN.match(client_id):
        raise RegistryError(
            f"{where}: field 'id' must be a lowercase slug of letters, digits and inner '-' "
            f"(at most 64 characters), got {client_id!r}."
        )
    where = f"{where} ({client_id!r})"
    name = _required_string(entry, "name", where)
    time_zone = _required_string(entry, "time_zone", where)
    try:
        ZoneInfo(time_zone)
        if time_zone in NOT_TIME_ZONES:
            raise ValueError(time_zone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise RegistryError(
            f"{where}: field 'time_zone' is not an IANA time zone name, got {time_zone!r}. "
            "Use a name such as 'Europe/Berlin'."
        ) from error
    currency = _required_string(entry, "currency", where)
    if currency not in ISO_4217_CODES:
        raise RegistryError(
            f"{where}: field 'currency' is not an ISO 4217 currency code, got {currency!r}. "
            "Use an upper-case code such as 'EUR'."
        )
    accounts = _parse_accounts(entry.get("accounts"), where)
    return Client(
        client_id=client_id,
        name=name,
        time_zone=time_zone,
        currency=currency,
        accounts=accounts,
        lookback_days=_parse_lookback(entry.get("lookback_days"), where),
        freshness=_parse_freshness(entry.get("freshness"), where),
    )


def _parse_freshness(value: Any, where: str) -> FreshnessThresholds:
    if value is None:
        return FreshnessThresholds()
    if not isinstance(value, Mapping):
        raise RegistryError(
            f"{where}: field 'freshness' must be a mapping with {list(FRESHNESS_FIELDS)}."
        )
    unknown = set(value) - set(FRESHNESS_FIELDS)
    if unknown:
        raise RegistryError(
            f"{where}: field 'freshness' has unknown field(s) {sorted(map(str, unknown))}; "
            f"allowed are {list(FRESHNESS_FIELDS)}."
        )
    warn = value.get("warn_after_minutes", DEFAULT_WARN_AFTER_MINUTES)
    fail = value.get("fail_after_minutes", DEFAULT_FAIL_AFTER_MINUTES)
    for field, minutes in (("warn_after_minutes", warn), ("fail_after_minutes", fail)):
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
            raise RegistryError(
                f"{where}: field 'freshness.{field}' must be a whole number of minutes above 0, "
                f"got {minutes!r}."
            )
    if fail <= warn:
        raise RegistryError(
            f"{where}: field 'freshness.fail_after_minutes' ({fail}) must be greater than "
            f"'freshness.warn_after_minutes' ({warn}). Raise fail_after_minutes or lower "
            "warn_after_minutes; the defaults are "
            f"{DEFAULT_WARN_AFTER_MINUTES} and {DEFAULT_FAIL_AFTER_MINUTES}."
        )
    return FreshnessThresholds(warn_after_minutes=warn, fail_after_minutes=fail)


def _parse_lookback(value: Any, where: str) -> tuple[tuple[str, int], ...]:
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise RegistryError(
            f"{where}: field 'lookback_days' must map a platform name to a number of days."
        )
    pairs = []
    for platform, days in value.items():
        if platform not in PLATFORMS:
            raise RegistryError(
                f"{where}: field 'lookback_days' names unknown platform {platform!r}; "
                f"known platforms are {list(PLATFORMS)}."
            )
        if (
            isinstance(days, bool)
            or not isinstance(days, int)
            or not 1 <= days <= MAX_LOOKBACK_DAYS
        ):
            raise RegistryError(
                f"{where}: field 'lookback_days.{platform}' must be a whole number of days from "
                f"1 to {MAX_LOOKBACK_DAYS}, got {days!r}."
            )
        pairs.append((platform, days))
    return tuple(pairs)


def _parse_accounts(value: Any, where: str) -> tuple[AdAccount, ...]:
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise RegistryError(
            f"{where}: field 'accounts' must map a platform name to a list of accounts."
        )
    accounts: list[AdAccount] = []
    for platform, entries in value.items():
        if platform not in PLATFORMS:
            raise RegistryError(
                f"{where}: field 'accounts' names unknown platform {platform!r}; "
                f"known platforms are {list(PLATFORMS)}."
            )
        if entries is None:
            continue
        if not isinstance(entries, list):
            raise RegistryError(f"{where}: field 'accounts.{platform}' must be a list.")
        for position, account in enumerate(entries, start=1):
            field = f"accounts.{platform}[{position}]"
            accounts.append(_parse_account(platform, account, f"{where}, field '{field}'"))
    return tuple(accounts)


def _parse_account(platform: str, entry: Any, where: str) -> AdAccount:
    # A bare id is shorthand for {id: ...}.
    if isinstance(entry, (str, int)):
        entry = {"id": entry}
    for field in ("id", "login_customer_id"):
        # YAML reads an unquoted 0123456701 as an octal number, so only strings are trusted.
        if isinstance(entry, Mapping) and isinstance(entry.get(field), int):
            raise RegistryError(
                f'{where} {field}: write account ids in quotes ("{entry[field]}"); an '
                "unquoted number can be misread, for example a leading 0 as octal."
            )
    if not isinstance(entry, Mapping):
        raise RegistryError(f"{where}: expected an account id or a mapping with 'id'.")
    unknown = set(entry) - ACCOUNT_FIELDS[platform]
    if unknown:
        raise RegistryError(
            f"{where}: unknown field(s) {sorted(map(str, unknown))}; "
            f"allowed are {sorted(ACCOUNT_FIELDS[platform])}."
        )
    if "id" not in entry:
        raise RegistryError(f"{where}: missing field 'id'.")
    if platform == "google_ads":
        account_id = google_ads_id(entry["id"], f"{where} id")
        login = entry.get("login_customer_id")
        login_id = None if login is None else google_ads_id(login, f"{where} login_customer_id")
        return AdAccount(platform, account_id, login_customer_id=login_id)
    return AdAccount(platform, digits_account_id(platform, entry["id"], where))


def _required_string(entry: Mapping[str, Any], field: str, where: str) -> str:
    value = entry.get(field)
    if not isinstance(value, str) or not value.strip():
        raise RegistryError(f"{where}: field {field!r} is missing or not a non-empty string.")
    return value.strip()
