"""Run `kimicheck` in-process with captured streams, as the command tests need it."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from kimicheck.cli import Streams, main


class TtyStringIO(io.StringIO):
    """A captured stdout that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


def kimicheck(*argv: str, stdin: str | bytes = "", environ: Mapping[str, str] | None = None,
              tty: bool = False, today: date | None = None) -> Result:
    """Run `kimicheck ARGV...`; bytes on stdin arrive through `stdin.buffer`, as in a real process; `today`
    fixes the day model lifecycles are judged on."""
    stdin_stream: io.TextIOBase
    if isinstance(stdin, bytes):
        stdin_stream = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    else:
        stdin_stream = io.StringIO(stdin)
    out = TtyStringIO() if tty else io.StringIO()
    err = io.StringIO()
    streams = Streams(stdin=stdin_stream, stdout=out, stderr=err, environ=dict(environ or {}))  # type: ignore[arg-type]
    if today is not None:
        streams.today = lambda: today
    code = main(list(argv), streams)
    return Result(code, out.getvalue(), err.getvalue())
