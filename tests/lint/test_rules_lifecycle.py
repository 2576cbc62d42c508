"""KC208 and KC209 judge an id's lifecycle on the day they are given, from the catalog they are given."""

from __future__ import annotations

from datetime import date

from kimicheck.config.catalog_file import parse_catalog
from kimicheck.lint.engine import lint_text
from kimicheck.providers import Catalog

ACCEPTANCE = """\
version: 1
providers:
  - name: kimi-intl
    kind: moonshot
    base_url: https://api.moonshot.ai/v1
    api_key_env: MOONSHOT_API_KEY
    models: [kimi-latest, moonshot-v1-8k, kimi-k2.5, kimi-k3]
"""


def findings(text: str, today: date, catalog: Catalog | None = None) -> list[str]:
    report = lint_text(text, "kimicheck.yaml", today=today, catalog=catalog)
    return [f"{f.line}:{f.column} {f.rule} {f.severity.value} {f.message} | {f.hint}" for f in report.findings]


def test_retired_deprecated_and_current_ids_each_get_their_verdict() -> None:
    assert findings(ACCEPTANCE, date(2026, 11, 29)) == [
        "7:14 KC208 error model id kimi-latest was retired on 2026-01-28: Moonshot international (api.moonshot.ai) "
        "answers 404 for it; its replacement is kimi-k3 | write kimi-k3",
        "7:27 KC209 warning model id moonshot-v1-8k has been deprecated since 2026-08-31; its replacement is "
        "kimi-k2.6 | write kimi-k2.6",
        "7:43 KC209 warning model id kimi-k2.5 has been deprecated since 2026-08-31; its replacement is kimi-k2.6 "
        "| write kimi-k2.6",
    ]


def test_the_same_config_changes_verdict_across_the_dates() -> None:
    before = findings(ACCEPTANCE, date(2026, 1, 27))
    assert before == [
        "7:14 KC209 warning model id kimi-latest retires on 2026-01-28, in 1 day; its replacement is kimi-k3 "
        "| write kimi-k3",
    ]
    assert [f.split(" ")[1] for f in findings(ACCEPTANCE, date(2026, 1, 28))] == ["KC208"]
    assert [f.split(" ")[1] for f in findings(ACCEPTANCE, date(2026, 8, 31))] == ["KC208", "KC209", "KC209"]


def test_without_a_day_the_catalogs_as_of_is_the_day() -> None:
    report = lint_text(ACCEPTANCE, "kimicheck.yaml")
    assert [f.rule for f in report.findings] == ["KC208", "KC209", "KC209"]


RETIRING = """\
version: 1
as_of: 2026-11-29
kinds:
  moonshot:
    models:
      - {id: kimi-k3, status: active, source: 'https://example.com', checked: 2026-11-29}
      - {id: kimi-k2.6, status: active, retires_on: 2027-02-26, replacement: kimi-k3,
         source: 'https://example.com', checked: 2026-11-29}
      - {id: kimi-k2.5, status: active, retires_on: 2027-06-01, source: 'https://example.com', checked: 2026-11-29}
"""


def test_an_id_retiring_within_90_days_is_warned_about_with_the_date_and_replacement() -> None:
    catalog = parse_catalog(RETIRING, "newer.yaml")
    assert isinstance(catalog, Catalog)
    config = ACCEPTANCE.replace("[kimi-latest, moonshot-v1-8k, kimi-k2.5, kimi-k3]", "[kimi-k2.6, kimi-k2.5, kimi-k3]")
    assert findings(config, date(2026, 11, 27), catalog) == []
    assert findings(config, date(2026, 11, 28), catalog) == [
        "7:14 KC209 warning model id kimi-k2.6 retires on 2027-02-26, in 90 days; its replacement is kimi-k3 "
        "| write kimi-k3",
    ]
    assert findings(config, date(2027, 3, 5), catalog) == [
        "7:14 KC208 error model id kimi-k2.6 was retired on 2027-02-26: Moonshot international (api.moonshot.ai) "
        "answers 404 for it; its replacement is kimi-k3 | write kimi-k3",
        "7:25 KC209 warning model id kimi-k2.5 retires on 2027-06-01, in 88 days; the catalog names no replacement "
        "| pick a current model: `kimicheck catalog` lists them",
    ]
