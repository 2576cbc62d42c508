"""serve's log records, each one line with its secrets masked, whatever its message or arguments hold.

Log messages quote provider text (error details, model ids): a provider could put terminal escapes or a line
break into them to forge a record, or echo a key. The formatter passes every record through the one redactor
and the one sanitiser, so no log call has to remember to.
"""

from __future__ import annotations

import logging
from types import TracebackType
from typing import TextIO

from kimicheck.secrets import redact
from kimicheck.terminal import one_line

__all__ = ["LOG_FORMAT", "SafeFormatter", "safe_handler"]

LOG_FORMAT = "%(asctime)s %(levelname)s %(message)s"
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


def safe_handler(stream: TextIO) -> logging.Handler:
    """A handler writing `LOG_FORMAT` records to `stream` through `SafeFormatter`."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(SafeFormatter(LOG_FORMAT))
    return handler
