"""`kimicheck models` shows what the catalog knows of each listed id on a given day, against the simulator."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from kimicheck.commands.models import catalog_rows, render_table
from kimicheck.probe.result import ModelsData
from kimicheck.providers import Kind, shipped_catalog
from kimicheck.sim import Account, RunningSimulator, SimState, serve_in_thread

from .clirun import kimicheck
from .test_probe_cli import ENV, KEY, write_config

LISTED = ["kimi-k2.6", "kimi-k2.5", "kimi-k2-0905-preview", "kimi-latest", "kimi-k9-preview"]
DECEMBER = date(2026, 12, 15)


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningSimulator]:
    state = SimState.default()
    state.add(Account(key=KEY, name="lifecycle", models=LISTED))
    with serve_in_thread(state, host="127.0.0.1", port=0) as running:
        yield running


def test_long_text_is_a_table_of_the_catalogs_facts_on_the_given_day(tmp_path: Path, sim: RunningSimulator) -> None:
    result = kimicheck("models", "sim", write_config(tmp_path, sim), "--long", environ=ENV, today=DECEMBER)
    assert (result.code, result.err) == (0, "")
    assert result.out == """\
moonshot model catalog as of 2026-11-29, status on 2026-12-15
ID                    STATUS          RETIRES     REPLACEMENT  CONTEXT
kimi-k2.6             active          -           -            262144
kimi-k2.5             deprecated      -           kimi-k2.6    262144
kimi-k2-0905-preview  retired         2026-05-25  kimi-k2.6    262144
kimi-latest           retired         2026-01-28  kimi-k3      131072
kimi-k9-preview       not in catalog  -           -            131072
1 listed id is not in the catalog: new models, or a catalog older than the list \
(kimicheck catalog; --catalog FILE for a newer one)
"""


def test_the_status_follows_the_day_not_the_calendar(tmp_path: Path, sim: RunningSimulator) -> None:
    result = kimicheck("models", "sim", write_config(tmp_path, sim), "-l", environ=ENV, today=date(2026, 5, 1))
    statuses = {line.split()[0]: line.split()[1] for line in result.out.splitlines()[2:7]}
    assert statuses == {"kimi-k2.6": "active", "kimi-k2.5": "active", "kimi-k2-0905-preview": "deprecated",
                        "kimi-latest": "retired", "kimi-k9-preview": "not"}


def test_a_terminal_gets_the_table_and_a_pipe_the_ids(tmp_path: Path, sim: RunningSimulator) -> None:
    path = write_config(tmp_path, sim)
    on_terminal = kimicheck("models", "sim", path, environ=ENV, tty=True, today=DECEMBER)
    assert on_terminal.out.splitlines()[0] == "moonshot model catalog as of 2026-11-29, status on 2026-12-15"
    piped = kimicheck("models", "sim", path, environ=ENV, today=DECEMBER)
    assert piped.out == "".join(f"{model_id}\n" for model_id in LISTED)


def test_long_json_adds_the_catalog_and_an_entry_per_listed_id(tmp_path: Path, sim: RunningSimulator) -> None:
    path = write_config(tmp_path, sim)
    plain = kimicheck("models", "sim", path, "--format", "json", environ=ENV, today=DECEMBER)
    assert set(json.loads(plain.out)) == {"provider", "models", "missing"}
    result = kimicheck("models", "sim", path, "--format", "json", "--long", environ=ENV, today=DECEMBER)
    assert (result.code, result.err) == (0, "")
    document = json.loads(result.out)
    assert (document["provider"], document["models"], document["missing"]) == ("sim", LISTED, [])
    assert document["catalog"] == {"as_of": "2026-11-29", "kind": "moonshot", "today": "2026-12-15"}
    assert document["entries"] == [
        {"id": "kimi-k2.6", "in_catalog": True, "status": "active", "deprecated_on": None, "retires_on": None,
         "replacement": None, "context_length": 262144, "listed_context_length": 262144},
        {"id": "kimi-k2.5", "in_catalog": True, "status": "deprecated", "deprecated_on": "2026-08-31",
         "retires_on": None, "replacement": "kimi-k2.6", "context_length": 262144, "listed_context_length": 262144},
        {"id": "kimi-k2-0905-preview", "in_catalog": True, "status": "retired", "deprecated_on": None,
         "retires_on": "2026-05-25", "replacement": "kimi-k2.6", "context_length": 262144,
         "listed_context_length": 262144},
        {"id": "kimi-latest", "in_catalog": True, "status": "retired", "deprecated_on": None,
         "retires_on": "2026-01-28", "replacement": "kimi-k3", "context_length": None,
         "listed_context_length": 131072},
        {"id": "kimi-k9-preview", "in_catalog": False, "status": None, "deprecated_on": None, "retires_on": None,
         "replacement": None, "context_length": None, "listed_context_length": 131072},
    ]


def test_a_catalog_file_that_knows_the_new_model_is_used(tmp_path: Path, sim: RunningSimulator) -> None:
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text("version: 1\nas_of: 2027-01-10\nkinds:\n  moonshot:\n    models:\n"
                       "      - {id: kimi-k9-preview, status: active, retires_on: 2027-03-01, context_length: 524288,"
                       " source: 'https://e.com', checked: 2027-01-10}\n")
    result = kimicheck("models", "sim", write_config(tmp_path, sim), "-l", "--catalog", str(catalog),
                       environ=ENV, today=date(2027, 1, 20))
    lines = result.out.splitlines()
    assert lines[0] == "moonshot model catalog as of 2027-01-10, status on 2027-01-20"
    # the in-process simulator reads the same catalog, so it lists the new length too
    assert lines[6].split() == ["kimi-k9-preview", "active", "2027-03-01", "-", "524288"]
    assert lines[-1] == ("4 listed ids are not in the catalog: new models, or a catalog older than the list "
                         "(kimicheck catalog; --catalog FILE for a newer one)")


def test_a_listed_context_length_the_catalog_contradicts_is_shown_beside_it() -> None:
    data = ModelsData(listed_count=2, listed=("kimi-k2.6", "kimi-k3"), context_lengths={"kimi-k2.6": 131072,
                                                                                        "kimi-k3": 1000})
    catalog = shipped_catalog()
    text = render_table(catalog_rows(data, catalog, Kind.MOONSHOT, DECEMBER), catalog, Kind.MOONSHOT, DECEMBER)
    assert text.splitlines()[2:] == ["kimi-k2.6  active  -        -            262144 (listed 131072)",
                                     "kimi-k3    active  -        -            1000"]


def test_a_gateway_host_is_not_described() -> None:
    data = ModelsData(listed_count=1, listed=("moonshotai/kimi-latest",))
    catalog = shipped_catalog()
    assert render_table(catalog_rows(data, catalog, None, DECEMBER), catalog, None, DECEMBER) == (
        "the model catalog does not describe this host's ids (a gateway or Kimi Code keeps its own list)\n"
        "ID                      STATUS  RETIRES  REPLACEMENT  CONTEXT\n"
        "moonshotai/kimi-latest  -       -        -            -\n")
