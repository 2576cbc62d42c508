"""deploy/systemd: the units pass `systemd-analyze verify` and are hardened."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import pytest

from tests.deploy.tools import DEPLOY, README, ROOT, SYSTEMD, VENV_BIN, readme_section, require_tool, run

UNITS = sorted(SYSTEMD.glob("kimicheck-*"))
SERVICES = [p for p in UNITS if p.suffix == ".service"]
#: a textfile path in a command line: the file kimicheck writes, or the directory node_exporter reads
TEXTFILE_PATHS = re.compile(r"--textfile[ =](/\S+?\.prom)|--collector\.textfile\.directory[ =](/[\w./-]+)")
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


def textfile_directory() -> str:
    args = parse(SYSTEMD / "kimicheck-probe.service")["Service"]["ExecStart"].split()
    return str(Path(args[args.index("--textfile") + 1]).parent)


def test_every_textfile_path_shown_is_the_one_the_unit_writes() -> None:
    where: dict[str, set[str]] = {}
    for path in [README, *sorted(p for p in DEPLOY.rglob("*") if p.is_file() and p.suffix != ".png")]:
        for match in TEXTFILE_PATHS.finditer(path.read_text(encoding="utf-8")):
            directory = str(Path(match[1]).parent) if match[1] else match[2].rstrip(".")
            where.setdefault(directory, set()).add(str(path.relative_to(ROOT)))
    assert list(where) == [textfile_directory()]
    assert where[textfile_directory()] >= {
        "README.md",
        "deploy/systemd/kimicheck-probe.service",
        "deploy/prometheus/prometheus-textfile.yml",
    }


def test_probe_service_runs_as_the_fixed_user_of_the_sysusers_file() -> None:
    # ReadWritePaths only lifts the sandbox: a dynamic uid still has no write permission on the root-owned
    # textfile directory, and a fixed user's group can be granted it.
    service = parse(SYSTEMD / "kimicheck-probe.service")["Service"]
    declared = (SYSTEMD / "kimicheck.sysusers").read_text(encoding="utf-8")
    users = [line.split()[1] for line in declared.splitlines() if line.startswith("u ")]
    assert users == ["kimicheck"]
    assert (service["User"], service["Group"]) == ("kimicheck", "kimicheck")


def test_the_setup_grants_the_probe_user_write_access_to_the_textfile_directory() -> None:
    directory = textfile_directory()
    setup = [
        "install -m 0644 kimicheck.sysusers /etc/sysusers.d/kimicheck.conf",
        "systemd-sysusers",
        f"chgrp kimicheck {directory}",
        f"chmod g+w {directory}",
    ]
    unit = (SYSTEMD / "kimicheck-probe.service").read_text(encoding="utf-8")
    section = readme_section("Deploying").split("### systemd", 1)[1].split("\n### ", 1)[0]
    missing = [
        (where, command)
        for command in setup
        for where, text, shown in (
            ("unit", unit, command),
            ("README", section, command.replace(" kimicheck.sysusers", " deploy/systemd/kimicheck.sysusers")),
        )
        if shown not in text
    ]
    assert missing == []


def test_systemd_sysusers_creates_the_user(tmp_path: Path) -> None:
    sysusers = require_tool("systemd-sysusers", ci_required=False)
    (tmp_path / "etc").mkdir()
    config = tmp_path / "kimicheck.conf"
    config.write_bytes((SYSTEMD / "kimicheck.sysusers").read_bytes())
    result = run([sysusers, f"--root={tmp_path}", str(config)])
    assert result.returncode == 0, result.stdout + result.stderr
    passwd = (tmp_path / "etc" / "passwd").read_text(encoding="utf-8").splitlines()
    group = (tmp_path / "etc" / "group").read_text(encoding="utf-8").splitlines()
    (user,) = [line.split(":") for line in passwd if line.startswith("kimicheck:")]
    (own_group,) = [line.split(":") for line in group if line.startswith("kimicheck:")]
    assert user[3] == own_group[2]  # the user's primary group is the group the directory is given to
    assert user[6] == "/usr/sbin/nologin"


def test_timer_runs_the_probe_at_the_free_checks_interval() -> None:
    timer = parse(SYSTEMD / "kimicheck-probe.timer")["Timer"]
    assert timer["OnUnitActiveSec"] == "5min"


def test_serve_reloads_on_sighup() -> None:
    service = parse(SYSTEMD / "kimicheck-serve.service")["Service"]
    assert service["ExecReload"] == "/bin/kill -HUP $MAINPID"
    assert service["ExecStart"].split()[1] == "serve"
