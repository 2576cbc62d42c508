"""Schema errors map back to the exact key or value, with a message and a fix hint."""

from kimicheck.lint.engine import lint_text

HEAD = "version: 1\nproviders:\n"
PROVIDER = (
    "  - name: kimi-intl\n"
    "    kind: moonshot\n"
    "    base_url: https://api.moonshot.ai/v1\n"
    "    api_key_env: MOONSHOT_API_KEY\n"
)


def schema_findings(text: str) -> list[str]:
    report = lint_text(text, "c.yaml", select=["KC001", "KC002", "KC003", "KC004", "KC005", "KC006", "KC007"])
    return [f"{f.line}:{f.column} {f.rule} {f.message} | {f.hint}" for f in report.findings]


def test_valid_config_builds_a_config() -> None:
    report = lint_text(HEAD + PROVIDER + "    models: [kimi-k2.6]\n", "c.yaml")
    assert report.config is not None
    assert report.config.providers[0].model_entries()[0].id == "kimi-k2.6"


def test_unknown_key_points_at_the_key_with_did_you_mean() -> None:
    text = HEAD + PROVIDER.replace("api_key_env", "api_key_evn")
    assert schema_findings(text) == ["6:5 KC003 unknown key 'api_key_evn' | did you mean 'api_key_env'?"]


def test_unknown_key_in_nested_model_suggests_from_that_model() -> None:
    text = "version: 1\ndefaults:\n  intervals: {modles: 5m}\nproviders:\n" + PROVIDER
    assert schema_findings(text) == ["3:15 KC003 unknown key 'modles' | did you mean 'models'?"]


def test_yaml_11_booleans_and_numbers_say_quote_it() -> None:
    text = HEAD + PROVIDER + "    models: [yes, 1.5]\n"
    assert schema_findings(text) == [
        '7:14 KC004 item 1 of `models` must be a string, but YAML reads the unquoted `yes` as a boolean | '
        'quote it: "yes"',
        '7:19 KC004 item 2 of `models` must be a string, but YAML reads the unquoted `1.5` as a number | '
        'quote it: "1.5"',
    ]


def test_unknown_kind_suggests_the_closest() -> None:
    text = HEAD + PROVIDER.replace("kind: moonshot", "kind: moonshoot")
    assert schema_findings(text) == ["4:11 KC004 unknown kind 'moonshoot' | did you mean 'moonshot'?"]


def test_missing_keys_point_at_the_provider() -> None:
    text = HEAD + "  - kind: moonshot\n    api_key_env: K\n"
    assert schema_findings(text) == [
        "3:5 KC005 missing required key 'base_url' | add `base_url: https://api.moonshot.ai/v1`",
        "3:5 KC005 missing required key 'name' | add `name: kimi-intl`",
    ]


def test_bad_duration_and_quoted_amount() -> None:
    text = HEAD + PROVIDER + "    timeout: 10 seconds\n    balance: {warn_below: '20'}\n"
    assert schema_findings(text) == [
        "7:14 KC004 `timeout`: '10 seconds' is not a duration: write a number with a unit, e.g. '500ms', '10s', "
        "'5m', '1h', '1d' | write a positive duration such as 500ms, 10s or 1m",
        "8:27 KC004 `warn_below`: an amount must be a number, not the text '20' | remove the quotes around the number",
    ]


def test_version_and_top_level_shape() -> None:
    assert schema_findings("version: 2\nproviders: []\nprovider: x\n") == [
        "1:10 KC006 unsupported config version 2: this kimicheck reads version 1 | set `version: 1`",
        "2:12 KC004 `providers` must be a list of at least one provider | write each provider as a list item "
        "starting with `- name:`",
        "3:1 KC003 unknown key 'provider' | did you mean 'providers'?",
    ]
    assert schema_findings("- a\n") == [
        "1:1 KC004 the top level of a config must be a mapping with `version` and `providers` | "
        "`kimicheck schema` prints the format"
    ]
    assert schema_findings("providers: []\n")[0] == (
        "1:1 KC006 missing `version`: this kimicheck reads `version: 1` | add `version: 1` at the top of the file"
    )


def test_one_bad_provider_does_not_hide_the_others() -> None:
    text = HEAD + "  - name: BAD NAME\n    kind: moonshot\n    base_url: https://api.moonshot.ai/v1\n" + PROVIDER
    report = lint_text(text, "c.yaml")
    assert report.config is None
    assert [f.rule for f in report.findings if f.rule == "KC004"] == ["KC004"]


def test_key_env_value_is_never_echoed_in_a_type_error() -> None:
    text = HEAD + PROVIDER.replace("api_key_env: MOONSHOT_API_KEY", "api_key_env: [sk-abcdefghijklmnopqrstuvwxyz0123]")
    for line in schema_findings(text):
        assert "abcdefghijklmnop" not in line


def rule_ids(text: str) -> list[str]:
    return [f"{f.line}:{f.rule}" for f in lint_text(text, "c.yaml").findings]


def test_an_invalid_field_does_not_hide_the_other_findings_of_its_provider() -> None:
    text = (
        "version: 1\nproviders:\n  - name: a\n    kind: moonshot\n    base_url: https://api.moonshot.ai\n"
        "    api_key_env: MOONSHOT_API_KEY\n    models: [moonshotai/kimi-k2.6, yes]\n"
        "    balance: {currency: USD, warn_below: 1, critical_below: 5}\n"
    )
    # the base URL and the thresholds are still checked although `models` is invalid
    assert rule_ids(text) == ["5:KC104", "7:KC004", "8:KC401"]


def test_an_invalid_key_source_is_not_also_reported_as_missing() -> None:
    text = HEAD + PROVIDER.replace("api_key_env: MOONSHOT_API_KEY", "api_key_env: 123") + "    models: [kimi-k2.6]\n"
    assert rule_ids(text) == ["6:KC004"]


def test_a_provider_with_an_invalid_identity_is_not_checked_further() -> None:
    text = HEAD + PROVIDER.replace("kind: moonshot", "kind: moonshoot") + "    models: [moonshotai/kimi-k2.6]\n"
    assert rule_ids(text) == ["4:KC004"]


WRONG_VALUES = """\
version: 1
defaults:
  timeout: -5s
  chat: {max_tokens: 0}
providers:
  - name: a
    kind: moonshot
    base_url: https://api.moonshot.ai/v1
    api_key_env: K
    models: [{id: kimi-k2.6, chat: "yes"}, {id: ""}]
    balance: {currency: usd, warn_below: '20', critical_below: 1e400}
    intervals: {chat: 0s}
    timeout: x
"""


def test_every_schema_finding_says_how_to_fix_it() -> None:
    found = [(f.line, f.message, f.hint) for f in lint_text(WRONG_VALUES, "c.yaml").findings]
    assert [(line, hint) for line, _, hint in found] == [
        (3, "write a positive duration such as 500ms, 10s or 1m"),
        (4, "use a value of at least 1"),
        (10, "write true or false, without quotes"),
        (10, "it must not be empty"),
        (11, "write an ISO 4217 code in capital letters, e.g. USD or CNY"),
        (11, "remove the quotes around the number"),
        (11, "write the amount as a plain decimal number such as 20 or 20.5"),
        (12, "write a positive duration such as 5m, 1h or 1d"),
        (13, "write a positive duration such as 500ms, 10s or 1m"),
    ]
    assert found[6][1] == "`critical_below`: an amount must be a number, not the text '1e400'"


def test_a_wrong_type_is_said_in_words_not_in_pydantics() -> None:
    text = "version: 1\ndefaults:\n  chat: {max_tokens: \"x\"}\nproviders:\n" + PROVIDER + "    models: [kimi-k2.6]\n"
    assert schema_findings(text) == [
        "3:22 KC004 `max_tokens` must be a whole number (got 'x') | write a whole number, e.g. 16",
    ]


def test_only_a_number_in_quotes_is_told_to_lose_its_quotes() -> None:
    text = HEAD + PROVIDER + "    balance: {warn_below: \"abc\", critical_below: \"5\"}\n"
    assert schema_findings(text) == [
        "7:27 KC004 `warn_below`: an amount must be a number, not the text 'abc' | write the amount as a plain "
        "decimal number such as 20 or 20.5",
        "7:50 KC004 `critical_below`: an amount must be a number, not the text '5' | remove the quotes around the "
        "number",
    ]
