"""The registry of national (central) agencies: ``graph/registries/national-agencies.csv``.

Read straight from the CSV, so the checks hold whatever the loader does with it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from plankg.graph.iris import NATIONAL, SKOS
from plankg.graph.paths import ontology_dir, registries_dir

COLUMNS = ["key", "division", "name_zh", "name_en", "kind", "parent", "aliases", "source"]
KIND_SCHEME = URIRef("https://w3id.org/plankg/id/agency-kind")
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"

# Collective phrases printed in agency brackets that name no single department.
COLLECTIVES = {"各省级人民政府", "各有关省级人民政府", "各有关部门和单位", "有关部门"}
# Generic local short names begin with these (县发改局, 市商务局); a national name should not.
LOCAL_PREFIX = re.compile(r"^[县市省区镇乡]")
# ... except this one, which State Council documents print for 国家市场监督管理总局.
LOCAL_PREFIX_EXCEPTIONS = {"市场监管总局"}


def _read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    text = registries_dir().joinpath(name).read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return _read("national-agencies.csv")[1]


def _names(row: dict[str, str]) -> list[str]:
    return [row["name_zh"], *(a for a in row["aliases"].split("|") if a)]


def _name_index(rows: list[dict[str, str]]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for row in rows:
        for name in dict.fromkeys(_names(row)):
            index.setdefault(name, []).append(row["key"])
    return index


def test_columns_are_those_of_the_agency_registry():
    assert _read("national-agencies.csv")[0] == COLUMNS
    assert _read("agencies.csv")[0] == COLUMNS


def test_every_row_is_national_and_no_local_file_row_is(rows):
    assert rows and {r["division"] for r in rows} == {NATIONAL}
    assert all(r["division"] != NATIONAL for r in _read("agencies.csv")[1])


def test_keys_are_unique_lowercase_ascii(rows):
    keys = [r["key"] for r in rows]
    assert len(keys) == len(set(keys))
    assert [k for k in keys if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", k)] == []


def test_no_name_or_alias_names_two_rows(rows):
    shared = {name: keys for name, keys in _name_index(rows).items() if len(keys) > 1}
    assert shared == {}


def test_no_name_is_also_a_local_agency_name(rows):
    local = set(_name_index(_read("agencies.csv")[1]))
    assert set(_name_index(rows)) & local == set()


def test_no_name_looks_like_a_generic_local_short_name(rows):
    generic = [n for n in _name_index(rows)
               if LOCAL_PREFIX.match(n) and n not in LOCAL_PREFIX_EXCEPTIONS]
    assert generic == []


def test_every_kind_is_an_agency_kind_concept(rows):
    g = Graph().parse(data=ontology_dir().joinpath("agency.ttl").read_text(encoding="utf-8"),
                      format="turtle")
    kinds = {str(c).rsplit("/", 1)[-1] for c in g.subjects(SKOS.inScheme, KIND_SCHEME)}
    assert {r["kind"] for r in rows} - kinds == set()


def test_every_parent_is_a_key_and_no_row_is_its_own_ancestor(rows):
    parents = {r["key"]: r["parent"] for r in rows}
    refs = {f"{NATIONAL}/{key}" for key in parents}
    assert {p for p in parents.values() if p} - refs == set()
    for key, parent in parents.items():
        seen, ref = {key}, parent
        while ref:
            up = ref.split("/", 1)[1]
            assert up not in seen, key
            seen.add(up)
            ref = parents[up]


def test_every_row_has_an_english_name_and_a_source(rows):
    assert [r["key"] for r in rows if not (r["name_en"] and r["source"])] == []


def test_every_agency_printed_in_the_real_corpus_names_one_row(rows):
    golds = sorted(CORPUS.glob("*.gold.json")) if CORPUS.is_dir() else []
    if not golds:
        pytest.skip(f"no corpus at {CORPUS}")
    index = _name_index(rows)
    printed = {a["name"]
               for gold in golds
               for measure in json.loads(gold.read_text(encoding="utf-8"))["measures"]
               for a in measure["agencies"]}
    unresolved = {n: index.get(n, []) for n in printed - COLLECTIVES if len(index.get(n, [])) != 1}
    assert unresolved == {}
