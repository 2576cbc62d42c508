"""KC410: the free `batch` check turned on for a provider whose kind has no batch and file list endpoints."""

from __future__ import annotations

from collections.abc import Iterator

from kimicheck.lint.finding import Severity
from kimicheck.lint.rule import LintContext, Problem, Rule
from kimicheck.lint.rules._common import provider_path
from kimicheck.providers import KIND_PROFILES, Kind

__all__ = ["RULES"]


def _template(kind: str = "moonshot", url: str = "https://api.moonshot.ai/v1", batch: str = "true") -> str:
    env = "MOONSHOT_API_KEY" if kind == "moonshot" else "LLM_API_KEY"
    return (
        "version: 1\nproviders:\n"
        f"  - name: kimi\n    kind: {kind}\n    base_url: {url}\n    api_key_env: {env}\n"
        f"    models: [kimi-k2.6]\n    batch: {batch}\n"
    )


def batch_kinds() -> str:
    """The kinds that have batch endpoints, as a message names them (from the provider knowledge)."""
    kinds = [kind.value for kind in Kind if KIND_PROFILES[kind].batch_api is not None]
    return f"only kind {kinds[0]} has" if len(kinds) == 1 else f"only kinds {', '.join(kinds)} have"


def check_batch_supported(ctx: LintContext) -> Iterator[Problem]:
    """`batch` on (true or settings) for a kind whose profile lists no batch and file endpoints."""
    for index, provider in ctx.providers:
        if provider.batch is False or KIND_PROFILES[provider.kind].batch_api is not None:
            continue
        yield Problem(
            f"kind {provider.kind.value} has no batch and file list endpoints: the batch check would report "
            "unsupported on every run",
            where=provider_path(index, "batch"),
            hint=f"remove batch ({batch_kinds()} the endpoints; set that kind if the host is one)",
            on_key=True,
        )


BATCH_NOT_SUPPORTED = Rule(
    id="KC410",
    name="batch-not-supported",
    severity=Severity.ERROR,
    summary="the batch check on a kind without batch and file list endpoints",
    doc="The `batch` check reads the account's batch and file lists (`GET /v1/batches`, `GET /v1/files`), "
    "which only some kinds have (moonshot today; the provider knowledge in `providers/kinds.py` says "
    "which). On any other kind the check could never read anything. Fix: remove `batch`, or set the "
    "provider's real kind when the host is one that has the endpoints.",
    fail_example=_template(kind="openai-compatible", url="https://llm.example.com/v1"),
    pass_example=_template(),
    check=check_batch_supported,
)

RULES: tuple[Rule, ...] = (BATCH_NOT_SUPPORTED,)
