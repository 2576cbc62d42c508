"""Benchmark: `kimicheck lint` beside `yamllint` and `check-jsonschema` (with kimicheck's own schema).

Each tool runs as a fresh process, as in CI or pre-commit, on (a) configs/example.yaml (cold start) and
(b) generated configs of 1,000 and 10,000 providers. Wall time is the median of several runs; peak memory
is the child's maximum resident set size (from wait4). Then (c) the start-up of `kimicheck lint` on a
one-provider file beside yamllint's, run alternately so a busy machine slows both alike, with the
import-time breakdown of `kimicheck lint` (from `python -X importtime`). Run:

    .venv/bin/python tests/benchmarks/bench_lint.py [--repeat N] [--cold-start-only]

kimicheck is byte-compiled first, as pip does at install time for yamllint, so neither tool compiles its
sources on the clock (PYTHONDONTWRITEBYTECODE would otherwise make every kimicheck run compile them).

Targets: cold start no slower than yamllint; 10,000 providers at least 3x faster than check-jsonschema;
10,000 providers cost at most 12x what 1,000 do; one-provider start-up at most 1.5x yamllint's.

`--scaling` times instead, in this process, lint and every output format on the generated shapes that
were once quadratic (tests/lint/scaling_inputs.py) at 2k/4k/8k/16k items, with the ratio per doubling
(near-linear is about 2x, quadratic about 4x).
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SCHEMA = ROOT / "configs" / "kimicheck.schema.json"
EXAMPLE = ROOT / "configs" / "example.yaml"

TOOLS: dict[str, list[str]] = {
    "kimicheck": [str(BIN / "kimicheck"), "lint"],
    "yamllint": [str(BIN / "yamllint"), "-f", "parsable"],
    "check-jsonschema": [str(BIN / "check-jsonschema"), "--schemafile", str(SCHEMA)],
}

#: the one-provider file of the start-up case
ONE_PROVIDER = (
    "version: 1\nproviders:\n  - name: kimi-intl\n    kind: moonshot\n    base_url: https://api.moonshot.ai/v1\n"
    "    api_key_env: MOONSHOT_API_KEY\n    models: [kimi-k2.6]\n"
)
#: the least a pydantic-based linter can import and do: YAML, the smallest strict model, one validation
FLOOR = (
    "import sys, yaml\nfrom pydantic import BaseModel, ConfigDict, StrictInt, StrictStr\n"
    "class M(BaseModel):\n    model_config = ConfigDict(extra='forbid', frozen=True)\n"
    "    version: StrictInt\n    providers: list[dict[str, StrictStr | list[StrictStr]]]\n"
    "M.model_validate(yaml.safe_load(open(sys.argv[1])))\n"
)
_STARTUP_TARGET = 1.5
_TOP_IMPORTS = 15

_PROVIDER_FORMS = (
    ("moonshot", "https://api.moonshot.ai/v1", "MOONSHOT_API_KEY", ["kimi-k2.6", "kimi-k3"], "USD"),
    ("moonshot", "https://api.moonshot.cn/v1", "MOONSHOT_CN_API_KEY", ["kimi-k2.6", "kimi-k2-thinking"], "CNY"),
    ("openrouter", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY",
     ["moonshotai/kimi-k2.6", "moonshotai/kimi-k3"], "USD"),
)


@dataclass(frozen=True)
class Sample:
    seconds: float
    cpu_seconds: float
    peak_mb: float
    returncode: int


def generate_config(providers: int) -> str:
    """A valid config with `providers` providers, cycling through real-world provider forms."""
    lines = ["version: 1", "defaults:", "  timeout: 10s", "  intervals: {models: 5m, balance: 5m, chat: 1h}",
             "providers:"]
    for index in range(providers):
        kind, base_url, env, models, currency = _PROVIDER_FORMS[index % len(_PROVIDER_FORMS)]
        lines += [
            f"  - name: {kind}-{index:05d}",
            f"    kind: {kind}",
            f"    base_url: {base_url}",
            f"    api_key_env: {env}",
            "    models:",
            f"      - {models[0]}",
            f"      - {{id: {models[1]}, chat: true}}",
            "    balance:",
            f"      warn_below: {20 + index % 7}",
            "      critical_below: 5",
            f"      currency: {currency}",
            "    timeout: 15s",
        ]
    return "\n".join(lines) + "\n"


def run_once(argv: list[str]) -> Sample:
    """Run a command to completion; wall time and the child's own peak RSS."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return Sample(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode)


def measure(argv: list[str], repeat: int, warm_up: bool) -> Sample:
    """Median wall and CPU time and maximum peak memory of `repeat` runs."""
    if warm_up:  # load the interpreter and the packages into the page cache once
        run_once(argv)
    samples = [run_once(argv) for _ in range(repeat)]
    return Sample(
        statistics.median(s.seconds for s in samples),
        statistics.median(s.cpu_seconds for s in samples),
        max(s.peak_mb for s in samples),
        samples[-1].returncode,
    )


def main() -> int:
    """Run every case, print the table and whether each target is met."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="cold-start runs per tool (median is reported)")
    parser.add_argument("--repeat-large", type=int, default=3, help="runs per tool on the generated configs")
    parser.add_argument("--repeat-startup", type=int, default=41,
                        help="alternate runs per tool of the one-provider start-up case")
    parser.add_argument("--cold-start-only", action="store_true", help="run only the one-provider start-up case")
    parser.add_argument("--scaling", action="store_true", help="time the once-quadratic shapes instead")
    args = parser.parse_args()
    if args.scaling:
        return run_scaling()
    missing = [name for name, argv in TOOLS.items() if not Path(argv[0]).exists()]
    if missing:
        print(f"missing tools in {BIN}: {', '.join(missing)} (pip install -e '.[test]')", file=sys.stderr)
        return 2
    compileall.compile_dir(ROOT / "kimicheck", quiet=1)
    if not args.cold_start_only:
        print_table(_tool_cases(args.repeat, args.repeat_large))
        print()
    print_startup(startup_case(args.repeat_startup), import_breakdown(max(3, args.repeat_startup // 4)))
    return 0


def _tool_cases(repeat: int, repeat_large: int) -> dict[str, dict[str, Sample]]:
    workdir = Path(tempfile.mkdtemp(prefix="kimicheck-bench-"))
    try:
        cases = {"example.yaml (cold start)": (EXAMPLE, repeat, True)}
        for count in (1_000, 10_000):
            path = workdir / f"kimicheck-{count}.yaml"
            path.write_text(generate_config(count), encoding="utf-8")
            cases[f"{count:,} providers ({path.stat().st_size / 1e6:.1f} MB)"] = (path, repeat_large, False)
        return {
            case: {tool: measure([*argv, str(path)], runs, warm_up) for tool, argv in TOOLS.items()}
            for case, (path, runs, warm_up) in cases.items()
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def print_table(results: dict[str, dict[str, Sample]]) -> None:
    """The Markdown table for the README, then the targets."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {load} at the end.")
    print("Each cell: median wall time (median CPU time), peak RSS. Ratios use wall time.\n")
    print("| case | kimicheck | yamllint | check-jsonschema | kimicheck vs yamllint | kimicheck vs check-jsonschema |")
    print("|---|---|---|---|---|---|")
    for case, by_tool in results.items():
        kc, yl, cj = by_tool["kimicheck"], by_tool["yamllint"], by_tool["check-jsonschema"]
        cells = [f"{s.seconds:.2f} s ({s.cpu_seconds:.2f} s), {s.peak_mb:.0f} MB" for s in (kc, yl, cj)]
        print(f"| {case} | {' | '.join(cells)} | {_ratio(kc, yl)} | {_ratio(kc, cj)} |")
    cases = list(results)
    cold, small, big = (results[c]["kimicheck"] for c in cases)
    codes = {tool: [results[c][tool].returncode for c in cases] for tool in TOOLS}
    print(f"\nexit codes per case: {codes}")
    print("\ntargets:")
    yamllint = results[cases[0]]["yamllint"]
    _target("cold start no slower than yamllint", cold.seconds <= yamllint.seconds,
            f"{cold.seconds / yamllint.seconds:.2f}x yamllint's wall time "
            f"({cold.cpu_seconds / yamllint.cpu_seconds:.2f}x by CPU)")
    schema = results[cases[2]]["check-jsonschema"]
    speedup = schema.seconds / big.seconds
    _target("10,000 providers at least 3x faster than check-jsonschema", speedup >= 3,
            f"{speedup:.1f}x faster ({schema.cpu_seconds / big.cpu_seconds:.1f}x by CPU)")
    growth = big.seconds / small.seconds
    _target("10,000 providers cost at most 12x 1,000", growth <= 12,
            f"{growth:.1f}x ({big.cpu_seconds / small.cpu_seconds:.1f}x by CPU)")


def startup_case(runs: int) -> dict[str, list[Sample]]:
    """Runs of `kimicheck lint`, yamllint and the pydantic floor on a one-provider file, in turn."""
    with tempfile.TemporaryDirectory(prefix="kimicheck-bench-") as workdir:
        path = Path(workdir) / "kimicheck.yaml"
        path.write_text(ONE_PROVIDER, encoding="utf-8")
        argvs = {
            "kimicheck lint": [*TOOLS["kimicheck"], str(path)],
            "yamllint": [*TOOLS["yamllint"], str(path)],
            "yaml + pydantic floor": [sys.executable, "-c", FLOOR, str(path)],
        }
        times: dict[str, list[Sample]] = {name: [] for name in argvs}
        for name, argv in argvs.items():  # warm the page cache once
            if run_once(argv).returncode != 0:
                raise SystemExit(f"{name} failed on {path}")
        for _ in range(runs):
            for name, argv in argvs.items():
                times[name].append(run_once(argv))
        return times


def import_breakdown(runs: int) -> list[tuple[str, float, float]]:
    """(module, median self ms, median cumulative ms) of `kimicheck lint`'s imports, most expensive first."""
    with tempfile.TemporaryDirectory(prefix="kimicheck-bench-") as workdir:
        path = Path(workdir) / "kimicheck.yaml"
        path.write_text(ONE_PROVIDER, encoding="utf-8")
        argv = [sys.executable, "-X", "importtime", "-m", "kimicheck", "lint", str(path)]
        seen: dict[str, list[tuple[int, int]]] = {}
        for _ in range(runs):
            done = subprocess.run(argv, capture_output=True, text=True, check=True, cwd=ROOT)
            for line in done.stderr.splitlines():
                if line.startswith("import time:") and "[us]" not in line:
                    own, total, name = line.removeprefix("import time:").split("|")
                    seen.setdefault(name.strip(), []).append((int(own), int(total)))
    rows = [(name, statistics.median(s for s, _ in v) / 1000, statistics.median(t for _, t in v) / 1000)
            for name, v in seen.items()]
    return sorted(rows, key=lambda row: -row[2])


def print_startup(times: dict[str, list[Sample]], imports: list[tuple[str, float, float]]) -> None:
    """The start-up medians, the target, what of it is the floor's, and the imports that cost the most."""
    medians = {name: statistics.median(s.seconds for s in samples) for name, samples in times.items()}
    cpu = {name: statistics.median(s.cpu_seconds for s in samples) for name, samples in times.items()}
    yamllint, yamllint_cpu = medians["yamllint"], cpu["yamllint"]
    print(f"one-provider start-up, median of {len(times['yamllint'])} alternate runs "
          f"(load average {os.getloadavg()[0]:.1f}):")
    for name, seconds in medians.items():
        print(f"  {name:24} {seconds * 1000:6.1f} ms  {seconds / yamllint:.2f}x yamllint   "
              f"CPU {cpu[name] * 1000:6.1f} ms  {cpu[name] / yamllint_cpu:.2f}x")
    ratio = medians["kimicheck lint"] / yamllint
    _target(f"one-provider start-up at most {_STARTUP_TARGET}x yamllint", ratio <= _STARTUP_TARGET,
            f"{ratio:.2f}x ({cpu['kimicheck lint'] / yamllint_cpu:.2f}x by CPU)")
    ours, floor = medians["kimicheck lint"], medians["yaml + pydantic floor"]
    print(f"  of the {(ours - yamllint) * 1000:.0f} ms over yamllint, {(floor - yamllint) * 1000:.0f} ms is the "
          f"floor's (pydantic, what any pydantic-based linter pays) and {(ours - floor) * 1000:.0f} ms kimicheck's")
    print(f"\nimport time of `kimicheck lint`, top {_TOP_IMPORTS} modules by cumulative time "
          "(-X importtime, medians; children count in their parents; modules loaded with "
          "importlib.import_module, as the command and reporter are, are not listed, their imports are):")
    print(f"  {'cumulative':>10} {'self':>8}  module")
    for name, own, total in imports[:_TOP_IMPORTS]:
        print(f"  {total:8.1f} ms {own:5.1f} ms  {name}")
    groups: dict[str, float] = {}
    for name, own, _ in imports:
        top = name.split(".")[0]
        group = top if top in {"kimicheck", "pydantic", "pydantic_core", "yaml", "annotated_types"} else "other"
        groups[group] = groups.get(group, 0.0) + own
    print("  self time by package: " + ", ".join(f"{g} {ms:.1f} ms" for g, ms in sorted(groups.items(),
                                                                                      key=lambda i: -i[1])))


SCALING_SIZES = (2_000, 4_000, 8_000, 16_000)


def run_scaling() -> int:
    """Print the time of lint and every format per shape and size, and the ratio per doubling."""
    from itertools import pairwise

    sys.path.insert(0, str(ROOT))
    from tests.lint.scaling_inputs import SHAPES, seconds

    print("| shape | " + " | ".join(f"{n:,}" for n in SCALING_SIZES) + " | ratio per doubling |")
    print("|---|" + "---|" * len(SCALING_SIZES) + "---|")
    for shape, generate in SHAPES.items():
        times = [seconds(generate(n), runs=1) for n in SCALING_SIZES]
        ratios = ", ".join(f"{b / a:.1f}x" for a, b in pairwise(times))
        print(f"| {shape} | " + " | ".join(f"{t:.2f} s" for t in times) + f" | {ratios} |", flush=True)
    return 0


def _ratio(ours: Sample, theirs: Sample) -> str:
    speed = theirs.seconds / ours.seconds
    faster = f"{speed:.1f}x faster" if speed >= 1 else f"{1 / speed:.1f}x slower"
    return f"{faster}, {ours.peak_mb / theirs.peak_mb:.1f}x memory"


def _target(what: str, met: bool, measured: str) -> None:
    print(f"  [{'met' if met else 'MISSED'}] {what}: {measured}")


if __name__ == "__main__":
    raise SystemExit(main())
