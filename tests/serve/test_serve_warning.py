"""`kimicheck serve` says so when it listens beyond loopback with no login."""

from __future__ import annotations

import signal
from pathlib import Path

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
