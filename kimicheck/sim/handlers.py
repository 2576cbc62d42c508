"""The real (fault-free) answers of each endpoint, for an authenticated account."""

from __future__ import annotations

import time
import uuid

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response

from kimicheck.sim.accounts import Account
from kimicheck.sim.batches import batch_list, file_list, find_batch
from kimicheck.sim.chat import complete, parse_chat_request
from kimicheck.sim.chat_request import refusal
from kimicheck.sim.dialects import Dialect
from kimicheck.sim.faults import Endpoint, FaultKind
from kimicheck.sim.sse import StreamOptions, sse_response
from kimicheck.sim.state import RecordedRequest
from kimicheck.wire_json import decode_json

__all__ = ["error_response", "real_response"]



def error_response(dialect: Dialect, status: int, error_type: str, message: str) -> Response:
    """A provider error in `dialect`'s envelope."""
    return JSONResponse(dialect.error(status, error_type, message), status_code=status)


async def real_response(
    endpoint: Endpoint, request: Request, account: Account, dialect: Dialect, record: RecordedRequest,
    flaw: FaultKind | None = None,
) -> Response:
    """What the provider answers an authenticated request; `flaw`, a model fault, changes what a chat says."""
    if endpoint is Endpoint.MODELS:
        return JSONResponse(dialect.models(account.visible_models, account))
    if endpoint is Endpoint.BALANCE:
        return JSONResponse(dialect.balance(account))
    if endpoint is Endpoint.CHAT:
        return await _chat(request, account, dialect, record, flaw)
    return _batch_api(endpoint, request, account, dialect)


def _batch_api(endpoint: Endpoint, request: Request, account: Account, dialect: Dialect) -> Response:
    """`/v1/files`, `/v1/batches` (both with `limit`/`after`) and `/v1/batches/{id}`."""
    book, now = account.batch_api, time.time()
    limit, after = request.query_params.get("limit"), request.query_params.get("after")
    if endpoint is Endpoint.FILES:
        return JSONResponse(file_list(account.name, book, now, limit, after))
    batch_id = request.path_params.get("batch_id")
    if batch_id is None:
        return JSONResponse(batch_list(account.name, book, now, limit, after))
    found = find_batch(account.name, book, now, batch_id)
    if found is None:
        return error_response(dialect, 404, "resource_not_found_error", f"batch {batch_id} not found")
    return JSONResponse(found)


async def _chat(
    request: Request, account: Account, dialect: Dialect, record: RecordedRequest, flaw: FaultKind | None
) -> Response:
    try:
        body = decode_json(await request.body())
    except ClientDisconnect:
        # the client gave up (a probe's timeout) before sending its body: nothing to answer, nothing charged
        return Response(status_code=499)
    except ValueError:
        return error_response(dialect, 400, "invalid_request_error", "the request body is not valid JSON")
    parsed = parse_chat_request(body)
    if isinstance(parsed, str):
        return error_response(dialect, 400, "invalid_request_error", parsed)
    if parsed.model not in account.visible_models:
        return error_response(
            dialect, 404, "resource_not_found_error", f"Not found the model {parsed.model} or Permission denied"
        )
    refused = refusal(parsed, account.kind)
    if refused is not None:
        return error_response(dialect, 400, "invalid_request_error", refused)
    if account.out_of_money:
        body = dialect.out_of_money_body(account, request.url.path)
        return JSONResponse(body, status_code=dialect.out_of_money[0])
    if not account.admit_chat(time.monotonic()):
        return error_response(dialect, 429, "rate_limit_reached_error", dialect.rate_limited_message(account))
    completion = complete(parsed, flaw)
    cost = completion.cost(account.price_per_token)
    account.charge(cost)
    record.charged = cost
    # the ids real answers carry in 2026 (kimi-api-facts, corrections 2026-11)
    completion_id, created = f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time())
    if parsed.stream:
        options = StreamOptions(parsed.include_usage, flaw is not FaultKind.STREAM_WITHOUT_USAGE)
        return sse_response(dialect, completion, parsed.model, completion_id, created, options)
    return JSONResponse(dialect.chat(completion, parsed.model, completion_id, created))
