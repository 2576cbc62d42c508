"""`kimicheck serve` says so when it listens beyond loopback with no login."""

from __future__ import annotations

import signal
from pathlib import Path

import bcrypt
import pytest

from kimicheck.sim import SimState, serve_in_thread
from tests.commands.clirun import kimicheck

from .process import serve, sim_config

#: starts `kimicheck serve` as a real process
pytestmark = pytest.mark.slow

WARNING = ("listening on 0.0.0.0 without basic auth: anyone who reaches this address can read the metrics "
           "and ask for a reload; set basic_auth_users in a --web-config file")


def test_all_interfaces_without_auth_is_warned(tmp_path: Path) -> None:
    config = tmp_path / "kimicheck.yaml"
    with serve_in_thread(SimState.default(), port=0) as sim:
        config.write_text(sim_config(sim.base_url), encoding="utf-8")
        with serve(config, "--listen", "0.0.0.0:0") as served:
            served.wait_for_log(WARNING)
            assert "(no auth, config " in served.stderr and ": 1 provider)" in served.stderr
            served.signal(signal.SIGTERM)


def test_loopback_without_auth_is_not_warned(tmp_path: Path) -> None:
    config = tmp_path / "kimicheck.yaml"
    with serve_in_thread(SimState.default(), port=0) as sim:
        config.write_text(sim_config(sim.base_url), encoding="utf-8")
        with serve(config) as served:
            served.wait_for_log("listening on http://127.0.0.1:")
            served.signal(signal.SIGTERM)
            served.wait_for_log("stopped")
            assert "without basic auth" not in served.stderr


def test_a_port_in_use_is_a_usage_error(tmp_path: Path) -> None:
    import socket

    config = tmp_path / "kimicheck.yaml"
    config.write_text(sim_config("http://127.0.0.1:9/v1"), encoding="utf-8")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = kimicheck("serve", str(config), "--listen", f"127.0.0.1:{port}", environ={"SIM_KEY": "sk-x"})
    assert (result.code, result.err) == (
        2, f"kimicheck serve: error: cannot listen on 127.0.0.1:{port} (Address already in use)\n")


EMPTY_WEB_CONFIG = ("web config {path} sets neither tls_server_config nor basic_auth_users: "
                    "serving plain HTTP without auth")


@pytest.mark.parametrize("text", ["", "# TLS and users to come\n", "{}\n"])
def test_a_web_config_that_sets_nothing_is_warned(tmp_path: Path, text: str) -> None:
    config, web = tmp_path / "kimicheck.yaml", tmp_path / "web.yml"
    config.write_text(sim_config("http://127.0.0.1:9/v1"), encoding="utf-8")
    web.write_text(text, encoding="utf-8")
    with serve(config, "--web-config", str(web)) as served:
        served.wait_for_log(EMPTY_WEB_CONFIG.format(path=web))
        assert "WARNING " + EMPTY_WEB_CONFIG.format(path=web) in served.stderr


def test_a_web_config_with_users_is_not_warned(tmp_path: Path) -> None:
    config, web = tmp_path / "kimicheck.yaml", tmp_path / "web.yml"
    config.write_text(sim_config("http://127.0.0.1:9/v1"), encoding="utf-8")
    hashed = bcrypt.hashpw(b"s3cret", bcrypt.gensalt(rounds=4)).decode()
    web.write_text(f"basic_auth_users:\n  prometheus: '{hashed}'\n", encoding="utf-8")
    with serve(config, "--web-config", str(web)) as served:
        served.wait_for_log("(auth, config")
        served.signal(signal.SIGTERM)
        served.wait_for_log("stopped")
    assert "sets neither" not in served.stderr
