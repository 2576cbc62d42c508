"""Running `kimicheck serve`: the socket, uvicorn, the scheduler, signals and reload, on one event loop.

SIGTERM and SIGINT stop it: in-flight probes are cancelled at once and open connections get a short grace
period, so it exits within a few seconds. SIGHUP and `POST /-/reload` reload the config; a config that
fails to load or lint keeps the old one running and sets `kimicheck_config_last_reload_successful 0`.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
import ssl
import time
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from starlette.types import ASGIApp

from kimicheck.asgi import CallerSignalsServer, uvicorn_config
from kimicheck.errors import ConfigError
from kimicheck.metrics.snapshot import Snapshot, record_reload
from kimicheck.probe.runner import build_client
from kimicheck.serve.app import build_app
from kimicheck.serve.auth import Credentials
from kimicheck.serve.loading import Loaded, LoadFailure, load_config
from kimicheck.serve.scheduler import DEFAULT_CONCURRENCY, RunCheck, Scheduler
from kimicheck.serve.state import ServeState
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


def _uvicorn_config(app: ASGIApp, web: WebConfig) -> uvicorn.Config:
    tls = web.tls_server_config
    config = uvicorn_config(
        app,
        grace_seconds=_GRACE_SECONDS,
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


async def serve(
    options: ServeOptions,
    loaded: Loaded,
    sock: socket.socket,
    run_check: RunCheck,
    *,
    on_listening: Callable[[str], None] = lambda url: None,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> None:
    """Run the exporter on `sock` until SIGTERM or SIGINT (must run on the main thread's event loop)."""
    loop = asyncio.get_running_loop()
    state = ServeState(
        loaded=loaded,
        snapshot=record_reload(Snapshot(loaded.config, loaded.sha256), successful=True, now=time.time()),
    )
    reload_lock = asyncio.Lock()
    background: set[asyncio.Task[object]] = set()

    async with build_client(max_connections=concurrency) as client:
        scheduler = Scheduler(state, client, run_check, environ=options.environ, concurrency=concurrency)

        async def reload() -> str | None:
            async with reload_lock:
                outcome = load_config(options.config_path)
                if isinstance(outcome, LoadFailure):
                    state.snapshot = record_reload(state.snapshot, successful=False, now=time.time())
                    log.error("config reload failed, the old config stays in use: %s", outcome.message)
                    return outcome.message
                await scheduler.reschedule(outcome)
                state.snapshot = record_reload(state.snapshot, successful=True, now=time.time())
                log.info("config reloaded: %d providers, sha256 %s", len(outcome.config.providers), outcome.sha256)
                return None

        users = options.web_config.basic_auth_users
        credentials = Credentials(users) if users else None
        app = build_app(state, reload, credentials)
        server = CallerSignalsServer(_uvicorn_config(app, options.web_config))

        def spawn(coro: Coroutine[object, object, object]) -> None:
            task = asyncio.ensure_future(coro)
            background.add(task)
            task.add_done_callback(background.discard)

        def stop(signum: signal.Signals) -> None:
            log.info("%s: stopping", signum.name)
            server.should_exit = True
            spawn(scheduler.stop())

        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop, signum)
        loop.add_signal_handler(signal.SIGHUP, lambda: spawn(reload()))
        try:
            scheduler.start()
            server_task = asyncio.create_task(server.serve(sockets=[sock]))
            deadline = time.monotonic() + _STARTUP_TIMEOUT_SECONDS
            while not server.started and not server_task.done() and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
            if server.started:
                host, port = sock.getsockname()[:2]
                scheme = "https" if options.web_config.tls_server_config else "http"
                on_listening(f"{scheme}://{f'[{host}]' if ':' in host else host}:{port}")
            await server_task
        finally:
            for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
                loop.remove_signal_handler(signum)
            await scheduler.stop()
            if background:
                await asyncio.gather(*background, return_exceptions=True)
            if credentials is not None:
                credentials.close()
