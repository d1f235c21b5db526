"""The body of a synthetic plan: sections, tasks with their agencies and roles, targets and
citations, and the measure-level links of its tasks to the parent plan's (alignment graph).

The layout follows the seed plan: 一、goals (the plan's own targets), 二、a general section,
三、producer services and 四、consumer services with one sub-section per sub-sector, 五、non-profit
services, 六、support and 七、organisation; tasks are numbered through, belong to their top
section and take the sector of their sub-section.
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from .. import iris
from ..align import METHOD
from . import _vocab as V
from ._document import DocumentWriter
from ._terms import ROLE_SHORTCUT, XSD_, C, T, iri, lit, typed, zh
from ._world import Agency, DocRef, PlanSummary

__all__ = ["PlanWriter"]

SCALE = {"county": 1, "city": 4, "province": 20}
RATES = ("6", "6.5", "7", "7.5", "8", "8.5", "9", "10")
SLOT_WEIGHTS = {"general": 2.0, "sub": 3.0, "nonprofit": 1.5, "support": 2.0,
                "organisation": 1.5}
ROLE_WORDS = {"responsible": "负责", "lead": "牵头", "support": "配合", "unspecified": ""}


class _Target(NamedTuple):
    written: str        # as printed, e.g. 全县服务业增加值增速力争达到8%左右
    indicator: str
    unit: str
    kind: str           # target-kind key
    value: str
    comparator: str
    commitment: str
    baseline: str | None
    stated: bool        # the text gives the deadline


class _Mention(NamedTuple):
    relation: str
    doc: DocRef | None  # None: named by title alone
    title: str
    sentence: str       # the words of the task text that name it ("" if another mention's do)


class PlanWriter(DocumentWriter):
    """One plan: :meth:`write` gives its triples by graph."""

    def write(self) -> list[tuple[str, list[str]]]:
        self.document()
        self.body()
        keep = self.tasks if self.division.level != "county" else {}
        self.division.plans[self.year] = PlanSummary(self.ref, keep)
        return self.graphs()

    def layout(self) -> list[tuple[str, list[tuple[str | None, int]]]]:
        """Sections 二–七: kind, and (sub-sector, number of tasks) per sub-section."""
        rng = self.rng
        n = rng.randint(*self.task_range)
        n_prod, n_cons = rng.randint(3, 7), rng.randint(3, 7)
        while 4 + n_prod + n_cons > n and n_prod + n_cons > 2:
            n_prod, n_cons = (n_prod - 1, n_cons) if n_prod >= n_cons else (n_prod, n_cons - 1)
        producer = [k for k in V.PRODUCER if k in set(rng.sample(V.PRODUCER, n_prod))]
        consumer = [k for k in V.CONSUMER if k in set(rng.sample(V.CONSUMER, n_cons))]
        slots = [("general", None), *(("producer", k) for k in producer),
                 *(("consumer", k) for k in consumer), ("nonprofit", None), ("support", None),
                 ("organisation", None)]
        weights = [SLOT_WEIGHTS["sub" if key else kind] for kind, key in slots]
        counts = Counter(rng.choices(range(len(slots)), weights, k=max(0, n - len(slots))))
        sections: dict[str, list[tuple[str | None, int]]] = {}
        for i, (kind, key) in enumerate(slots):
            sections.setdefault(kind, []).append((key, 1 + counts[i]))
        return list(sections.items())

    def body(self) -> None:
        self.goals()
        number, sub = 0, 0
        for k, (kind, subs) in enumerate(self.layout(), 2):
            top = self.section(k, None, heading=self.rng.choice(V.SECTION_TITLES[kind]),
                               sector=V.PILLAR_OF.get(kind))
            for key, count in subs:
                if key is not None:
                    sub += 1
                    self.section(k, sub, heading=self.sector_labels[key], sector=key)
                for _ in range(count):
                    number += 1
                    self.task(number, top, key, kind)

    def section(self, k: int, sub: int | None, *, heading: str, sector: str | None,
                text: str | None = None) -> str:
        """Section ``k`` (or its sub-section ``sub``); sub-sections are numbered through."""
        node = iri(iris.section(self.doc, k, sub=sub))
        parent = self.d if sub is None else iri(iris.section(self.doc, k))
        self.part(node, T.Section, parent, heading)
        if sector:
            self.add(node, T.sector, iri(iris.sector("plankg", sector)))
        self.add(node, T.number, lit(str(sub or k)))
        if text:
            self.add(node, T.text, zh(text))
        start, end, line = self.place(heading if text is None else f"{heading}\n{text}")
        self.provenance(node, start, end, line)
        return node

    def goals(self) -> None:
        """Section 一: the year's goals, which are the plan's own targets."""
        goals = [self.target_text(row, stated=True) for row in self.rng.sample(V.GOALS, 2)]
        text = f"到{self.year}年底，" + "，".join(g.written for g in goals) + "。"
        self.section(1, None, heading=self.rng.choice(V.SECTION_TITLES["goals"]), sector=None,
                     text=text)
        start, line = self.offset - len(text) - 2, self.line - 2  # the text's own line
        for i, goal in enumerate(goals, 1):
            self.target(self.d, iris.plan_target(self.doc, i), goal, start, text, line)

    # -- tasks ---------------------------------------------------------------------------------
    def task(self, n: int, section: str, sector: str | None, kind: str) -> None:
        rng = self.rng
        node_ref = iris.task(self.doc, n)
        node = iri(node_ref)
        noun = rng.choice(V.SECTOR_NOUNS[sector])
        heading = f"{rng.choice(V.HEADING_VERBS)}{noun}{rng.choice(V.HEADING_ENDS)}"
        citations = self.task_citations(n)
        targets = ([self.target_text(rng.choice(V.INDICATORS[sector]), stated=rng.random() < .4)
                    for _ in range(1 + (rng.random() < .15))] if rng.random() < .27 else [])
        text = (f"{heading}。" + "".join(c.sentence for c in citations) + self.sentences(sector)
                + "".join(f"到{self.year}年底，{t.written}。" if t.stated else f"{t.written}。"
                          for t in targets))
        chosen, bracket, spans = self.agencies(sector, kind)
        start, end, line = self.place(text + bracket)
        self.part(node, T.Task, section, heading)
        self.add(node, T.number, lit(str(n)))
        self.add(node, T.text, zh(text))
        if sector:
            self.add(node, T.sector, iri(iris.sector("plankg", sector)))
        self.add(node, T.bracketText, zh(bracket))
        self.provenance(node, start, end, line)
        self.assignments(node_ref, chosen, [(start + len(text) + a, start + len(text) + b)
                                            for a, b in spans], line)
        for i, target in enumerate(targets, 1):
            self.target(node, iris.target(node_ref, i), target, start, text, line)
        for i, c in enumerate(citations, 1):
            self.citation(node, iris.citation(node_ref, i), c.relation, c.doc, c.title, start,
                          text, line)
        self.tasks.setdefault(sector, []).append(node)
        if self.parent is not None and rng.random() < .35:
            self.align(node_ref, n, sector)

    def sentences(self, sector: str | None) -> str:
        rng, nouns = self.rng, V.SECTOR_NOUNS[sector]
        out = []
        for template in rng.sample(V.SENTENCES, rng.randint(1, 3)):
            noun = rng.choice(nouns)
            out.append(template.format(
                noun=noun, noun2=rng.choice(nouns), verb=rng.choice(V.HEADING_VERBS),
                end=rng.choice(V.HEADING_ENDS), subject=rng.choice(V.SUBJECTS),
                mechanism=rng.choice(V.MECHANISMS),
                outcome=rng.choice(V.OUTCOMES).format(noun=noun)))
        return "".join(out)

    def task_citations(self, n: int) -> list[_Mention]:
        """The documents a task names: task 1 those it carries out, some others one more."""
        rng, year = self.rng, self.year
        if n == 1:
            first = self.national.pick(rng, year)[0]
            second = self.parent.ref if self.parent else self.national.pick(rng, year, 2)[1]
            if second.iri == first.iri:
                return [_Mention("ensures_implementation_of", first, first.title,
                                 f"认真贯彻落实《{first.title}》（{first.number}）有关要求。")]
            sentence = (f"认真贯彻落实《{first.title}》（{first.number}）和《{second.title}》"
                        f"（{second.number}）有关要求。")
            return [_Mention("ensures_implementation_of", first, first.title, sentence),
                    _Mention("ensures_implementation_of", second, second.title, "")]
        r = rng.random()
        if r < .04:
            doc = self.national.pick(rng, year)[0]
            return [_Mention("cites", doc, doc.title, f"按照《{doc.title}》（{doc.number}）要求，")]
        if r < .07:
            doc = self.national.pick(rng, year)[0]
            return [_Mention("ensures_implementation_of", doc, doc.title,
                             f"贯彻落实《{doc.title}》（{doc.number}），")]
        if r < .085:
            title = f"{rng.choice(V.NATIONAL_TOPICS)}工作方案"
            return [_Mention("cites", None, title, f"对照《{title}》要求，")]
        return []

    def agencies(self, sector: str | None, kind: str) -> tuple[list[tuple[Agency, str]], str,
                                                               list[tuple[int, int]]]:
        """Who does the task, with roles, and the bracket that says so (with name spans)."""
        rng, staff = self.rng, self.division.agencies
        if kind == "organisation" and "leading-group" in staff and rng.random() < .5:
            chosen = [staff["leading-group"]]
        else:
            pool = [a for k in V.SECTOR_DEPARTMENTS[sector] for a in
                    (self.division.towns if k == "township" else [staff[k]] if k in staff else [])]
            rng.shuffle(pool)
            pool += [staff[k] for k in V.SECTOR_DEPARTMENTS[None] if k in staff]
            pool = list(dict.fromkeys(pool + rng.sample(list(staff.values())[2:], 4)))
            size = rng.choices((1, 2, 3, 4, 5, 6, 8), (35, 25, 18, 9, 6, 4, 3))[0]
            chosen = pool[:1] + rng.sample(pool[1:], min(size, len(pool)) - 1)
        groups = _role_groups(rng.random(), len(chosen))
        bracket, spans, roles, i = "〔", [], [], 0
        for g, (role, size) in enumerate(groups):
            bracket += "，" if g else ""
            for j in range(size):
                bracket += "、" if j else ""
                spans.append((len(bracket), len(bracket) + len(chosen[i].printed)))
                bracket += chosen[i].printed
                roles.append((chosen[i], role))
                i += 1
            bracket += ROLE_WORDS[role]
        return roles, bracket + "〕", spans

    def assignments(self, task_ref, chosen: list[tuple[Agency, str]],
                    spans: list[tuple[int, int]], line: int) -> None:
        task = iri(task_ref)
        for order, ((agency, role), (start, end)) in enumerate(zip(chosen, spans), 1):
            part = iri(iris.assignment(task_ref, order))
            self.add(part, T.type, T.Assignment)
            self.add(task, T.hasParticipation, part)
            self.add(agency.iri, T.playsRole, part)
            self.add(part, T.role, C.role[role])
            self.add(part, T.listOrder, typed(order, XSD_.positiveInteger))
            self.add(part, T.asWritten, lit(agency.printed))
            self.provenance(part, start, end, line)
            self.infer(part, T.type, T.Participation)
            self.infer(task, ROLE_SHORTCUT[role], agency.iri)
            self.infer(task, T.assignedAgency, agency.iri)

    # -- targets -------------------------------------------------------------------------------
    def target_text(self, row: tuple[str, str, str], *, stated: bool) -> _Target:
        """A target of the indicator ``row`` (indicator, unit, kind), worded as plans word it."""
        rng, (indicator, unit, kind) = self.rng, row
        scale = SCALE[self.division.level]
        commitment = rng.choice(("plain", "plain", "plain", "strive", "strive", "ensure"))
        word, scope = V.COMMITMENT_WORDS[commitment], f"全{V.LEVEL_PLACE[self.division.level]}"
        comparator, baseline = rng.choice(("exact", "exact", "at-least")), None
        if unit == "%":
            value, comparator = (rng.choice(RATES), "about") if kind == "rate" else (
                str(rng.randint(40, 60)), comparator)
            written = f"{scope}{indicator}{word}达到{value}%{V.COMPARATOR_WORDS[comparator]}"
        elif kind == "reduction":
            b = rng.randint(24, 48)
            value, baseline, comparator = str(b - rng.randint(4, 12)), str(b), "exact"
            written = f"推动{indicator}由{baseline}{unit}压减至{value}{unit}"
        elif kind == "increment":
            value = str(rng.randint(1, 50) * scale)
            written = f"{word}新增{indicator}{value}{unit}{V.COMPARATOR_WORDS[comparator]}"
        else:
            value = str(rng.randint(5, 200) * scale)
            written = f"{scope}{indicator}{word}达到{value}{unit}{V.COMPARATOR_WORDS[comparator]}"
        return _Target(written, indicator, unit, kind, value, comparator, commitment, baseline,
                       stated)

    def target(self, owner: str, node_ref, t: _Target, text_start: int, text: str,
               line: int) -> None:
        node, start = iri(node_ref), text_start + text.index(t.written)
        self.add(owner, T.hasTarget, node)
        self.add(node, T.type, T.Target)
        self.add(node, T.indicator, zh(t.indicator))
        self.add(node, T.value, typed(t.value, XSD_.decimal))
        self.add(node, T.unitText, lit(t.unit))
        self.add(node, T.comparator, C.comparator[t.comparator])
        self.add(node, T.targetKind, C.kind[t.kind])
        self.add(node, T.commitment, C.commitment[t.commitment])
        self.add(node, T.deadline, typed(f"{self.year}-12-31", XSD_.date))
        self.add(node, T.deadlineStated, typed("true" if t.stated else "false", XSD_.boolean))
        if t.baseline is not None:
            self.add(node, T.baselineValue, typed(t.baseline, XSD_.decimal))
        self.add(node, T.asWritten, lit(t.written))
        self.provenance(node, start, start + len(t.written), line)
        self.infer(node, T.type, T.QuantitativeValue)

    # -- measure-level links -------------------------------------------------------------------
    def align(self, task_ref, n: int, sector: str | None) -> None:
        """Aligner proposals from a task to the parent plan's tasks, some reviewed."""
        rng, task = self.rng, iri(task_ref)
        assert self.parent is not None
        pool = self.parent.tasks.get(sector) or [t for ts in self.parent.tasks.values()
                                                 for t in ts]
        score = rng.uniform(.45, .95)
        for rank, target in enumerate(rng.sample(pool, min(len(pool), rng.choice((1, 1, 2, 3)))),
                                      1):
            node = iri(iris.alignment(task_ref, rank))
            accept, reject = (.4, .1) if rank == 1 else (.1, .2)
            r = rng.random()
            status = "accepted" if r < accept else "rejected" if r < accept + reject else "proposed"
            add = self.alignment.append
            add(f"{node} {T.type} {T.Alignment}")
            add(f"{node} {T.alignmentSource} {task}")
            add(f"{node} {T.alignmentTarget} {target}")
            add(f"{node} {T.score} {typed(f'{score:.4f}', XSD_.decimal)}")
            add(f"{node} {T.method} {lit(METHOD)}")
            add(f"{node} {T.rank} {typed(rank, XSD_.positiveInteger)}")
            add(f"{node} {T.reviewStatus} {C.review[status]}")
            add(f"{node} {T.evidence} {C.evidence['inferred']}")
            self.infer(node, T.type, T.Entity)
            if status != "rejected":
                add(f"{task} {T.alignedWith} {target}")
                self.infer(task, T.applies, target)
            if status == "accepted":
                add(f"{task} {T.implementsMeasure} {target}")
                self.infer(task, T.ensures_implementation_of, target)
                reviewer = f"_:reviewer-{self.division.code}-{self.year}-{n}-{rank}"
                date = f"{self.year + 1}-0{rng.randint(1, 6)}-15"
                add(f"{node} {T.wasAttributedTo} {reviewer}")
                add(f"{reviewer} {T.type} {T.Agent}")
                add(f"{reviewer} {T.label} {lit(rng.choice(V.REVIEWERS))}")
                add(f"{node} {T.date} {typed(date, XSD_.date)}")
            score -= rng.uniform(.03, .12)
            score = max(score, .3)


def _role_groups(r: float, n: int) -> list[tuple[str, int]]:
    """How a bracket of ``n`` names reads: runs of (role, count), never support alone."""
    if n == 1:
        return [("responsible" if r < .92 else "lead" if r < .99 else "unspecified", 1)]
    if r < .70:
        return [("responsible", n)]
    if r < .86:
        return [("lead", 1), ("support", n - 1)]
    if r < .93 and n >= 3:
        return [("lead", 2), ("support", n - 2)]
    if r < .99:
        return [("responsible", 1), ("support", n - 1)]
    return [("unspecified", n)]
