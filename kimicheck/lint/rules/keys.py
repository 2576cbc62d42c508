"""KC30x: where a provider's API key (and OpenRouter management key) comes from, never the config file itself."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kimicheck.config.models import LITERAL_KEY_FIELDS, LITERAL_MANAGEMENT_KEY_FIELDS, Provider
from kimicheck.lint.finding import Severity
from kimicheck.lint.rule import LintContext, Problem, Rule
from kimicheck.lint.rules._common import provider_path
from kimicheck.providers import KIND_PROFILES, Kind
from kimicheck.secrets import KEY_PATTERN, looks_like_key

__all__ = ["ENV_NAME_PATTERN", "RULES", "suggested_env_name"]

#: A portable environment variable name (POSIX shells, systemd, Kubernetes, GitHub Actions).
ENV_NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

_TEMPLATE = """\
version: 1
providers:
  - name: kimi-intl
    kind: moonshot
    base_url: https://api.moonshot.ai/v1
{source}    models: [kimi-k2.6]
"""
_GOOD = _TEMPLATE.format(source="    api_key_env: MOONSHOT_API_KEY\n")
#: The variable an OpenRouter management key conventionally lives in (OpenRouter's docs do not name one).
MANAGEMENT_ENV = "OPENROUTER_MANAGEMENT_KEY"


def _key_sources(provider: Provider) -> tuple[tuple[str, str | None, str, str | None, str], ...]:
    """(env field, its value, file field, its value, the conventional variable) of each key a provider reads."""
    return (
        ("api_key_env", provider.api_key_env, "api_key_file", provider.api_key_file, suggested_env_name(provider)),
        ("management_key_env", provider.management_key_env, "management_key_file", provider.management_key_file,
         MANAGEMENT_ENV),
    )


def suggested_env_name(provider: Provider) -> str:
    """The variable a provider's key conventionally lives in (`MOONSHOT_API_KEY`, else `<NAME>_API_KEY`)."""
    conventional = KIND_PROFILES[provider.kind].conventional_env
    if conventional:
        return conventional
    return re.sub(r"[^A-Z0-9]+", "_", provider.name.upper()).strip("_") + "_API_KEY"


def _raw_env_name(raw: dict[object, object]) -> str:
    """The conventional variable for a provider that did not validate, from its raw `kind`."""
    kind = raw.get("kind")
    if kind in {k.value for k in Kind}:
        conventional = KIND_PROFILES[Kind(kind)].conventional_env
        if conventional:
            return conventional
    return "MY_PROVIDER_API_KEY"


def _usable_env(name: str | None) -> str | None:
    """`name` when it is a valid variable name and not a pasted key."""
    if name is None or looks_like_key(name) or not ENV_NAME_PATTERN.match(name):
        return None
    return name


def check_literal_key(ctx: LintContext) -> Iterator[Problem]:
    """An `api_key:` (or `key:`, `token:`) field in a provider, found in the raw document."""
    data = ctx.document.data
    providers = data.get("providers") if isinstance(data, dict) else None
    if not isinstance(providers, list):
        return
    for index, raw in enumerate(providers):
        if not isinstance(raw, dict):
            continue
        for field in (*LITERAL_KEY_FIELDS, *LITERAL_MANAGEMENT_KEY_FIELDS):
            if field not in raw:
                continue
            management = field in LITERAL_MANAGEMENT_KEY_FIELDS
            what, prefix = ("management key", "management_key") if management else ("API key", "api_key")
            env = MANAGEMENT_ENV if management else _raw_env_name(raw)
            yield Problem(
                f"provider field {field} would hold the {what} in the config file, where it is "
                "committed, copied and logged; kimicheck never reads it",
                where=provider_path(index, field),
                hint=f"remove it, rotate the key, and set {prefix}_env: {env} "
                f"(or {prefix}_file: the path of a mounted secret)",
                on_key=True,
            )


def check_key_in_env_field(ctx: LintContext) -> Iterator[Problem]:
    """`api_key_env` (or `api_key_file`) holding the key itself rather than where to find it."""
    for index, provider in ctx.providers:
        for env_field, env, file_field, file, conventional in _key_sources(provider):
            if env is not None and looks_like_key(env):
                yield Problem(
                    f"{env_field} holds what looks like an API key, not the name of an environment variable",
                    where=provider_path(index, env_field),
                    hint=f"put the key in an environment variable, write its name here ({env_field}: "
                    f"{conventional}), and rotate the key: it has been written to a file",
                )
            if file is not None and KEY_PATTERN.search(file):
                yield Problem(
                    f"{file_field} holds what looks like an API key, not the path of a file",
                    where=provider_path(index, file_field),
                    hint="write the key into a file (or a mounted secret), give its path here, and rotate the key",
                )


def check_env_name(ctx: LintContext) -> Iterator[Problem]:
    """`api_key_env` must be a name a shell, systemd or Kubernetes can define."""
    for index, provider in ctx.providers:
        for env_field, name, _, _, conventional in _key_sources(provider):
            if name is None or looks_like_key(name) or ENV_NAME_PATTERN.match(name):
                continue
            fixed = re.sub(r"[^A-Za-z0-9_]+", "_", name.strip().lstrip("$").strip("{}")).strip("_")
            if not fixed or fixed[0].isdigit():
                fixed = conventional
            shown = repr(name) if name.isprintable() else ascii(name)
            yield Problem(
                f"{env_field} {shown} is not a valid environment variable name "
                "(letters, digits and _, not starting with a digit)",
                where=provider_path(index, env_field),
                hint=f"write {env_field}: {fixed}",
            )


def check_key_source(ctx: LintContext) -> Iterator[Problem]:
    """Exactly one of `api_key_env` and `api_key_file`."""
    for index, provider in ctx.providers:
        has_env, has_file = provider.api_key_env is not None, provider.api_key_file is not None
        if has_env and has_file:
            yield Problem(
                f"provider {provider.name} sets both api_key_env and api_key_file: it is unclear which "
                "key is meant",
                where=provider_path(index, "api_key_file"),
                hint="keep exactly one of them",
                on_key=True,
            )
        elif not has_env and not has_file and not ctx.was_dropped(index, "api_key_env", "api_key_file"):
            yield Problem(
                f"provider {provider.name} has no key: set api_key_env or api_key_file",
                where=provider_path(index, "name"),
                hint=f"add api_key_env: {suggested_env_name(provider)} (or api_key_file: the path of a "
                "mounted secret)",
            )
        if provider.management_key_env is not None and provider.management_key_file is not None:
            yield Problem(
                f"provider {provider.name} sets both management_key_env and management_key_file: it is "
                "unclear which management key is meant",
                where=provider_path(index, "management_key_file"),
                hint="keep exactly one of them",
                on_key=True,
            )


def check_env_set(ctx: LintContext) -> Iterator[Problem]:
    """Under `--check-env`: every referenced environment variable is set and not empty."""
    if ctx.environ is None:
        return
    for index, provider in ctx.providers:
        for env_field, env, _, _, _ in _key_sources(provider):
            name = _usable_env(env)
            if name is None:
                continue
            value = ctx.environ.get(name)
            if value is None or not value.strip():
                state = "unset" if value is None else "empty"
                what = "management key" if env_field.startswith("management") else "key"
                yield Problem(
                    f"environment variable {name} is {state}: provider {provider.name} would have no {what}",
                    where=provider_path(index, env_field),
                    hint=f"export {name} in the environment kimicheck runs in",
                )


LITERAL_API_KEY = Rule(
    id="KC301",
    name="literal-api-key",
    severity=Severity.ERROR,
    summary="an `api_key` (or `key`, `token`, `apikey`, `management_key`) field in a provider",
    doc="A key written into a config file ends up in version control, backups, CI logs and support "
    "tickets. kimicheck has no field for it on purpose: it reads the key from an environment variable "
    "(`api_key_env`) or a file (`api_key_file`, e.g. a mounted Kubernetes secret); an OpenRouter "
    "management key likewise from `management_key_env` or `management_key_file`. Fix: remove the field, "
    "rotate the key if the file was ever shared, and use one of those.",
    fail_example=_TEMPLATE.format(source="    api_key: ${MOONSHOT_API_KEY}\n"),
    pass_example=_GOOD,
    check=check_literal_key,
)
KEY_IN_ENV_FIELD = Rule(
    id="KC302",
    name="key-in-api-key-env",
    severity=Severity.ERROR,
    summary="api_key_env (or api_key_file, management_key_env, management_key_file) holds the key itself",
    doc="`api_key_env` names the environment variable that holds the key; pasting the key there writes "
    "it into the file. The message never repeats the value. Fix: move the key into the environment, "
    "write the variable's name, and rotate the key.",
    fail_example=_TEMPLATE.format(source="    api_key_env: sk-test-0000000000000000000000000000\n"),
    pass_example=_GOOD,
    check=check_key_in_env_field,
)
INVALID_ENV_NAME = Rule(
    id="KC303",
    name="invalid-env-var-name",
    severity=Severity.ERROR,
    summary="api_key_env (or management_key_env) is not a valid environment variable name",
    doc="Environment variable names are letters, digits and `_`, not starting with a digit; a shell, "
    "systemd unit or Kubernetes manifest cannot define `moonshot-api-key` or `$MOONSHOT_API_KEY`, so "
    "the key would never be found. Fix: write the bare name, e.g. `MOONSHOT_API_KEY`.",
    fail_example=_TEMPLATE.format(source="    api_key_env: $MOONSHOT_API_KEY\n"),
    pass_example=_GOOD,
    check=check_env_name,
)
KEY_SOURCE = Rule(
    id="KC304",
    name="key-source",
    severity=Severity.ERROR,
    summary="neither or both of api_key_env and api_key_file (both management_key_env and _file)",
    doc="Each provider reads its key from exactly one place. Without either there is no key; with both "
    "it is unclear which one is meant (and a rotated key may be read from the stale place). The optional "
    "OpenRouter management key likewise comes from at most one of `management_key_env` and "
    "`management_key_file`. Fix: keep exactly one.",
    fail_example=_TEMPLATE.format(source=""),
    pass_example=_GOOD,
    check=check_key_source,
)
ENV_UNSET = Rule(
    id="KC305",
    name="env-var-unset",
    severity=Severity.ERROR,
    summary="(--check-env) an api_key_env (or management_key_env) variable is unset or empty",
    doc="Only with `--check-env`: the linter stays offline but looks at its own environment, so a CI job "
    "or a container entrypoint can fail early when a secret was not mounted. Fix: export the variable "
    "in that environment.",
    fail_example=_TEMPLATE.format(source="    api_key_env: MOONSHOT_API_KEY_UNSET\n"),
    pass_example=_GOOD,
    check=check_env_set,
)

RULES: tuple[Rule, ...] = (LITERAL_API_KEY, KEY_IN_ENV_FIELD, INVALID_ENV_NAME, KEY_SOURCE, ENV_UNSET)
