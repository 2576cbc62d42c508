"""The files `kimicheck verify` reads: K2VV samples, reference answers and its own earlier output.

Every line is untrusted input: files are read through the one bounded reader, each line has a size cap, and a
line that is not what it should be is a `FILE:LINE: message` problem, never a traceback. A sample is one
chat-completions request body offering `tools`, whose parameter schemas must be valid JSON Schemas (the judge
applies them).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema

from kimicheck.config.files import Unreadable, describe_size, read_file
from kimicheck.errors import InputError
from kimicheck.probe.toolcalls import Tool

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_LINE_BYTES",
    "MAX_SAMPLES",
    "Sample",
    "parse_reference",
    "parse_samples",
    "read_lines_file",
]

#: the largest samples, reference or output file read (K2VV's set is about 4,000 lines of a few KB)
MAX_FILE_BYTES = 256 * 1024 * 1024
#: the longest line of any of them
MAX_LINE_BYTES = 1024 * 1024
#: the most samples one run takes
MAX_SAMPLES = 100_000


@dataclass(frozen=True)
class Sample:
    """One request body (its 0-based `index` among the samples) and the tools it offers."""

    index: int
    body: Mapping[str, Any]
    tools: tuple[Tool, ...]


def read_lines_file(path: Path, what: str) -> bytes:
    """The bytes of a JSONL file the user names; InputError when it cannot be read."""
    data = read_file(path, MAX_FILE_BYTES)
    if isinstance(data, Unreadable):
        raise InputError(f"{path}: {what} file {data.reason}")
    return data


def _json_lines(data: bytes, name: str) -> Iterator[tuple[int, object]]:
    """(1-based line number, decoded value) of each non-blank line; InputError at the first bad line."""
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        if len(raw) > MAX_LINE_BYTES:
            raise InputError(f"{name}:{number}: line is longer than {describe_size(MAX_LINE_BYTES)}")
        try:
            value = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise InputError(f"{name}:{number}: not a JSON value ({type(exc).__name__})") from None
        yield number, value


def _tool(entry: object, where: str) -> Tool:
    function = entry.get("function") if isinstance(entry, Mapping) else None
    if not isinstance(function, Mapping) or not isinstance(function.get("name"), str):
        raise InputError(f"{where}: each tool must be {{\"type\": \"function\", \"function\": {{\"name\": ...}}}}")
    parameters = function.get("parameters", {})
    if not isinstance(parameters, Mapping):
        raise InputError(f"{where}: tool {function['name'][:60]!r} has parameters that are not an object")
    try:
        jsonschema.Draft202012Validator.check_schema(dict(parameters))
    except jsonschema.exceptions.SchemaError as exc:
        raise InputError(f"{where}: tool {function['name'][:60]!r} has an invalid schema: "
                         f"{exc.message[:200]}") from None
    return Tool(function["name"], parameters)


def parse_samples(data: bytes, name: str) -> list[Sample]:
    """The samples of a K2VV-format file (`name` is how errors call it); InputError at the first bad line."""
    samples: list[Sample] = []
    for number, value in _json_lines(data, name):
        where = f"{name}:{number}"
        if not isinstance(value, dict):
            raise InputError(f"{where}: a sample must be a JSON object (a chat-completions request body)")
        if not isinstance(value.get("messages"), list) or not value["messages"]:
            raise InputError(f"{where}: a sample needs a non-empty 'messages' list")
        tools = value.get("tools")
        if not isinstance(tools, list) or not tools:
            raise InputError(f"{where}: a sample needs a non-empty 'tools' list")
        if len(samples) >= MAX_SAMPLES:
            raise InputError(f"{where}: more than {MAX_SAMPLES} samples")
        samples.append(Sample(len(samples), value, tuple(_tool(entry, where) for entry in tools)))
    if not samples:
        raise InputError(f"{name}: no samples (one JSON request body per line)")
    return samples


def _reference_finish(value: Mapping[str, Any]) -> object:
    if "finish_reason" in value:
        return value["finish_reason"]
    response = value.get("response")
    choices = response.get("choices") if isinstance(response, Mapping) else None
    if isinstance(choices, list) and choices and isinstance(choices[0], Mapping):
        return choices[0].get("finish_reason")
    return None


def parse_reference(data: bytes, name: str) -> dict[int, str | None]:
    """finish_reason by sample index, from answers of the official API.

    A line is `{"index": N, "finish_reason": ...}` (what `--output` writes) or K2VV's own result line
    (`data_index`, and `finish_reason` or `response.choices[0].finish_reason`).
    """
    found: dict[int, str | None] = {}
    for number, value in _json_lines(data, name):
        index = value.get("index", value.get("data_index")) if isinstance(value, dict) else None
        if not isinstance(index, int) or isinstance(index, bool) or index < 0:
            raise InputError(f"{name}:{number}: a reference line needs a whole 'index' (or 'data_index') >= 0")
        finish = _reference_finish(value) if isinstance(value, dict) else None
        if finish is not None and not isinstance(finish, str):
            raise InputError(f"{name}:{number}: finish_reason must be a string or null")
        found[index] = finish
    return found
