"""serve's log records, each one line with its secrets masked, whatever its message or arguments hold.

Log messages quote provider text (error details, model ids): a provider could put terminal escapes or a line
break into them to forge a record, or echo a key. The formatter passes every record through the one redactor
and the one sanitiser, so no log call has to remember to.

`--log-format json` writes each record as one JSON object per line instead, with the stable keys `ts`,
`level`, `logger` and `msg`, then any fields the log call passed in `extra` (those not None), then `exc`
(a traceback) where present. Its text goes through the same redactor; the sanitiser is not needed there, since the JSON
encoder writes every control, format and non-ASCII character as a `\\u` escape: a line break or an ESC
in a provider's message stays in the data, visible to whoever reads it, and can neither end the line nor
reach a terminal.
"""

from __future__ import annotations

import json
import logging
import math
from datetime import UTC, datetime
from types import TracebackType
from typing import TextIO

from kimicheck.secrets import redact
from kimicheck.terminal import one_line

__all__ = ["JSON_KEYS", "LOG_FORMAT", "LOG_FORMATS", "JsonFormatter", "SafeFormatter", "safe_handler"]

LOG_FORMAT = "%(asctime)s %(levelname)s %(message)s"
#: the values of `--log-format`
LOG_FORMATS = ("text", "json")
#: the keys every JSON record starts with, in this order
JSON_KEYS = ("ts", "level", "logger", "msg")
#: keys an `extra` field cannot take: one of that name is written as `extra_<name>`
_RESERVED = frozenset({*JSON_KEYS, "exc", "stack"})
#: what every LogRecord has: anything else on a record came from a log call's `extra`
_RECORD_ATTRIBUTES = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}
_ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]


def _safe(text: str) -> str:
    return one_line(redact(text))


def _indented(text: str) -> str:
    """A traceback or stack, each line sanitised and indented, so no line of it can pass for a record."""
    return "\n".join(f"  {_safe(line)}" for line in text.splitlines())


class SafeFormatter(logging.Formatter):
    """A formatter whose message (format string and arguments alike) is redacted and on one line, and whose
    tracebacks are redacted, sanitised line by line and indented under their record."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one safe line (plus an indented traceback); `record` itself is left unchanged."""
        shown = logging.makeLogRecord(record.__dict__)
        shown.msg, shown.args = _safe(record.getMessage()), None
        shown.exc_text = None  # formatted below from exc_info, never a cached raw copy
        return super().format(shown)

    def formatException(self, ei: _ExcInfo) -> str:
        """The traceback, sanitised and indented."""
        return _indented(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        """The stack, sanitised and indented."""
        return _indented(super().formatStack(stack_info))


def _field(value: object) -> object:
    """An `extra` value as JSON shows it: finite numbers and booleans as they are, anything else (NaN and
    infinities included, which JSON cannot hold) as redacted text."""
    if isinstance(value, bool | int) or (isinstance(value, float) and math.isfinite(value)):
        return value
    return redact(str(value))


class JsonFormatter(logging.Formatter):
    """A formatter writing each record as one JSON object on one line, its text redacted (see the module)."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON; `record` itself is left unchanged."""
        shown: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace(
                "+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "msg": redact(record.getMessage()),
        }
        for name, value in sorted(record.__dict__.items()):
            if name not in _RECORD_ATTRIBUTES and not name.startswith("_") and value is not None:
                shown[f"extra_{name}" if name in _RESERVED else name] = _field(value)
        if record.exc_info:
            shown["exc"] = redact(self.formatException(record.exc_info))
        if record.stack_info:
            shown["stack"] = redact(self.formatStack(record.stack_info))
        return json.dumps(shown, ensure_ascii=True, allow_nan=False)


def safe_handler(stream: TextIO, log_format: str = "text") -> logging.Handler:
    """A handler writing records to `stream`: `LOG_FORMAT` lines through `SafeFormatter`, or with
    `log_format="json"` one object a line through `JsonFormatter`."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if log_format == "json" else SafeFormatter(LOG_FORMAT))
    return handler
