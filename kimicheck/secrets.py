"""API keys: where they come from, how they are held, and how they are kept out of every output.

A key lives in a `Secret` from the moment it is read until it is put into an `Authorization` header; its
`repr` and `str` never show it. `redact` is applied to every text that came from a provider before it is
shown, so a key or an account id echoed in an error message does not leak either.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

__all__ = [
    "KEY_PATTERN",
    "URL_PASSWORD",
    "KeyUnavailable",
    "Secret",
    "looks_like_key",
    "mask_keys",
    "read_key",
    "redact",
    "redact_all",
]

#: What a pasted key looks like: `sk-` and a long token (Moonshot, OpenAI, OpenRouter `sk-or-v1-...`).
KEY_PATTERN = re.compile(r"\bsk-[A-Za-z0-9][A-Za-z0-9_\-]{19,}")
_ACCOUNT_ID = re.compile(r"\b(org|ak|user|proj)-[A-Za-z0-9]{4,}")
_ACCOUNT_PREFIXES = ("org-", "ak-", "user-", "proj-")
_BEARER = re.compile(r"(?i)(bearer\s+)[^\s\"']+")
#: The password of `scheme://user:password@host`: group 1 is everything before it, group 2 the password.
URL_PASSWORD = re.compile(r"(://[^:/@\s]*:)([^@\s/]+)@")
_GENERIC_TOKEN = re.compile(r"^[A-Za-z0-9_\-\.]{32,}$")


class Secret:
    """A string that is never shown: `repr`, `str` and f-strings print a mask."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The key itself, for the one place that builds the request header."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a Secret cannot be pickled")


class KeyUnavailable(Exception):
    """The key a provider refers to cannot be read; the message says why and never holds the key."""


def read_key(
    api_key_env: str | None,
    api_key_file: str | None,
    environ: Mapping[str, str] | None = None,
    base_dir: Path | None = None,
) -> Secret:
    """Read a provider's key from its environment variable or file.

    A relative `api_key_file` is taken relative to `base_dir` (the config file's folder).
    """
    env = os.environ if environ is None else environ
    if api_key_env:
        value = env.get(api_key_env, "")
        if not value.strip():
            raise KeyUnavailable(f"environment variable {api_key_env} is unset or empty")
        return Secret(value.strip())
    if api_key_file:
        path = Path(api_key_file)
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        try:
            value = path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            raise KeyUnavailable(f"key file {api_key_file} does not exist") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise KeyUnavailable(f"key file {api_key_file} cannot be read ({type(exc).__name__})") from None
        if not value:
            raise KeyUnavailable(f"key file {api_key_file} is empty")
        return Secret(value)
    raise KeyUnavailable("no api_key_env or api_key_file is configured")


def looks_like_key(value: str) -> bool:
    """True when `value` looks like an API key rather than the name of a variable or file."""
    return bool(KEY_PATTERN.search(value)) or bool(
        _GENERIC_TOKEN.match(value) and any(c.isdigit() for c in value) and any(c.islower() for c in value)
    )


def mask_keys(text: str) -> str:
    """`text` with anything key-shaped and any URL password masked (for messages quoting a config value)."""
    # the substring tests spare long texts with nothing to mask a regex scan (a `\b` pattern has no fast path)
    if "sk-" in text:
        text = KEY_PATTERN.sub("sk-[REDACTED]", text)
    if "://" in text:
        text = URL_PASSWORD.sub(r"\1[REDACTED]@", text)
    return text


def redact(text: str, secrets: Iterable[Secret] = ()) -> str:
    """`text` with the given secrets, anything key-shaped, URL passwords, bearer tokens and account ids masked."""
    for secret in secrets:
        value = secret.reveal()
        if value:
            text = text.replace(value, "[REDACTED]")
    text = mask_keys(text)
    if "bearer" in text.lower():
        text = _BEARER.sub(r"\1[REDACTED]", text)
    if any(prefix in text for prefix in _ACCOUNT_PREFIXES):
        text = _ACCOUNT_ID.sub(lambda m: f"{m.group(1)}-[REDACTED]", text)
    return text


def redact_all(texts: Iterable[str], secrets: Iterable[Secret] = ()) -> tuple[str, ...]:
    """Each of `texts` as `redact` masks it. They are searched together first: a provider's list of 90,000
    model ids with nothing to mask costs one pass, not 90,000."""
    texts, secrets = tuple(texts), tuple(secrets)
    joined = "\n".join(texts)
    if redact(joined, secrets) == joined:
        return texts
    return tuple(redact(text, secrets) for text in texts)
