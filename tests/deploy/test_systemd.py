"""deploy/systemd: the units pass `systemd-analyze verify` and are hardened."""

from __future__ import annotations

import configparser
from pathlib import Path

import pytest

from tests.deploy.tools import SYSTEMD, VENV_BIN, require_tool, run

UNITS = sorted(SYSTEMD.glob("kimicheck-*"))
SERVICES = [p for p in UNITS if p.suffix == ".service"]
HARDENING = {
    "DynamicUser": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "PrivateDevices": "yes",
    "NoNewPrivileges": "yes",
    "CapabilityBoundingSet": "",
    "RestrictSUIDSGID": "yes",
    "MemoryDenyWriteExecute": "yes",
}


def parse(path: Path) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser


def test_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    systemd_analyze = require_tool("systemd-analyze", ci_required=False)
    kimicheck = VENV_BIN / "kimicheck"
    assert kimicheck.is_file()
    # verify wants ExecStart to exist: point it at this checkout's kimicheck, change nothing else.
    for unit in UNITS:
        text = unit.read_text(encoding="utf-8").replace("/usr/local/bin/kimicheck", str(kimicheck))
        (tmp_path / unit.name).write_text(text, encoding="utf-8")
    result = run([systemd_analyze, "verify", *sorted(str(p) for p in tmp_path.iterdir())])
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize("unit", SERVICES, ids=lambda p: p.name)
def test_services_are_hardened(unit: Path) -> None:
    service = parse(unit)["Service"]
    assert {key: service.get(key) for key in HARDENING} == HARDENING
    assert service["ExecStart"].startswith("/usr/local/bin/kimicheck ")
    # keys come from a root-only EnvironmentFile, never inline in the unit
    assert "Environment" not in service
    assert service["EnvironmentFile"] == "/etc/kimicheck/keys.env"


def test_probe_service_writes_the_textfile_it_may_write() -> None:
    service = parse(SYSTEMD / "kimicheck-probe.service")["Service"]
    args = service["ExecStart"].split()
    textfile = Path(args[args.index("--textfile") + 1])
    assert service["ReadWritePaths"] == str(textfile.parent)
    assert args[1:2] == ["probe"]


def test_timer_runs_the_probe_at_the_free_checks_interval() -> None:
    timer = parse(SYSTEMD / "kimicheck-probe.timer")["Timer"]
    assert timer["OnUnitActiveSec"] == "5min"


def test_serve_reloads_on_sighup() -> None:
    service = parse(SYSTEMD / "kimicheck-serve.service")["Service"]
    assert service["ExecReload"] == "/bin/kill -HUP $MAINPID"
    assert service["ExecStart"].split()[1] == "serve"
