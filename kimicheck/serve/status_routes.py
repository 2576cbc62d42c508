"""The human and embeddable side of `kimicheck serve`: the page, `/api/v1/status`, badges, static files.

Every handler only reads what the scheduler recorded in the state: none of them can start a check, so no
request to kimicheck ever calls (or spends at) a provider. `SecurityHeaders` adds the Content-Security-Policy
(no script, styles only from kimicheck itself) and friends to every answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kimicheck.serve.badges import balance_badge, state_badge
from kimicheck.serve.page import STATIC_FILES, render_page, static_file
from kimicheck.serve.scheduler import scheduled_checks
from kimicheck.serve.state import ServeState
from kimicheck.serve.status import StatusInputs, status_document

__all__ = ["CSP", "SecurityHeaders", "status_inputs", "status_routes"]

CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; frame-ancestors 'none'; " \
      "base-uri 'none'; form-action 'none'"
_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
_BADGE_CACHE = "max-age=60, must-revalidate"


class SecurityHeaders:
    """Adds the CSP and the other hardening headers to every response of `app`."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, adding the headers to the response's start."""
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *_HEADERS]
            await send(message)

        await self._app(scope, receive, with_headers)


def status_inputs(state: ServeState, now: float) -> StatusInputs:
    """What the status document of a running `serve` is built from."""
    providers = state.loaded.config.providers
    return StatusInputs(
        snapshot=state.snapshot, now=now, history=state.history,
        scheduled={p.name: tuple(scheduled_checks(p)) for p in providers},
        next_run_at=dict(state.next_run_at), spend=dict(state.spend),
    )


def _provider_of(document: dict[str, object], name: str) -> dict[str, object] | None:
    providers = document["providers"]
    assert isinstance(providers, list)
    return next((p for p in providers if p["name"] == name), None)


def status_routes(state: ServeState, clock: Callable[[], float] = time.time) -> list[Route]:
    """The routes of the page, the status API, the badges and the static files."""

    def document() -> dict[str, object]:
        return status_document(status_inputs(state, clock()))

    async def page(request: Request) -> Response:
        return HTMLResponse(render_page(document()), headers={"Cache-Control": "no-store"})

    async def api(request: Request) -> Response:
        return JSONResponse(document(), headers={"Cache-Control": "no-store"})

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC_FILES:
            return Response("not found\n", status_code=404, media_type="text/plain")
        return Response(static_file(name), media_type=STATIC_FILES[name],
                        headers={"Cache-Control": "max-age=300"})

    def badge(render: Callable[[dict[str, object]], str]) -> Callable[[Request], object]:
        async def handler(request: Request) -> Response:
            provider = _provider_of(document(), request.path_params["provider"])
            if provider is None:
                return Response("no such provider\n", status_code=404, media_type="text/plain")
            return Response(render(provider), media_type="image/svg+xml",
                            headers={"Cache-Control": _BADGE_CACHE})
        return handler

    return [
        Route("/", page),
        Route("/api/v1/status", api),
        Route("/static/{name}", static),
        Route("/badge/{provider}.svg", badge(state_badge)),
        Route("/badge/{provider}/balance.svg", badge(balance_badge)),
    ]

