"""The `X-RateLimit-*` headers a simulated account's answers carry, as a scenario sets them.

    ratelimit: {requests_limit: 200, requests_remaining: 180, requests_reset: 6s, tokens_limit: 40000}

Values are sent as written (text too, so a test can send what a misbehaving provider would); with
`plain: true` the request headers are the un-suffixed `X-RateLimit-Limit`/`-Remaining`/`-Reset`. The values
do not count down: a test that wants them to change sets them on the live account.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, StrictInt, StrictStr

__all__ = ["RateLimitHeaders"]

_FIELDS = (("limit", "Limit"), ("remaining", "Remaining"), ("reset", "Reset"))


class RateLimitHeaders(BaseModel):
    """The rate-limit headers of one account; an unset field sends no header."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    requests_limit: StrictInt | StrictStr | None = None
    requests_remaining: StrictInt | StrictStr | None = None
    requests_reset: StrictStr | None = None
    tokens_limit: StrictInt | StrictStr | None = None
    tokens_remaining: StrictInt | StrictStr | None = None
    tokens_reset: StrictStr | None = None
    #: send the request headers un-suffixed (`X-RateLimit-Limit`) rather than as `X-RateLimit-Limit-Requests`
    plain: bool = False

    def headers(self) -> dict[str, str]:
        """The headers to add to an answer."""
        found: dict[str, str] = {}
        for resource, suffix in (("requests", "" if self.plain else "-Requests"), ("tokens", "-Tokens")):
            for field, word in _FIELDS:
                value = getattr(self, f"{resource}_{field}")
                if value is not None:
                    found[f"X-RateLimit-{word}{suffix}"] = str(value)
        return found
