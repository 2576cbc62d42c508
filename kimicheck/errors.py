"""The project's exception tree: every exception class kimicheck defines, in one place.

Expected failures (a lint finding, a failed probe) are data, not exceptions. These exceptions are for
what stops a command as a whole: a usage mistake, a config that cannot be loaded. The CLI turns each one
into a one-line message and an exit code; no traceback reaches a user.

    KimicheckError                 base: the CLI prints "kimicheck COMMAND: error: MESSAGE", exit code 2
      UsageError                   the command line asks for something impossible
      InputError                   a library call names what is not there (an unknown rule or provider,
                                   a missing path, a limit below 1); reported as a UsageError is
      ConfigError                  a config file cannot be read or used at all
        ScenarioError              (kimicheck.sim.scenario) a simulator scenario that cannot be loaded
      TextfileError                (kimicheck.metrics.textfile) the metrics textfile cannot be written
      PushError                    (kimicheck.metrics.push) the Pushgateway was not reached or refused

TextfileError and PushError are caught where probe results are exported: the results are still shown,
and the message is reported next to them.

Deliberately outside the tree, because none of them may ever reach a user as a command's error:

    ProbeError                     (kimicheck.probe.errors) one probe request failed for a known reason;
                                   raised only inside the probe package, where the runner turns it into
                                   a ProbeResult with a bounded reason
      BrokenBody                   (kimicheck.probe.http) a ProbeError: the status and headers came but
                                   the body broke off (a stream cut mid-way); `stream_broken`
    KeyUnavailable                 (kimicheck.secrets) a provider's key cannot be read; becomes an
                                   `auth_failed` result of that provider alone, never a failed command
    UnusableProxyError             (kimicheck.proxies) an httpx.ConnectError: a request would need a proxy
                                   kimicheck cannot use; becomes a `connect_error` result, or a PushError
    NestedTooDeeply                (kimicheck.wire_json) a ValueError: JSON from a provider or a client
                                   nested deeper than the decoder follows; becomes `invalid_response`,
                                   or a 400 from the simulator
    OutOfTime                      (kimicheck.lookalike) a "did you mean" lookup passed its deadline;
                                   the models check answers without suggestions
    _AliasBomb                     (kimicheck.config.loader) private: unwinds the YAML walk, becomes a
                                   load issue
    _ArgumentError, _Exit          (kimicheck.cli) private: argparse's errors and exits, as exit codes
    _OutputError                   (kimicheck.cli) private: a failed write to stdout (a full disk), reported
                                   as "kimicheck: cannot write the output: REASON", exit code 2

Were one of these a KimicheckError, a handler meant for a command's errors could swallow it and turn a
per-provider result into a failed command (or a bug into a plausible message).
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
