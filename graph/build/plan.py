"""The asserted graph of one parsed plan: the document, its parts, who does what, targets, citations.

Every extracted node is ``prov:wasDerivedFrom`` the plan and carries its source file, line and
character offsets.

The numbered items of a plan genre (行动计划, 实施方案…) are ``pk:Task``s, which must name their
agencies; those of a policy genre (意见, 若干措施, 通知…) are ``pk:Measure``s, which need not, and
whose offsets are those of their text alone (the source slice equals ``pk:text``).

A parent document read by ``plankg ingest`` is built by the same code with two differences
(:func:`measures_graph`): its numbered items are ``pk:Measure``s whatever its genre, and the
document is not a ``pk:Plan`` (it is not one of the plans the graph answers for: no default
plan, no plan shapes). An item
keeps the IRI ``…/task/{n}`` whichever it is read as, so a curated link to the provincial plan's
task 1 and that task read as a measure meet on one node.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import Graph, Literal, URIRef

from .. import iris
from ..iris import CV, DCTERMS, ELI, ORG, PK, PROV, RDF, SCHEMA, SKOS, XSD
from ..model import GENRE_KEYS, Citation, DocNumber, Plan, Span, Target, Task
from ..registry import Registry
from ..similarity import closest
from .curated import agency_iri
from .documents import document_iri, plan_iri

__all__ = ["measures_graph", "plan_graph"]


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


class _PlanBuilder:
    item_class = PK.Task
    document_classes = (ELI.LegalResource, PK.Plan)

    def __init__(self, plan: Plan, *, registry: Registry, sectors: Mapping[str, URIRef]) -> None:
        if plan.kind == "policy":
            self.item_class = PK.Measure
        self.plan = plan
        self.registry = registry
        self.sectors = sectors
        self.doc = plan_iri(plan, registry=registry)
        self.g = Graph()
        self.occurrences: dict[tuple[int | None, int], int] = {}

    def add(self, s, p, o) -> None:
        self.g.add((s, p, o))

    def provenance(self, node: URIRef, span: Span) -> None:
        self.add(node, PROV.wasDerivedFrom, self.doc)
        self.add(node, PK.sourceFile, Literal(self.plan.source_file))
        self.add(node, PK.sourceLine, Literal(span.line, datatype=XSD.positiveInteger))
        self.add(node, PK.startOffset, Literal(span.start, datatype=XSD.nonNegativeInteger))
        self.add(node, PK.endOffset, Literal(span.end, datatype=XSD.nonNegativeInteger))

    def document(self) -> None:
        plan, doc = self.plan, self.doc
        for cls in self.document_classes:
            self.add(doc, RDF.type, cls)
        self.add(doc, PK.sourceFile, Literal(plan.source_file))
        # the line that prints the number, or the first line when the plan has none
        line = plan.number_span.line if plan.number_span else 1
        self.add(doc, PK.sourceLine, Literal(line, datatype=XSD.positiveInteger))
        if plan.number:
            self.number(doc, plan.number)
            printed = "".join((plan.number_as_written or "").split())
            if printed and printed != str(plan.number):
                self.add(doc, PK.numberAsWritten, Literal(plan.number_as_written))
        if plan.division:
            self.add(doc, PK.divisionCode, Literal(plan.division))
        if plan.level:
            self.add(doc, PK.level, iris.concept("level", plan.level))
        if plan.title:
            self.add(doc, ELI.title, _zh(plan.title))
        if plan.date:
            self.add(doc, ELI.date_document, Literal(plan.date, datatype=XSD.date))
        if plan.issuer:
            ref = self.registry.resolve(plan.issuer, division=plan.division)
            self.add(doc, ELI.passed_by, self._agency(ref, plan.issuer))
        self.document_text(doc)
        for i, goal in enumerate(plan.goals, 1):
            self.target(doc, iris.plan_target(doc, i), goal)
        for i, citation in enumerate(plan.citations, 1):
            self.citation(doc, iris.citation(doc, i), citation)

    def document_text(self, doc: URIRef) -> None:
        """What the document prints besides its items: recipients, preamble, closing,
        signature, genre, the first-listed-lead rule, and where the copy came from."""
        plan = self.plan
        for prop, value in ((PK.recipients, plan.recipients), (PK.preamble, plan.preamble),
                            (PK.closing, plan.closing), (PK.signature, plan.signature)):
            if value:
                self.add(doc, prop, _zh(value))
        if plan.genre in GENRE_KEYS:
            self.add(doc, PK.genre, iris.concept("genre", GENRE_KEYS[plan.genre]))
        if plan.lead_rule:
            self.add(doc, PK.firstListedLeads, _zh(plan.lead_rule))
        if plan.metadata.get("source"):
            self.add(doc, DCTERMS.source, URIRef(plan.metadata["source"]))

    def number(self, doc: URIRef, number: DocNumber) -> None:
        """The 发文字号 in its standard form (as printed: on the citation) and its parts."""
        self.add(doc, ELI.id_local, Literal(str(number)))
        self.add(doc, PK.issuerCode, Literal(number.series_code))
        self.add(doc, PK.year, Literal(str(number.year), datatype=XSD.gYear))
        self.add(doc, PK.serial, Literal(number.serial))

    def sections(self) -> None:
        top = 0
        for section in self.plan.sections:
            if section.level == 1:
                top = section.number
                node = iris.section(self.doc, top)
                self.add(node, RDF.type, PK.Section)
                self.add(node, PK.directlyPartOf, self.doc)
            else:
                node = iris.section(self.doc, top, sub=section.number)
                self.add(node, RDF.type, PK.Section)
                self.add(node, PK.directlyPartOf, iris.section(self.doc, top))
            if section.framing:
                self.add(node, RDF.type, PK.FramingPart)
            sector = None if section.framing else self._sector(section.title,
                                                               exact=section.level == 2)
            if sector is None and section.level == 2 and (
                    top, section.number) in self._headed_tasks():
                sector = self._plan_sector(section.title, line=section.span.line)
            if sector is not None:
                self.add(node, PK.sector, sector)
            self.add(node, ELI.number, Literal(str(section.number)))
            self.add(node, PK.heading, _zh(section.title))
            if section.text:
                self.add(node, PK.text, _zh(section.text))
            self.provenance(node, section.span)

    def _subsection_title(self, section: int, number: int) -> str:
        top = 0
        for heading in self.plan.sections:
            if heading.level == 1:
                top = heading.number
            elif top == section and heading.number == number:
                return heading.title
        return next(s.title for s in self.plan.sections if s.level == 2 and s.number == number)

    def _headed_tasks(self) -> set[tuple[int, int]]:
        """The sub-sector headings (section, number) of a plan that have tasks under them."""
        if self.plan.kind != "plan":
            return set()  # a policy document's （一） groups are not sectors
        return {(t.section, t.subsection) for t in self.plan.tasks if t.subsection is not None}

    def _plan_sector(self, heading: str, *, line: int) -> URIRef:
        """A sub-sector heading the shared scheme lacks: a sector of the plan's own scheme,
        labelled as printed, naming the closest concept of the shared scheme (validation warns
        of it); never dropped."""
        scheme, node = iris.plan_sector_scheme(self.doc), iris.plan_sector(self.doc, heading)
        self.add(scheme, RDF.type, SKOS.ConceptScheme)
        self.add(scheme, SKOS.prefLabel, _zh(f"{self.plan.title or self.doc}的行业"))
        self.add(node, RDF.type, SKOS.Concept)
        self.add(node, SKOS.prefLabel, _zh(heading))
        self.add(node, SKOS.inScheme, scheme)
        self.add(node, PROV.wasDerivedFrom, self.doc)
        self.add(node, PK.sourceLine, Literal(line, datatype=XSD.positiveInteger))
        near = closest(heading, self.sectors)
        if near is not None:
            self.add(node, PK.closestSector, self.sectors[near])
        return node

    def _sector(self, title: str, *, exact: bool) -> URIRef | None:
        """The sector a heading names: its exact label, or for a top section the label it holds."""
        if title in self.sectors or exact:
            return self.sectors.get(title)
        held = [label for label in self.sectors if label in title]
        return self.sectors[max(held, key=len)] if held else None

    def task(self, task: Task) -> None:
        restart = task.section if self.plan.numbering_restarts else None
        key = (restart, task.number)
        self.occurrences[key] = self.occurrences.get(key, 0) + 1
        node = iris.task(self.doc, task.number, section_no=restart,
                         occurrence=self.occurrences[key])
        self.add(node, RDF.type, self.item_class)
        self.add(node, ELI.number, Literal(str(task.number)))
        self.add(node, PK.heading, _zh(task.heading))
        self.add(node, PK.text, _zh(task.text))
        self.add(node, PK.directlyPartOf,
                 iris.section(self.doc, task.section) if task.section else self.doc)
        if task.subsection is not None:
            title = self._subsection_title(task.section, task.subsection)
            if title in self.sectors:
                self.add(node, PK.sector, self.sectors[title])
            elif (task.section, task.subsection) in self._headed_tasks():
                self.add(node, PK.sector, iris.plan_sector(self.doc, title))
        for bracket in task.brackets or ((task.bracket,) if task.bracket else ()):
            self.add(node, PK.bracketText, _zh(bracket))
        self.provenance(node, self.item_span(task))
        for a in task.assignments:
            part = iris.assignment(node, a.order)
            self.add(part, RDF.type, PK.Assignment)
            self.add(node, CV.hasParticipation, part)
            self.add(self._agency(a.agency_key, a.as_written), CV.playsRole, part)
            self.add(part, CV.role, iris.concept("role", a.role))
            self.add(part, PK.listOrder, Literal(a.order, datatype=XSD.positiveInteger))
            self.add(part, PK.asWritten, Literal(a.as_written))
            if a.followed_by:
                self.add(part, PK.followedBy, _zh(a.followed_by))
            if a.lead_by_list_order:
                self.add(part, PK.leadByListOrder, Literal(True))
            self.provenance(part, a.span)
        for i, target in enumerate(task.targets, 1):
            self.target(node, iris.target(node, i), target)
        for i, citation in enumerate(task.citations, 1):
            self.citation(node, iris.citation(node, i), citation)

    def item_span(self, task: Task) -> Span:
        """Where the item is printed: number, text and bracket for a task; the text alone for
        a measure (the source slice equals its ``pk:text``)."""
        return task.text_span if self.item_class == PK.Measure else task.span

    def _agency(self, ref: str | None, as_written: str) -> URIRef:
        """A registered agency, or a provisional node named by the printed name's pinyin."""
        if ref:
            return agency_iri(ref)
        key = "unregistered-" + iris.slug(as_written)
        node = iris.agency(division=self.plan.division or "unresolved", key=key)
        self.add(node, RDF.type, ORG.Organization)
        self.add(node, SKOS.prefLabel, _zh(as_written))
        closest = self.registry.closest(as_written, level=self.plan.level)
        if closest:
            self.add(node, PK.closestRegisteredAgency,
                     agency_iri(self.registry.agency(closest).ref))
        return node

    def target(self, owner: URIRef, node: URIRef, target: Target) -> None:
        self.add(owner, PK.hasTarget, node)
        self.add(node, RDF.type, PK.Target)
        self.add(node, PK.indicator, _zh(target.indicator))
        self.add(node, SCHEMA.value, Literal(target.value, datatype=XSD.decimal))
        self.add(node, SCHEMA.unitText, Literal(target.unit))
        self.add(node, PK.comparator, iris.concept("comparator", target.comparator))
        self.add(node, PK.targetKind, iris.concept("target-kind", target.kind))
        self.add(node, PK.commitment, iris.concept("commitment", target.commitment))
        if target.deadline:
            self.add(node, PK.deadline, Literal(target.deadline, datatype=XSD.date))
            self.add(node, PK.deadlineStated, Literal(target.deadline_stated))
        if target.baseline is not None:
            self.add(node, PK.baselineValue, Literal(target.baseline, datatype=XSD.decimal))
        self.add(node, PK.asWritten, Literal(target.as_written))
        self.provenance(node, target.span)

    def citation(self, part: URIRef, node: URIRef, citation: Citation) -> None:
        self.add(node, RDF.type, PK.Citation)
        self.add(node, PK.citingPart, part)
        self.add(node, PK.relation, ELI[citation.relation])
        self.add(node, PK.evidence, iris.concept("evidence", "stated"))
        if citation.title:
            self.add(node, PK.citedTitle, _zh(citation.title))
        self.provenance(node, citation.span)
        if citation.number is None:
            return
        cited = document_iri(citation.number, registry=self.registry, near=self.plan)
        self.add(node, PK.citedNumber, Literal(citation.number_as_written))
        self.add(node, PK.citedDocument, cited)
        self.add(part, ELI.cites, cited)
        if citation.relation != "cites":
            self.add(part, ELI[citation.relation], cited)
        self.add(cited, RDF.type, ELI.LegalResource)
        self.number(cited, citation.number)
        if citation.title:
            self.add(cited, ELI.title, _zh(citation.title))
        if citation.relation == "repeals":
            self.add(cited, ELI.in_force, Literal(False))
            self.add(cited, PK.statusReason, iris.concept("status", "repealed"))
            if self.plan.date:
                self.add(cited, PK.repealEffectiveDate, Literal(self.plan.date, datatype=XSD.date))


class _MeasureBuilder(_PlanBuilder):
    document_classes = (ELI.LegalResource,)

    def __init__(self, plan: Plan, *, registry: Registry, sectors: Mapping[str, URIRef]) -> None:
        super().__init__(plan, registry=registry, sectors=sectors)
        self.item_class = PK.Measure


def plan_graph(plan: Plan, *, registry: Registry, sectors: Mapping[str, URIRef]) -> Graph:
    """The asserted graph of ``plan``; ``sectors`` maps a sector's Chinese label to its concept."""
    return _build(_PlanBuilder(plan, registry=registry, sectors=sectors))


def measures_graph(plan: Plan, *, registry: Registry, sectors: Mapping[str, URIRef]) -> Graph:
    """The asserted graph of a parent document, whose numbered items are ``pk:Measure``s."""
    return _build(_MeasureBuilder(plan, registry=registry, sectors=sectors))


def _build(builder: _PlanBuilder) -> Graph:
    plan = builder.plan
    builder.document()
    builder.sections()
    for task in plan.tasks:
        builder.task(task)
    return builder.g
