"""`kimicheck balance`: argument order, lint errors and fix hints as a user reads them, against the simulator."""

from __future__ import annotations

from pathlib import Path

from kimicheck.sim import Account, RunningSimulator

from .clirun import kimicheck
from .test_probe_cli import ENV, KEY, write_config

MOONSHOT_401_FIX = ("    fix: a Moonshot key works only in its own region: a platform.moonshot.cn key needs "
                    "https://api.moonshot.cn/v1, a platform.moonshot.ai key https://api.moonshot.ai/v1\n")
HEALTHY_TABLE = ("PROVIDER  AVAILABLE  VOUCHER  CASH  CURRENCY  LEVEL\n"
                 "sim       50.0       0.0      50.0  USD       ok\n")


def test_usage_line_names_provider_then_config() -> None:
    result = kimicheck("balance", "--help")
    assert result.out.startswith("usage: kimicheck balance [PROVIDER] [CONFIG] [options]\n")
    assert "PROVIDER and CONFIG may come in either order" in result.out


def test_provider_and_config_in_either_order(tmp_path: Path, sim: RunningSimulator) -> None:
    path = write_config(tmp_path, sim)
    assert kimicheck("balance", "sim", path, environ=ENV) == kimicheck("balance", path, "sim", environ=ENV)
    result = kimicheck("balance", path, "sim", environ=ENV)
    assert (result.code, result.out, result.err) == (0, HEALTHY_TABLE, "")


def test_a_config_without_yaml_suffix_is_found_in_either_order(tmp_path: Path, sim: RunningSimulator) -> None:
    path = Path(write_config(tmp_path, sim)).rename(tmp_path / "monitoring-config")
    result = kimicheck("balance", str(path), "sim", environ=ENV)
    assert (result.code, result.out, result.err) == (0, HEALTHY_TABLE, "")


def test_two_names_that_are_not_files_are_provider_then_config(tmp_path: Path) -> None:
    result = kimicheck("balance", "sim", str(tmp_path / "other"))
    assert (result.code, result.out) == (2, "")
    assert result.err == f"kimicheck balance: error: {tmp_path / 'other'}: no such file or directory\n"


def test_a_third_argument_is_a_usage_error(tmp_path: Path, sim: RunningSimulator) -> None:
    result = kimicheck("balance", "sim", write_config(tmp_path, sim), "extra", environ=ENV)
    assert (result.code, result.out) == (2, "")
    assert result.err == ("kimicheck balance: error: unrecognized arguments: extra\n"
                          "Run 'kimicheck balance --help' for usage.\n")


def test_lint_errors_name_the_command(tmp_path: Path, sim: RunningSimulator) -> None:
    path = write_config(tmp_path, sim)
    Path(path).write_text(Path(path).read_text().replace(f"base_url: {sim.base_url}", "base_url: ftp://x"))
    result = kimicheck("balance", "sim", path, environ=ENV)
    assert (result.code, result.out) == (2, "")
    assert result.err.endswith(f"kimicheck balance: {path} has lint errors; fix them before reading balances\n")
    assert "kimicheck: " not in result.err


def test_a_moonshot_401_gets_the_region_hint_that_probe_gives(tmp_path: Path, sim: RunningSimulator) -> None:
    sim.state.add(Account(key=KEY, name="other-region", revoked=True))
    path = write_config(tmp_path, sim)
    balance = kimicheck("balance", "sim", path, environ=ENV)
    assert (balance.code, balance.err) == (1, "")
    assert balance.out == (
        "PROVIDER  AVAILABLE  VOUCHER  CASH  CURRENCY  LEVEL\n"
        "sim       -          -        -     -         auth_failed\n"
        "    HTTP 401 invalid_authentication_error: Invalid Authentication (a Moonshot key works only in the region "
        "that issued it: a key from platform.moonshot.cn gets 401 on api.moonshot.ai and a platform.moonshot.ai key "
        "gets 401 on api.moonshot.cn)\n"
        f"{MOONSHOT_401_FIX}"
    )
    probe = kimicheck("probe", path, "--checks", "balance", environ=ENV)
    assert [line for line in probe.out.splitlines(keepends=True) if "fix:" in line] == [MOONSHOT_401_FIX]
