"""Running `kimicheck serve`: the socket, uvicorn, the scheduler, signals and reload, on one event loop.

SIGTERM and SIGINT stop it: in-flight probes are cancelled at once and open connections get a short grace
period, so it exits within a few seconds. SIGHUP and `POST /-/reload` reload the config; a config that
fails to load or lint keeps the old one running and sets `kimicheck_config_last_reload_successful 0`.
Clients must send a request (and finish a TLS handshake) within seconds, and open connections are capped
(see `kimicheck.conn_guard`).
"""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
import ssl
import time
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn
from starlette.types import ASGIApp

from kimicheck.asgi import CallerSignalsServer, uvicorn_config
from kimicheck.conn_guard import ConnectionLimits, default_max_connections, install_accept_error_log
from kimicheck.errors import ConfigError
from kimicheck.probe.http import build_client
from kimicheck.probe.limits import DEFAULT_CONCURRENCY
from kimicheck.serve.app import build_app
from kimicheck.serve.auth import Credentials
from kimicheck.serve.loading import UsableConfig
from kimicheck.serve.reload import ConfigReloader, initial_state
from kimicheck.serve.scheduler import RunCheck, Scheduler
from kimicheck.serve.web_config import WebConfig

__all__ = ["ServeOptions", "serve"]

log = logging.getLogger("kimicheck.serve")

_GRACE_SECONDS = 2
_STARTUP_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class ServeOptions:
    """What `kimicheck serve` was asked to do."""

    config_path: Path
    web_config: WebConfig
    environ: Mapping[str, str]
    limits: ConnectionLimits = field(default_factory=lambda: ConnectionLimits(default_max_connections()))


def _uvicorn_config(app: ASGIApp, web: WebConfig, limits: ConnectionLimits) -> uvicorn.Config:
    tls = web.tls_server_config
    config = uvicorn_config(
        app,
        grace_seconds=_GRACE_SECONDS,
        limits=limits,
        ssl_certfile=str(tls.cert_file) if tls else None,
        ssl_keyfile=str(tls.key_file) if tls else None,
        ssl_ca_certs=str(tls.client_ca_file) if tls and tls.client_ca_file else None,
        ssl_cert_reqs=tls.client_auth_type.cert_reqs if tls else ssl.CERT_NONE,
    )
    try:
        config.load()
    except (ssl.SSLError, OSError) as exc:
        raise ConfigError(f"the TLS certificate or key cannot be used ({exc})") from None
    return config


class _Signals:
    """SIGTERM and SIGINT stop the server and the scheduler; SIGHUP reloads. Handlers start tasks, tracked here."""

    def __init__(self, server: uvicorn.Server, scheduler: Scheduler, reloader: ConfigReloader) -> None:
        self._server = server
        self._scheduler = scheduler
        self._reloader = reloader
        self._background: set[asyncio.Task[object]] = set()

    def install(self, loop: asyncio.AbstractEventLoop) -> None:
        """Handle the signals on `loop` (the main thread's)."""
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, self._stop, signum)
        loop.add_signal_handler(signal.SIGHUP, lambda: self._spawn(self._reloader.reload()))

    def uninstall(self, loop: asyncio.AbstractEventLoop) -> None:
        """Stop handling the signals."""
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            loop.remove_signal_handler(signum)

    async def drain(self) -> None:
        """Wait for what the handlers started."""
        if self._background:
            await asyncio.gather(*self._background, return_exceptions=True)

    def _spawn(self, coro: Coroutine[object, object, object]) -> None:
        task = asyncio.ensure_future(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def _stop(self, signum: signal.Signals) -> None:
        log.info("%s: stopping", signum.name)
        self._server.should_exit = True
        self._spawn(self._scheduler.stop())


async def _serve_socket(server: uvicorn.Server, sock: socket.socket, scheme: str,
                        on_listening: Callable[[str], None]) -> None:
    """Serve on `sock` until the server exits, calling `on_listening` with its URL once it accepts."""
    server_task = asyncio.create_task(server.serve(sockets=[sock]))
    deadline = time.monotonic() + _STARTUP_TIMEOUT_SECONDS
    while not server.started and not server_task.done() and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    if server.started:
        host, port = sock.getsockname()[:2]
        on_listening(f"{scheme}://{f'[{host}]' if ':' in host else host}:{port}")
    await server_task


async def serve(
    options: ServeOptions,
    loaded: UsableConfig,
    sock: socket.socket,
    run_check: RunCheck,
    *,
    on_listening: Callable[[str], None] = lambda url: None,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> None:
    """Run the exporter on `sock` until SIGTERM or SIGINT (must run on the main thread's event loop)."""
    loop = asyncio.get_running_loop()
    install_accept_error_log(loop)
    state = initial_state(loaded, time.time())
    async with build_client(max_connections=concurrency, environ=options.environ) as client:
        scheduler = Scheduler(state, client, run_check, environ=options.environ, concurrency=concurrency)
        reloader = ConfigReloader(options.config_path, state, scheduler.reschedule)
        users = options.web_config.basic_auth_users
        credentials = Credentials(users) if users else None
        app = build_app(state, reloader.reload, credentials)
        config = _uvicorn_config(app, options.web_config, options.limits)
        server = CallerSignalsServer(config, handshake_timeout=options.limits.handshake_timeout)
        signals = _Signals(server, scheduler, reloader)
        signals.install(loop)
        try:
            scheduler.start()
            scheme = "https" if options.web_config.tls_server_config else "http"
            await _serve_socket(server, sock, scheme, on_listening)
        finally:
            signals.uninstall(loop)
            await scheduler.stop()
            await signals.drain()
            if credentials is not None:
                credentials.close()
