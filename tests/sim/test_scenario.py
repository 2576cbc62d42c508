"""Scenario files: the shipped example loads; mistakes are reported with file, line, column and field."""

from pathlib import Path

import pytest

from kimicheck.sim import ScenarioError, load_scenario
from tests.commands.clirun import kimicheck

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "kimicheck" / "data" / "simulator-scenario.yaml"


def test_the_shipped_example_loads() -> None:
    state = load_scenario(EXAMPLE)
    assert [a.name for a in state.accounts.values()] == [
        "healthy", "low-balance", "out-of-quota", "china", "tier0", "flaky-gateway", "openrouter", "aimlapi",
        "deepseek"]
    assert state.seed == 7 and state.auto_accounts is False
    healthy = state.by_name("healthy")
    assert healthy is not None and str(healthy.available) == "49.58894"


def test_configs_holds_only_kimicheck_configs() -> None:
    """`kimicheck lint configs/` lints the example config, not a simulator scenario."""
    result = kimicheck("lint", str(ROOT / "configs"))
    assert (result.code, result.err) == (0, "")
    assert not list((ROOT / "configs").glob("*scenario*"))


@pytest.mark.parametrize(("text", "message"), [
    ("accounts:\n  - key: sk-test-a\n    cash: lots\n",
     "{f}:3:5: accounts[0].cash: must be a number, e.g. 20 or 20.5 (got 'lots')"),
    ("accounts:\n  - key: sk-test-a\n    colour: blue\n",
     "{f}:3:5: accounts[0]: unknown key 'colour' (allowed keys: key, name, kind, region, currency, cash, "
     "voucher, limit, usage, is_free_tier, bare_model_list, models, rpm, price_per_token, revoked, is_available, "
     "faults, spent, total_credits, management_key, ratelimit, batch_api)"),
    ("accounts:\n  - key: sk-test-a\n    faults:\n      - kind: status\n",
     "{f}:4:9: accounts[0].faults[0]: a 'status' fault needs 'status' (the HTTP status code)"),
    ("accounts:\n  - key: sk-test-a\n    kind: openai-compatible\n",
     "{f}:3:5: accounts[0].kind: the simulator speaks moonshot, openrouter, aimlapi, deepseek, "
     "not openai-compatible"),
    ("accounts:\n  - {key: sk-test-a}\n  - {key: sk-test-a}\n",
     "{f}:3:6: accounts[1].key: the same key as accounts[0]"),
    ("accounts:\n  - key: sk-test-a\n  - key: sk-test-b\n  - name: x\n    key: sk-test-a\n",
     "{f}:5:5: accounts[2].key: the same key as accounts[0]"),
    ("accounts:\n  - key: sk-test-a\n    name: one\n  - key: sk-test-b\n    name: one\n",
     "{f}:5:5: accounts[1].name: the same name as accounts[0] ('one')"),
    ("seed: 1\nseed: 2\n",
     "{f}:2:1: duplicate key 'seed': first defined at line 1, column 1; YAML keeps only the last one"),
    ("seed: [1\n", "{f}:2:1: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence)"),
    ("- 1\n", "{f}:1:1: a scenario is a mapping (seed, auto_accounts, faults, accounts)"),
])
def test_mistakes_have_positions(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert str(caught.value) == message.format(f=path)


def test_a_mapping_scenario_reports_the_field() -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario({"accounts": [{"key": "sk-test-a", "rpm": 0}]})
    assert str(caught.value) == "scenario: accounts[0].rpm: must be at least 1 (got 0)"


def test_a_mapping_scenario_reports_the_duplicate_account() -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario({"accounts": [{"key": "sk-test-a"}, {"key": "sk-test-a"}]})
    assert str(caught.value) == "scenario: accounts[1].key: the same key as accounts[0]"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(tmp_path / "nope.yaml")
    assert str(caught.value) == f"{tmp_path / 'nope.yaml'}: cannot read the scenario (No such file or directory)"
