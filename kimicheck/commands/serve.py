"""`kimicheck serve`: run each check on its interval and serve the cached results as Prometheus metrics."""

from __future__ import annotations

import argparse
import asyncio
import logging
from pathlib import Path
from typing import TextIO

from kimicheck.commands.shared import (
    CONFIG_ENV,
    DEFAULT_CONFIG_PATH,
    EXIT_OK,
    Streams,
    add_catalog_option,
    apply_catalog,
    config_path,
    split_host_port,
)
from kimicheck.errors import ConfigError, UsageError
from kimicheck.serve.logs import LOG_FORMATS

__all__ = ["DEFAULT_LISTEN", "HELP", "configure", "parse_listen", "run"]

DEFAULT_LISTEN = "127.0.0.1:9961"

HELP = f"""\
Run every check of every provider on its configured interval (models and balance every 5 minutes, chat
every hour by default) and serve the latest results on /metrics. A scrape never calls a provider.
Chat checks stop for the day once the provider's daily_token_budget is spent, and while its balance is
critical; both count in kimicheck_probe_skipped_total.

Without CONFIG, reads ${CONFIG_ENV}, or {DEFAULT_CONFIG_PATH}. The config must pass `kimicheck lint`.

endpoints: /metrics, /healthz, /ready (200 after the first round of checks), POST /-/reload
signals:   SIGHUP reloads the config (a broken one is refused and the old one kept; only checks whose
           settings changed restart, so reloading an unchanged config calls no provider);
           SIGTERM and SIGINT stop within a few seconds, cancelling checks in flight.

exit codes:
  0  stopped by SIGTERM or SIGINT
  2  the config, the web config or the listen address cannot be used"""


def configure(parser: argparse.ArgumentParser) -> None:
    """The options of `kimicheck serve`."""
    parser.add_argument("config", nargs="?", metavar="CONFIG", help="the config file")
    add_catalog_option(parser)
    parser.add_argument(
        "--listen",
        default=DEFAULT_LISTEN,
        metavar="HOST:PORT",
        help=f"where to serve (default {DEFAULT_LISTEN}; port 0 picks a free port)",
    )
    parser.add_argument(
        "--web-config",
        type=Path,
        metavar="FILE",
        help="TLS and basic auth settings, in the Prometheus exporter-toolkit web config format",
    )
    parser.add_argument(
        "--max-connections",
        type=_positive_int,
        metavar="N",
        help="connections kept open at once (default: from the open-files limit, 16 to 1024); at the limit a "
        "new connection replaces the one that has waited longest for its request",
    )
    parser.add_argument("--log-level", choices=["debug", "info", "warning", "error"], default="info",
                        help="what to log on stderr (default: info)")
    parser.add_argument("--log-format", choices=LOG_FORMATS, default=LOG_FORMATS[0],
                        help="text: one line a record (default); json: one JSON object a line, with the keys ts, "
                        "level, logger and msg, then any fields of the record")


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}")
    return number


def parse_listen(value: str) -> tuple[str, int]:
    """`HOST:PORT` (IPv6 in brackets) as a host and a port; UsageError when it is neither."""
    address = split_host_port(value)
    if address is None:
        raise UsageError(f"--listen {value!r}: expected HOST:PORT, e.g. {DEFAULT_LISTEN}")
    return address


def _setup_logging(stream: TextIO, level: str, log_format: str) -> None:
    from kimicheck.serve.logs import safe_handler

    handler = safe_handler(stream, log_format)
    logger = logging.getLogger("kimicheck")
    logger.handlers = [handler]
    logger.setLevel(level.upper())
    logger.propagate = False
    # uvicorn's own warnings (a malformed request, say) would otherwise reach stderr raw, through logging's
    # last-resort handler: one format for every line, redacted like the rest
    server = logging.getLogger("uvicorn")
    server.handlers = [handler]
    server.propagate = False


def run(args: argparse.Namespace, streams: Streams) -> int:
    """Serve until SIGTERM or SIGINT."""
    apply_catalog(args, streams)
    from kimicheck.asgi import bind_socket
    from kimicheck.conn_guard import ConnectionLimits, default_max_connections
    from kimicheck.net import is_loopback_host
    from kimicheck.probe.runner import run_check
    from kimicheck.serve.loading import LoadFailure, load_config
    from kimicheck.serve.server import ServeOptions, serve
    from kimicheck.serve.web_config import WebConfig, load_web_config

    host, port = parse_listen(args.listen)
    path = Path(config_path(args.config, streams.environ))
    loaded = load_config(path)
    if isinstance(loaded, LoadFailure):
        raise ConfigError(loaded.message)
    web_config = load_web_config(args.web_config) if args.web_config else WebConfig()
    limits = ConnectionLimits(args.max_connections or default_max_connections())
    options = ServeOptions(config_path=path, web_config=web_config, environ=streams.environ, limits=limits)
    _setup_logging(streams.stderr, args.log_level, args.log_format)
    log = logging.getLogger("kimicheck.serve")
    try:
        sock = bind_socket(host, port)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port} ({exc.strerror or type(exc).__name__})") from None

    def listening(url: str) -> None:
        checks = "auth" if web_config.basic_auth_users else "no auth"
        count = len(loaded.config.providers)
        log.info(
            "listening on %s (%s, config %s: %d provider%s)",
            url, checks, path, count, "" if count == 1 else "s",
        )
        if args.web_config and web_config.protects_nothing:
            log.warning(
                "web config %s sets neither tls_server_config nor basic_auth_users: serving plain HTTP "
                "without auth", args.web_config,
            )
        if not web_config.basic_auth_users and not is_loopback_host(host):
            log.warning(
                "listening on %s without basic auth: anyone who reaches this address can read the metrics "
                "and ask for a reload; set basic_auth_users in a --web-config file", host,
            )

    try:
        asyncio.run(serve(options, loaded, sock, run_check, on_listening=listening))
    finally:
        sock.close()
    log.info("stopped")
    return EXIT_OK
