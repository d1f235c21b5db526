"""The document level of a synthetic plan: its identity, preamble and citations, the curated
relations of a provincial plan, and the plumbing :mod:`plankg.graph.synth._plan` builds the body with.

The text is laid out as a source file would be (one paragraph every other line), so every
node's line and character offsets point into a text that could have been read.
"""

from __future__ import annotations

import random

from rdflib import URIRef

from .. import iris
from . import _vocab as V
from ._terms import RELATION, RELATION_INFERRED, XSD_, C, T, iri, lit, typed, zh
from ._world import Division, DocRef, National, PlanSummary

__all__ = ["DocumentWriter"]

UPPER = {"county": "省委省政府、市委市政府、县委县政府", "city": "省委省政府、市委市政府",
         "province": "党中央、国务院"}
AIMS = ("加快推动服务业提质增效", "推动服务业高质量发展", "进一步激发服务业发展活力")


class DocumentWriter:
    """The triples of one plan of ``division`` for ``year``, by graph; the body is added by
    :class:`plankg.graph.synth._plan.PlanWriter`."""

    def __init__(self, rng: random.Random, division: Division, year: int, *,
                 national: National, tasks: tuple[int, int], sector_labels: dict[str, str],
                 source: str) -> None:
        self.rng, self.division, self.year, self.national = rng, division, year, national
        self.task_range, self.sector_labels, self.source = tasks, sector_labels, lit(source)
        serial = rng.randint(5, 90)
        self.doc = iris.document(division=division.code, year=year,
                                 series_key=iris.series_key(division.series_code), serial=serial)
        self.d = iri(self.doc)
        title = f"{division.name}{division.theme}{year}年行动计划"
        self.ref = DocRef(self.d, f"{division.series_code}〔{year}〕{serial}号",
                          division.series_code, year, serial, title)
        self.file = lit(f"synth-{division.code}-{year}.md")
        self.date = f"{year}-{rng.randint(3, 9):02d}-{rng.randint(1, 28):02d}"
        self.asserted: list[str] = []
        self.inferred: dict[str, None] = {}
        self.alignment: list[str] = []
        self.curated: list[str] = []
        self.described: set[str] = set()
        self.tasks: dict[str | None, list[str]] = {}
        self.line, self.offset = 1, 0
        self.parent: PlanSummary | None = (division.parent.plans.get(year)
                                           if division.parent else None)

    # -- plumbing ------------------------------------------------------------------------------
    def add(self, s: str, p: str, o: str) -> None:
        self.asserted.append(f"{s} {p} {o}")

    def infer(self, s: str, p: str, o: str) -> None:
        self.inferred[f"{s} {p} {o}"] = None

    def place(self, text: str) -> tuple[int, int, int]:
        """Lay ``text`` out as the next paragraph; its start, end and line."""
        start, line = self.offset, self.line
        self.offset, self.line = start + len(text) + 2, line + text.count("\n") + 2
        return start, start + len(text), line

    def provenance(self, node: str, start: int, end: int, line: int) -> None:
        self.add(node, T.wasDerivedFrom, self.d)
        self.add(node, T.sourceFile, self.file)
        self.add(node, T.sourceLine, typed(line, XSD_.positiveInteger))
        self.add(node, T.startOffset, typed(start, XSD_.nonNegativeInteger))
        self.add(node, T.endOffset, typed(end, XSD_.nonNegativeInteger))

    def part(self, node: str, kind: str, parent: str, heading: str) -> None:
        """A section or task, part of ``parent``, and what OWL RL says of it."""
        self.add(node, T.type, kind)
        self.add(node, T.directlyPartOf, parent)
        self.add(node, T.heading, zh(heading))
        for s, p, o in ((node, T.type, T.LegalResourceSubdivision), (node, T.is_part_of, parent),
                        (parent, T.hasDirectPart, node), (parent, T.has_part, node),
                        (node, T.title, zh(heading))):
            self.infer(s, p, o)

    # -- the document --------------------------------------------------------------------------
    def graphs(self) -> list[tuple[str, list[str]]]:
        """The plan's triples by graph, each graph the plan's own: its asserted graph, its
        curated links, its links to its parent's tasks, and what is inferred from them."""
        own = iris.document_graph(self.doc)
        path = str(own)[len(iris.BASE + "graph/"):]
        blocks = [(iri(own), self.asserted)]
        if self.curated:
            blocks.append((iri(iris.curated_graph(path)), self.curated))
        if self.alignment:
            blocks.append((iri(iris.named_graph("alignment/" + path)), self.alignment))
        return [*blocks, (iri(iris.inferred_graph(own)), list(self.inferred))]

    def document(self) -> None:
        d, division, rng = self.d, self.division, self.rng
        _, _, number_line = self.place(self.ref.number)
        self.place(self.ref.title)
        self.place(V.RECIPIENTS[division.level] + "：")
        self.add(d, T.type, T.LegalResource)
        self.add(d, T.type, T.Plan)
        self.add(d, T.sourceFile, self.file)
        self.add(d, T.sourceLine, typed(number_line, XSD_.positiveInteger))
        self.number(d, self.ref)
        self.add(d, T.divisionCode, lit(division.code))
        self.add(d, T.level, C.level[division.level])
        self.add(d, T.title, zh(self.ref.title))
        self.add(d, T.date_document, typed(self.date, XSD_.date))
        self.add(d, T.passed_by, division.agencies["government-office"].iri)
        self.add(d, T.recipients, zh(V.RECIPIENTS[division.level]))
        cited: list[tuple[str, DocRef]] = []
        if self.parent is None:
            cited.append(("ensures_implementation_of", self.national.pick(rng, self.year)[0]))
            opening = f"为认真贯彻落实《{cited[0][1].title}》（{cited[0][1].number}）精神"
        else:
            cited.append(("based_on", self.parent.ref))
            opening = (f"为深入贯彻落实{UPPER[division.level]}关于服务业发展的决策部署，根据"
                       f"《{self.parent.ref.title}》（{self.parent.ref.number}）精神")
        preamble = f"{opening}，{rng.choice(AIMS)}，结合{division.name}工作实际，制定本行动计划。"
        previous = division.plans.get(self.year - 1)
        if previous is not None:
            cited.append(("repeals", previous.ref))
            preamble += f"《{previous.ref.title}》（{previous.ref.number}）同时废止。"
        self.add(d, T.preamble, zh(preamble))
        start, _, line = self.place(preamble)
        for i, (relation, doc) in enumerate(cited, 1):
            self.citation(d, iris.citation(self.doc, i), relation, doc, doc.title,
                          start, preamble, line)
        if self.parent is None:
            self.curated_relations()

    def number(self, node: str, doc: DocRef) -> None:
        self.add(node, T.id_local, lit(doc.number))
        self.add(node, T.issuerCode, lit(doc.series_code))
        self.add(node, T.year, typed(doc.year, XSD_.gYear))
        self.add(node, T.serial, typed(doc.serial, XSD_.integer))

    def citation(self, part: str, node_ref: URIRef, relation: str, doc: DocRef | None,
                 title: str, text_start: int, text: str, line: int) -> None:
        """A mention of ``doc`` (by title, and by number unless ``doc`` is None) in ``text``."""
        node = iri(node_ref)
        snippet = f"《{title}》（{doc.number}）" if doc else f"《{title}》"
        start = text_start + text.index(snippet)
        self.add(node, T.type, T.Citation)
        self.add(node, T.citingPart, part)
        self.add(node, T.relation, RELATION[relation])
        self.add(node, T.evidence, C.evidence["stated"])
        self.add(node, T.citedTitle, zh(title))
        self.provenance(node, start, start + len(snippet), line)
        self.infer(node, T.type, T.Entity)
        if doc is None:
            return
        self.add(node, T.citedNumber, lit(doc.number))
        self.add(node, T.citedDocument, doc.iri)
        self.relate(part, "cites", doc.iri, self.add)
        if relation != "cites":
            self.relate(part, relation, doc.iri, self.add)
        if doc.iri not in self.described:
            self.described.add(doc.iri)
            self.add(doc.iri, T.type, T.LegalResource)
            self.number(doc.iri, doc)
            self.add(doc.iri, T.title, zh(doc.title))
        if relation == "repeals":
            self.add(doc.iri, T.in_force, typed("false", XSD_.boolean))
            self.add(doc.iri, T.statusReason, C.repealed)
            self.add(doc.iri, T.repealEffectiveDate, typed(self.date, XSD_.date))

    def relate(self, s: str, relation: str, o: str, add) -> None:
        """``s relation o`` (asserted with ``add``), with its inverse or super-property."""
        add(s, RELATION[relation], o)
        for p, swap in RELATION_INFERRED[relation]:
            self.infer(o, p, s) if swap else self.infer(s, p, o)

    def curated_relations(self) -> None:
        """A provincial plan's curated links to a national document, with their source."""
        doc = self.national.pick(self.rng, self.year, 2)[1]
        for i, relation in enumerate(("ensures_implementation_of", "cites"), 1):
            self.relate(self.d, relation, doc.iri, self.curate)
            node = iri(iris.curated_statement(self.doc, i))
            self.curate(node, T.type, T.Citation)
            self.curate(node, T.citingPart, self.d)
            self.curate(node, T.citedDocument, doc.iri)
            self.curate(node, T.relation, RELATION[relation])
            self.curate(node, T.evidence, C.evidence["curated"])
            self.curate(node, T.source, self.source)
            self.infer(node, T.type, T.Entity)

    def curate(self, s: str, p: str, o: str) -> None:
        self.curated.append(f"{s} {p} {o}")

