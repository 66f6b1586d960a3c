"""Registry validation: every invalid entry is rejected with the entry and field named."""

from __future__ import annotations

import pytest

from marketing_assets.registry import RegistryError, load_registry, parse_registry
from marketing_assets.settings import registry_path

VALID_CLIENT = """
  - id: acme-shoes
    name: Acme Shoes
    time_zone: Europe/Berlin
    currency: EUR
    accounts:
      google_ads:
        - id: "123-456-7890"
          login_customer_id: "999-000-1111"
      meta:
        - id: act_42
"""


def registry_text(*clients: str) -> str:
    return "clients:" + "".join(clients)


def test_sample_registry_spans_zones_and_currencies():
    registry = load_registry(registry_path(""))
    zones = {client.time_zone for client in registry.clients}
    currencies = {client.currency for client in registry.clients}
    assert len(registry.clients) == 9
    assert {"America/Los_Angeles", "Europe/Berlin", "Asia/Kolkata", "Australia/Sydney"} <= zones
    assert {"USD", "EUR", "INR", "AUD"} <= currencies


def test_account_ids_are_normalised():
    registry = parse_registry(registry_text(VALID_CLIENT))
    google, meta = registry.clients[0].accounts
    assert google.account_id == "1234567890"
    assert google.login_customer_id == "9990001111"
    assert meta.account_id == "42"


NEWER_PLATFORMS_CLIENT = """
  - id: lumen-labs
    name: Lumen Labs
    time_zone: America/Chicago
    currency: USD
    accounts:
      tiktok:
        - id: "7012345678901234567"
      microsoft_ads:
        - "151234567"
      linkedin:
        - id: "urn:li:sponsoredAccount:507123456"
        - id: "507123457"
    lookback_days: {tiktok: 7, microsoft_ads: 45, linkedin: 30}
"""


def test_newer_platform_accounts_are_read():
    client = parse_registry(registry_text(NEWER_PLATFORMS_CLIENT)).clients[0]
    assert [(account.platform, account.account_id) for account in client.accounts] == [
        ("tiktok", "7012345678901234567"),
        ("microsoft_ads", "151234567"),
        ("linkedin", "507123456"),
        ("linkedin", "507123457"),
    ]
    assert all(account.login_customer_id is None for account in client.accounts)
    assert client.platforms == ("tiktok", "microsoft_ads", "linkedin")
    assert client.lookback_override("microsoft_ads") == 45


@pytest.mark.parametrize(
    ("replace", "by", "message"),
    [
        (
            '"7012345678901234567"',
            '"7012-3456"',
            "accounts.tiktok[1]' id: a TikTok advertiser_id is up to 19 digits",
        ),
        ('"7012345678901234567"', '"70123456789012345678"', "a TikTok advertiser_id"),
        ('"151234567"', '"F149MJ18"', "not the letters-and-digits account number"),
        (
            '"urn:li:sponsoredAccount:507123456"',
            '"urn:li:sponsoredCampaign:1111"',
            "accounts.linkedin[1]' id: a LinkedIn ad account id",
        ),
        ('"507123457"', "507123457", "write account ids in quotes"),
        (
            '"151234567"',
            '{id: "151234567", login_customer_id: "9990001111"}',
            "unknown field(s) ['login_customer_id']; allowed are ['id']",
        ),
        ("linkedin: 30", "linkedin: 91", "'lookback_days.linkedin' must be a whole number"),
    ],
)
def test_invalid_newer_platform_account_is_named(replace, by, message):
    text = registry_text(NEWER_PLATFORMS_CLIENT.replace(replace, by))
    with pytest.raises(RegistryError) as error:
        parse_registry(text, source="clients.yaml")
    assert message in str(error.value)
    assert "client #1 ('lumen-labs')" in str(error.value)


def test_lookback_override_is_read():
    text = registry_text(
        VALID_CLIENT.replace(
            "    currency: EUR", "    currency: EUR\n    lookback_days: {google_ads: 60}"
        )
    )
    client = parse_registry(text).clients[0]
    assert client.lookback_override("google_ads") == 60
    assert client.lookback_override("meta") is None


def test_client_without_accounts_is_valid():
    text = registry_text("\n  - {id: quiet-co, name: Quiet Co, time_zone: UTC, currency: USD}")
    assert parse_registry(text).clients[0].accounts == ()


@pytest.mark.parametrize(
    ("replace", "by", "message"),
    [
        ("id: acme-shoes", "id: Acme Shoes", "field 'id' must be a lowercase slug"),
        ("id: acme-shoes", "id: acme|shoes", "field 'id' must be a lowercase slug"),
        ("time_zone: Europe/Berlin", "time_zone: Mars/Olympus", "field 'time_zone'"),
        ("currency: EUR", "currency: eur", "field 'currency' is not an ISO 4217"),
        ("currency: EUR", "currency: XYZ", "field 'currency' is not an ISO 4217"),
        ("name: Acme Shoes", "name: ''", "field 'name' is missing"),
        ('"123-456-7890"', '"12345"', "accounts.google_ads[1]' id: a Google Ads customer id"),
        ("act_42", "act_4x2", "accounts.meta[1]' id: a Meta ad account id"),
        ("      meta:", "      snapchat:", "unknown platform 'snapchat'"),
        ("    currency: EUR", "    currency: EUR\n    colour: red", "unknown field(s) ['colour']"),
        ("    currency: EUR", "    currency: EUR\n    lookback_days: {meta: 0}", "1 to 90"),
        ("time_zone: Europe/Berlin", "time_zone: localtime", "field 'time_zone'"),
        ('"123-456-7890"', "0123456701", "write account ids in quotes"),
        ("    currency: EUR", "    currency: EUR\n    currency: USD", "key 'currency' is repeated"),
        ("    currency: EUR", "    currency: EUR\n    lookback_days: {bing: 3}", "'bing'"),
    ],
)
def test_invalid_entry_names_entry_and_field(replace, by, message):
    text = registry_text(VALID_CLIENT.replace(replace, by))
    with pytest.raises(RegistryError) as error:
        parse_registry(text, source="clients.yaml")
    assert message in str(error.value)
    assert "clients.yaml" in str(error.value)


def test_duplicate_client_id_names_both_entries():
    with pytest.raises(RegistryError, match=r"client #2 \('acme-shoes'\): field 'id' repeats"):
        parse_registry(registry_text(VALID_CLIENT, VALID_CLIENT.replace("act_42", "act_43")))


def test_account_shared_by_two_clients_is_rejected():
    second = VALID_CLIENT.replace("acme-shoes", "other-co").replace("act_42", "act_43")
    with pytest.raises(RegistryError, match="already belongs to client 'acme-shoes'"):
        parse_registry(registry_text(VALID_CLIENT, second))


def test_missing_file_says_which_variable_to_set(tmp_path):
    with pytest.raises(RegistryError, match="MARKETING_ASSETS_REGISTRY"):
        load_registry(tmp_path / "absent.yaml")


def test_non_mapping_document_is_rejected():
    with pytest.raises(RegistryError, match="top-level 'clients:' list"):
        parse_registry("- just a list")


def test_yaml_syntax_error_gives_line():
    with pytest.raises(RegistryError, match=r"clients.yaml: not valid YAML: .* at line 4"):
        parse_registry("clients:\n  - id: a\n    name: [unclosed\n", source="clients.yaml")


@pytest.mark.parametrize(
    ("platform", "account_id"),
    [
        ("microsoft_ads", "0151000001"),
        ("tiktok", "0"),
        ("tiktok", "9999999999999999999"),
        ("linkedin", "007"),
        ("meta", "0310000000001"),
    ],
)
def test_numeric_ids_reject_leading_zeros_and_overflow(platform, account_id):
    text = (
        "clients:\n"
        "  - {id: alpha, name: Alpha, time_zone: UTC, currency: USD,"
        f" accounts: {{{platform}: ['{account_id}']}}}}\n"
    )

    with pytest.raises(RegistryError) as raised:
        parse_registry(text)

    assert "client 'alpha'" in str(raised.value) or "client #1" in str(raised.value)
    assert platform.split("_")[0] in str(raised.value).lower()
    assert repr(account_id) in str(raised.value)
