"""API keys: where they come from, how they are held, and how they are kept out of every output.

A key lives in a `Secret` from the moment it is read until it is put into an `Authorization` header; its
`repr` and `str` never show it. `redact` is applied to every text that came from a provider before it is
shown, so a key or an account id echoed in an error message does not leak either.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from kimicheck.config.files import ReadProblem, Unreadable, describe_size, read_file

__all__ = [
    "KEY_FILE_MAX_BYTES",
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


#: A key is a line of a few hundred characters at most; anything longer is not a key file.
KEY_FILE_MAX_BYTES = 4096

_ONE_KEY_FILE = "point api_key_file at a file that holds only the key"
_FILE_PROBLEMS = {
    ReadProblem.MISSING: "does not exist",
    ReadProblem.DIRECTORY: f"is a directory; {_ONE_KEY_FILE}",
    ReadProblem.NOT_REGULAR: f"is not a regular file (a device, pipe or socket); {_ONE_KEY_FILE}",
    ReadProblem.TOO_LARGE: f"is larger than {describe_size(KEY_FILE_MAX_BYTES)}, so it is not a key file; "
                           f"{_ONE_KEY_FILE}",
    ReadProblem.DENIED: "cannot be read (permission denied); let kimicheck's user read it",
}
#: What makes a value something other than one key, checked in this order on the stripped value.
_NOT_ONE_KEY: tuple[tuple[Callable[[str], bool], str], ...] = (
    (lambda value: value.startswith("\ufeff"),
     "starts with an invisible UTF-8 byte order mark (BOM); save it as UTF-8 without a BOM"),
    (lambda value: "\n" in value or "\r" in value,
     "has more than one line; keep only the key, on one line"),
    (lambda value: any(ord(c) < 0x20 or ord(c) == 0x7F for c in value),
     "contains control characters; keep only the key, on one line"),
    (lambda value: not value.isascii(),
     "contains characters that are not ASCII (an API key is plain ASCII); keep only the key"),
    (lambda value: " " in value,
     "contains spaces; keep only the key itself, with no name or prefix before it"),
)


class KeyUnavailable(Exception):
    """The key a provider refers to cannot be read; the message says why and never holds the key."""


def read_key(
    api_key_env: str | None,
    api_key_file: str | None,
    environ: Mapping[str, str] | None = None,
    base_dir: Path | None = None,
) -> Secret:
    """Read a provider's key from its environment variable or file.

    A relative `api_key_file` is taken relative to `base_dir` (the config file's folder). A key file is read
    through the one bounded reader (regular files only, at most `KEY_FILE_MAX_BYTES`). What is wrong with a
    value that is not one key (a BOM, a second line, control characters) is said; the value is never shown.
    """
    env = os.environ if environ is None else environ
    if api_key_env:
        return _checked(env.get(api_key_env, ""), f"environment variable {api_key_env}", "is unset or empty")
    if api_key_file:
        path = Path(api_key_file)
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        data = read_file(path, KEY_FILE_MAX_BYTES)
        if isinstance(data, Unreadable):
            raise KeyUnavailable(f"key file {api_key_file} {_FILE_PROBLEMS.get(data.problem, data.reason)}")
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise KeyUnavailable(f"key file {api_key_file} is UTF-16 text (as PowerShell's `>` writes); "
                                 "save it as UTF-8 without a BOM")
        return _checked(data.decode("utf-8", errors="replace"), f"key file {api_key_file}", "is empty")
    raise KeyUnavailable("no api_key_env or api_key_file is configured")


def _checked(text: str, source: str, empty: str) -> Secret:
    """`text` stripped, as a Secret, if it can be one key in a header; else KeyUnavailable naming `source`."""
    value = text.strip()
    problem = empty if not value else next((why for test, why in _NOT_ONE_KEY if test(value)), None)
    if problem is not None:
        raise KeyUnavailable(f"{source} {problem}")
    return Secret(value)


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
