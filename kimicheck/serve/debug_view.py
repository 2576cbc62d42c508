"""The debug view, `GET /checks/{provider}/{check}`: the last exchange of one check as it was recorded.

Like blackbox_exporter's debug output: the request line and headers (the key masked), the answer's status,
headers and the first few KiB of its body, redacted, and the timings httpx's trace reported. It reads what
the scheduler's probes recorded (`ServeState.exchanges`) and nothing else, so a visit never calls a
provider. HTML by default; JSON with `?format=json` or an `Accept` header that asks for JSON and not HTML.
Keys of the JSON are added, never renamed.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from kimicheck.metrics.snapshot import CheckKey
from kimicheck.probe.exchange import BodyHead, Exchange
from kimicheck.probe.result import Check
from kimicheck.serve.page import render_exchange
from kimicheck.serve.scheduler import scheduled_checks
from kimicheck.serve.state import ServeState

__all__ = ["DEBUG_SCHEMA_VERSION", "debug_document", "debug_routes", "wants_json"]

DEBUG_SCHEMA_VERSION = 1
_NOTES = {
    "recorded": "the last request of this check and what came back, as recorded when it ran; this view never "
                "calls a provider. A chat check keeps the last request of whichever model it asked last.",
    "not_scheduled": "this check is not scheduled for this provider (chat runs only for models with chat: true)",
    "not_run": "this check has not run yet since kimicheck started: nothing recorded",
    "no_request": "this check ran without sending a request (its key could not be read, or the spend guard "
                  "skipped it): nothing recorded",
}


def _body(head: BodyHead | None) -> dict[str, object]:
    if head is None:
        return {"body": None, "body_bytes": None, "body_truncated": False}
    return {"body": head.text, "body_bytes": head.size, "body_truncated": head.truncated}


def _exchange(exchange: Exchange) -> dict[str, object]:
    response = None if exchange.status_code is None else {
        "status_code": exchange.status_code,
        "reason_phrase": exchange.reason_phrase,
        "http_version": exchange.http_version,
        "headers": [list(pair) for pair in exchange.response_headers],
        **_body(exchange.response_body),
    }
    timings = exchange.timings
    return {
        "at": exchange.at,
        "model": exchange.model,
        "request": {"method": exchange.method, "url": exchange.url,
                    "headers": [list(pair) for pair in exchange.request_headers], **_body(exchange.request_body)},
        "response": response,
        "error": None if exchange.error_reason is None else {"reason": exchange.error_reason,
                                                               "detail": exchange.error_detail},
        "timings": {"connect_seconds": timings.connect, "tls_seconds": timings.tls,
                    "first_byte_seconds": timings.first_byte, "total_seconds": timings.total},
        "connection_reused": exchange.connection_reused,
    }


def debug_document(key: CheckKey, *, scheduled: bool, ran: bool, exchange: Exchange | None) -> dict[str, object]:
    """The debug view of check `key` as JSON-ready data."""
    if exchange is not None:
        note = "recorded"
    else:
        note = "not_scheduled" if not scheduled else ("no_request" if ran else "not_run")
    return {
        "schema_version": DEBUG_SCHEMA_VERSION,
        "provider": key[0],
        "check": str(key[1]),
        "scheduled": scheduled,
        "recorded": exchange is not None,
        "status": note,
        "note": _NOTES[note],
        "exchange": None if exchange is None else _exchange(exchange),
    }


def wants_json(request: Request) -> bool:
    """`?format=json`, or an Accept header naming JSON and not HTML (`?format=html` wins over Accept)."""
    wanted = request.query_params.get("format")
    if wanted is not None:
        return wanted == "json"
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def debug_routes(state: ServeState) -> list[Route]:
    """The debug view's route."""

    async def view(request: Request) -> Response:
        name, check_name = request.path_params["provider"], request.path_params["check"]
        provider = next((p for p in state.loaded.config.providers if p.name == name), None)
        if provider is None or check_name not in {str(c) for c in Check}:
            return Response("no such provider or check\n", status_code=404, media_type="text/plain")
        key = (name, Check(check_name))
        document = debug_document(key, scheduled=key[1] in scheduled_checks(provider),
                                  ran=state.history.latest(key) is not None, exchange=state.exchanges.last(key))
        headers = {"Cache-Control": "no-store", "Vary": "Accept"}
        if wants_json(request):
            return JSONResponse(document, headers=headers)
        return HTMLResponse(render_exchange(document), headers=headers)

    return [Route("/checks/{provider}/{check}", view)]
