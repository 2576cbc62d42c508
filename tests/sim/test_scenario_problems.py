"""`kimicheck simulate --scenario FILE` with a bad file: every problem at once, in words, no key quoted."""

from pathlib import Path

import pytest

from kimicheck.sim import ScenarioError, load_scenario
from kimicheck.sim.scenario_problems import duplicate_accounts
from tests.commands.clirun import kimicheck

EMPTY = ("the scenario is empty: with no accounts every key would get 401 (omit --scenario for the default, "
         "where any key starting with 'sk-' is a healthy account; `kimicheck simulate --example-scenario` "
         "prints a scenario to start from)")


def simulate(scenario: Path) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of `kimicheck simulate --scenario FILE` (a bad file never serves)."""
    result = kimicheck("simulate", "--scenario", str(scenario))
    return result.code, result.out, result.err


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_problem_is_reported_at_once_in_file_order(tmp_path: Path) -> None:
    path = write(tmp_path, "seed: 1\nseed: 2\naccounts:\n  - key: sk-test-a\n  - key: sk-test-b\n"
                           "  - key: sk-test-c\n    nmae: c\nbogus: true\n")
    assert simulate(path) == (2, "", (
        f"kimicheck simulate: error: 3 problems in the scenario {path}:\n"
        f"{path}:2:1: duplicate key 'seed': first defined at line 1, column 1; YAML keeps only the last one\n"
        f"{path}:7:5: accounts[2]: unknown key 'nmae' (did you mean 'name'?)\n"
        f"{path}:8:1: unknown key 'bogus' (allowed keys: seed, auto_accounts, control_token, faults, accounts)\n"))


def test_a_duplicate_account_is_reported_beside_an_invalid_field(tmp_path: Path) -> None:
    path = write(tmp_path, "accounts:\n  - {key: sk-test-a, name: a}\n  - {key: sk-test-b, name: a, rpm: 0}\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert str(caught.value).splitlines() == [
        f"2 problems in the scenario {path}:",
        f"{path}:3:22: accounts[1].name: the same name as accounts[0] ('a')",
        f"{path}:3:31: accounts[1].rpm: must be at least 1 (got 0)",
    ]


@pytest.mark.parametrize(("text", "message"), [
    ("seed: seven\n", "1:1: seed: must be a whole number, e.g. 7 (got 'seven')"),
    ("seed: 1.5\n", "1:1: seed: must be a whole number, e.g. 7 (got 1.5)"),
    ("auto_accounts: maybe\n", "1:1: auto_accounts: must be true or false (got 'maybe')"),
    ("faults: {kind: reset}\n", "1:1: faults: must be a list (one `- item` per line, or [a, b])"),
    ("faults:\n  - reset\n", "2:5: faults[0]: must be a mapping of `key: value` pairs"),
    ("faults:\n  - kind: statsu\n", "2:5: faults[0].kind: unknown kind 'statsu' (did you mean 'status'?)"),
    ("faults:\n  - {kind: reset, endpoint: everything}\n",
     "2:19: faults[0].endpoint: unknown endpoint 'everything' (one of: models, chat, balance, files, batches)"),
    ("faults:\n  - {kind: reset, rate: 2}\n", "2:19: faults[0].rate: must be at most 1 (got 2)"),
    ("faults:\n  - {kind: reset, size: 1}\n  - {rate: 0.5}\n", "3:5: faults[1]: missing required key 'kind'"),
    ("accounts:\n  - {key: sk-test-a, region: eu}\n",
     "2:22: accounts[0].region: unknown region 'eu' (one of: ai, cn)"),
    ("accounts:\n  - {key: sk-test-a, name: 2024}\n",
     "2:22: accounts[0].name: must be text, but YAML reads the unquoted `2024` as an integer: quote it"),
    ("accounts:\n  - {key: sk-test-a, cash: [1]}\n",
     "2:22: accounts[0].cash: must be a number, e.g. 20 or 20.5"),
    ("accounts:\n  - {key: sk-test-a, models: kimi-k2.6}\n",
     "2:22: accounts[0].models: must be a list (one `- item` per line, or [a, b])"),
])
def test_wrong_values_read_as_words(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    assert simulate(path) == (2, "", f"kimicheck simulate: error: {path}:{message}\n")


@pytest.mark.parametrize(("text", "message"), [
    ("accounts:\n  - sk-test-secret-1234\n", "2:5: accounts[0]: must be a mapping of `key: value` pairs"),
    ("accounts: sk-test-secret-1234\n", "1:1: accounts: must be a list (one `- item` per line, or [a, b])"),
    ("accounts:\n  - key: 12345678\n",
     "2:5: accounts[0].key: must be text, but YAML reads the unquoted value as an integer: quote it"),
    ("accounts:\n  - key: [sk-test-secret-1234]\n", "2:5: accounts[0].key: must be text"),
    ("control_token: 1234\n",
     "1:1: control_token: must be text, but YAML reads the unquoted value as an integer: quote it"),
    ("control_token: secret1\n", "1:1: control_token: must be at least 8 characters long"),
    ("accounts:\n  - {key: sk-test-secret-1234}\n  - {key: sk-test-secret-1234}\n",
     "3:6: accounts[1].key: the same key as accounts[0]"),
])
def test_no_message_quotes_a_key(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    code, out, err = simulate(path)
    assert (code, out, err) == (2, "", f"kimicheck simulate: error: {path}:{message}\n")
    assert "secret" not in err.replace("secret1", "") and "1234" not in err


@pytest.mark.parametrize("text", ["", "\n\n", "# accounts to come\n", "---\n", "~\n"])
def test_an_empty_scenario_is_an_error_that_points_at_the_default(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    assert simulate(path) == (2, "", f"kimicheck simulate: error: {path}:1:1: {EMPTY}\n")


def test_a_mapping_scenario_reports_every_problem_without_positions() -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario({"seed": "x", "accounts": [{"key": "sk-test-a", "nmae": "a"}]})
    assert str(caught.value).splitlines() == [
        "2 problems in the scenario scenario:",
        "scenario: seed: must be a whole number, e.g. 7 (got 'x')",
        "scenario: accounts[0]: unknown key 'nmae' (did you mean 'name'?)",
    ]


def test_duplicate_accounts_by_key_then_by_name() -> None:
    pairs = [("sk-a", "a"), ("sk-b", "a"), ("sk-a", "c"), (None, "a"), (7, None), ("sk-c", "")]
    assert duplicate_accounts(pairs) == [
        (("accounts", 1, "name"), "the same name as accounts[0] ('a')"),
        (("accounts", 2, "key"), "the same key as accounts[0]"),
        (("accounts", 3, "name"), "the same name as accounts[0] ('a')"),
    ]


@pytest.mark.parametrize(("text", "message"), [
    ("accounts:\n  - {key: sk-test-a, rpm: \"x\"}\n",
     "2:22: accounts[0].rpm: must be a whole number, e.g. 7 (got 'x')"),
    ("accounts:\n  - {key: sk-test-a, cash: \"abc\"}\n",
     "2:22: accounts[0].cash: must be a number, e.g. 20 or 20.5 (got 'abc')"),
])
def test_wrong_types_read_as_the_same_words_as_lint(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    assert simulate(path) == (2, "", f"kimicheck simulate: error: {path}:{message}\n")
