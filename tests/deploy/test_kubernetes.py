"""deploy/kubernetes: every manifest validates against the Kubernetes schemas offline, and the pieces fit
together (selectors, ports, secret keys, config paths, hardening)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import kubernetes_validate  # type: ignore[import-untyped]
import pytest
import yaml

from kimicheck.config.models import Config
from tests.deploy.tools import KIMICHECK, KUBERNETES, load_yaml, run

KUBERNETES_VERSION = "1.30.0"
#: the serve install, and the optional component that swaps it for the CronJob
BASE_MANIFESTS = sorted(p for p in KUBERNETES.glob("*.yaml") if p.name != "kustomization.yaml")
CRONJOB = KUBERNETES / "cronjob"
CRONJOB_MANIFESTS = sorted(p for p in CRONJOB.glob("*.yaml") if p.name != "kustomization.yaml")
MANIFESTS = BASE_MANIFESTS + CRONJOB_MANIFESTS
#: custom resources kubernetes-validate has no schema for, checked by hand below
CUSTOM_KINDS = {"ServiceMonitor"}
SCHEMA_MANIFESTS = [p for p in MANIFESTS if load_yaml(p)["kind"] not in CUSTOM_KINDS]


def manifest(kind: str) -> dict[str, Any]:
    """The one manifest of `kind`."""
    found = [doc for doc in map(load_yaml, MANIFESTS) if doc["kind"] == kind]
    assert len(found) == 1, kind
    return found[0]  # type: ignore[no-any-return]


def pod_spec(kind: str) -> dict[str, Any]:
    """The pod spec of a Deployment or CronJob."""
    spec = manifest(kind)["spec"]
    template = spec["jobTemplate"]["spec"]["template"] if kind == "CronJob" else spec["template"]
    return template["spec"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("path", SCHEMA_MANIFESTS, ids=lambda p: p.name)
def test_manifest_validates_against_the_kubernetes_schema(path: Path) -> None:
    kubernetes_validate.validate(load_yaml(path), KUBERNETES_VERSION, strict=True)


def test_the_validator_rejects_a_broken_manifest() -> None:
    doc = load_yaml(KUBERNETES / "deployment.yaml")
    doc["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["httpGet"]["prot"] = "metrics"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_kustomization_lists_every_manifest() -> None:
    kustomization = load_yaml(KUBERNETES / "kustomization.yaml")
    assert sorted(kustomization["resources"]) == [p.name for p in BASE_MANIFESTS]
    assert "components" not in kustomization  # serve by default; the CronJob is opt-in
    assert [image["name"] for image in kustomization["images"]] == ["kimicheck"]
    component = load_yaml(CRONJOB / "kustomization.yaml")
    assert component["kind"] == "Component"
    assert sorted(component["resources"]) == [p.name for p in CRONJOB_MANIFESTS]
    deleted = sorted((patch["kind"], patch["metadata"]["name"])
                     for patch in (yaml.safe_load(p["patch"]) for p in component["patches"]))
    assert all(yaml.safe_load(p["patch"])["$patch"] == "delete" for p in component["patches"])
    # turning the CronJob on takes out everything that runs or scrapes `serve`: the accounts are probed once
    assert deleted == sorted((kind, manifest(kind)["metadata"]["name"])
                             for kind in ("Deployment", "Service", "ServiceMonitor"))


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_kustomize_builds_serve_or_the_cronjob_never_both(tmp_path: Path) -> None:
    def kinds(folder: Path) -> list[str]:
        built = run(["kubectl", "kustomize", str(folder)])
        assert built.returncode == 0, built.stderr
        return sorted(doc["kind"] for doc in yaml.safe_load_all(built.stdout))

    assert kinds(KUBERNETES) == ["ConfigMap", "Deployment", "Secret", "Service", "ServiceMonitor"]
    overlay = tmp_path / "deploy" / "overlay"
    shutil.copytree(KUBERNETES, tmp_path / "deploy" / "kubernetes")
    overlay.mkdir()
    (overlay / "kustomization.yaml").write_text(
        "resources: [../kubernetes]\ncomponents: [../kubernetes/cronjob]\n", encoding="utf-8"
    )
    assert kinds(overlay) == ["ConfigMap", "CronJob", "Secret"]


def test_service_selects_the_deployment_pods() -> None:
    service = manifest("Service")["spec"]
    pod_labels = manifest("Deployment")["spec"]["template"]["metadata"]["labels"]
    assert service["selector"].items() <= pod_labels.items()
    container_ports = {p["name"] for p in pod_spec("Deployment")["containers"][0]["ports"]}
    assert [p["targetPort"] for p in service["ports"]] == ["metrics"]
    assert "metrics" in container_ports


def test_service_monitor_selects_the_service() -> None:
    monitor = manifest("ServiceMonitor")
    service = manifest("Service")
    assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
    assert monitor["spec"]["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items()
    assert [e["port"] for e in monitor["spec"]["endpoints"]] == [p["name"] for p in service["spec"]["ports"]]
    assert monitor["spec"]["endpoints"][0]["path"] == "/metrics"


def test_serve_has_health_probes_resources_and_one_replica() -> None:
    deployment = manifest("Deployment")
    container = pod_spec("Deployment")["containers"][0]
    assert deployment["spec"]["replicas"] == 1
    assert container["args"][0] == "serve"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
    assert {"cpu", "memory"} <= container["resources"]["requests"].keys()
    assert "memory" in container["resources"]["limits"]


def test_cronjob_pushes_the_free_checks() -> None:
    args = pod_spec("CronJob")["containers"][0]["args"]
    assert args[0] == "probe"
    assert args[args.index("--checks") + 1] == "models,balance"
    assert "--pushgateway" in args and "--job" in args


@pytest.mark.parametrize("kind", ["Deployment", "CronJob"])
def test_pods_run_non_root_on_a_read_only_root_filesystem(kind: str) -> None:
    spec = pod_spec(kind)
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert spec["securityContext"]["runAsUser"] != 0
    assert spec["automountServiceAccountToken"] is False
    for container in spec["containers"]:
        context = container["securityContext"]
        assert context["readOnlyRootFilesystem"] is True
        assert context["allowPrivilegeEscalation"] is False
        assert context["capabilities"]["drop"] == ["ALL"]


def embedded_config() -> Config:
    text = manifest("ConfigMap")["data"]["kimicheck.yml"]
    return Config.model_validate(yaml.safe_load(text))


@pytest.mark.parametrize("kind", ["Deployment", "CronJob"])
def test_keys_arrive_as_a_mounted_file_and_as_an_env_var(kind: str) -> None:
    config = embedded_config()
    spec = pod_spec(kind)
    container = spec["containers"][0]
    secret_keys = set(manifest("Secret")["stringData"])
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in spec["volumes"]}
    key_files = {
        f"{mounts[name]}/{item['path']}": item["key"]
        for name, volume in volumes.items() if "secret" in volume
        for item in volume["secret"]["items"]
    }
    env = {e["name"]: e["valueFrom"]["secretKeyRef"]["key"] for e in container["env"]}
    by_file = [p.api_key_file for p in config.providers if p.api_key_file]
    by_env = [p.api_key_env for p in config.providers if p.api_key_env]
    assert by_file and by_env
    assert all(path in key_files and key_files[path] in secret_keys for path in by_file)
    assert all(name in env and env[name] in secret_keys for name in by_env)
    config_arg = next(a for a in container["args"] if a.endswith(".yml"))
    assert config_arg == f"{mounts['config']}/kimicheck.yml"


def test_the_embedded_config_lints_clean(tmp_path: Path) -> None:
    path = tmp_path / "kimicheck.yml"
    path.write_text(manifest("ConfigMap")["data"]["kimicheck.yml"], encoding="utf-8")
    result = run([*KIMICHECK, "lint", str(path)])
    assert (result.returncode, result.stdout) == (0, "no problems in 1 file\n")
