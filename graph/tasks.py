"""Task records read back from the graph: the JSON shape shared by the CLI and the service.

A record is a plain dict::

    {plan, number, title, text, section, section_title, sector, sector_en, agencies: [{name,
     name_en, role, as_written, iri}], cites: [发文字号], targets: [...], source: {file, line,
     start, end}, iri}
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from .iris import CV, ELI, PK, PROV, RDF, SCHEMA, SKOS
from .names import ROLE_WORDS, resolve_agency, resolve_plan, resolve_role, resolve_sector
from .parse import normalise_number

__all__ = ["ROLE_ZH", "agencies_text", "find_task", "role_key", "role_label", "target_records",
           "task_record", "task_records", "tasks_csv"]

ROLE_ZH = {key: word for word, key in ROLE_WORDS.items()}  # lead → 牵头…


def role_key(name: str) -> str:
    """The key of a role (``lead``, ``support``…) from any word the named queries take for it:
    one resolver, :func:`plankg.graph.names.resolve_role`, for ``plankg tasks --role``, ``/api/tasks``,
    the task page's filter and the ``role`` parameter of the named queries.

    >>> role_key("配合"), role_key("lead")
    ('support', 'lead')
    """
    return _key(resolve_role(name))


def role_label(role: str) -> str:
    """A role for people, its Chinese word first, from its key or its IRI: what tables and CSV
    print (JSON keeps the IRI or the key).

    >>> role_label("https://w3id.org/plankg/id/role/support"), role_label("lead")
    ('配合 support', '牵头 lead')
    """
    key = _key(role)
    return f"{ROLE_ZH[key]} {key}"


def _label(g: Graph, node: URIRef, lang: str, prop: URIRef = SKOS.prefLabel) -> str | None:
    for value in g.objects(node, prop):
        if isinstance(value, Literal) and value.language == lang:
            return str(value)
    return None


def _key(node) -> str:
    return str(node).rsplit("/", 1)[-1]


def _agencies(g: Graph, task: URIRef) -> list[dict]:
    rows = []
    for part in g.objects(task, CV.hasParticipation):
        agency = g.value(None, CV.playsRole, part)
        rows.append({
            "name": _label(g, agency, "zh") if agency is not None else None,
            "name_en": _label(g, agency, "en") if agency is not None else None,
            "role": _key(g.value(part, CV.role)),
            "as_written": str(g.value(part, PK.asWritten)),
            "iri": str(agency) if agency is not None else None,
            "order": int(g.value(part, PK.listOrder)),
        })
    rows.sort(key=lambda r: r["order"])
    for row in rows:
        del row["order"]
    return rows


def target_records(g: Graph, owner: URIRef) -> list[dict]:
    """The targets of a task, or the goals of a plan, in printed order."""
    rows = []
    for t in g.objects(owner, PK.hasTarget):
        deadline = g.value(t, PK.deadline)
        baseline = g.value(t, PK.baselineValue)
        rows.append({
            "indicator": str(g.value(t, PK.indicator)),
            "value": float(g.value(t, SCHEMA.value).toPython()),
            "unit": str(g.value(t, SCHEMA.unitText)),
            "comparator": _key(g.value(t, PK.comparator)),
            "kind": _key(g.value(t, PK.targetKind)),
            "commitment": _key(g.value(t, PK.commitment)),
            "deadline": str(deadline) if deadline is not None else None,
            "deadline_stated": bool(g.value(t, PK.deadlineStated).toPython())
            if deadline is not None else None,
            "baseline": float(baseline.toPython()) if baseline is not None else None,
            "as_written": str(g.value(t, PK.asWritten)),
            "iri": str(t),
        })
    return sorted(rows, key=lambda r: int(r["iri"].rsplit("/", 1)[-1]))


def _is_section(g: Graph, node) -> bool:
    """A part 一、… of the document (an item of a document without parts is part of the
    document itself)."""
    return node is not None and g.value(node, ELI.number) is not None


def _record(g: Graph, task: URIRef) -> dict:
    plan = g.value(task, PROV.wasDerivedFrom)
    section = g.value(task, PK.directlyPartOf)
    sector = g.value(task, PK.sector)
    cites = sorted({normalise_number(str(g.value(doc, ELI.id_local))) or str(doc)
                    for doc in g.objects(task, ELI.cites)})
    return {
        "plan": normalise_number(str(g.value(plan, ELI.id_local))),
        "number": int(g.value(task, ELI.number)),
        "title": str(g.value(task, PK.heading)),
        "text": str(g.value(task, PK.text)),
        "section": int(g.value(section, ELI.number)) if _is_section(g, section) else 0,
        "section_title": str(g.value(section, PK.heading)) if _is_section(g, section) else None,
        "sector": _label(g, sector, "zh") if sector is not None else None,
        "sector_en": _label(g, sector, "en") if sector is not None else None,
        "agencies": _agencies(g, task),
        "cites": cites,
        "targets": target_records(g, task),
        "source": {"file": str(g.value(task, PK.sourceFile)),
                   "line": int(g.value(task, PK.sourceLine)),
                   "start": int(g.value(task, PK.startOffset)),
                   "end": int(g.value(task, PK.endOffset))},
        "iri": str(task),
    }


def task_records(g: Graph, *, plan: str | None = None, agency: str | None = None,
                 role: str | None = None, sector: str | None = None,
                 measures: bool = False) -> list[dict]:
    """Tasks in ``g`` (a graph or a union dataset), filtered; sorted by plan and number. With
    ``measures``, the measures of policy documents (意见, 措施, 通知…) are listed too."""
    role = role_key(role) if role else None  # "" is no filter, as for the named queries
    plan_iri = resolve_plan(g, plan) if plan else None
    agency_iri = resolve_agency(g, agency) if agency else None
    sector_iri = resolve_sector(g, sector) if sector else None
    records = []
    items = set(g.subjects(RDF.type, PK.Task))
    if measures:  # those read from a document (a curated fact may name a measure too)
        items |= {m for m in g.subjects(RDF.type, PK.Measure) if (m, PK.sourceFile, None) in g}
    for task in items:
        if plan_iri is not None and (task, PROV.wasDerivedFrom, plan_iri) not in g:
            continue
        if sector_iri is not None and (task, PK.sector, sector_iri) not in g:
            continue
        record = _record(g, task)
        if agency_iri is not None or role is not None:
            wanted = [a for a in record["agencies"]
                      if (agency_iri is None or a["iri"] == str(agency_iri))
                      and (role is None or a["role"] == role)]
            if not wanted:
                continue
        records.append(record)
    return sorted(records, key=lambda r: (r["plan"] or "", r["section"] if _restarts(r) else 0,
                                          r["number"]))


def _restarts(record: dict) -> bool:
    return "/section/" in record["iri"]


def task_record(g: Graph, task: URIRef) -> dict:
    """The record of one task, by IRI."""
    return _record(g, task)


def find_task(g: Graph, number: str, *, plan: URIRef) -> URIRef:
    """The IRI of task ``number`` (as printed) in ``plan``; raises with the closest number."""
    for task in g.subjects(ELI.number, Literal(number)):
        if (task, RDF.type, PK.Task) in g and (task, PROV.wasDerivedFrom, plan) in g:
            return task
    from .errors import UnknownNameError
    numbers = sorted({str(n) for t in g.subjects(PROV.wasDerivedFrom, plan)
                      if (t, RDF.type, PK.Task) in g for n in g.objects(t, ELI.number)},
                     key=lambda n: int(n) if n.isdigit() else 0)
    raise UnknownNameError("任务", "task", number,
                           suggestion=f"{numbers[0]}–{numbers[-1]}" if numbers else None)


def agencies_text(record: dict) -> str:
    """The agencies of a task record as people read them: 县工信局(牵头)、县财政局(配合)."""
    return "、".join(f"{a['name'] or a['as_written']}({ROLE_ZH[a['role']]})"
                    for a in record["agencies"])


def tasks_csv(records: list[dict]) -> str:
    """Task records as CSV, one row a task (the download and ``plankg tasks --format csv``)."""
    from .render import to_csv
    rows = [[r["plan"], r["number"], r["title"], r["section"], r["sector"], agencies_text(r),
             ";".join(r["cites"]), len(r["targets"]), r["iri"]] for r in records]
    return to_csv(["plan", "number", "title", "section", "sector", "agencies", "cites",
                   "targets", "iri"], rows)
