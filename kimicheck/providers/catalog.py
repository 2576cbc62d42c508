"""The model catalog: which model ids each provider kind's own hosts serve, and each id's lifecycle.

The facts are data, `kimicheck/data/catalog.yaml`, shipped in the package: every entry names its `source` and
the day it was `checked`, and the catalog as a whole its `as_of` date. This module is the catalog's validated
shape and the one function per fact every layer calls:

- `Catalog.entry(kind, model_id)`: what the catalog knows of an id, in any host's spelling;
- `Catalog.ids(kind)` / `Catalog.active_ids(kind)`: the ids of a kind, in the file's order;
- `lifecycle(entry, today)`: the status of an id on a date (whatever compares with today takes `today`);
- `retiring_within(entry, today, days)`: whether an id's retirement date is that close.

Users may replace the shipped catalog (`--catalog FILE`, `KIMICHECK_CATALOG`): the config layer reads such a
file with positions (`kimicheck.config.catalog_file`), and the command line makes it the process's catalog
with `use_catalog`, which `current_catalog` then returns. The live `GET /models` wins over any catalog.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from kimicheck.providers.id_keys import model_id_key
from kimicheck.providers.kinds import Kind

__all__ = [
    "SHIPPED_CATALOG",
    "Catalog",
    "CatalogEntry",
    "KindCatalog",
    "Status",
    "Thinking",
    "current_catalog",
    "lifecycle",
    "retiring_within",
    "shipped_catalog",
    "use_catalog",
]

#: The catalog shipped in the package.
SHIPPED_CATALOG = Path(__file__).resolve().parents[1] / "data" / "catalog.yaml"

try:
    _LOADER: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _LOADER = yaml.SafeLoader


class Status(StrEnum):
    """Where a model id stands in its lifecycle."""

    ACTIVE = "active"
    DEPRECATED = "deprecated"
    RETIRED = "retired"


class Thinking(StrEnum):
    """Whether a model reasons before it answers: always, when asked (optional), or never."""

    ALWAYS = "always"
    OPTIONAL = "optional"
    NEVER = "never"


class CatalogEntry(BaseModel):
    """One model id of a kind, with its lifecycle and what its API fixes. Dates only where a source states them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, pattern=r"^\S+$")
    #: the status as of the catalog's `as_of` date; `lifecycle()` gives the status on any date
    status: Status
    deprecated_on: date | None = None
    retires_on: date | None = None
    #: the id of the same kind to move to
    replacement: str | None = None
    context_length: int | None = Field(default=None, ge=1)
    thinking: Thinking | None = None
    #: request parameters the API fixes (other values get 400), e.g. {temperature: 1, n: 1}
    fixed_params: dict[str, int | float] | None = None
    #: rumours and contested facts: never a date or a status, so never an error
    note: str = ""
    source: str = Field(pattern=r"^https?://\S+$")
    checked: date

    @model_validator(mode="after")
    def _dates_in_order(self) -> CatalogEntry:
        if self.deprecated_on and self.retires_on and self.retires_on < self.deprecated_on:
            raise ValueError(f"{self.id}: retires_on ({self.retires_on}) is before deprecated_on "
                             f"({self.deprecated_on})")
        if self.replacement is not None and model_id_key(self.replacement) == model_id_key(self.id):
            raise ValueError(f"{self.id}: the replacement is the model itself")
        return self


class KindCatalog(BaseModel):
    """The model ids one provider kind's own hosts serve, in the order the catalog lists them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    models: list[CatalogEntry]

    @model_validator(mode="after")
    def _ids_unique_and_replacements_known(self) -> KindCatalog:
        keys = [model_id_key(entry.id) for entry in self.models]
        repeated = sorted({entry.id for entry, key in zip(self.models, keys, strict=True) if keys.count(key) > 1})
        if repeated:
            raise ValueError(f"model ids listed twice: {', '.join(repeated)}")
        unknown = [e.id for e in self.models if e.replacement is not None and model_id_key(e.replacement) not in keys]
        if unknown:
            raise ValueError(f"the replacement of {', '.join(unknown)} is not a model id of this kind")
        return self


class Catalog(BaseModel):
    """The whole catalog: its format version, the date its facts were gathered, and the models per kind."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1]
    as_of: date
    kinds: dict[Kind, KindCatalog]
    _by_key: dict[Kind, dict[str, CatalogEntry]] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: object, /) -> None:
        """Index every kind's entries by the key all spellings of an id share."""
        self._by_key = {kind: {model_id_key(e.id): e for e in catalog.models} for kind, catalog in self.kinds.items()}

    def entry(self, kind: Kind, model_id: str) -> CatalogEntry | None:
        """What the catalog knows of `model_id` (in any host's spelling) among `kind`'s ids, or None."""
        return self._by_key.get(kind, {}).get(model_id_key(model_id))

    def find(self, model_id: str) -> tuple[Kind, CatalogEntry] | None:
        """(kind, entry) of the first kind that lists `model_id` in any spelling, or None."""
        for kind in self.kinds:
            found = self.entry(kind, model_id)
            if found is not None:
                return kind, found
        return None

    def entries(self, kind: Kind) -> tuple[CatalogEntry, ...]:
        """Every entry of `kind`, in the catalog's order (none for a kind it does not list)."""
        listed = self.kinds.get(kind)
        return tuple(listed.models) if listed is not None else ()

    def ids(self, kind: Kind) -> tuple[str, ...]:
        """Every model id of `kind`, whatever its status, in the catalog's order."""
        return tuple(entry.id for entry in self.entries(kind))

    def active_ids(self, kind: Kind) -> tuple[str, ...]:
        """The ids of `kind` whose status is `active` (as of the catalog's `as_of`), in the catalog's order."""
        return tuple(entry.id for entry in self.entries(kind) if entry.status is Status.ACTIVE)

    def lifecycle(self, entry: CatalogEntry, today: date) -> Status:
        """The status of `entry` on `today` (see `lifecycle`)."""
        return lifecycle(entry, today)


def lifecycle(entry: CatalogEntry, today: date) -> Status:
    """The status of a catalog entry on `today`.

    Retired from `retires_on` on (before it, an id the catalog calls retired is deprecated: its end is
    announced); deprecated from `deprecated_on` on, or whenever the catalog says so without a date; else active.
    """
    if entry.retires_on is not None:
        if entry.retires_on <= today:
            return Status.RETIRED
        if entry.status is Status.RETIRED:
            return Status.DEPRECATED
    elif entry.status is Status.RETIRED:
        return Status.RETIRED
    if entry.deprecated_on is not None:
        return Status.DEPRECATED if entry.deprecated_on <= today else Status.ACTIVE
    return entry.status


def retiring_within(entry: CatalogEntry, today: date, days: int) -> bool:
    """Whether `entry` has a retirement date after `today` and at most `days` days away."""
    return entry.retires_on is not None and today < entry.retires_on <= today + timedelta(days=days)


@functools.cache
def shipped_catalog() -> Catalog:
    """The catalog shipped in the package, read once (its validity is guarded by the test suite)."""
    text = SHIPPED_CATALOG.read_text(encoding="utf-8")
    return Catalog.model_validate(yaml.load(text, Loader=_LOADER))  # noqa: S506 - a safe loader


_in_use: list[Catalog] = []


def use_catalog(catalog: Catalog | None) -> None:
    """Make `catalog` the process's catalog (None: the shipped one again). Only the command line calls this,
    once, for `--catalog` / `KIMICHECK_CATALOG`; everything else reads `current_catalog()`."""
    _in_use[:] = [] if catalog is None else [catalog]


def current_catalog() -> Catalog:
    """The catalog in use: the one the command line chose, else the shipped one."""
    return _in_use[0] if _in_use else shipped_catalog()
