"""Small helpers the rule families share: URL parts, provider labels, document lookups."""

from __future__ import annotations

from urllib.parse import SplitResult, urlsplit

from kimicheck.config.document import DocPath
from kimicheck.config.models import Provider
from kimicheck.providers import find_known_host
from kimicheck.secrets import redact

__all__ = ["clean_url", "hostname", "provider_path", "raw_value", "shown", "site_label", "split_url", "written"]


def shown(value: str) -> str:
    """A config value as a message may quote it: anything key-shaped masked, control characters escaped."""
    text = redact(value)
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else ascii(char)[1:-1] for char in text)


def split_url(url: str) -> SplitResult | None:
    """The parts of `url`, or None when it cannot be parsed (a bad port, an unclosed `[`)."""
    try:
        parts = urlsplit(url)
        _ = parts.port
    except ValueError:
        return None
    return parts


def hostname(url: str) -> str:
    """The lower-case host of `url` without a trailing dot ("" when there is none)."""
    parts = split_url(url)
    if parts is None:
        return ""
    return (parts.hostname or "").rstrip(".").lower()


def clean_url(url: str) -> str:
    """`url` without user:password, query and fragment: safe to show, and what a base URL should be."""
    parts = split_url(url)
    if parts is None or not parts.hostname:
        return url
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    port = f":{parts.port}" if parts.port is not None else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def site_label(provider: Provider) -> str:
    """How a message names where a provider points: `OpenRouter (openrouter.ai)`, `the host h (kind k)`."""
    known = find_known_host(provider.base_url)
    if known is not None:
        return f"{known.label} ({known.host}{known.path_prefix})"
    host = hostname(provider.base_url)
    if host:
        return f"the host {host} (kind {provider.kind.value})"
    return f"kind {provider.kind.value}"


def provider_path(index: int, *rest: str | int) -> DocPath:
    """The document path of a field of `providers[index]`."""
    return ("providers", index, *rest)


def raw_value(data: object, path: DocPath) -> object:
    """The value the raw document holds at `path`, or None (also when the path does not exist)."""
    node = data
    for step in path:
        if isinstance(step, int):
            if not isinstance(node, list) or not 0 <= step < len(node):
                return None
            node = node[step]
        else:
            if not isinstance(node, dict) or step not in node:
                return None
            node = node[step]
    return node


def written(data: object, path: DocPath) -> bool:
    """True when the raw document spells out a value at `path` (rather than inheriting a default)."""
    return raw_value(data, path) is not None
