"""The config format, version 1, as pydantic models.

These models are the contract users write against: every boundary forbids unknown keys, and the JSON
Schema published in `configs/` is generated from them (`kimicheck schema`). A model only checks what one
value can tell; rules that relate values to provider knowledge live in `kimicheck.lint.rules`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    WithJsonSchema,
)

from kimicheck.durations import DURATION_PATTERN, parse_duration
from kimicheck.providers import Kind

__all__ = [
    "LITERAL_KEY_FIELDS",
    "LITERAL_MANAGEMENT_KEY_FIELDS",
    "PROVIDER_NAME_PATTERN",
    "Balance",
    "BatchSettings",
    "ChatSettings",
    "Config",
    "Defaults",
    "Duration",
    "Intervals",
    "ModelEntry",
    "Provider",
]

#: Provider keys that would hold the API key itself: no model has them, and the linter reports them
#: as `literal-api-key` rather than as unknown keys.
LITERAL_KEY_FIELDS = ("api_key", "key", "token", "apikey")
#: The same for the OpenRouter management key.
LITERAL_MANAGEMENT_KEY_FIELDS = ("management_key",)
PROVIDER_NAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,62}$"
CURRENCY_PATTERN = r"^[A-Z]{3}$"

Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": DURATION_PATTERN},
                {"type": "number", "exclusiveMinimum": 0},
            ],
            "description": 'A duration: "500ms", "10s", "5m", "1h", "1d", or a number of seconds.',
        }
    ),
]


def _exact_decimal(value: object) -> object:
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, bool):
        raise ValueError("an amount is a number, not a boolean")
    if isinstance(value, str):
        raise ValueError(f"an amount must be a number, not the text {value!r}")
    return value


Amount = Annotated[
    Decimal,
    BeforeValidator(_exact_decimal),
    WithJsonSchema({"type": "number", "description": "An amount in the account currency."}),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Intervals(_Strict):
    """How often `kimicheck serve` runs each check."""

    models: Duration | None = Field(default=None, description="Interval of the free `models` check.")
    balance: Duration | None = Field(default=None, description="Interval of the free `balance` check.")
    chat: Duration | None = Field(default=None, description="Interval of the paid `chat` check.")
    stream: Duration | None = Field(default=None, description="Interval of the paid `stream` check.")
    tools: Duration | None = Field(default=None, description="Interval of the paid `tools` check.")
    json_mode: Duration | None = Field(default=None, alias="json", description="Interval of the paid `json` check.")
    batch: Duration | None = Field(default=None, description="Interval of the free, opt-in `batch` check.")


class ChatSettings(_Strict):
    """Limits of the paid chat probe."""

    max_tokens: StrictInt | None = Field(
        default=None, ge=1, le=4096, description="Completion cap of one chat probe (tokens)."
    )
    daily_token_budget: StrictInt | None = Field(
        default=None,
        ge=0,
        description="Most tokens `kimicheck serve` may spend on chat probes per provider per day.",
    )
    ttft_warn_above: Duration | None = Field(
        default=None,
        description="A `stream` probe whose first token takes longer is a warning (`slow`).",
    )


class Defaults(_Strict):
    """Settings every provider inherits unless it overrides them."""

    timeout: Duration = Field(default=10.0, description="Total time one probe request may take.")
    # the defaults are valid by construction: building their models' validators for them would only
    # slow down every `kimicheck lint` whose file has no `defaults:`
    intervals: Intervals = Field(
        default_factory=lambda: Intervals.model_construct(models=300.0, balance=300.0, chat=3600.0),
        description="How often `kimicheck serve` runs each check.",
    )
    chat: ChatSettings = Field(
        default_factory=lambda: ChatSettings.model_construct(max_tokens=16, daily_token_budget=2000),
        description="Limits of the paid chat probe.",
    )


#: a model id written as a plain string: never empty, as in a `ModelEntry`
ModelId = Annotated[StrictStr, Field(min_length=1)]


class ModelEntry(_Strict):
    """A model id with per-model probe settings."""

    id: StrictStr = Field(min_length=1, description="The model id exactly as the provider lists it.")
    chat: StrictBool = Field(
        default=False, description="Also send a minimal paid chat completion to this model."
    )
    max_tokens: StrictInt | None = Field(
        default=None, ge=1, le=4096,
        description="Completion cap of this model's paid probes (default: by the model's thinking nature).",
    )
    stream: StrictBool = Field(
        default=False, description="Also send a paid streamed completion and measure its time to first token."
    )
    tools: StrictBool = Field(
        default=False, description="Also send a paid completion with a tool and judge the tool call's arguments."
    )
    # `json` is BaseModel's own method name, so the attribute has another
    json_mode: StrictBool = Field(
        default=False, alias="json", description="Also send a paid completion in JSON mode and judge its JSON."
    )

    def wants(self, check: str) -> bool:
        """Whether this model is configured for the paid `check` (chat, stream, tools or json)."""
        return bool({"chat": self.chat, "stream": self.stream, "tools": self.tools, "json": self.json_mode}[check])


class Balance(_Strict):
    """Balance thresholds, in the account currency."""

    warn_below: Amount | None = Field(default=None, description="Warn when the available balance is below.")
    critical_below: Amount | None = Field(
        default=None, description="Critical when the available balance is below."
    )
    currency: StrictStr | None = Field(
        default=None,
        pattern=CURRENCY_PATTERN,
        description="ISO 4217 code; optional where the kind or host implies it.",
    )


class BatchSettings(_Strict):
    """What the `batch` check counts as trouble (setting any of these turns the check on)."""

    window: Duration = Field(default=86400.0, description="Look at batches created this long ago at most.")
    failed_share: float = Field(
        default=0.5, gt=0, le=1, description="A completed batch whose failed requests are above this share "
        "of its total ended badly.",
    )
    expiry_margin: Duration = Field(
        default=3600.0, description="An unfinished batch this close to its `expires_at` is about to expire.",
    )


class Provider(_Strict):
    """One API endpoint with its key, models and thresholds."""

    name: StrictStr = Field(
        pattern=PROVIDER_NAME_PATTERN, description="Unique name; becomes the `provider` metric label."
    )
    kind: Kind = Field(description="Which API dialect the host speaks.")
    base_url: StrictStr = Field(description="The OpenAI SDK base_url, e.g. https://api.moonshot.ai/v1.")
    api_key_env: StrictStr | None = Field(
        default=None, description="Name of the environment variable that holds the key."
    )
    api_key_file: StrictStr | None = Field(
        default=None, description="Path of a file that holds the key (e.g. a mounted secret)."
    )
    management_key_env: StrictStr | None = Field(
        default=None,
        description="OpenRouter only: the environment variable that holds a management key, with which the "
        "balance check also reads the account's credits.",
    )
    management_key_file: StrictStr | None = Field(
        default=None, description="OpenRouter only: path of a file that holds the management key."
    )
    # a lambda, not `list`: pydantic reads a factory's signature, and a builtin's costs lint ~2 ms to parse
    models: list[ModelId | ModelEntry] = Field(
        default_factory=lambda: [], description="Model ids to check: a string, or a mapping with settings."
    )
    balance: Balance | None = Field(default=None, description="Balance thresholds.")
    timeout: Duration | None = Field(default=None, description="Overrides `defaults.timeout`.")
    intervals: Intervals | None = Field(default=None, description="Overrides `defaults.intervals`.")
    chat: ChatSettings | None = Field(default=None, description="Overrides `defaults.chat`.")
    batch: StrictBool | BatchSettings = Field(
        default=False, description="Run the free `batch` check (Moonshot's batch and file lists): true, or "
        "its settings.",
    )

    @property
    def has_management_key(self) -> bool:
        """Whether a management key source is configured (OpenRouter account credits)."""
        return self.management_key_env is not None or self.management_key_file is not None

    def model_entries(self) -> list[ModelEntry]:
        """Every configured model as a `ModelEntry` (plain strings become `chat: false`)."""
        return [ModelEntry(id=m) if isinstance(m, str) else m for m in self.models]


class Config(_Strict):
    """A kimicheck config file (version 1)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        defer_build=True,
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    version: Literal[1] = Field(description="Config format version; only 1 exists.")
    defaults: Defaults = Field(default_factory=Defaults, description="Settings every provider inherits.")
    providers: list[Provider] = Field(min_length=1, description="The providers to lint and probe.")

    def effective_timeout(self, provider: Provider) -> float:
        """The provider's timeout in seconds, after defaults."""
        return provider.timeout if provider.timeout is not None else self.defaults.timeout

    def effective_interval(self, provider: Provider, check: str) -> float:
        """The provider's interval for `check` (a check name: "models", "balance", "chat", ...) in seconds."""
        attribute = "json_mode" if check == "json" else check
        own = getattr(provider.intervals, attribute, None) if provider.intervals else None
        if own is not None:
            return float(own)
        default = getattr(self.defaults.intervals, attribute, None)
        # the paid checks all default like chat; batch is free and as frequent as models
        fallback = {"models": 300.0, "balance": 300.0, "batch": 300.0}.get(check, 3600.0)
        return float(default) if default is not None else fallback

    def effective_batch(self, provider: Provider) -> BatchSettings | None:
        """The provider's batch check settings, or None when the check is off."""
        if isinstance(provider.batch, BatchSettings):
            return provider.batch
        return BatchSettings() if provider.batch else None

    def effective_chat(self, provider: Provider) -> ChatSettings:
        """The provider's chat settings with unset fields taken from defaults."""
        base = self.defaults.chat
        own = provider.chat or ChatSettings()
        return ChatSettings(
            max_tokens=own.max_tokens or base.max_tokens or 16,
            daily_token_budget=(
                own.daily_token_budget if own.daily_token_budget is not None
                else base.daily_token_budget if base.daily_token_budget is not None else 2000
            ),
            ttft_warn_above=own.ttft_warn_above if own.ttft_warn_above is not None else base.ttft_warn_above,
        )
