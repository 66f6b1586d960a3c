"""The shipped deployment configs stay loadable as Dagster instance config and Helm values.

Dagster core validates an instance file's whole shape: storage, run coordinator, the
run launcher's module/class/config entry, concurrency and telemetry. The launcher's own
fields (K8sRunLauncher's) are checked only when dagster-k8s instantiates it. That package is
not a dependency, so these tests check the launcher fields and the Helm values as YAML.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from dagster._core.errors import DagsterInvalidConfigError
from dagster._core.instance.config import dagster_instance_config

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
INSTANCE_FILES = ("dagster-k8s.yaml", "dagster-celery.yaml")
ENVIRONMENT = (
    "DAGSTER_PG_HOST",
    "DAGSTER_PG_USERNAME",
    "DAGSTER_PG_PASSWORD",
    "DAGSTER_PG_DB",
    "DAGSTER_K8S_JOB_NAMESPACE",
    "MARKETING_ASSETS_DAGSTER_STORAGE_URL",
)


@pytest.fixture
def deploy_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENVIRONMENT:
        monkeypatch.setenv(name, "placeholder")


@pytest.mark.parametrize("filename", INSTANCE_FILES)
def test_instance_config_validates(filename: str, deploy_environment: None) -> None:
    config, _ = dagster_instance_config(str(DEPLOY), filename)
    assert "postgres" in config["storage"]
    assert config["run_coordinator"]["class"] == "QueuedRunCoordinator"
    limits = config["run_coordinator"]["config"]["tag_concurrency_limits"]
    assert [limit["key"] for limit in limits] == ["marketing_assets/client"]


def test_instance_validation_rejects_unknown_key(tmp_path: Path, deploy_environment: None) -> None:
    text = (DEPLOY / "dagster-k8s.yaml").read_text(encoding="utf-8")
    (tmp_path / "dagster.yaml").write_text(text + "\nrun_laucher: {}\n", encoding="utf-8")
    with pytest.raises(DagsterInvalidConfigError):
        dagster_instance_config(str(tmp_path))


def test_k8s_launcher_has_required_fields() -> None:
    config = yaml.safe_load((DEPLOY / "dagster-k8s.yaml").read_text(encoding="utf-8"))
    launcher = config["run_launcher"]
    assert (launcher["module"], launcher["class"]) == ("dagster_k8s", "K8sRunLauncher")
    for field in ("job_namespace", "instance_config_map", "service_account_name"):
        assert field in launcher["config"], field
    assert launcher["config"]["env_secrets"] == ["marketing-assets-env"]


def test_celery_run_config_selects_broker() -> None:
    config = yaml.safe_load((DEPLOY / "celery-run-config.yaml").read_text(encoding="utf-8"))
    execution = config["execution"]["config"]
    assert execution["broker"] == {"env": "DAGSTER_CELERY_BROKER_URL"}
    assert execution["include"] == ["marketing_assets.definitions"]


def test_helm_values_have_chart_keys() -> None:
    values = yaml.safe_load((DEPLOY / "helm-values.yaml").read_text(encoding="utf-8"))
    (deployment,) = values["dagster-user-deployments"]["deployments"]
    assert deployment["dagsterApiGrpcArgs"] == ["--module-name", "marketing_assets.definitions"]
    assert deployment["envSecrets"] == [{"name": "marketing-assets-env"}]
    assert values["runLauncher"]["type"] == "K8sRunLauncher"
    coordinator = values["dagsterDaemon"]["runCoordinator"]
    assert coordinator["type"] == "QueuedRunCoordinator"
    limits = coordinator["config"]["queuedRunCoordinator"]["tagConcurrencyLimits"]
    assert limits[0]["key"] == "marketing_assets/client"
