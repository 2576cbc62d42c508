"""The `kimicheck` command: parse, build, run, exit code.

Each subcommand lives in its own module under `kimicheck.commands` and is imported only when it runs,
so `kimicheck lint` never pays for the network or server stacks. A command module provides `HELP`,
`configure(parser)` and `run(args, streams) -> int`. This module is the one place that turns
exceptions into messages and exit codes: no traceback reaches a user.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol, TextIO, cast

from kimicheck import __version__
from kimicheck.commands.shared import EXIT_BROKEN_PIPE, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, Streams
from kimicheck.errors import KimicheckError

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

# the exit codes and Streams live in kimicheck.commands.shared; they stay importable from here
__all__ = ["COMMANDS", "EXIT_BROKEN_PIPE", "EXIT_FAILURE", "EXIT_OK", "EXIT_USAGE", "Streams", "main"]

#: Every subcommand, in the order `kimicheck --help` lists them: name -> (module, one-line help).
COMMANDS: dict[str, tuple[str, str]] = {
    "lint": ("kimicheck.commands.lint", "check config files offline (schema and provider mistakes)"),
    "rules": ("kimicheck.commands.rules", "list every lint rule"),
    "rule": ("kimicheck.commands.rule", "show one lint rule's documentation and examples"),
    "schema": ("kimicheck.commands.schema", "print the config's JSON Schema"),
    "probe": ("kimicheck.commands.probe", "run live checks of models, balance and chat"),
    "models": ("kimicheck.commands.models", "list the model ids a provider's key can see"),
    "balance": ("kimicheck.commands.balance", "show providers' account balance"),
    "batches": ("kimicheck.commands.batches", "list a provider's recent batches (read-only)"),
    "serve": ("kimicheck.commands.serve", "run checks on a schedule and serve Prometheus metrics"),
    "verify": ("kimicheck.commands.verify", "run K2 Vendor Verifier tool-call samples against one provider"),
    "simulate": ("kimicheck.commands.simulate", "run the Kimi-compatible API simulator"),
    "demo": ("kimicheck.commands.demo", "lint and probe a demo config against the built-in simulator"),
    "catalog": ("kimicheck.commands.catalog", "print the model catalog: ids, lifecycles, context lengths"),
}


class CommandModule(Protocol):
    """What `kimicheck.commands.<name>` provides."""

    HELP: str

    def configure(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace, streams: Streams) -> int: ...


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so usage errors go through `main`'s one exit path."""

    streams: Streams | None = None

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        if message and self.streams is not None:
            (self.streams.stderr if file is sys.stderr else self.streams.stdout).write(message)
        elif message:
            super()._print_message(message, file)

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _ArgumentError(f"{self.prog}: error: {message}\nRun '{self.prog} --help' for usage.")

    def exit(self, status: int = 0, message: str | None = None) -> None:  # type: ignore[override]
        if message:
            self._print_message(message, sys.stderr)
        raise _Exit(status)


class _ArgumentError(Exception):
    pass


class _OutputError(Exception):
    """A write to stdout failed (a full disk, an I/O error); the message is the system's reason."""


class _Output:
    """stdout, whose failed writes raise `_OutputError` (a closed pipe stays a `BrokenPipeError`, as SIGPIPE)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _OutputError(exc.strerror or type(exc).__name__) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _OutputError(exc.strerror or type(exc).__name__) from None

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


class _Exit(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def _top_help() -> str:
    width = max(len(name) for name in COMMANDS)
    lines = [
        "usage: kimicheck [--version] COMMAND [ARGS...]",
        "",
        "Lint, probe and monitor Kimi (Moonshot AI) and OpenAI-compatible provider configs.",
        "",
        "commands:",
        *(f"  {name.ljust(width)}  {help_}" for name, (_, help_) in COMMANDS.items()),
        "",
        "Run 'kimicheck COMMAND --help' for a command's options.",
    ]
    return "\n".join(lines) + "\n"


def _silence_stdout() -> None:
    """Point the process's stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def build_parser(name: str, module: CommandModule, streams: Streams | None = None) -> argparse.ArgumentParser:
    """The argument parser of one subcommand; help and usage go to `streams` when given."""
    parser = _Parser(
        prog=f"kimicheck {name}",
        description=module.HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.streams = streams
    module.configure(parser)
    return parser


def main(argv: Sequence[str] | None = None, streams: Streams | None = None) -> int:
    """Run kimicheck with `argv` (default: the process's arguments) and return the exit code."""
    given = streams or Streams()
    streams = replace(given, stdout=cast(TextIO, _Output(given.stdout)))
    args = list(sys.argv[1:] if argv is None else argv)
    name = args[0] if args else ""
    try:
        code = _run(args, streams)
        streams.stdout.flush()  # a full disk is found here at the latest, not by the interpreter at exit
        return code
    except _ArgumentError as exc:
        streams.stderr.write(f"{exc}\n")
        return EXIT_USAGE
    except _Exit as exc:
        return exc.status
    except KimicheckError as exc:
        streams.stderr.write(f"kimicheck {name}: error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        streams.stderr.write("kimicheck: interrupted\n")
        return 130
    except BrokenPipeError:
        # the reader went away (`kimicheck rules | head -1`): stop quietly, as a shell tool killed by SIGPIPE
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except _OutputError as exc:
        if given.stdout is sys.stdout:
            _silence_stdout()
        with contextlib.suppress(OSError):
            streams.stderr.write(f"kimicheck: cannot write the output: {exc}\n")
        return EXIT_USAGE
    except Exception as exc:  # the last line of defence: never a traceback
        if streams.environ.get("KIMICHECK_DEBUG"):
            raise
        streams.stderr.write(
            f"kimicheck {name}: internal error: {type(exc).__name__}. This is a bug in kimicheck; "
            "rerun with KIMICHECK_DEBUG=1 for the traceback and report it.\n"
        )
        return EXIT_USAGE


def _run(args: list[str], streams: Streams) -> int:
    """Run the command `args` asks for; what goes wrong is raised for `main` to turn into a message."""
    if not args or args[0] in {"-h", "--help", "help"}:
        streams.stdout.write(_top_help())
        return EXIT_OK if args else EXIT_USAGE
    if args[0] == "--version":
        streams.stdout.write(f"kimicheck {__version__}\n")
        return EXIT_OK
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        streams.stderr.write(f"kimicheck: error: unknown command {name!r}\n{_top_help()}")
        return EXIT_USAGE
    module = cast(CommandModule, importlib.import_module(COMMANDS[name][0]))
    # intermixed: options may stand between positionals (`kimicheck models sim --format json cfg.yaml`)
    parsed = build_parser(name, module, streams).parse_intermixed_args(rest)
    return module.run(parsed, streams)
