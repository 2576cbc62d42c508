"""`kimicheck simulate`: serve the Kimi-compatible API simulator until stopped."""

from __future__ import annotations

import argparse
import os
from typing import TextIO

from kimicheck.commands.shared import EXIT_OK, Streams, add_catalog_option, apply_catalog, split_host_port
from kimicheck.errors import UsageError
from kimicheck.net import is_loopback_host

HELP = """Run the Kimi-compatible API simulator (Moonshot, OpenRouter, AIMLAPI and DeepSeek dialects).

Prints the Moonshot base URL on its first line and the control API's URL and token on the second, then
serves until SIGINT or SIGTERM. When stdout is closed early (`kimicheck simulate | head -1`), it keeps
serving quietly: the URL already printed stays valid. Without --scenario, any key starting with 'sk-' is a
healthy international account; other keys get 401. Start a scenario of your own from
`kimicheck simulate --example-scenario > scenario.yaml`.
"""

__all__ = ["HELP", "configure", "run"]

_DEFAULT_LISTEN = "127.0.0.1:0"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's options."""
    add_catalog_option(parser)
    parser.add_argument("--listen", default=_DEFAULT_LISTEN, metavar="HOST:PORT",
                        help="address to listen on; port 0 picks a free port (default: %(default)s)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--scenario", metavar="FILE", help="YAML scenario: accounts, faults, seed")
    source.add_argument("--example-scenario", action="store_true",
                        help="print an example scenario to start from, and exit")
    parser.add_argument("--allow-remote", action="store_true",
                        help="allow listening on a non-loopback address (the simulator has no real auth)")


def _split_listen(listen: str) -> tuple[str, int]:
    address = split_host_port(listen)
    if address is None:
        raise UsageError(f"--listen {listen!r} is not HOST:PORT (for example 127.0.0.1:0)")
    return address


def _discard_output(stream: TextIO) -> None:
    """Point a stream whose reader went away at the null device, so later flushes (at exit too) succeed."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError):  # not a file (a test's StringIO): nothing will flush to a closed pipe
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


def run(args: argparse.Namespace, streams: Streams) -> int:
    """Serve the simulator in the foreground."""
    apply_catalog(args, streams)
    from kimicheck.sim.scenario import load_scenario
    from kimicheck.sim.server import RunningSimulator, bind_socket, run_foreground
    from kimicheck.sim.state import SimState

    if args.example_scenario:
        from kimicheck.sim.scenario import example_scenario

        try:
            streams.stdout.write(example_scenario())
            streams.stdout.flush()
        except BrokenPipeError:  # `| head`: the reader has what it wanted
            _discard_output(streams.stdout)
        return EXIT_OK
    host, port = _split_listen(args.listen)
    if not is_loopback_host(host) and not args.allow_remote:
        raise UsageError(f"refusing to listen on {host}, which is not a loopback address (add --allow-remote)")
    state = load_scenario(args.scenario) if args.scenario else SimState.default()
    try:
        sock = bind_socket(host, port)
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.listen}: {exc.strerror or exc}") from None

    def announce(sim: RunningSimulator) -> None:
        try:
            streams.stdout.write(f"{sim.base_url}\n")
            token = state.control_token
            streams.stdout.write(f"control API: {sim.control_url} (header X-Kimicheck-Sim-Token: {token})\n")
            streams.stdout.flush()
        except BrokenPipeError:
            # `| head -1` took the first line and left: the simulator still serves what that line points at
            _discard_output(streams.stdout)

    try:
        run_foreground(state, sock, announce)
    finally:
        sock.close()
    return EXIT_OK
