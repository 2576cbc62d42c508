"""The one translator from pydantic errors to places and words, shared by lint and the scenario checker."""

from pydantic import ValidationError

from kimicheck.config.issues import IssueKind
from kimicheck.config.loader import load_text
from kimicheck.config.models import Provider
from kimicheck.config.pydantic_errors import field_errors, known_keys, must_be, quoted_numeral

RAW = {"name": "a", "kind": "moonshot", "base_url": "https://x", "models": [{"id": "m", "chat": "maybe"}],
       "timeuot": 5}


def errors_of(raw: dict[str, object]) -> ValidationError:
    try:
        Provider.model_validate(raw)
    except ValidationError as exc:
        return exc
    raise AssertionError("expected a ValidationError")


def test_errors_are_placed_on_paths_of_the_data_without_union_tags() -> None:
    found = field_errors(errors_of(RAW), RAW, ("providers", 0))
    assert [(f.kind, f.path, f.key) for f in found] == [
        (IssueKind.INVALID_VALUE, ("providers", 0, "models", 0, "chat"), "chat"),
        (IssueKind.UNKNOWN_KEY, ("providers", 0, "timeuot"), "timeuot"),
    ]
    assert known_keys(Provider, ("models", 0, "bogus")) == ["id", "chat", "max_tokens", "stream", "tools", "json"]


def test_a_missing_key_is_placed_where_it_belongs() -> None:
    raw = {"kind": "moonshot", "base_url": "https://x"}
    [found] = field_errors(errors_of(raw), raw)
    assert (found.kind, found.path, found.key) == (IssueKind.MISSING_KEY, ("name",), "name")


def test_what_a_value_must_be_with_or_without_an_example() -> None:
    raw = {"name": "a", "kind": "moonshot", "base_url": "https://x", "models": "m"}
    [found] = field_errors(errors_of(raw), raw)
    assert must_be(found.error) == "must be a list (one `- item` per line, or [a, b])"
    assert must_be(found.error, example=False) == "must be a list"


def test_only_a_quoted_numeral_counts_as_a_number_in_quotes() -> None:
    document = load_text("a: '20'\nb: \"abc\"\nc: 20\nd: ' 1.5 '\ne: 'NaN'\n", "c.yaml").document
    assert document is not None
    assert [quoted_numeral(document, (key,), document.data[key])  # type: ignore[index]
            for key in "abcde"] == [True, False, False, True, False]
