"""Read a config file into a `Document`: plain data plus the position of every key and value.

One pass of `yaml.compose` (libyaml's C parser when present) keeps every node with its position; the
values are then built here rather than by PyYAML's constructor, so that duplicate keys are seen (PyYAML
keeps the last silently), alias expansion is bounded (a "billion laughs" file stops in milliseconds),
and every unquoted scalar that YAML 1.1 turns into a boolean, number or null is remembered for a
"quote it" hint. Nothing here raises for a bad file: problems come back as `LoadIssue` values.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kimicheck.config.document import DocPath, Document, Span
from kimicheck.config.files import ReadProblem, Unreadable, read_file
from kimicheck.config.issues import START, IssueKind, LoadIssue

__all__ = ["MAX_BYTES", "MAX_DEPTH", "Loaded", "decode", "load_bytes", "load_text", "read_path"]

#: Larger files are not configs (a generated 10,000-provider file is about 3 MB).
MAX_BYTES = 8 * 1024 * 1024
#: Deeper nesting is not a config either, and would exhaust the stack.
MAX_DEPTH = 64
#: Node visits that aliases may add on top of twice the document's own node count.
ALIAS_ALLOWANCE = 10_000

try:
    _LOADER: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _LOADER = yaml.SafeLoader

_TAG_PREFIX = "tag:yaml.org,2002:"
_MERGE_TAG = _TAG_PREFIX + "merge"
_STR_TAG = _TAG_PREFIX + "str"
_TYPE_NAMES = {"bool": "boolean", "int": "integer", "float": "number", "null": "null",
               "timestamp": "date", "binary": "binary value"}


@dataclass(frozen=True)
class Loaded:
    """The result of reading a file: a document (None when it cannot be built) and the issues found."""

    document: Document | None
    issues: tuple[LoadIssue, ...] = ()


class _AliasBomb(Exception):
    def __init__(self, span: Span, deep: bool) -> None:
        super().__init__()
        self.span = span
        self.deep = deep


def _span(node: Node) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


class _Spans(Mapping[DocPath, Span]):
    """Positions by document path, computed from the nodes only when asked (a large file has 100,000s)."""

    def __init__(self, nodes: dict[DocPath, Node]) -> None:
        self._nodes = nodes

    def __getitem__(self, path: DocPath) -> Span:
        return _span(self._nodes[path])

    def __contains__(self, path: object) -> bool:
        return path in self._nodes

    def __iter__(self) -> Iterator[DocPath]:
        return iter(self._nodes)

    def __len__(self) -> int:
        return len(self._nodes)


@dataclass
class _Builder:
    """Builds plain data from composed nodes, recording positions, duplicates and implicit scalars."""

    values: dict[DocPath, Node] = field(default_factory=dict)
    keys: dict[DocPath, Node] = field(default_factory=dict)
    implicit: dict[DocPath, tuple[str, str]] = field(default_factory=dict)
    issues: list[LoadIssue] = field(default_factory=list)
    visits: int = 0
    seen: set[int] = field(default_factory=set)
    scalars: SafeConstructor = field(default_factory=SafeConstructor)

    def build(self, node: Node, path: DocPath, depth: int = 0) -> object:
        self.visits += 1
        self.seen.add(id(node))
        if depth > MAX_DEPTH or self.visits > 2 * len(self.seen) + ALIAS_ALLOWANCE:
            raise _AliasBomb(_span(node), deep=depth > MAX_DEPTH)
        self.values[path] = node
        if isinstance(node, MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _scalar(self, node: Node, path: DocPath) -> object:
        assert isinstance(node, ScalarNode)
        if node.tag == _STR_TAG:
            return node.value
        try:
            value = self.scalars.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError):
            return node.value
        if not node.style and node.tag.startswith(_TAG_PREFIX):
            type_name = _TYPE_NAMES.get(node.tag[len(_TAG_PREFIX):])
            if type_name is not None:
                self.implicit[path] = (node.value, type_name)
        return value

    def _mapping(self, node: MappingNode, path: DocPath, depth: int) -> dict[str | int, object]:
        result: dict[str | int, object] = {}
        first_seen: dict[str, Node] = {}
        merges: list[Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merges.append(value_node)
                continue
            if not isinstance(key_node, ScalarNode):
                self.issues.append(LoadIssue(
                    IssueKind.INVALID_VALUE, "a mapping key must be a plain name, not a list or mapping",
                    _span(key_node), "write the key as a single word such as `name:`"))
                continue
            key = str(key_node.value)
            if key in first_seen:
                first = _span(first_seen[key])
                self.issues.append(LoadIssue(
                    IssueKind.DUPLICATE_KEY,
                    f"duplicate key '{key}': first defined at line {first.line}, column {first.column}; "
                    "YAML keeps only the last one",
                    _span(key_node), f"remove one of the two '{key}' keys"))
                continue
            first_seen[key] = key_node
            self.keys[(*path, key)] = key_node
            result[key] = self.build(value_node, (*path, key), depth + 1)
        for merge in merges:
            sources = merge.value if isinstance(merge, SequenceNode) else [merge]
            for source in sources:
                if not isinstance(source, MappingNode):
                    self.issues.append(LoadIssue(
                        IssueKind.INVALID_VALUE, "a merge key `<<` takes a mapping or a list of mappings",
                        _span(source)))
                    continue
                for key_node, value_node in self._merged_pairs(source, depth + 1):
                    key = str(key_node.value)
                    if isinstance(key_node, ScalarNode) and key not in result:
                        self.keys[(*path, key)] = key_node
                        result[key] = self.build(value_node, (*path, key), depth + 1)
        return result

    def _merged_pairs(self, node: MappingNode, depth: int) -> list[tuple[Node, Node]]:
        """The key/value nodes of a merge source, its own `<<` merges resolved (nearest key wins)."""
        self.visits += 1
        if depth > MAX_DEPTH or self.visits > 2 * len(self.seen) + ALIAS_ALLOWANCE:
            raise _AliasBomb(_span(node), deep=depth > MAX_DEPTH)
        pairs = [(k, v) for k, v in node.value if k.tag != _MERGE_TAG]
        present = {str(k.value) for k, _ in pairs}
        for key_node, value_node in node.value:
            if key_node.tag != _MERGE_TAG:
                continue
            sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
            for source in sources:
                if not isinstance(source, MappingNode):
                    continue
                for inner_key, inner_value in self._merged_pairs(source, depth + 1):
                    if str(inner_key.value) not in present:
                        present.add(str(inner_key.value))
                        pairs.append((inner_key, inner_value))
        return pairs


def decode(data: bytes) -> str | LoadIssue:
    """The text of a config file, or the issue that makes it unreadable (binary, not UTF-8)."""
    if b"\x00" in data:
        return LoadIssue(IssueKind.UNREADABLE_FILE, "the file is binary (it contains NUL bytes), not a YAML config",
                         START, "check the path: a kimicheck config is a UTF-8 text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return LoadIssue(IssueKind.UNREADABLE_FILE,
                         f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                         Span(line, column, line, column + 1), "save the file as UTF-8")


def load_bytes(data: bytes, path: str) -> Loaded:
    """Read a config from raw bytes (size, encoding, then YAML)."""
    if len(data) > MAX_BYTES:
        return Loaded(None, (_too_large(len(data)),))
    text = decode(data)
    if isinstance(text, LoadIssue):
        return Loaded(None, (text,))
    return load_text(text, path)


def _too_large(size: int) -> LoadIssue:
    return LoadIssue(IssueKind.UNREADABLE_FILE,
                     f"the file is larger than {MAX_BYTES // 1_048_576} MiB, the most kimicheck reads for a config",
                     START, "check the path: this is not a config file")


def load_text(text: str, path: str) -> Loaded:
    """Parse YAML text into a `Document` with positions; syntax and structure problems become issues."""
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        span = Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2) if mark else START
        what = exc.problem or exc.context or "invalid YAML"
        context = f" ({exc.context})" if exc.context and exc.problem else ""
        return Loaded(None, (LoadIssue(IssueKind.YAML_SYNTAX, f"{what}{context}", span, _syntax_hint(what)),))
    except yaml.YAMLError as exc:
        return Loaded(None, (LoadIssue(IssueKind.YAML_SYNTAX, str(exc).splitlines()[0], START),))
    except RecursionError:
        return Loaded(None, (LoadIssue(IssueKind.ALIAS_LIMIT, f"the document is nested too deeply to read "
                                       f"(more than {MAX_DEPTH} levels)", START),))
    if root is None:
        return Loaded(None, (LoadIssue(IssueKind.UNREADABLE_FILE, "the file is empty: a config needs `version: 1` "
                                       "and a list of `providers`", START,
                                       "`kimicheck schema` prints the format"),))
    builder = _Builder()
    try:
        data = builder.build(root, ())
    except _AliasBomb as bomb:
        message = (f"the document nests deeper than {MAX_DEPTH} levels" if bomb.deep
                   else "YAML aliases expand this document beyond a safe size (a \"billion laughs\" pattern)")
        return Loaded(None, (LoadIssue(IssueKind.ALIAS_LIMIT, message, bomb.span,
                                       "write the values out, or use anchors only for small repeated parts"),))
    document = Document(path=path, text=text, data=data, values=_Spans(builder.values), keys=_Spans(builder.keys),
                        implicit_scalars=builder.implicit)
    return Loaded(document, tuple(builder.issues))


def _syntax_hint(problem: str) -> str:
    if "tab" in problem:
        return "indent with spaces: YAML does not allow tabs for indentation"
    if "found character" in problem or "mapping values are not allowed" in problem:
        return "quote values that contain ': ' or start with a special character"
    if "expected" in problem and ("end" in problem or "closing" in problem or "',' or ']'" in problem):
        return "check for an unclosed quote or bracket just before this point"
    return "check the indentation and quoting just before this point"


def read_path(path: Path) -> bytes | LoadIssue | Unreadable:
    """The bytes of a config file; the issue that makes it no config (not a regular file, too large); or,
    when it cannot be opened at all, why (`files.read_file`, the one reader, at most `MAX_BYTES` + 1 bytes).
    """
    data = read_file(path, MAX_BYTES)
    if not isinstance(data, Unreadable):
        return data
    if data.problem in (ReadProblem.NOT_REGULAR, ReadProblem.DIRECTORY):
        return LoadIssue(IssueKind.UNREADABLE_FILE, "not a regular file (a device, pipe or socket), so not a config",
                         START, "check the path: a kimicheck config is a UTF-8 text file")
    if data.problem is ReadProblem.TOO_LARGE:
        return _too_large(MAX_BYTES + 1)
    return data
