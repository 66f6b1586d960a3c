"""Simulator tests: RandomFaultPlan injects each platform's real fault shapes over HTTP."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from typing import Any

import httpx
import pytest

from marketing_assets.platforms.microsoft_ads.settings import (
    report_request as microsoft_report_request,
)
from marketing_assets.simulator import (
    DEFAULT_KINDS,
    FAULT_KINDS,
    FaultSettings,
    RandomFaultPlan,
    SimulatorServer,
)
from marketing_assets.simulator.newer_fault_kinds import NEWER_PLATFORM_KINDS
from marketing_assets.simulator.wire import is_zero
from marketing_assets_tests.extra_platforms_server import (
    LINKEDIN_LONDON,
    MICROSOFT_BERLIN,
    TIKTOK_NEW_YORK,
    ExtraPlatformsServer,
)
from marketing_assets_tests.test_simulator import (
    ACCOUNTS,
    FIXED_NOW,
    GOOGLE_BERLIN,
    GOOGLE_HEADERS,
    META_NEW_YORK,
    hourly_query,
    search_stream,
)
from marketing_assets_tests.test_simulator_meta import (
    HOURLY,
    fetch_all_pages,
    insights_params,
    insights_url,
)

DAY = "2026-12-03"
# Small sizes so the slow and rate-limit kinds keep the tests fast.
FAST = FaultSettings(retry_delay_seconds=1, regain_access_minutes=0, slow_response_seconds=0.5)
# Kinds that replace every platform response, so each faulted request is visible by status.
ALWAYS_ERRORS = ("google_500", "meta_2", "html_502")


@contextmanager
def faulty_simulator(plan: RandomFaultPlan) -> Iterator[SimulatorServer]:
    with SimulatorServer(ACCOUNTS, clock=lambda: FIXED_NOW, fault_plan=plan) as server:
        yield server


def only(kind: str) -> RandomFaultPlan:
    return RandomFaultPlan(1.0, seed=1, kinds=[kind], settings=FAST)


def google_stream(server: SimulatorServer) -> httpx.Response:
    return search_stream(server, GOOGLE_BERLIN.account_id, hourly_query(DAY))


def google_list_customers(
    server: SimulatorServer, client: httpx.Client | None = None
) -> httpx.Response:
    url = f"{server.url}/google-ads/v22/customers:listAccessibleCustomers"
    return (client or httpx).get(url, headers=GOOGLE_HEADERS)


def meta_insights(server: SimulatorServer, **overrides: str) -> httpx.Response:
    params = insights_params(DAY, **overrides)
    return httpx.get(insights_url(server, META_NEW_YORK.account_id), params=params)


def google_failure(body: dict[str, Any]) -> dict[str, Any]:
    failure = body["error"]["details"][0]
    assert (
        failure["@type"] == "type.googleapis.com/google.ads.googleads.v22.errors.GoogleAdsFailure"
    )
    assert failure["requestId"]
    return failure["errors"][0]


def test_google_429_has_retry_delay() -> None:
    with faulty_simulator(only("google_429")) as server:
        response = google_stream(server)

    assert response.status_code == 429
    error = response.json()["error"]
    assert error["code"] == 429
    assert error["status"] == "RESOURCE_EXHAUSTED"
    failure = google_failure(response.json())
    assert failure["errorCode"] == {"quotaError": "RESOURCE_EXHAUSTED"}
    assert failure["details"]["quotaErrorDetails"]["retryDelay"] == "1s"
    assert failure["details"]["quotaErrorDetails"]["rateScope"] == "DEVELOPER"


def test_google_429_wrapped_is_one_element_array() -> None:
    with faulty_simulator(only("google_429_wrapped")) as server:
        response = google_stream(server)

    assert response.status_code == 429
    body = response.json()
    assert isinstance(body, list)
    assert len(body) == 1
    assert body[0]["error"]["status"] == "RESOURCE_EXHAUSTED"
    assert google_failure(body[0])["details"]["quotaErrorDetails"]["retryDelay"] == "1s"


def test_google_429_wrapped_only_on_search_stream() -> None:
    plan = only("google_429_wrapped")
    with faulty_simulator(plan) as server:
        listing = google_list_customers(server)

    assert listing.status_code == 200
    assert plan.injected() == {"google_429_wrapped": 0}


def test_google_500_is_internal() -> None:
    with faulty_simulator(only("google_500")) as server:
        response = google_stream(server)

    assert response.status_code == 500
    assert response.json()["error"]["status"] == "INTERNAL"
    assert google_failure(response.json())["errorCode"] == {"internalError": "INTERNAL_ERROR"}


def test_google_401_is_expired_token() -> None:
    with faulty_simulator(only("google_401")) as server:
        response = google_stream(server)

    assert response.status_code == 401
    assert response.json()["error"]["status"] == "UNAUTHENTICATED"
    error_code = google_failure(response.json())["errorCode"]
    assert error_code == {"authenticationError": "OAUTH_TOKEN_EXPIRED"}


def test_google_missing_metrics_drops_zero_keys() -> None:
    with SimulatorServer(ACCOUNTS, clock=lambda: FIXED_NOW) as clean_server:
        clean = google_stream(clean_server).json()
    with faulty_simulator(only("google_missing_metrics")) as server:
        faulted = google_stream(server).json()

    clean_rows = [row for batch in clean for row in batch["results"]]
    faulted_rows = [row for batch in faulted for row in batch["results"]]
    assert len(faulted_rows) == len(clean_rows)
    thinned = [
        (before, after)
        for before, after in zip(clean_rows, faulted_rows, strict=True)
        if after["metrics"] != before["metrics"]
    ]
    assert thinned
    for before, after in thinned:
        dropped = set(before["metrics"]) - set(after["metrics"])
        assert dropped and set(after["metrics"]) < set(before["metrics"])
        assert all(is_zero(before["metrics"][name]) for name in dropped)
        assert after["campaign"] == before["campaign"]
        assert after["segments"] == before["segments"]


@pytest.mark.parametrize(
    ("kind", "code", "subcode"),
    [
        ("meta_4", 4, None),
        ("meta_17", 17, 2446079),
        ("meta_613", 613, None),
        ("meta_80004", 80004, 2446079),
    ],
)
def test_meta_rate_limit_shape(kind: str, code: int, subcode: int | None) -> None:
    settings = FaultSettings(regain_access_minutes=3)
    plan = RandomFaultPlan(1.0, seed=1, kinds=[kind], settings=settings)
    with faulty_simulator(plan) as server:
        response = meta_insights(server)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == code
    assert error.get("error_subcode") == subcode
    assert error["message"].startswith(f"(#{code}) ")
    assert error["type"] == "OAuthException"
    assert error["fbtrace_id"]
    usage = json.loads(response.headers["x-business-use-case-usage"])
    entry = usage[META_NEW_YORK.account_id][0]
    assert entry["estimated_time_to_regain_access"] == 3
    assert entry["call_count"] == 100
    assert json.loads(response.headers["x-ad-account-usage"])["acc_id_util_pct"] == 100
    assert plan.injected() == {kind: 1}


def test_meta_2_is_transient_500() -> None:
    with faulty_simulator(only("meta_2")) as server:
        response = meta_insights(server)

    assert response.status_code == 500
    error = response.json()["error"]
    assert error["code"] == 2
    assert error["is_transient"] is True


def test_meta_190_is_expired_token() -> None:
    with faulty_simulator(only("meta_190")) as server:
        response = meta_insights(server)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == 190
    assert error["error_subcode"] == 463
    assert error["type"] == "OAuthException"


def test_meta_duplicate_rows_repeat_previous_page() -> None:
    with SimulatorServer(ACCOUNTS, clock=lambda: FIXED_NOW) as clean_server:
        url = insights_url(clean_server, META_NEW_YORK.account_id)
        clean_pages = fetch_all_pages(url, insights_params(DAY, limit="10"))
    plan = only("meta_duplicate_rows")
    with faulty_simulator(plan) as server:
        url = insights_url(server, META_NEW_YORK.account_id)
        pages = fetch_all_pages(url, insights_params(DAY, limit="10"))

    def keys(page: dict[str, Any]) -> list[tuple[str, str | None]]:
        return [(row["campaign_id"], row.get(HOURLY)) for row in page["data"]]

    clean_keys = [key for page in clean_pages for key in keys(page)]
    faulted_keys = [key for page in pages for key in keys(page)]
    assert len(faulted_keys) > len(clean_keys)
    assert set(faulted_keys) == set(clean_keys)
    assert keys(pages[1])[:2] == keys(pages[0])[-2:]
    assert plan.injected()["meta_duplicate_rows"] == len(pages)


def test_meta_duplicate_rows_last_page() -> None:
    with faulty_simulator(only("meta_duplicate_rows")) as server:
        page = meta_insights(server, limit="500").json()

    keys = [(row["campaign_id"], row.get(HOURLY)) for row in page["data"]]
    assert "next" not in page["paging"]
    assert keys[-2:] == keys[:2]


def test_meta_missing_metrics_drops_zero_fields() -> None:
    with SimulatorServer(ACCOUNTS, clock=lambda: FIXED_NOW) as clean_server:
        clean_rows = meta_insights(clean_server, limit="100").json()["data"]
    with faulty_simulator(only("meta_missing_metrics")) as server:
        rows = meta_insights(server, limit="100").json()["data"]

    thinned = [
        (before, after) for before, after in zip(clean_rows, rows, strict=True) if after != before
    ]
    assert thinned
    for before, after in thinned:
        dropped = set(before) - set(after)
        assert dropped and set(after) < set(before)
        assert all(is_zero(before[name]) for name in dropped)
        assert after["campaign_id"] == before["campaign_id"]
        assert after.get(HOURLY) == before.get(HOURLY)


def test_slow_response_exceeds_client_timeout() -> None:
    plan = only("slow_response")
    with faulty_simulator(plan) as server:
        with pytest.raises(httpx.ReadTimeout):
            httpx.get(
                insights_url(server, META_NEW_YORK.account_id),
                params=insights_params(DAY),
                timeout=0.2,
            )
        patient = httpx.get(
            insights_url(server, META_NEW_YORK.account_id),
            params=insights_params(DAY),
            timeout=5,
        )

    assert patient.status_code == 200
    assert patient.json()["data"]
    assert plan.injected() == {"slow_response": 2}


def test_dropped_connection_sends_no_response() -> None:
    plan = only("dropped_connection")
    with faulty_simulator(plan) as server:
        with pytest.raises(httpx.RemoteProtocolError):
            google_stream(server)
        with pytest.raises(httpx.RemoteProtocolError):
            meta_insights(server)

    assert plan.injected() == {"dropped_connection": 2}


def test_truncated_json_is_first_half_of_body() -> None:
    with SimulatorServer(ACCOUNTS, clock=lambda: FIXED_NOW) as clean_server:
        clean = meta_insights(clean_server, limit="50")
    with faulty_simulator(only("truncated_json")) as server:
        truncated = meta_insights(server, limit="50")

    assert truncated.status_code == 200
    assert truncated.headers["content-type"].startswith("application/json")
    assert truncated.content == clean.content[: len(clean.content) // 2]
    with pytest.raises(json.JSONDecodeError):
        truncated.json()


def test_html_502_is_not_json() -> None:
    with faulty_simulator(only("html_502")) as server:
        response = google_stream(server)

    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert "502 Bad Gateway" in response.text
    with pytest.raises(json.JSONDecodeError):
        response.json()


def fault_sequence(plan: RandomFaultPlan, count: int) -> list[str | None]:
    """Send alternating Google and Meta requests one at a time; name each one's fault."""
    sequence: list[str | None] = []
    with faulty_simulator(plan) as server:
        for index in range(count):
            before = plan.injected()
            send = google_stream if index % 2 else meta_insights
            # A dropped connection raises; the plan's counts still name its fault.
            with suppress(httpx.TransportError):
                send(server)
            after = plan.injected()
            changed = [kind for kind in after if after[kind] != before[kind]]
            assert len(changed) <= 1
            sequence.append(changed[0] if changed else None)
    return sequence


def test_same_seed_gives_same_faults() -> None:
    settings = FaultSettings(regain_access_minutes=0, slow_response_seconds=0.01)
    first = fault_sequence(RandomFaultPlan(0.5, seed=7, settings=settings), 30)
    second = fault_sequence(RandomFaultPlan(0.5, seed=7, settings=settings), 30)
    other = fault_sequence(RandomFaultPlan(0.5, seed=8, settings=settings), 30)

    assert first == second
    assert first != other
    assert any(kind is None for kind in first)
    assert len({kind for kind in first if kind is not None}) > 3


def test_rate_zero_injects_nothing() -> None:
    plan = RandomFaultPlan(0.0, seed=1, settings=FAST)
    with faulty_simulator(plan) as server:
        statuses = [google_stream(server).status_code for _ in range(10)]
        statuses += [meta_insights(server).status_code for _ in range(10)]

    assert statuses == [200] * 20
    assert set(plan.injected().values()) == {0}
    assert plan.platform_requests() == 20


def test_rate_one_faults_every_platform_request() -> None:
    plan = RandomFaultPlan(1.0, seed=3, kinds=ALWAYS_ERRORS)
    with faulty_simulator(plan) as server:
        statuses = [google_stream(server).status_code for _ in range(10)]
        statuses += [meta_insights(server).status_code for _ in range(10)]

    assert all(status >= 500 for status in statuses)
    assert sum(plan.injected().values()) == 20
    assert plan.platform_requests() == 20


def test_counts_exact_under_concurrency() -> None:
    sequential = RandomFaultPlan(0.5, seed=11, kinds=ALWAYS_ERRORS)
    with faulty_simulator(sequential) as server, httpx.Client() as client:
        for _ in range(120):
            google_list_customers(server, client)
    concurrent = RandomFaultPlan(0.5, seed=11, kinds=ALWAYS_ERRORS)
    with (
        faulty_simulator(concurrent) as server,
        httpx.Client() as client,
        ThreadPoolExecutor(max_workers=8) as pool,
    ):
        responses = pool.map(lambda _: google_list_customers(server, client), range(120))
        statuses = [response.status_code for response in responses]

    assert concurrent.platform_requests() == 120
    assert sum(concurrent.injected().values()) == sum(status != 200 for status in statuses)
    # All requests are Google Ads, so every draw has the same kinds to choose from, and the
    # counts cannot depend on which thread took which draw.
    assert concurrent.injected() == sequential.injected()
    assert 0 < sum(concurrent.injected().values()) < 120


def test_truth_and_ecb_never_faulted() -> None:
    plan = RandomFaultPlan(1.0, seed=5, settings=FAST)
    paths = [
        "/_simulator/health",
        "/_simulator/accounts",
        "/ecb/stats/eurofxref/eurofxref-daily.xml",
        "/ecb/stats/eurofxref/eurofxref-hist-90d.xml",
    ]
    with faulty_simulator(plan) as server:
        statuses = [httpx.get(f"{server.url}{path}").status_code for path in paths * 5]

    assert statuses == [200] * 20
    assert plan.platform_requests() == 0
    assert set(plan.injected().values()) == {0}


def test_platforms_limit_faults() -> None:
    plan = RandomFaultPlan(1.0, seed=2, kinds=["html_502"], platforms=["meta"])
    with faulty_simulator(plan) as server:
        google = google_stream(server)
        meta = meta_insights(server)

    assert google.status_code == 200
    assert meta.status_code == 502
    assert plan.injected() == {"html_502": 1}


AUTH_KINDS = {
    "google_401",
    "google_403_permission_denied",
    "google_403_developer_token",
    "meta_190",
    "meta_190_invalid",
    "meta_200",
    "tiktok_40067",
    "tiktok_40105",
    "tiktok_40002",
    "microsoft_ads_109",
    "linkedin_401",
    "linkedin_426",
}


def test_default_kinds_leave_out_auth_errors() -> None:
    assert AUTH_KINDS.isdisjoint(DEFAULT_KINDS)
    assert set(DEFAULT_KINDS) | AUTH_KINDS == set(FAULT_KINDS)


@pytest.mark.parametrize(
    ("kind", "status", "expected"),
    [
        ("google_403_permission_denied", 403, "USER_PERMISSION_DENIED"),
        ("google_403_developer_token", 403, "DEVELOPER_TOKEN_NOT_APPROVED"),
    ],
)
def test_google_403_kinds_carry_their_code(kind: str, status: int, expected: str) -> None:
    with faulty_simulator(only(kind)) as server:
        response = google_stream(server)

    assert response.status_code == status
    assert google_failure(response.json())["errorCode"] == {"authorizationError": expected}


@pytest.mark.parametrize(("kind", "code"), [("meta_190_invalid", 190), ("meta_200", 200)])
def test_meta_auth_kinds_carry_their_code(kind: str, code: int) -> None:
    with faulty_simulator(only(kind)) as server:
        response = meta_insights(server)

    assert response.status_code >= 400
    assert response.json()["error"]["code"] == code


def test_from_spec_reads_every_key() -> None:
    plan = RandomFaultPlan.from_spec(
        "rate=0.2, seed=7, kinds=google_429+meta_17, platforms=meta+google_ads,"
        " retry_delay_seconds=3, regain_access_minutes=0, slow_response_seconds=1.5,"
        " repeated_rows=4"
    )

    assert plan.rate == 0.2
    assert plan.seed == 7
    assert plan.kinds == ("google_429", "meta_17")
    assert plan.platforms == ("meta", "google_ads")
    assert plan.settings == FaultSettings(
        retry_delay_seconds=3, regain_access_minutes=0, slow_response_seconds=1.5, repeated_rows=4
    )


def test_from_spec_defaults() -> None:
    plan = RandomFaultPlan.from_spec("rate=1")

    assert plan.seed == 0
    assert plan.kinds == DEFAULT_KINDS
    assert plan.settings == FaultSettings()


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("seed=7", "rate is missing"),
        ("rate=0.2,color=red", "Unknown fault spec key 'color'"),
        ("rate=0.2,rate=0.3", "given twice"),
        ("rate=0.2,seed", "use key=value"),
        ("rate=fast", "Invalid fault spec"),
        ("rate=1.5", "Invalid fault rate 1.5"),
        ("rate=0.2,kinds=google_429+google_418", "Unknown fault kinds \\['google_418'\\]"),
        ("rate=0.2,platforms=bing", "Invalid fault platforms"),
        ("rate=0.2,kinds=meta_17,platforms=google_ads", "None of the fault kinds"),
        ("rate=0.2,retry_delay_seconds=-1", "Invalid retry_delay_seconds -1"),
    ],
)
def test_from_spec_rejects_invalid(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RandomFaultPlan.from_spec(spec)


def test_stop_injecting_leaves_kinds_out() -> None:
    plan = RandomFaultPlan(1.0, seed=1, kinds=["google_401", "google_500"])
    plan.stop_injecting(["google_401"])
    with SimulatorServer(ACCOUNTS, clock=lambda: FIXED_NOW, fault_plan=plan) as server:
        responses = [google_stream(server) for _ in range(3)]

    assert [response.status_code for response in responses] == [500, 500, 500]
    assert plan.injected() == {"google_401": 0, "google_500": 3}


def tiktok_report(url: str) -> httpx.Response:
    return httpx.get(
        f"{url}/tiktok/open_api/v1.3/report/integrated/get/",
        params={
            "advertiser_id": TIKTOK_NEW_YORK.account_id,
            "report_type": "BASIC",
            "data_level": "AUCTION_CAMPAIGN",
            "dimensions": json.dumps(["campaign_id", "stat_time_hour"]),
            "metrics": json.dumps(["spend", "impressions"]),
            "start_date": DAY,
            "end_date": DAY,
        },
        headers={"Access-Token": "sim-tiktok-access-token"},
    )


def microsoft_submit(url: str) -> httpx.Response:
    return httpx.post(
        f"{url}/microsoft-ads/Reporting/v13/GenerateReport/Submit",
        json=microsoft_report_request(MICROSOFT_BERLIN.account_id, dt.date(2026, 12, 3)),
        headers={
            "Authorization": "Bearer sim-microsoft-ads-access-token",
            "DeveloperToken": "sim-microsoft-ads-developer-token",
            "CustomerId": "1",
            "CustomerAccountId": MICROSOFT_BERLIN.account_id,
        },
    )


def linkedin_ad_account(url: str) -> httpx.Response:
    return httpx.get(
        f"{url}/linkedin/rest/adAccounts/{LINKEDIN_LONDON.account_id}",
        headers={"Authorization": "Bearer sim-linkedin-access-token", "LinkedIn-Version": "202511"},
    )


NEWER_REQUESTS = {
    "tiktok": tiktok_report,
    "microsoft_ads": microsoft_submit,
    "linkedin": linkedin_ad_account,
}


def is_error(platform: str, response: httpx.Response) -> bool:
    if platform == "tiktok" and response.status_code == 200:
        return response.json()["code"] != 0
    return response.status_code >= 400


@pytest.mark.parametrize(
    "kind",
    [kind for kind in NEWER_PLATFORM_KINDS if kind.respond is not None],
    ids=lambda kind: kind.name,
)
def test_newer_platform_kind_faults_its_platform_only(kind) -> None:
    (platform,) = kind.platforms
    plan = RandomFaultPlan(1.0, seed=1, kinds=[kind.name], settings=FAST)
    with ExtraPlatformsServer(fault_plan=plan) as server:
        faulted = NEWER_REQUESTS[platform](server.url)
        others = [
            request(server.url) for name, request in NEWER_REQUESTS.items() if name != platform
        ]

    assert is_error(platform, faulted)
    assert plan.injected() == {kind.name: 1}
    assert [response.status_code for response in others] == [200, 200]


def test_generic_kinds_reach_newer_platforms() -> None:
    plan = RandomFaultPlan(1.0, seed=1, kinds=["html_502"], settings=FAST)
    with ExtraPlatformsServer(fault_plan=plan) as server:
        statuses = [request(server.url).status_code for request in NEWER_REQUESTS.values()]

    assert statuses == [502, 502, 502]
    assert plan.platform_requests() == 3
