"""`kimicheck demo`: lint and probe the shipped demo config against the built-in simulator."""

from __future__ import annotations

import argparse
import asyncio
from datetime import date
from pathlib import Path

from kimicheck.commands.shared import EXIT_OK, EXIT_USAGE, Streams, add_catalog_option, apply_catalog
from kimicheck.config.models import Config
from kimicheck.errors import ConfigError
from kimicheck.lint.engine import lint_text
from kimicheck.lint.reporters import render
from kimicheck.probe.report import fix_hint, render_text
from kimicheck.probe.result import ProbeResult
from kimicheck.probe.runner import ALL_CHECKS, run_probes

__all__ = ["DEMO_CONFIG", "DEMO_SCENARIO", "HELP", "PLACEHOLDER_ORIGIN", "configure", "run", "what_to_fix"]

#: The demo's config and simulator state ship inside the package, so the demo runs from any install.
_DATA = Path(__file__).resolve().parents[1] / "data"
DEMO_CONFIG = _DATA / "demo.yaml"
DEMO_SCENARIO = _DATA / "demo-scenario.yaml"
#: The origin the demo config is written with; replaced by the simulator's address.
PLACEHOLDER_ORIGIN = "http://127.0.0.1:8400"
#: The key each demo provider reads, by the simulator account that key opens.
_KEY_VARIABLES = {"DEMO_MAIN_KEY": "main", "DEMO_BATCH_KEY": "batch", "DEMO_AGENTS_KEY": "agents"}

HELP = """\
Start the Kimi-compatible simulator in this process, then lint and probe a built-in demo config against it:
a healthy provider, one with a low balance and one with a wrong model id. No real key and no network
beyond 127.0.0.1 are used.

The demo exits 0 after printing its findings: finding them is what it is for. `kimicheck probe` on a
real config exits 1 when a check fails."""


def configure(parser: argparse.ArgumentParser) -> None:
    """`kimicheck demo` takes only --catalog."""
    add_catalog_option(parser)


def what_to_fix(results: list[ProbeResult], config: Config) -> list[str]:
    """One line per result that needs attention: provider, what is wrong, and the fix."""
    providers = {p.name: p for p in config.providers}
    lines = []
    for result in results:
        hint = fix_hint(result, providers.get(result.provider))
        if hint and (not result.ok or result.reason != "ok"):
            lines.append(f"  - {result.provider} ({result.check}, {result.reason}): {hint}")
    return lines


def run(args: argparse.Namespace, streams: Streams) -> int:
    """Serve the demo scenario, lint and probe the demo config, print both and what to fix."""
    catalog = apply_catalog(args, streams)
    from kimicheck.sim import load_scenario, serve_in_thread

    template = DEMO_CONFIG.read_text(encoding="utf-8")
    state = load_scenario(DEMO_SCENARIO)
    shown = "demo.yaml"
    with serve_in_thread(state, host="127.0.0.1", port=0) as sim:
        environ = {variable: _key_of(sim.state, account) for variable, account in _KEY_VARIABLES.items()}
        out = streams.stdout
        out.write(f"kimicheck demo: a simulated Kimi API listens on {sim.root_url} (no real key is used)\n\n")
        report = lint_text(template.replace(PLACEHOLDER_ORIGIN, sim.root_url), shown, environ=environ,
                           today=date.today(), catalog=catalog)
        out.write(f"$ kimicheck lint {shown}\n{render('text', [report], color=False)}\n")
        if report.config is None:
            streams.stderr.write("kimicheck demo: the demo config has lint errors\n")
            return EXIT_USAGE
        out.write(f"$ kimicheck probe {shown}\n")
        results = asyncio.run(run_probes(report.config, checks=ALL_CHECKS, environ=environ))
        out.write(render_text(results, {p.name: p for p in report.config.providers}))
    fixes = what_to_fix(results, report.config)
    if fixes:
        out.write("\nWhat to fix:\n" + "\n".join(fixes) + "\n")
    out.write(
        "\nThe demo exits 0: these findings are its point. `kimicheck probe` on your own config exits 1 when a\n"
        "check fails, and `kimicheck probe --format json` gives the same results as data.\n"
    )
    return EXIT_OK


def _key_of(state: object, account: str) -> str:
    from kimicheck.sim import SimState

    assert isinstance(state, SimState)
    found = state.by_name(account)
    if found is None:
        raise ConfigError(f"the demo scenario has no account named {account!r}")
    return found.key
