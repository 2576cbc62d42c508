"""KC1xx: base URLs the OpenAI SDK would send to the wrong place, or send the key over in clear text.

The OpenAI SDK does not strip a base URL: whitespace or a control character in it is reported on its own
(`base-url-whitespace`), and the other rules judge the URL without surrounding whitespace, or not at all
when some is left inside, rather than misdiagnosing it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kimicheck.lint.finding import Severity
from kimicheck.lint.rule import LintContext, Problem, Rule
from kimicheck.lint.rules._common import clean_url, provider_path, shown, split_url
from kimicheck.lookalike import describe_char
from kimicheck.net import is_loopback_host, resolve_endpoint
from kimicheck.providers import ENDPOINT_PATHS, KIND_PROFILES, find_known_host

__all__ = ["RULES"]

_TEMPLATE = """\
version: 1
providers:
  - name: kimi-intl
    kind: moonshot
    base_url: {url}
    api_key_env: MOONSHOT_API_KEY
    models: [kimi-k2.6]
"""
_GOOD = _TEMPLATE.format(url="https://api.moonshot.ai/v1")
#: a terminal's colour code (ESC [ 31 m), pasted along with a URL copied from coloured output
_TERMINAL_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


def _unseen(char: str) -> bool:
    """Whitespace, or a character that is not printable (controls, zero-width spaces)."""
    return char.isspace() or not char.isprintable()


def _judged(url: str) -> str | None:
    """The URL the other rules judge: without surrounding whitespace; None when some is left inside."""
    stripped = url.strip()
    return None if any(_unseen(char) for char in stripped) else stripped


def _endpoint_suffix(path: str) -> str | None:
    """The endpoint path `path` ends with (`chat/completions`, in any case), or None."""
    trimmed = path.rstrip("/").lower()
    for endpoint in sorted(ENDPOINT_PATHS, key=len, reverse=True):
        if trimmed.endswith("/" + endpoint):
            return endpoint
    return None


def check_scheme(ctx: LintContext) -> Iterator[Problem]:
    """An https:// URL with a host, or http:// to a loopback host."""
    for index, provider in ctx.providers:
        url = provider.base_url.strip()
        parts = split_url(url)
        where = provider_path(index, "base_url")
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            hint = "write the whole URL, e.g. https://api.moonshot.ai/v1"
            if "://" not in url and "@" not in url and url and _judged(url) is not None:
                hint = f"did you mean https://{shown(url)}?"
            yield Problem("base_url is not an absolute URL: it needs https:// and a host", where=where, hint=hint)
        elif parts.scheme == "http" and not is_loopback_host(parts.hostname):
            yield Problem(
                f"base_url uses plain http:// to {shown(parts.hostname)}: the API key would cross the network "
                "unencrypted (http:// is allowed only for loopback hosts: 127.0.0.1, localhost, ::1)",
                where=where,
                hint=f"use {shown(clean_url(url).replace('http://', 'https://', 1))}",
            )


def check_extra_parts(ctx: LintContext) -> Iterator[Problem]:
    """No user:password, query or fragment in a base URL (never echoing them: they may hold a key)."""
    for index, provider in ctx.providers:
        url = _judged(provider.base_url)
        parts = split_url(url) if url is not None else None
        if url is None or parts is None or not parts.hostname:
            continue
        where = provider_path(index, "base_url")
        fix = f"use {shown(clean_url(url))}"
        if parts.username is not None or parts.password is not None:
            yield Problem(
                "base_url contains a user name or password (user:password@): it would be sent with every "
                "request and shown wherever the URL is logged",
                where=where,
                hint=f"{fix}, and keep the key in api_key_env or api_key_file",
            )
        if parts.query:
            yield Problem(
                "base_url has a query string (?...): the OpenAI SDK appends endpoint paths after it, so "
                "every request would go to the base URL itself with a mangled query",
                where=where,
                hint=fix,
            )
        if parts.fragment:
            yield Problem(
                "base_url has a fragment (#...), which is never sent to the server", where=where, hint=fix
            )


def check_endpoint_path(ctx: LintContext) -> Iterator[Problem]:
    """A base URL that ends in an endpoint path gets that path twice."""
    for index, provider in ctx.providers:
        url = _judged(provider.base_url)
        parts = split_url(url) if url is not None else None
        endpoint = _endpoint_suffix(parts.path) if parts is not None else None
        if url is None or parts is None or endpoint is None:
            continue
        cleaned = clean_url(url)
        fixed = cleaned.rstrip("/")[: -len(endpoint) - 1]
        known = find_known_host(fixed)
        if known is not None and known.version_path and not fixed.endswith(known.version_path):
            fixed = known.base_url
        chat = resolve_endpoint(cleaned, KIND_PROFILES[provider.kind].chat_path)
        written = parts.path.rstrip("/")[-len(endpoint):]
        yield Problem(
            f"base_url ends in the endpoint path /{shown(written)}: the OpenAI SDK appends endpoint paths "
            f"itself, so a chat completion would go to {shown(chat)}",
            where=provider_path(index, "base_url"),
            hint=f"use {shown(fixed)}",
        )


def check_version_path(ctx: LintContext) -> Iterator[Problem]:
    """A known host's base URL must carry its version path (`/v1`)."""
    for index, provider in ctx.providers:
        url = _judged(provider.base_url)
        parts = split_url(url) if url is not None else None
        known = find_known_host(url) if url is not None else None
        if url is None or parts is None or known is None or not known.version_path or _endpoint_suffix(parts.path):
            continue
        version = known.version_path
        path = re.sub("/{2,}", "/", parts.path).rstrip("/")
        if path == version or path.startswith(version + "/"):
            continue
        chat = shown(resolve_endpoint(clean_url(url), KIND_PROFILES[provider.kind].chat_path))
        if (path + "/").lower().startswith(version.lower() + "/"):
            message = (f"base_url spells the version path {shown(path[:len(version)])} where {known.label} "
                       f"has {version}: URL paths are case-sensitive, so the OpenAI SDK would call {chat}, "
                       "which does not exist")
        else:
            message = (f"base_url lacks the version path {version} of {known.label}: the OpenAI SDK would "
                       f"call {chat}, which does not exist")
        yield Problem(message, where=provider_path(index, "base_url"), hint=f"use {known.base_url}")


def check_double_slash(ctx: LintContext) -> Iterator[Problem]:
    """`//` inside the path is kept by the SDK and rejected by many servers."""
    for index, provider in ctx.providers:
        url = _judged(provider.base_url)
        parts = split_url(url) if url is not None else None
        if url is None or parts is None or "//" not in parts.path:
            continue
        cleaned = clean_url(url)
        fixed = cleaned[: len(cleaned) - len(parts.path)] + re.sub("/{2,}", "/", parts.path).rstrip("/")
        chat = resolve_endpoint(cleaned, KIND_PROFILES[provider.kind].chat_path)
        yield Problem(
            f"base_url has a double slash in its path: the OpenAI SDK keeps it and calls {shown(chat)}, "
            "which many servers answer with 404",
            where=provider_path(index, "base_url"),
            hint=f"use {shown(fixed)}",
        )


def _places(url: str) -> str:
    """`U+0020 SPACE at the end, U+0009 CHARACTER TABULATION at character 12` (at most three, then a count)."""
    start, end = len(url) - len(url.lstrip()), len(url.rstrip())
    places = []
    for position, char in enumerate(url):
        if _unseen(char):
            where = "at the start" if position < start else "at the end" if position >= end else (
                f"at character {position + 1}")
            places.append(f"{describe_char(char)} {where}")
    unique = list(dict.fromkeys(places))
    return ", ".join(unique[:3]) + (f" and {len(unique) - 3} more" if len(unique) > 3 else "")


def check_whitespace(ctx: LintContext) -> Iterator[Problem]:
    """Whitespace around a base URL, or whitespace and control characters inside it (the SDK strips none)."""
    for index, provider in ctx.providers:
        url = provider.base_url
        if not any(_unseen(char) for char in url):
            continue
        if _judged(url) is not None:
            message = (f"base_url has {_places(url)}: the OpenAI SDK does not strip it, so every request "
                       "would go to a URL that does not exist or fail before it is sent")
        else:
            message = (f"base_url contains {_places(url)}: a URL cannot hold whitespace or control "
                       "characters, so every request would go to a URL that does not exist or fail")
        fixed = "".join(char for char in _TERMINAL_ESCAPE.sub("", url) if not _unseen(char))
        yield Problem(message, where=provider_path(index, "base_url"), hint=f"use {shown(clean_url(fixed))}")


BASE_URL_NOT_HTTPS = Rule(
    id="KC101",
    name="base-url-not-https",
    severity=Severity.ERROR,
    summary="base_url is not an https:// URL (http:// is allowed only for loopback hosts)",
    doc="Every request carries the API key in its `Authorization` header. Over plain http:// anyone on "
    "the path can read it. kimicheck accepts http:// only for loopback hosts (127.0.0.0/8, ::1 and "
    "the exact name localhost), where tests and the simulator run. Other names under .localhost are "
    "refused: a resolver may send them to DNS, which can answer with a remote address. A base URL without "
    "a scheme or host is not a URL the SDK can call at all. Fix: write the full https:// URL.",
    fail_example=_TEMPLATE.format(url="http://api.moonshot.ai/v1"),
    pass_example=_GOOD,
    check=check_scheme,
)
BASE_URL_EXTRA_PARTS = Rule(
    id="KC102",
    name="base-url-extra-parts",
    severity=Severity.ERROR,
    summary="base_url contains user:password, a query string or a fragment",
    doc="A base URL is a prefix the SDK appends endpoint paths to. Credentials in it leak into logs and "
    "error messages; a query string ends up in front of the appended path, so requests go to the wrong "
    "URL; a fragment is never sent. Fix: keep scheme, host, port and path only, and put the key in "
    "`api_key_env` or `api_key_file`.",
    fail_example=_TEMPLATE.format(url="https://api.moonshot.ai/v1?region=intl"),
    pass_example=_GOOD,
    check=check_extra_parts,
)
BASE_URL_ENDPOINT_PATH = Rule(
    id="KC103",
    name="base-url-endpoint-path",
    severity=Severity.ERROR,
    summary="base_url ends in an endpoint path such as /chat/completions or /models",
    doc="The OpenAI SDK adds a `/` to the base URL and appends `chat/completions`, `models` and so on "
    "itself. A base URL copied from a curl example (`.../v1/chat/completions`) therefore calls "
    "`.../v1/chat/completions/chat/completions` and gets a 404. Fix: stop the base URL at the version "
    "path.",
    fail_example=_TEMPLATE.format(url="https://api.moonshot.ai/v1/chat/completions"),
    pass_example=_GOOD,
    check=check_endpoint_path,
)
BASE_URL_MISSING_VERSION = Rule(
    id="KC104",
    name="base-url-missing-version",
    severity=Severity.ERROR,
    summary="base_url of a known host lacks its version path (https://api.moonshot.ai instead of .../v1)",
    doc="The SDK appends endpoint paths directly to the base URL, so `https://api.moonshot.ai` calls "
    "`https://api.moonshot.ai/chat/completions`, which does not exist. Each known host has its own "
    "version path (`/v1` for Moonshot and AIMLAPI, `/api/v1` for OpenRouter, `/coding/v1` for Kimi "
    "Code). Fix: use the base URL the message suggests.",
    fail_example=_TEMPLATE.format(url="https://api.moonshot.ai"),
    pass_example=_GOOD,
    check=check_version_path,
)
BASE_URL_WHITESPACE = Rule(
    id="KC106",
    name="base-url-whitespace",
    severity=Severity.ERROR,
    summary="base_url has whitespace around it, or whitespace or control characters inside it",
    doc="A base URL pasted with a trailing space or newline, a tab, a zero-width space or a terminal escape "
    "looks right in the file, but the OpenAI SDK does not strip it: `https://api.moonshot.ai/v1 ` calls "
    "`.../v1%20/chat/completions`, and a tab or newline makes the HTTP client refuse the URL. The "
    "message names each character (never printing it) and where it is. Fix: use the URL the hint "
    "suggests.",
    fail_example=_TEMPLATE.format(url='"https://api.moonshot.ai/v1 "'),
    pass_example=_GOOD,
    check=check_whitespace,
)
DOUBLE_SLASH = Rule(
    id="KC105",
    name="double-slash-in-path",
    severity=Severity.WARNING,
    summary="base_url has `//` inside its path",
    doc="The SDK keeps a doubled slash (`https://api.moonshot.ai/v1//` calls `.../v1//chat/completions`); "
    "some servers normalise it, many answer 404. Fix: remove the extra slash.",
    fail_example=_TEMPLATE.format(url="https://api.moonshot.ai/v1//"),
    pass_example=_GOOD,
    check=check_double_slash,
)

RULES: tuple[Rule, ...] = (
    BASE_URL_NOT_HTTPS,
    BASE_URL_EXTRA_PARTS,
    BASE_URL_ENDPOINT_PATH,
    BASE_URL_MISSING_VERSION,
    DOUBLE_SLASH,
    BASE_URL_WHITESPACE,
)
