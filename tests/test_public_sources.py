"""Sources shown to users are public (issue: a researcher's day, point 7).

A source is a public document (its 发文字号, title, official address) or a named public
standard (GB/T 2260), never a file of this repository or one of our work items; a fact that is
our own judgement says so plainly: ``编辑判断 / editorial judgement: <reason>``. Scanned: every
source value the release holds (``dcterms:source``, ``prov:``, notes and comments) and every
registry's source column. Before, they read "shared/sources/README.md …", "plankg issue 8 …
names the pair" and "editorial (plankg issue 15): …".
"""

from __future__ import annotations

import csv
import io
import re

import pyoxigraph as ox
import pytest
from rdflib.namespace import DCTERMS, PROV, RDFS, SKOS

from plankg.graph.paths import registries_dir, release_dir, sources_dir

URL = re.compile(r"https?://\S+")
INTERNAL = [
    (re.compile(r"\bshared/"), "a file of the shared working folder"),
    (re.compile(r"\bplankg\s+issue", re.IGNORECASE), "a work item of ours"),
    (re.compile(r"\bissues?\b", re.IGNORECASE), "a work item of ours"),
    (re.compile(r"\bpull request\b|\bPR\s*#?\d", re.IGNORECASE), "a work item of ours"),
    (re.compile(r"#\d+"), "a numbered work item"),
    (re.compile(r"\bREADME\b", re.IGNORECASE), "a file of this repository"),
    (re.compile(r"(?<![\w./])(?:graph|tests|service|queries|shapes|ontology|bench|docs|examples)"
                r"/"), "a folder of this repository"),
    (re.compile(r"\.(?:md|py|csv|rq|ttl|trig|nq|toml|json|txt)\b"), "a file name"),
    (re.compile(r"\b(?:TODO|FIXME|XXX)\b"), "a note to ourselves"),
]
JUDGEMENT = "编辑判断 / editorial judgement: "
BARE_EDITORIAL = re.compile(r"(?<!编辑判断 / )\beditorial\b(?! judgement: )", re.IGNORECASE)
NOTES = {str(p) for p in (DCTERMS.source, DCTERMS.provenance, DCTERMS.bibliographicCitation,
                          RDFS.comment, RDFS.seeAlso, SKOS.note, SKOS.editorialNote,
                          SKOS.scopeNote, SKOS.historyNote, SKOS.changeNote)}
SOURCES = {str(DCTERMS.source), str(DCTERMS.provenance), str(DCTERMS.bibliographicCitation)}
# pk:sourceFile is not a citation: it names the file a stated fact was read from (with its
# line and offsets), the user's own file for a document they add.


def internal_references(text: str, *, source: bool = True) -> list[str]:
    """What in ``text`` points at our repository or our work items (addresses left aside);
    for a source value, also an editorial judgement not labelled as such."""
    bare = URL.sub(" ", text)
    found = [f"{why}: {m.group(0)!r}" for pattern, why in INTERNAL for m in pattern.finditer(bare)]
    if source:
        found += [f"a judgement not labelled {JUDGEMENT!r}: {m.group(0)!r}"
                  for m in BARE_EDITORIAL.finditer(bare)]
    return found


@pytest.mark.parametrize("text", [
    "shared/sources/README.md (issuer of 晋市政办〔2022〕24号)",
    "plankg issue 8 (measure-level lineage) names the pair 县财政局 ↔ 省财政厅",
    "editorial (plankg issue 15): the frame 压实…责任 of the closing safeguard section",
    "editorial: a department of the county government",
    "see graph/registries/agencies.csv",
    "as in tests/test_align.py",
    "curated in qinshui-2022-service-plan.md",
    "agreed in #12",
    "TODO: find the official address",
])
def test_internal_references_are_caught(text):
    assert internal_references(text)


@pytest.mark.parametrize("text", [
    ("http://swt.shanxi.gov.cn/ztzl/scztbzzl/202211/t20221117_7445956.shtml; 编辑判断 / "
     "editorial judgement: task 1 of the provincial plan carries the same heading"),
    "GB/T 2260 (140500 晋城市)",
    ("国发〔2018〕6号 国务院关于机构设置的通知 (General Office, 国务院办公厅); issuer of the 国办发 "
     "series"),
    "沁政办发〔2022〕33号 tasks 1,3,19 print 县财政局",
])
def test_public_sources_pass(text):
    assert internal_references(text) == []


def _release_values() -> list[tuple[str, str, bool]]:
    """(subject, value, is a source) of every note and source the release holds."""
    values = []
    path = release_dir().joinpath("plankg.trig")
    for quad in ox.parse(path.read_bytes(), format=ox.RdfFormat.TRIG):
        predicate = quad.predicate.value
        if predicate in NOTES or predicate.startswith(str(PROV)):
            if isinstance(quad.object, ox.Literal):
                values.append((quad.subject.value, quad.object.value, predicate in SOURCES))
            elif predicate in SOURCES:
                values.append((quad.subject.value, quad.object.value, True))
    return values


def test_every_source_in_the_release_is_public():
    values = _release_values()
    assert sum(source for _, _, source in values) > 100  # the registries' facts are there
    found = {f"{subject}: {problem}" for subject, value, source in values
             for problem in internal_references(value, source=source)}
    assert sorted(found) == []
    addresses = [v for _, v, source in values if source and "://" in v and " " not in v]
    assert all(a.startswith(("http://", "https://")) for a in addresses), addresses


def _registry_rows():
    folders = [(registries_dir(), name) for name in sorted(
        e.name for e in registries_dir().iterdir() if e.name.endswith(".csv"))]
    folders.append((sources_dir(), "manifest.csv"))
    for folder, name in folders:
        text = folder.joinpath(name).read_text(encoding="utf-8")
        for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
            yield name, line, row


def test_every_registry_source_is_public():
    rows = list(_registry_rows())
    assert {name for name, _, _ in rows} >= {"agencies.csv", "counterparts.csv", "documents.csv",
                                             "generic-terms.csv", "relations.csv", "manifest.csv"}
    found = [f"{name}:{line}: {problem}" for name, line, row in rows
             for problem in internal_references(row["source"])]
    assert found == []


def test_no_registry_cell_names_a_work_item():
    """Names, aliases and titles too: nothing a user reads names an issue or our files."""
    found = [f"{name}:{line} {column}: {problem}" for name, line, row in _registry_rows()
             for column, value in row.items() if column not in ("source", "file")
             for problem in internal_references(value or "", source=False)]
    assert found == []
