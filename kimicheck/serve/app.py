"""The HTTP side of `kimicheck serve`: `/metrics` from the cached snapshot, health, readiness, reload, and
the status page, API and badges (`status_routes`).

`/metrics` renders whatever the scheduler last recorded (and the process's own metrics); it never starts a
check, so any number of scrapers cost the providers nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from kimicheck.serve.auth import BasicAuthMiddleware, Credentials
from kimicheck.serve.debug_view import debug_routes
from kimicheck.serve.scrape import MetricsPage
from kimicheck.serve.state import ServeState
from kimicheck.serve.status_routes import SecurityHeaders, status_routes

__all__ = ["Reload", "build_app"]

#: Every name kimicheck exports is a classic one, so the output is the widely read text format 0.0.4.
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

#: Reload the config; None when it worked, else why not.
Reload = Callable[[], Awaitable[str | None]]

def build_app(state: ServeState, reload: Reload, credentials: Credentials | None = None) -> ASGIApp:
    """The ASGI app; with `credentials`, every endpoint asks for basic auth."""
    page = MetricsPage(lambda: state.snapshot)

    async def metrics(request: Request) -> Response:
        return Response(page.render(), media_type=CONTENT_TYPE)

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
            *debug_routes(state),
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
