"""deploy/docker and deploy/github-actions: the compose file and the workflow validate against their JSON
schemas (vendored by check-jsonschema, so offline), the compose file mounts files that exist, the image is
non-root and passes hadolint, and the example config lints clean."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

from tests.deploy.tools import DEPLOY, DOCKER, KIMICHECK, ROOT, load_yaml, require_tool, run

COMPOSE = DOCKER / "compose.yml"
WORKFLOW = DEPLOY / "github-actions" / "lint-and-probe.yml"


def load_workflow() -> dict[str, Any]:
    """The workflow as GitHub reads it: YAML 1.1 loaders turn the `on` key into True."""
    workflow: dict[Any, Any] = load_yaml(WORKFLOW)
    workflow["on"] = workflow.pop(True)
    return workflow


def vendored_schema(name: str) -> dict[str, Any]:
    """A JSON schema that check-jsonschema ships (licences in its `vendor/licenses`)."""
    text = resources.files("check_jsonschema.builtin_schemas.vendor").joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def validation_errors(document: Any, schema_name: str) -> list[str]:
    schema = vendored_schema(schema_name)
    validator = jsonschema.validators.validator_for(schema)(schema)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def test_compose_file_matches_the_compose_schema() -> None:
    assert validation_errors(load_yaml(COMPOSE), "compose-spec.json") == []


def test_the_compose_schema_rejects_a_broken_service() -> None:
    compose = load_yaml(COMPOSE)
    compose["services"]["kimicheck"]["restart_policy"] = "always"
    assert validation_errors(compose, "compose-spec.json") != []


def test_compose_runs_the_whole_stack_from_the_deploy_files() -> None:
    services = load_yaml(COMPOSE)["services"]
    assert set(services) == {"kimicheck", "prometheus", "alertmanager", "grafana"}
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (DOCKER / source).resolve().exists(), (name, source)
    build = services["kimicheck"]["build"]
    assert ((DOCKER / build["context"]).resolve() / build["dockerfile"]).is_file()
    assert (DOCKER / build["context"]).resolve() == ROOT


def test_compose_prometheus_mounts_its_rule_file_next_to_its_config() -> None:
    mounts = dict(v.split(":")[:2] for v in load_yaml(COMPOSE)["services"]["prometheus"]["volumes"])
    config = load_yaml(DOCKER / mounts["../prometheus/prometheus.yml"].replace("/etc/prometheus", "../prometheus"))
    assert config["rule_files"] == ["alerts.yml"]
    assert mounts["../prometheus/alerts.yml"] == "/etc/prometheus/alerts.yml"
    assert mounts["../prometheus/prometheus.yml"] == "/etc/prometheus/prometheus.yml"


def test_compose_grafana_mounts_dashboards_where_the_provider_reads_them() -> None:
    mounts = dict(v.split(":")[:2] for v in load_yaml(COMPOSE)["services"]["grafana"]["volumes"])
    provider = load_yaml(DEPLOY / "grafana" / "provisioning" / "dashboards" / "dashboards.yml")["providers"][0]
    assert mounts["../grafana/dashboards"] == provider["options"]["path"]
    assert mounts["../grafana/provisioning"] == "/etc/grafana/provisioning"


def test_compose_kimicheck_gets_its_key_from_the_environment() -> None:
    service = load_yaml(COMPOSE)["services"]["kimicheck"]
    config = load_yaml(DOCKER / "kimicheck.yml")
    assert [p["api_key_env"] for p in config["providers"]] == list(service["environment"])
    assert service["read_only"] is True
    assert service["cap_drop"] == ["ALL"]


def test_the_compose_config_lints_clean() -> None:
    result = run([*KIMICHECK, "lint", str(DOCKER / "kimicheck.yml")])
    assert (result.returncode, result.stdout) == (0, "no problems in 1 file\n")


def test_dockerfile_passes_hadolint() -> None:
    hadolint = require_tool("hadolint")
    result = run([hadolint, "--no-color", str(DOCKER / "Dockerfile")])
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_hadolint_reports_a_bad_dockerfile(tmp_path: Path) -> None:
    hadolint = require_tool("hadolint")
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN pip install kimicheck\n", encoding="utf-8")
    result = run([hadolint, "--no-color", str(bad)])
    assert result.returncode == 1
    assert "DL3007" in result.stdout


def test_image_runs_as_a_non_root_user() -> None:
    lines = (DOCKER / "Dockerfile").read_text(encoding="utf-8").splitlines()
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1].split(":")[0] not in {"0", "root"}
    assert lines[[i for i, line in enumerate(lines) if line.startswith("FROM ")][-1]].startswith(
        "FROM python:3.12-slim"
    )


def test_workflow_matches_the_github_workflow_schema() -> None:
    assert validation_errors(load_workflow(), "github-workflows.json") == []


@pytest.mark.parametrize(("job", "command"), [("lint", "kimicheck lint"), ("probe", "kimicheck probe")])
def test_workflow_lints_on_pull_requests_and_probes_on_a_schedule(job: str, command: str) -> None:
    workflow = load_workflow()
    runs = [step.get("run", "") for step in workflow["jobs"][job]["steps"]]
    assert any(r.startswith(command) for r in runs)
    assert "pull_request" in workflow["on"] and "schedule" in workflow["on"]
    if job == "lint":
        assert any("--format github" in r for r in runs)
