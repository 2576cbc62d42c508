"""Kimi model ids: the official ones, the ones that do not exist, and how each host spells them.

Which ids exist is the model catalog's fact (`kimicheck.providers.catalog`): `official_match` reads the catalog
in use, and OFFICIAL_MODEL_IDS / DEEPSEEK_MODEL_IDS are the shipped catalog's ids, kept for importers.

`ID_SPELLINGS` is the one table of host spellings: the id forms kimicheck converts between (OpenRouter,
AIMLAPI) are rows of it, so a gateway's prefix and version separator are written once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kimicheck.providers.catalog import current_catalog, shipped_catalog
from kimicheck.providers.id_keys import model_id_key
from kimicheck.providers.kinds import IdForm, Kind

__all__ = [
    "DEEPSEEK_MODEL_IDS",
    "ID_SPELLINGS",
    "NONEXISTENT_MODEL_IDS",
    "OFFICIAL_MODEL_IDS",
    "IdCorrection",
    "IdSpelling",
    "correction_for",
    "id_form",
    "model_id_key",
    "nonexistent_match",
    "official_id_of",
    "official_match",
    "spelled_by",
    "spelled_for",
    "to_aimlapi_id",
    "to_id_form",
    "to_openrouter_id",
]

#: Moonshot's official model ids in the shipped catalog, whatever their status; the live `GET /models` wins.
OFFICIAL_MODEL_IDS: tuple[str, ...] = shipped_catalog().ids(Kind.MOONSHOT)


@dataclass(frozen=True)
class IdCorrection:
    """The model id to use instead of an id no provider serves, and why that id does not exist."""

    right: str
    reason: str


#: Official-form ids that users write but that do not exist, with the id to use instead.
NONEXISTENT_MODEL_IDS: dict[str, IdCorrection] = {
    "kimi-k2.6-thinking": IdCorrection("kimi-k2.6", "thinking is a request parameter"),
}

#: DeepSeek's model ids in the shipped catalog.
DEEPSEEK_MODEL_IDS: tuple[str, ...] = shipped_catalog().ids(Kind.DEEPSEEK)

_DOTTED_VERSION = re.compile(r"\bk(\d+)\.(\d+)\b")


@dataclass(frozen=True)
class IdSpelling:
    """How one host writes Moonshot's official model ids: names the host a copied id comes from."""

    label: str
    prefix: str
    #: what stands between the major and minor version: `.` (k2.6), `-` (k2-6), `p` (k2p6)
    version_separator: str = "."
    #: `Kimi-K2.6` rather than `kimi-k2.6`
    capitalised: bool = False
    #: the id form this spelling is, when kimicheck converts ids to it (OTHER: recognised only)
    form: IdForm = IdForm.OTHER
    #: ids may end in a `:variant` (`:free`), which a conversion keeps
    variants: bool = False

    def spell(self, official_id: str) -> str:
        """`official_id` as this host writes it (`kimi-k2.6` -> `Pro/moonshotai/Kimi-K2.6`)."""
        name = _DOTTED_VERSION.sub(lambda m: f"k{m[1]}{self.version_separator}{m[2]}", official_id)
        return self.prefix + (name.title() if self.capitalised else name)

    def unspell(self, model_id: str) -> str:
        """The official spelling of an id written with this prefix (`moonshot/kimi-k2-6` -> `kimi-k2.6`)."""
        name = model_id.removeprefix(self.prefix)
        if self.variants:
            name = name.split(":", 1)[0]
        if self.version_separator == ".":
            return name
        separator = re.escape(self.version_separator)
        return re.sub(rf"\bk(\d+){separator}(\d)(?=$|-)", r"k\1.\2", name)


#: Kimi id spellings of the hosts in KNOWN_HOSTS (the first that spells an id names it).
ID_SPELLINGS: tuple[IdSpelling, ...] = (
    IdSpelling("OpenRouter", "moonshotai/", form=IdForm.OPENROUTER, variants=True),
    IdSpelling("AIMLAPI", "moonshot/", version_separator="-", form=IdForm.AIMLAPI),
    IdSpelling("SiliconFlow", "Pro/moonshotai/", capitalised=True),
    IdSpelling("Together AI", "moonshotai/", capitalised=True),
    IdSpelling("Fireworks AI", "accounts/fireworks/models/", version_separator="p"),
)

#: The spellings kimicheck converts ids to, by form, in the table's order.
_SPELLING_OF_FORM: dict[IdForm, IdSpelling] = {s.form: s for s in ID_SPELLINGS if s.form is not IdForm.OTHER}


def official_match(model_id: str) -> str | None:
    """The official Moonshot id of the catalog in use that `model_id` names in any host's spelling, or None."""
    entry = current_catalog().entry(Kind.MOONSHOT, model_id)
    return entry.id if entry is not None else None


_NONEXISTENT_BY_KEY: dict[str, str] = {model_id_key(m): m for m in NONEXISTENT_MODEL_IDS}


def nonexistent_match(model_id: str) -> str | None:
    """The id of NONEXISTENT_MODEL_IDS that `model_id` names in any host's spelling, or None.

    Unlike `correction_for`, any spelling counts (`Pro/moonshotai/Kimi-K2.6-Thinking`, `kimi-k2-6-thinking`).
    """
    return _NONEXISTENT_BY_KEY.get(model_id_key(model_id))


def id_form(model_id: str) -> IdForm:
    """Which provider's convention a Kimi model id is spelled in."""
    for spelling in _SPELLING_OF_FORM.values():
        if model_id.startswith(spelling.prefix):
            return spelling.form
    if "/" not in model_id and model_id.startswith(("kimi-", "moonshot-")):
        return IdForm.OFFICIAL
    return IdForm.OTHER


def official_id_of(model_id: str) -> str:
    """The official Moonshot spelling of a gateway id (`moonshot/kimi-k2-6` -> `kimi-k2.6`)."""
    official = official_match(model_id)
    if official is not None:
        return official
    for spelling in _SPELLING_OF_FORM.values():
        if model_id.startswith(spelling.prefix):
            return spelling.unspell(model_id)
    return model_id


def to_id_form(model_id: str, form: IdForm) -> str:
    """`model_id` spelled in `form` (OTHER leaves it as it is)."""
    if form is IdForm.OFFICIAL:
        return official_id_of(model_id)
    spelling = _SPELLING_OF_FORM.get(form)
    return model_id if spelling is None else spelling.spell(official_id_of(model_id))


def to_openrouter_id(model_id: str) -> str:
    """The OpenRouter spelling of any Kimi id (`kimi-k2.6` -> `moonshotai/kimi-k2.6`)."""
    return to_id_form(model_id, IdForm.OPENROUTER)


def to_aimlapi_id(model_id: str) -> str:
    """The AIMLAPI spelling of any Kimi id (`kimi-k2.6` -> `moonshot/kimi-k2-6`)."""
    return to_id_form(model_id, IdForm.AIMLAPI)


def spelled_by(model_id: str) -> str | None:
    """The label of the host whose spelling `model_id` is (`moonshotai/Kimi-K2.5` -> `Together AI`), or None."""
    official = official_match(model_id)
    if official is None:
        return None
    written = model_id.split(":", 1)[0]
    return next((s.label for s in ID_SPELLINGS if s.spell(official) == written), None)


def spelled_for(model_id: str, form: IdForm) -> str | None:
    """How a host of `form` writes the official model `model_id` names in any spelling (None: no known model).

    OpenRouter keeps a `:variant` suffix (`moonshotai/kimi-k2-6:free` -> `moonshotai/kimi-k2.6:free`).
    """
    official = official_match(model_id)
    if official is None:
        return None
    _, colon, variant = model_id.partition(":")
    spelled = to_id_form(official, form)
    spelling = _SPELLING_OF_FORM.get(form)
    return spelled + colon + variant if spelling is not None and spelling.variants else spelled


def correction_for(model_id: str) -> tuple[str, IdCorrection] | None:
    """`(right id, correction)` when `model_id`, in any host's spelling, is a known non-existent id.

    The right id comes back in `model_id`'s own spelling (`moonshotai/kimi-k2.6-thinking` ->
    `moonshotai/kimi-k2.6`); None for every other id.
    """
    correction = NONEXISTENT_MODEL_IDS.get(official_id_of(model_id))
    if correction is None:
        return None
    return to_id_form(correction.right, id_form(model_id)), correction
