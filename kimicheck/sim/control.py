"""The control API under `/_sim`: change accounts and faults, read counts and recorded requests.

Every call needs the `X-Kimicheck-Sim-Token` header with the simulator's control token; a provider key opens
nothing here. Amounts are strings (exact decimals); recorded header values that carry credentials are masked.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kimicheck.sim.accounts import Account
from kimicheck.sim.faults import Fault
from kimicheck.sim.state import RecordedRequest, SimState
from kimicheck.wire_json import decode_json

__all__ = ["CONTROL_PREFIX", "CONTROL_TOKEN_HEADER", "account_summary", "control_routes"]

CONTROL_PREFIX = "/_sim"
CONTROL_TOKEN_HEADER = "X-Kimicheck-Sim-Token"  # noqa: S105 (a header name)
_CREDENTIAL_HEADERS = frozenset({"authorization", "x-api-key", "api-key", "cookie", "proxy-authorization"})
_FAULTS = TypeAdapter(list[Fault])
_FILTERS = ("path", "account", "method", "status")


def account_summary(account: Account) -> dict[str, Any]:
    """An account as the control API shows it (everything but the key; amounts as strings)."""
    data = account.model_dump(mode="json", exclude={"key"})
    available = account.available
    data["available"] = None if available is None else str(available)
    data["currency"] = account.balance_currency
    return data


def _record(rec: RecordedRequest) -> dict[str, Any]:
    headers = {k: ("[REDACTED]" if k in _CREDENTIAL_HEADERS else v) for k, v in rec.headers.items()}
    return {"method": rec.method, "path": rec.path, "query": rec.query, "headers": headers,
            "account": rec.account, "status": rec.status, "charged": str(rec.charged)}


async def _json(request: Request) -> object:
    """The request's JSON body; ValueError when it is not JSON (nested too deeply included)."""
    return decode_json(await request.body())


def _problem(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _validation_message(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])


def control_routes(state: SimState) -> list[Route]:
    """The control API's routes over `state`."""

    def guarded(handler: Any) -> Any:
        async def endpoint(request: Request) -> Response:
            if request.headers.get(CONTROL_TOKEN_HEADER) != state.control_token:
                return _problem(403, f"the control API needs the {CONTROL_TOKEN_HEADER} header")
            try:
                result: Response = await handler(request)
            except ValidationError as exc:
                return _problem(400, _validation_message(exc))
            except ValueError:
                return _problem(400, "the request body is not valid JSON")
            return result

        return endpoint

    def filters(request: Request) -> dict[str, Any]:
        chosen: dict[str, Any] = {k: request.query_params[k] for k in _FILTERS if k in request.query_params}
        if "status" in chosen:
            chosen["status"] = int(chosen["status"])
        return chosen

    async def list_accounts(request: Request) -> Response:
        return JSONResponse([account_summary(a) for a in list(state.accounts.values())])

    async def create_account(request: Request) -> Response:
        account = Account.model_validate(await _json(request))
        state.add(account)
        return JSONResponse(account_summary(account), status_code=201)

    async def update_account(request: Request) -> Response:
        account = state.by_name(request.path_params["name"])
        if account is None:
            return _problem(404, "no such account")
        changes = await _json(request)
        if not isinstance(changes, dict) or "key" in changes:
            return _problem(400, "send a JSON object of account fields (the key cannot change)")
        Account.model_validate({**account.model_dump(), **changes})
        for name, value in changes.items():
            setattr(account, name, value)
        return JSONResponse(account_summary(account))

    async def set_faults(request: Request) -> Response:
        state.faults = _FAULTS.validate_python(await _json(request))
        return JSONResponse({"faults": len(state.faults)})

    async def read_requests(request: Request) -> Response:
        return JSONResponse([_record(r) for r in state.select(**filters(request))])

    async def clear_requests(request: Request) -> Response:
        state.clear_requests()
        return JSONResponse({"count": 0})

    async def count(request: Request) -> Response:
        return JSONResponse({"count": state.count(**filters(request))})

    return [
        Route("/accounts", guarded(list_accounts), methods=["GET"]),
        Route("/accounts", guarded(create_account), methods=["POST"]),
        Route("/accounts/{name}", guarded(update_account), methods=["PATCH"]),
        Route("/faults", guarded(set_faults), methods=["PUT"]),
        Route("/requests", guarded(read_requests), methods=["GET"]),
        Route("/requests", guarded(clear_requests), methods=["DELETE"]),
        Route("/counts", guarded(count), methods=["GET"]),
    ]
