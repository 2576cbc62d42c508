"""The project's exception tree.

Expected failures (a lint finding, a failed probe) are data, not exceptions. These exceptions are for
what stops a command as a whole: a usage mistake, a config that cannot be loaded. The CLI turns each one
into a one-line message and an exit code; no traceback reaches a user.
"""

from __future__ import annotations

__all__ = ["ConfigError", "InputError", "KimicheckError", "UsageError"]


class KimicheckError(Exception):
    """Base class of every error kimicheck reports to a user as a message."""


class UsageError(KimicheckError):
    """The command line asks for something impossible (exit code 2). Raised by the commands only."""


class InputError(KimicheckError):
    """A library call names what is not there: an unknown rule or provider, a path that does not exist or
    cannot be read, a limit below 1. The CLI reports it as it reports a `UsageError` (exit code 2)."""


class ConfigError(KimicheckError):
    """A config file cannot be read or used at all (exit code 2)."""
