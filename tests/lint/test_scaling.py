"""Lint and its reporters grow near-linearly with the size of the input.

Each shape once made some step quadratic. Scaling is asserted, not seconds: the CPU time for 4n items
is compared with the time for n items in one test. Near-linear work gives about 4-5x, quadratic work
about 16x; the bound of 9x is far from both.
"""

from __future__ import annotations

import json
import tracemalloc

import pytest

from kimicheck.lint.engine import lint_text
from kimicheck.lint.reporters import jsonfmt, sarif
from kimicheck.lint.reporters.indented_json import dumps

from .scaling_inputs import SHAPES, seconds

#: n per shape: large enough that the time for n is well above timing noise
SIZES = {
    "unknown keys in one mapping": 3_000,
    "duplicate ids on one line": 2_000,
    "quoted numbers on one line": 1_000,
    "literal keys on one line": 800,
    "suppression comments": 1_500,
}
MAX_RATIO = 9.0


@pytest.mark.slow  # seconds of CPU per shape
@pytest.mark.parametrize("shape", SIZES)
def test_four_times_the_input_costs_about_four_times_the_time(shape: str) -> None:
    n = SIZES[shape]
    small, large = seconds(SHAPES[shape](n)), seconds(SHAPES[shape](4 * n))
    assert large / small < MAX_RATIO, f"{shape}: {n} items {small:.2f}s, {4 * n} items {large:.2f}s"


@pytest.mark.parametrize("reporter", [jsonfmt, sarif])
def test_json_reports_take_memory_in_proportion_to_their_output(reporter: object) -> None:
    report = lint_text(SHAPES["duplicate ids on one line"](5_000), "kimicheck.yaml")
    tracemalloc.start()
    try:
        output = reporter.render([report])  # type: ignore[attr-defined]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # json.dumps(indent=2) kept every small piece it wrote: 6x (JSON) and 8x (SARIF) the output
    assert peak < 4.5 * len(output), f"{peak / 1e6:.0f} MB for {len(output) / 1e6:.0f} MB of output"


@pytest.mark.parametrize("value", [
    {}, [], (), "", 0, -1.5, None, True, {"a": []}, {"a": {}}, [[], [{}]], {"é\u2028\"\\": ["\x00", 1e300]},
    {"findings": [{"line": 1, "message": "x"}, {"line": 2, "message": "y\nz"}], "summary": {"files": 1}},
])
def test_indented_json_is_what_json_dumps_writes(value: object) -> None:
    assert dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)
    if isinstance(value, list):
        assert dumps(iter(value)) == json.dumps(value, indent=2, ensure_ascii=False)
