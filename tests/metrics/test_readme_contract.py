"""The README's metric table is the contract: every family, its type, labels and HELP text, in order."""

import re
from pathlib import Path

from kimicheck.metrics.contract import CONTRACT

README = Path(__file__).parents[2] / "README.md"


def metric_rows() -> list[tuple[str, str, tuple[str, ...], str]]:
    section = README.read_text().split("\n## Metrics\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        match = re.match(r"^\| `(kimicheck_\w+)` \| (\w+) \| (.+?) \| (.+) \|$", line)
        if match:
            labels = tuple(re.findall(r"`(\w+)`", match.group(3)))
            rows.append((match.group(1), match.group(2), labels, match.group(4)))
    return rows


def test_the_readme_table_matches_the_contract() -> None:
    expected = [(m.name, "gauge" if m.type == "info" else m.type, m.labels, m.help) for m in CONTRACT]
    assert metric_rows() == expected
