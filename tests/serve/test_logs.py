"""serve's log formatter: every record on one line with its secrets masked, the record itself untouched."""

from __future__ import annotations

import io
import logging
import re

from kimicheck.serve.logs import LOG_FORMAT, SafeFormatter, safe_handler

KEY = "sk-log-0123456789abcdefghijkl"
_STAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ")


def _record(msg: str, *args: object, exc_info: object = None) -> logging.LogRecord:
    return logging.LogRecord("kimicheck.serve", logging.WARNING, __file__, 1, msg, args, exc_info)  # type: ignore[arg-type]


def test_message_and_arguments_are_one_line_and_redacted() -> None:
    record = _record("%s failed: %s", "gw\nmodels", f"HTTP 500: \x1b[31mno {KEY}\r\nINFO forged\x1b[0m")
    shown = SafeFormatter("%(levelname)s %(message)s").format(record)
    assert shown == "WARNING gw models failed: HTTP 500: \ufffd[31mno sk-[REDACTED]  INFO forged\ufffd[0m"
    assert record.args == ("gw\nmodels", f"HTTP 500: \x1b[31mno {KEY}\r\nINFO forged\x1b[0m")


def test_a_traceback_is_sanitised_and_indented_under_its_record() -> None:
    try:
        raise ValueError(f"bad\n2030-01-01 INFO forged {KEY}\x1b[2J")
    except ValueError:
        import sys

        record = _record("check crashed", exc_info=sys.exc_info())
    lines = SafeFormatter("%(message)s").format(record).split("\n")
    assert lines[0] == "check crashed"
    assert lines[1] == "  Traceback (most recent call last):"
    assert lines[-2:] == ["  ValueError: bad", "  2030-01-01 INFO forged sk-[REDACTED]\ufffd[2J"]
    assert all(line.startswith("  ") for line in lines[1:])


def test_the_handler_writes_the_serve_format() -> None:
    stream = io.StringIO()
    logger = logging.getLogger("kimicheck.test-logs")
    logger.propagate = False
    logger.handlers = [safe_handler(stream)]
    try:
        logger.warning("a %s b", "\x1b[2J")
    finally:
        logger.handlers = []
    assert LOG_FORMAT == "%(asctime)s %(levelname)s %(message)s"
    assert _STAMP.match(stream.getvalue())
    assert stream.getvalue()[24:] == "WARNING a \ufffd[2J b\n"
