"""serve's log formatters: every record on one line with its secrets masked, the record itself untouched, as
text or as one JSON object."""

from __future__ import annotations

import io
import json
import logging
import re
import sys

from kimicheck.serve.logs import JSON_KEYS, LOG_FORMAT, JsonFormatter, SafeFormatter, safe_handler

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


# --log-format json: one object a line, stable keys, the same redaction, escapes kept as JSON escapes

_TS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def test_a_json_record_has_the_stable_keys_then_the_extra_fields() -> None:
    record = _record("%s failed: %s", "gw", f"no {KEY}")
    record.__dict__.update(provider="gw", check="models", attempts=2, ratio=0.5, ok=False, model=None,
                           level="shadowed", nan=float("nan"), detail=f"echo {KEY}")
    line = JsonFormatter().format(record)
    assert "\n" not in line and KEY not in line
    shown = json.loads(line)
    assert tuple(shown)[:4] == JSON_KEYS == ("ts", "level", "logger", "msg")
    assert _TS.fullmatch(shown["ts"])
    assert shown == {
        "ts": shown["ts"], "level": "WARNING", "logger": "kimicheck.serve", "msg": "gw failed: no sk-[REDACTED]",
        "attempts": 2, "check": "models", "detail": "echo sk-[REDACTED]", "extra_level": "shadowed", "nan": "nan",
        "ok": False, "provider": "gw", "ratio": 0.5,
    }


def test_a_json_record_keeps_escapes_as_json_escapes_and_ascii_only() -> None:
    message = f"\x1b[31mred\r\n2030-01-01 INFO forged\u2028\u202e\x85\x9b {KEY}"
    line = JsonFormatter().format(_record("%s", message))
    assert line.isascii() and line.isprintable()
    assert "\\u001b[31mred\\r\\n2030-01-01 INFO forged\\u2028\\u202e\\u0085\\u009b sk-[REDACTED]" in line
    assert json.loads(line)["msg"] == message.replace(KEY, "sk-[REDACTED]")


def test_a_json_record_carries_its_traceback_redacted() -> None:
    try:
        raise ValueError(f"bad\n{KEY}\x1b[2J")
    except ValueError:
        record = _record("check crashed", exc_info=sys.exc_info())
    line = JsonFormatter().format(record)
    assert "\n" not in line and KEY not in line
    exc = json.loads(line)["exc"]
    assert exc.startswith("Traceback (most recent call last):\n")
    assert exc.endswith("ValueError: bad\nsk-[REDACTED]\x1b[2J")
