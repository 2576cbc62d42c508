"""The README's table of reasons is the contract of the `reason` label: every reason once, and whether it is ok."""

import re
from pathlib import Path

from kimicheck.probe.report import WARNING_REASONS
from kimicheck.probe.result import Reason

README = Path(__file__).parents[2] / "README.md"


def reason_rows() -> list[tuple[str, str]]:
    section = README.read_text().split("Every result has one `reason` from this fixed set", 1)[1]
    table = section.split("\n\n", 2)[1]
    return [(m.group(1), m.group(2)) for m in re.finditer(r"^\| `(\w+)` \| (yes|no) \|", table, re.MULTILINE)]


def test_the_readme_lists_every_reason_once_with_whether_it_is_ok() -> None:
    rows = reason_rows()
    assert sorted(name for name, _ in rows) == sorted(r.value for r in Reason)
    ok_reasons = {Reason.OK, Reason.UNSUPPORTED, *WARNING_REASONS}
    assert {name for name, ok in rows if ok == "yes"} == {r.value for r in ok_reasons}
