"""What an error answer's body says, whatever envelope the provider wraps it in. Pure.

Providers answer errors in several shapes, each read here into one `ErrorBody`:

- the OpenAI-style envelope `{"error": {"type", "code", "message", "metadata"}}` (Moonshot, OpenRouter, DeepSeek):
  the API itself answered, so the path exists and something in the request or the account is wrong;
- Moonshot's flat answer to a path it does not serve, `{"code": 5, "error": "url.not_found", "message": ...,
  "status": false, ...}`, and other bodies whose `error` is a string;
- AIMLAPI's flat `{"message", "path", "requestId", "statusCode", "timestamp"}`;
- anything else: an HTML page, plain text, an empty body (a web server or CDN answered, not the API).
"""

from __future__ import annotations

from dataclasses import dataclass

from kimicheck.wire_json import decode_json

__all__ = ["ErrorBody", "read_error_body"]


@dataclass(frozen=True)
class ErrorBody:
    """The fields of an error answer that classification reads."""

    #: `error.type`, else a string `error.code`, else the string `error` of a flat body that has a `message`.
    type: str | None = None
    #: a string `error.code` (OpenAI and Azure name the specific cause there: `model_not_found`, `content_filter`).
    code: str | None = None
    message: str = ""
    #: the API's own `{"error": {...}}` object: the API understood the path.
    envelope: bool = False
    #: a moderation verdict: OpenRouter puts `reasons` and `flagged_input` into `error.metadata`.
    flagged: bool = False


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _from_envelope(error: dict[str, object]) -> ErrorBody:
    error_type, code = _text(error.get("type")), _text(error.get("code"))
    metadata = error.get("metadata")
    flagged = isinstance(metadata, dict) and ("flagged_input" in metadata or "reasons" in metadata)
    return ErrorBody(
        type=error_type or code, code=code, message=_text(error.get("message")) or "", envelope=True, flagged=flagged
    )


def read_error_body(body: bytes) -> ErrorBody:
    """The `ErrorBody` of an answer outside 2xx; an empty one when the body is not JSON."""
    try:
        data = decode_json(body)
    except ValueError:
        return ErrorBody()
    if not isinstance(data, dict):
        return ErrorBody()
    error = data.get("error")
    if isinstance(error, dict):
        return _from_envelope(error)
    message = _text(data.get("message"))
    if isinstance(error, str):
        # Moonshot's flat answer names its cause in `error` and explains it in `message`
        return ErrorBody(type=error, message=message) if message is not None else ErrorBody(message=error)
    return ErrorBody(message=message or "")
