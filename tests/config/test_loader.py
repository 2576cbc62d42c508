"""The loader: positions, duplicates, aliases, YAML 1.1 scalars and unreadable input, never an exception."""

import resource
from typing import Any

import pytest

from kimicheck.config.document import Span
from kimicheck.config.loader import ALIAS_ALLOWANCE, MAX_BYTES, _Builder, load_bytes, load_text, read_path
from kimicheck.lint.rules.document import RULE_FOR_KIND


def issues(text: str) -> list[tuple[str, int, int, str]]:
    loaded = load_text(text, "c.yaml")
    return [(RULE_FOR_KIND[i.kind].id, i.span.line, i.span.column, i.message) for i in loaded.issues]


def test_positions_of_keys_and_values_are_one_based() -> None:
    doc = load_text("version: 1\nproviders:\n  - name: a\n    models: [x, y]\n", "c.yaml").document
    assert doc is not None
    assert doc.keys[("providers", 0, "name")] == Span(3, 5, 3, 9)
    assert doc.values[("providers", 0, "name")] == Span(3, 11, 3, 12)
    assert doc.values[("providers", 0, "models", 1)] == Span(4, 17, 4, 18)


def test_duplicate_key_reports_both_positions() -> None:
    assert issues("a: 1\nb: 2\na: 3\n") == [
        ("KC002", 3, 1, "duplicate key 'a': first defined at line 1, column 1; YAML keeps only the last one")
    ]


def test_duplicate_key_keeps_the_first_value() -> None:
    doc = load_text("a: 1\na: 2\n", "c.yaml").document
    assert doc is not None and doc.data == {"a": 1}


def test_implicit_yaml_11_scalars_are_remembered_with_their_source_text() -> None:
    doc = load_text("m: [yes, '1.5', 1.5, on, ~]\n", "c.yaml").document
    assert doc is not None
    assert doc.implicit_scalars == {
        ("m", 0): ("yes", "boolean"),
        ("m", 2): ("1.5", "number"),
        ("m", 3): ("on", "boolean"),
        ("m", 4): ("~", "null"),
    }
    assert doc.data == {"m": [True, "1.5", 1.5, True, None]}


def test_merge_keys_are_expanded_with_the_anchor_positions() -> None:
    doc = load_text("base: &b {kind: moonshot}\np:\n  <<: *b\n  name: x\n", "c.yaml").document
    assert doc is not None
    assert doc.data == {"base": {"kind": "moonshot"}, "p": {"name": "x", "kind": "moonshot"}}
    assert doc.values[("p", "kind")] == Span(1, 17, 1, 25)


BILLION_LAUGHS = "a: &a [" + ",".join(['"lol"'] * 9) + "]\n" + "".join(
    f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


def test_billion_laughs_is_rejected_after_bounded_work_with_flat_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(BILLION_LAUGHS) < 1024
    visits = 0
    build = _Builder.build

    def counting_build(self: _Builder, *args: Any, **kwargs: Any) -> object:
        nonlocal visits
        visits += 1
        return build(self, *args, **kwargs)

    monkeypatch.setattr(_Builder, "build", counting_build)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    found = issues(BILLION_LAUGHS)
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert [(rule, msg) for rule, _, _, msg in found] == [
        ("KC008", 'YAML aliases expand this document beyond a safe size (a "billion laughs" pattern)')
    ]
    # the work stops at the alias allowance (the document itself has about a hundred nodes), far from
    # the 9**9 nodes a full expansion would visit: bounded work, measured without a clock
    assert visits <= ALIAS_ALLOWANCE + 2 * 100 + 1
    assert grown_kib < 100_000


def test_recursive_alias_is_an_issue_not_a_recursion_error() -> None:
    assert issues("a: &a [*a]\n") == [("KC008", 1, 4, "the document nests deeper than 64 levels")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: [\n", ("KC001", 2, 1, "did not find expected node content (while parsing a flow node)")),
        ("a:\n\tb: 1\n", ("KC001", 2, 1, "found character that cannot start any token "
                                         "(while scanning for the next token)")),
        ("a: 1\n---\nb: 2\n", ("KC001", 2, 1, "but found another document (expected a single document in "
                                             "the stream)")),
        ("", ("KC007", 1, 1, "the file is empty: a config needs `version: 1` and a list of `providers`")),
        ("# just a comment\n", ("KC007", 1, 1, "the file is empty: a config needs `version: 1` and a list of "
                                               "`providers`")),
        ("? [a]\n: 1\n", ("KC004", 1, 3, "a mapping key must be a plain name, not a list or mapping")),
    ],
)
def test_unparsable_text_gives_one_issue(text: str, expected: tuple[str, int, int, str]) -> None:
    assert issues(text) == [expected]


def test_deep_flow_nesting_is_an_issue() -> None:
    (found,) = issues("[" * 5000)
    assert found[0] == "KC001"


def test_binary_and_non_utf8_bytes() -> None:
    binary = load_bytes(b"version: 1\x00\x01", "c.yaml")
    assert [i.message for i in binary.issues] == ["the file is binary (it contains NUL bytes), not a YAML config"]
    latin1 = load_bytes("version: 1\nname: caf\u00e9\n".encode("latin-1"), "c.yaml")
    assert [(i.span.line, i.span.column, i.message) for i in latin1.issues] == [
        (2, 10, "the file is not valid UTF-8 (byte 0xe9 at offset 20)")
    ]


def test_utf8_bom_is_accepted() -> None:
    loaded = load_bytes(b"\xef\xbb\xbfversion: 1\n", "c.yaml")
    assert loaded.issues == () and loaded.document is not None and loaded.document.data == {"version": 1}


def test_a_20_mb_file_is_refused_before_reading(tmp_path) -> None:  # type: ignore[no-untyped-def]
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(20 * 1024 * 1024)
    issue = read_path(big)
    assert not isinstance(issue, bytes)
    assert issue.message == "the file is larger than 8 MiB, the most kimicheck reads for a config"
    assert RULE_FOR_KIND[load_bytes(b"#" * (MAX_BYTES + 1), "c.yaml").issues[0].kind].id == "KC007"


def test_nested_merge_keys_are_resolved_as_yaml_does() -> None:
    text = (
        "x-base: &base {kind: moonshot, base_url: 'https://api.moonshot.ai/v1'}\n"
        "x-mid: &mid {<<: *base, api_key_env: K}\n"
        "p: {<<: *mid, name: a, kind: openrouter}\n"
    )
    doc = load_text(text, "c.yaml").document
    assert doc is not None
    assert doc.data["p"] == {  # type: ignore[index]
        "name": "a", "kind": "openrouter", "api_key_env": "K", "base_url": "https://api.moonshot.ai/v1",
    }
    start = text.index("'https") + 1  # the position of the anchored value, where the merge took it from
    assert doc.values[("p", "base_url")] == Span(1, start, 1, start + len("'https://api.moonshot.ai/v1'"))


def test_a_merge_bomb_is_bounded_like_an_alias_bomb() -> None:
    levels = ["a0: &a0 {k: v}"] + [
        f"a{n}: &a{n} {{<<: [{', '.join([f'*a{n - 1}'] * 9)}]}}" for n in range(1, 10)
    ]
    found = issues("\n".join(levels) + "\n")
    assert [rule for rule, *_ in found] == ["KC008"]
