"""The HTTP side of `kimicheck serve`: `/metrics` from the cached snapshot, health, readiness, reload, and
the status page, API and badges (`status_routes`).

`/metrics` renders whatever the scheduler last recorded through a private registry; it never starts a
check, so any number of scrapers cost the providers nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from prometheus_client import CollectorRegistry, generate_latest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from kimicheck.metrics.collector import SnapshotCollector
from kimicheck.metrics.snapshot import Snapshot
from kimicheck.serve.auth import BasicAuthMiddleware, Credentials
from kimicheck.serve.state import ServeState
from kimicheck.serve.status_routes import SecurityHeaders, status_routes

__all__ = ["Reload", "build_app"]

#: Every name kimicheck exports is a classic one, so the output is the widely read text format 0.0.4.
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

#: Reload the config; None when it worked, else why not.
Reload = Callable[[], Awaitable[str | None]]

def build_app(state: ServeState, reload: Reload, credentials: Credentials | None = None) -> ASGIApp:
    """The ASGI app; with `credentials`, every endpoint asks for basic auth."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(SnapshotCollector(lambda: state.snapshot))
    # A snapshot is immutable, so its exposition is rendered once and reused until the scheduler replaces it.
    rendered: list[tuple[Snapshot, bytes]] = []

    async def metrics(request: Request) -> Response:
        snapshot = state.snapshot
        if not rendered or rendered[0][0] is not snapshot:
            rendered[:] = [(snapshot, generate_latest(registry))]
        return Response(rendered[0][1], media_type=CONTENT_TYPE)

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok\n")

    async def ready(request: Request) -> Response:
        if state.ready:
            return PlainTextResponse("ready\n")
        return PlainTextResponse("not ready: the first round of checks is still running\n", status_code=503)

    async def do_reload(request: Request) -> Response:
        problem = await reload()
        if problem is None:
            return PlainTextResponse("config reloaded\n")
        return PlainTextResponse(f"config not reloaded, the old one stays in use: {problem}\n", status_code=500)

    app: ASGIApp = Starlette(
        routes=[
            *status_routes(state),
            Route("/metrics", metrics),
            Route("/healthz", healthz),
            Route("/ready", ready),
            Route("/-/reload", do_reload, methods=["POST"]),
        ]
    )
    app = SecurityHeaders(app)
    if credentials is not None:
        app = BasicAuthMiddleware(app, credentials)
    return app
