"""`kimicheck catalog`, and --catalog / KIMICHECK_CATALOG on the commands that read the model catalog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kimicheck.cli import COMMANDS
from tests.commands.clirun import kimicheck

NEWER = """\
version: 1
as_of: 2027-01-10
kinds:
  moonshot:
    models:
      - {id: kimi-k4, status: active, context_length: 524288, thinking: always,
         source: 'https://platform.kimi.ai/docs/api/models-overview', checked: 2027-01-10}
      - {id: kimi-k3, status: retired, retires_on: 2026-01-05, replacement: kimi-k4,
         source: 'https://platform.kimi.ai/docs/api/models-overview', checked: 2027-01-10}
"""

CONFIG = """\
version: 1
providers:
  - name: kimi-intl
    kind: moonshot
    base_url: https://api.moonshot.ai/v1
    api_key_env: MOONSHOT_API_KEY
    models: [kimi-k3]
"""


def test_catalog_is_a_command() -> None:
    assert COMMANDS["catalog"][0] == "kimicheck.commands.catalog"
    assert "catalog" in kimicheck("--help").out


def test_text_shows_a_kinds_table_the_as_of_date_and_the_sources() -> None:
    result = kimicheck("catalog", "--host", "api.deepseek.com")
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        "model catalog as of 2026-11-29 (status as of that date; the live GET /models wins)\n"
        "\n"
        "deepseek:\n"
        "  id                 status  deprecated_on  retires_on  replacement  context  thinking\n"
        "  deepseek-chat      active  -              -           -            131072   never\n"
        "  deepseek-reasoner  active  -              -           -            131072   always\n"
        "\n"
        "sources:\n"
        "  https://api-docs.deepseek.com/quick_start/pricing\n"
    )


def test_text_lists_every_kind_by_default_with_lifecycle_dates() -> None:
    out = kimicheck("catalog").out
    assert "moonshot:\n" in out and "deepseek:\n" in out
    assert "  kimi-latest               retired     -              2026-01-28  kimi-k3" in out
    assert "  kimi-k2.5                 deprecated  2026-08-31     -           kimi-k2.6    262144   optional" in out


def test_json_is_the_validated_catalog_of_the_kind_asked_for() -> None:
    result = kimicheck("catalog", "--kind", "moonshot", "--format", "json")
    data = json.loads(result.out)
    assert (result.code, data["version"], data["as_of"], list(data["kinds"])) == (0, 1, "2026-11-29", ["moonshot"])
    latest = next(m for m in data["kinds"]["moonshot"]["models"] if m["id"] == "kimi-latest")
    assert (latest["status"], latest["retires_on"], latest["replacement"]) == ("retired", "2026-01-28", "kimi-k3")


def test_a_host_the_catalog_does_not_describe_is_a_usage_error() -> None:
    result = kimicheck("catalog", "--host", "openrouter.ai")
    assert (result.code, result.out) == (2, "")
    assert result.err == ("kimicheck catalog: error: openrouter.ai is not a host the catalog describes "
                          "(those are: api.moonshot.ai, api.moonshot.cn, api.deepseek.com)\n")


def test_catalog_file_replaces_the_shipped_one(tmp_path: Path) -> None:
    newer = tmp_path / "newer.yaml"
    newer.write_text(NEWER, encoding="utf-8")
    by_option = kimicheck("catalog", "--catalog", str(newer), "--format", "json")
    by_variable = kimicheck("catalog", "--format", "json", environ={"KIMICHECK_CATALOG": str(newer)})
    assert by_option == by_variable
    assert json.loads(by_option.out)["as_of"] == "2027-01-10"


def test_lint_judges_by_the_catalog_given(tmp_path: Path) -> None:
    # a retirement date in the past: the verdict is the same on any day the test runs
    newer, config = tmp_path / "newer.yaml", tmp_path / "kimicheck.yaml"
    newer.write_text(NEWER, encoding="utf-8")
    config.write_text(CONFIG, encoding="utf-8")
    assert kimicheck("lint", str(config)).code == 0
    result = kimicheck("lint", "--format", "json", "--catalog", str(newer), str(config))
    assert result.code == 1
    [finding] = json.loads(result.out)["findings"]
    assert (finding["rule"], finding["message"]) == (
        "KC208", "model id kimi-k3 was retired on 2026-01-05: Moonshot international (api.moonshot.ai) answers 404 "
        "for it; its replacement is kimi-k4")


@pytest.mark.parametrize("command", ["lint", "probe", "models", "serve", "simulate", "demo", "catalog"])
def test_a_bad_catalog_file_is_a_usage_error_with_positions(tmp_path: Path, command: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(NEWER.replace("status: active", "status: actve"), encoding="utf-8")
    argv = [command] + (["kimi-intl"] if command == "models" else [])
    result = kimicheck(*argv, environ={"KIMICHECK_CATALOG": str(bad)})
    assert (result.code, result.out) == (2, "")
    assert result.err == (f"kimicheck {command}: error: {bad} is not a usable model catalog:\n"
                          f"{bad}:6:31: kinds.moonshot.models[0].status: unknown value 'actve' "
                          "(did you mean 'active'?)\n")


def test_every_command_that_reads_the_catalog_takes_the_option() -> None:
    for command in ("lint", "probe", "models", "serve", "simulate", "demo", "catalog"):
        assert "--catalog FILE" in kimicheck(command, "--help").out, command
