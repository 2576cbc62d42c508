"""The model catalog: the shipped file is valid, lifecycles follow the dates on any given day, ids match in
any spelling, and a bad catalog file is reported at its line and column."""

from __future__ import annotations

from datetime import date

import pytest

from kimicheck.config.catalog_file import parse_catalog
from kimicheck.providers import (
    DEEPSEEK_MODEL_IDS,
    OFFICIAL_MODEL_IDS,
    SHIPPED_CATALOG,
    Catalog,
    Kind,
    Status,
    Thinking,
    current_catalog,
    lifecycle,
    official_match,
    retiring_within,
    shipped_catalog,
    use_catalog,
)

SHIPPED = shipped_catalog()


def small_catalog(extra: str = "") -> Catalog:
    text = (
        "version: 1\nas_of: 2026-11-29\nkinds:\n  moonshot:\n    models:\n"
        "      - {id: kimi-k2.6, status: active, source: 'https://example.com', checked: 2026-11-29}\n" + extra
    )
    found = parse_catalog(text, "catalog.yaml")
    assert isinstance(found, Catalog), found
    return found


def test_the_shipped_catalog_passes_the_strict_reader_unchanged() -> None:
    strict = parse_catalog(SHIPPED_CATALOG.read_text(encoding="utf-8"), "catalog.yaml")
    assert strict == SHIPPED
    assert SHIPPED.as_of == date(2026, 11, 29)


def test_the_shipped_catalog_holds_the_2026_facts() -> None:
    assert SHIPPED.active_ids(Kind.MOONSHOT) == (
        "kimi-k2.6", "kimi-k3", "kimi-k3.1-pro", "kimi-k3.1-pro-highspeed", "kimi-k2.7-code",
        "kimi-k2.7-code-highspeed", "kimi-k2-thinking",
    )
    latest = SHIPPED.entry(Kind.MOONSHOT, "kimi-latest")
    assert latest is not None
    assert (latest.status, latest.retires_on, latest.replacement) == (Status.RETIRED, date(2026, 1, 28), "kimi-k3")
    for deprecated in ("kimi-k2.5", "moonshot-v1-8k", "moonshot-v1-32k", "moonshot-v1-128k", "moonshot-v1-auto"):
        entry = SHIPPED.entry(Kind.MOONSHOT, deprecated)
        assert entry is not None and (entry.status, entry.deprecated_on) == (Status.DEPRECATED, date(2026, 8, 31))
    k26 = SHIPPED.entry(Kind.MOONSHOT, "kimi-k2.6")
    assert k26 is not None
    # the K2 retirement at the end of 2026 is unconfirmed: a note, never a date
    assert k26.retires_on is None and "unconfirmed" in k26.note
    assert k26.thinking is Thinking.OPTIONAL
    assert k26.fixed_params == {"temperature": 1, "top_p": 0.95, "n": 1, "presence_penalty": 0, "frequency_penalty": 0}
    assert SHIPPED.ids(Kind.DEEPSEEK) == DEEPSEEK_MODEL_IDS == ("deepseek-chat", "deepseek-reasoner")
    assert SHIPPED.ids(Kind.MOONSHOT) == OFFICIAL_MODEL_IDS
    assert all(e.source.startswith("https://") and e.checked for k in SHIPPED.kinds for e in SHIPPED.entries(k))


@pytest.mark.parametrize(
    ("model_id", "today", "status"),
    [
        ("kimi-latest", date(2026, 1, 27), Status.DEPRECATED),  # its end announced, not yet come
        ("kimi-latest", date(2026, 1, 28), Status.RETIRED),
        ("moonshot-v1-8k", date(2026, 8, 30), Status.ACTIVE),
        ("moonshot-v1-8k", date(2026, 8, 31), Status.DEPRECATED),
        ("kimi-k2-thinking-turbo", date(2020, 1, 1), Status.DEPRECATED),  # no date stated: as the catalog says
        ("kimi-k3", date(2030, 1, 1), Status.ACTIVE),
    ],
)
def test_the_lifecycle_follows_the_dates_on_the_given_day(model_id: str, today: date, status: Status) -> None:
    entry = SHIPPED.entry(Kind.MOONSHOT, model_id)
    assert entry is not None
    assert lifecycle(entry, today) is SHIPPED.lifecycle(entry, today) is status


def test_retiring_within_counts_days_from_the_given_day() -> None:
    catalog = small_catalog("      - {id: kimi-k2.5, status: active, retires_on: 2027-02-26, replacement: kimi-k2.6,"
                            " source: 'https://example.com', checked: 2026-11-29}\n")
    entry = catalog.entry(Kind.MOONSHOT, "kimi-k2.5")
    assert entry is not None
    assert [retiring_within(entry, today, 90) for today in (date(2026, 11, 27), date(2026, 11, 28),
                                                            date(2027, 2, 25), date(2027, 2, 26))] == [
        False, True, True, False]


@pytest.mark.parametrize("spelling", ["kimi-k2.5", "moonshotai/kimi-k2.5:free", "moonshot/kimi-k2-5",
                                      "Pro/moonshotai/Kimi-K2.5", "accounts/fireworks/models/kimi-k2p5"])
def test_an_entry_is_found_in_any_hosts_spelling(spelling: str) -> None:
    entry = SHIPPED.entry(Kind.MOONSHOT, spelling)
    assert entry is not None and entry.id == "kimi-k2.5"
    assert SHIPPED.entry(Kind.DEEPSEEK, spelling) is None


def test_the_catalog_in_use_decides_which_ids_are_official() -> None:
    assert official_match("kimi-k9") is None
    use_catalog(small_catalog("      - {id: kimi-k9, status: active, source: 'https://example.com', "
                              "checked: 2026-11-29}\n"))
    assert official_match("moonshotai/kimi-k9") == "kimi-k9"
    assert current_catalog().ids(Kind.MOONSHOT) == ("kimi-k2.6", "kimi-k9")
    use_catalog(None)
    assert current_catalog() is SHIPPED


BAD = """\
version: 1
as_of: 2026-11-31
kinds:
  moonshot:
    models:
      - id: kimi-k3
        status: actve
        thinking: sometimes
        source: not-a-url
        checked: 2026-11-29
        contxt_length: 5
      - id: kimi-k2.5
        status: deprecated
        checked: 2026-11-29
  mystery: {models: []}
"""


def test_a_bad_catalog_gets_every_problem_at_its_line_and_column() -> None:
    found = parse_catalog(BAD, "catalog.yaml")
    assert isinstance(found, list)
    assert [p.render("catalog.yaml") for p in found] == [
        "catalog.yaml:2:8: as_of: must be a date written YYYY-MM-DD, e.g. 2026-11-29",
        "catalog.yaml:7:17: kinds.moonshot.models[0].status: unknown value 'actve' (did you mean 'active'?)",
        "catalog.yaml:8:19: kinds.moonshot.models[0].thinking: unknown value 'sometimes' "
        "(one of: always, optional, never)",
        "catalog.yaml:9:17: kinds.moonshot.models[0].source: must be an http(s) URL",
        "catalog.yaml:11:9: unknown key 'contxt_length' (did you mean 'context_length'?)",
        "catalog.yaml:12:9: kinds.moonshot.models[1]: missing required key 'source'",
        "catalog.yaml:15:12: kinds.mystery: unknown value 'mystery' "
        "(one of: moonshot, openrouter, aimlapi, deepseek, openai-compatible)",
    ]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("      - {id: kimi-k2.5, status: retired, replacement: kimi-k4, source: 'https://e.com',"
         " checked: 2026-11-29}\n",
         "5:5: kinds.moonshot: the replacement of kimi-k2.5 is not a model id of this kind"),
        ("      - {id: Kimi-K2.6, status: active, source: 'https://e.com', checked: 2026-11-29}\n",
         "5:5: kinds.moonshot: model ids listed twice: Kimi-K2.6, kimi-k2.6"),
        ("      - {id: kimi-k2.5, status: deprecated, deprecated_on: 2026-08-31, retires_on: 2026-08-01,"
         " source: 'https://e.com', checked: 2026-11-29}\n",
         "7:9: kinds.moonshot.models[1]: kimi-k2.5: retires_on (2026-08-01) is before deprecated_on (2026-08-31)"),
        ("  openai: {models: []}\n",
         "7:11: kinds.openai: unknown value 'openai' (one of: moonshot, openrouter, aimlapi, deepseek, "
         "openai-compatible)"),
    ],
)
def test_an_inconsistent_catalog_is_refused(extra: str, message: str) -> None:
    text = ("version: 1\nas_of: 2026-11-29\nkinds:\n  moonshot:\n    models:\n"
            "      - {id: kimi-k2.6, status: active, source: 'https://example.com', checked: 2026-11-29}\n")
    found = parse_catalog(text + extra, "c.yaml")
    assert isinstance(found, list)
    assert [f"{p.line}:{p.column}: {p.message}" for p in found] == [message]
