"""The simulator's ASGI app: records each request, applies faults, authenticates, answers in a dialect.

Provider paths come from `routes.ROUTES`; `/_sim/...` is the control API (see `control`), which provider
keys never open.
"""

from __future__ import annotations

import asyncio
from functools import partial

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.types import Message, Receive, Scope, Send

from kimicheck.providers import Kind
from kimicheck.sim import routes
from kimicheck.sim.accounts import Account, default_models
from kimicheck.sim.control import CONTROL_PREFIX, control_routes
from kimicheck.sim.dialects import DIALECTS, Dialect
from kimicheck.sim.dialects.openrouter import OpenRouterDialect
from kimicheck.sim.fault_responses import (
    RAW_SEND_SCOPE_KEY,
    fault_response,
    post_fault_response,
    stream_fault_response,
    transforms,
)
from kimicheck.sim.faults import MODEL_KINDS, STREAM_KINDS, Fault, choose_faults
from kimicheck.sim.handlers import error_response, real_response
from kimicheck.sim.state import RecordedRequest, SimState

__all__ = ["SimApp"]

_RECORD_SCOPE_KEY = "kimicheck.sim.record"
_BEARER = "bearer "


def _bearer(headers: dict[str, str]) -> str | None:
    value = headers.get("authorization", "")
    if not value.lower().startswith(_BEARER):
        return None
    return value[len(_BEARER):].strip() or None


async def _not_found(request: Request, exc: Exception) -> Response:
    body = DIALECTS[Kind.MOONSHOT].unknown_path(
        request.method, request.url.path, request.headers.get("user-agent", "")
    )
    return JSONResponse(body, status_code=404)


async def _not_allowed(request: Request, exc: Exception) -> Response:
    return error_response(DIALECTS[Kind.MOONSHOT], 405, "invalid_request_error", "method not allowed")


class SimApp:
    """An ASGI application serving one `SimState`."""

    def __init__(self, state: SimState) -> None:
        self.state = state
        #: set when the server shuts down, so hanging and dripping responses end.
        self.stopping = False
        provider_routes = [
            Route(r.path, partial(self._handle, r), methods=[r.method]) for r in routes.ROUTES
        ]
        self._app = Starlette(
            routes=[Mount(CONTROL_PREFIX, routes=control_routes(state)), *provider_routes],
            exception_handlers={404: _not_found, 405: _not_allowed},
        )

    def is_stopping(self) -> bool:
        """True once the server is shutting down."""
        return self.stopping

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(CONTROL_PREFIX):
            await self._app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        record = RecordedRequest(
            method=scope["method"],
            path=scope["path"],
            query=scope.get("query_string", b"").decode("latin-1"),
            headers=headers,
            key=_bearer(headers),
        )
        self.state.requests.append(record)
        scope[RAW_SEND_SCOPE_KEY] = send
        scope[_RECORD_SCOPE_KEY] = record

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                record.status = message["status"]
            await send(message)

        await self._app(scope, receive, recording_send)

    def _account(self, route: routes.Route, record: RecordedRequest) -> Account | None:
        if record.key is None:
            return None
        if route.management:  # only a management key reads an account's credits
            account = self.state.by_management_key(record.key)
        else:
            account = self.state.lookup(record.key, route.kinds[0])
        if account is not None:
            record.account = account.name
        return account

    async def _handle(self, route: routes.Route, request: Request) -> Response:
        record: RecordedRequest = request.scope[_RECORD_SCOPE_KEY]
        account = self._account(route, record)
        response = await self._answer(route, request, record, account)
        if account is not None and account.ratelimit is not None and account.kind in route.kinds:
            response.headers.update(account.ratelimit.headers())
        return response

    async def _answer(self, route: routes.Route, request: Request, record: RecordedRequest,
                      account: Account | None) -> Response:
        serves = account is not None and account.kind in route.kinds
        dialect: Dialect = DIALECTS[account.kind if account is not None and serves else route.kinds[0]]
        # an account's own faults follow its key only to its own provider's paths
        faults = [*self.state.faults, *(account.faults if account is not None and serves else ())]
        latency, fault = choose_faults(faults, route.endpoint, self.state.rng)
        if latency:
            await asyncio.sleep(latency)
        if fault is not None and not transforms(fault, dialect):
            return fault_response(fault, dialect, self.is_stopping)
        if account is None or not serves or account.revoked:
            if route.public:
                return self._public_models(dialect)
            if route.management and record.key in self.state.accounts:
                return error_response(dialect, 403, "permission_denied_error",
                                      "Only management keys can fetch credits")
            return error_response(dialect, 401, "invalid_authentication_error", dialect.unauthorized_message)
        flaw = fault.kind if fault is not None and fault.kind in MODEL_KINDS else None
        if route.management and isinstance(dialect, OpenRouterDialect):
            real: Response = JSONResponse(dialect.credits(account))
        else:
            real = await real_response(route.endpoint, request, account, dialect, record, flaw)
        return self._transformed(fault, real)

    def _transformed(self, fault: Fault | None, real: Response) -> Response:
        """The real response as a transforming fault (if any) reworks it."""
        if fault is None or fault.kind in MODEL_KINDS:
            return real
        if fault.kind in STREAM_KINDS:
            return stream_fault_response(fault, real, self.is_stopping)
        return post_fault_response(fault, real, self.is_stopping)

    def _public_models(self, dialect: Dialect) -> Response:
        """A public `/models` without a usable key: every model the kind's accounts see, or its defaults."""
        seen: dict[str, None] = {}
        for account in list(self.state.accounts.values()):
            if account.kind is dialect.kind:
                seen.update(dict.fromkeys(account.visible_models))
        model_ids = list(seen) or default_models(dialect.kind)
        return JSONResponse(dialect.models(model_ids, None))
