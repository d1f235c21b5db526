"""plankg from Python: one handle on a graph, and answers as lists of plain records.

>>> import plankg
>>> g = plankg.open()                                  # the built release
>>> [t["number"] for t in g.tasks(agency="县发改局", role="配合")]
[49]

``plankg.open(store=SPEC)`` opens any store the command line takes (``oxigraph:DIR``,
``virtuoso:…``, ``memory``…; default ``PLANKG_STORE``, else the release), read-only, as
``plankg serve`` opens it. Every method calls what the command line and the service call:
names resolve as they do there (agency aliases, 牵头/lead…, 发文字号 in any bracket form), the
rows are theirs, and errors are the same :class:`~plankg.graph.errors.PlanKGError` with a
message in Chinese and English.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any, Self

from rdflib import Graph

from .errors import PlanKGError
from .store import GraphStore

__all__ = ["PlanGraph", "Records", "open"]


class Records(list):
    """A list of plain records (dicts), with their columns in order, for notebooks."""

    def __init__(self, rows: Iterable[Mapping[str, Any]] = (), *,
                 columns: Iterable[str] | None = None) -> None:
        super().__init__(dict(r) for r in rows)
        names = list(columns or [])
        for row in self:
            names += [k for k in row if k not in names]
        self.columns: list[str] = names

    def to_pandas(self):
        """A pandas DataFrame, one row per record (pandas is an optional extra:
        ``pip install 'plankg[pandas]'``)."""
        try:
            import pandas as pd
        except ImportError:
            raise PlanKGError("需要 pandas：pip install 'plankg[pandas]'",
                              "pandas is needed: pip install 'plankg[pandas]'") from None
        return pd.DataFrame(list(self), columns=self.columns)

    def to_csv(self, path: str | Path | None = None) -> str:
        """The records as CSV (nested values as their JSON text); written to ``path`` if given."""
        import json

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns)
        for row in self:
            writer.writerow([json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict)
                             else "" if v is None else v for v in
                             (row.get(c) for c in self.columns)])
        text = out.getvalue()
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text


class Validation(Records):
    """The findings of one file; ``conforms`` says whether it has no violation, ``report`` is
    the whole :class:`~plankg.graph.validate.report.ValidationReport`."""

    def __init__(self, report) -> None:
        super().__init__((f.as_dict() for f in report.results),
                         columns=["severity", "line", "message_zh", "message_en", "task",
                                  "focus", "path", "value", "shape"])
        self.conforms: bool = report.conforms
        self.report = report


class Diff(Records):
    """Two plan years side by side: one record per task link (``kind``: added, dropped,
    continues, merge, split); ``targets`` lists the target changes by indicator, ``diff`` is
    the whole :class:`~plankg.graph.diff.PlanDiff`."""

    def __init__(self, diff) -> None:
        data = diff.as_dict()
        rows = [{"kind": "added", "old": None, "new": t["number"], "heading": t["heading"]}
                for t in data["added"]]
        rows += [{"kind": "dropped", "old": t["number"], "new": None, "heading": t["heading"]}
                 for t in data["dropped"]]
        rows += [{"kind": c["kind"], "old": c["old"], "new": c["new"], "heading": c["heading"],
                  "old_heading": c["old_heading"], "score": c["score"],
                  "signals": c["signals"]}
                 for key in ("carried", "merged", "split") for c in data[key]]
        super().__init__(rows)
        self.targets = Records([*data["targets"], *data["goals"]])
        self.diff = diff


class PlanGraph:
    """A graph to ask: the built release, or a store. Use it as a context manager, or call
    :meth:`close`, to let go of a store."""

    def __init__(self, store: GraphStore, *, closing=None, spec: str | None = None) -> None:
        self.store = store
        self.spec = spec
        self._closing = closing

    def __repr__(self) -> str:
        return f"<plankg graph {self.spec or 'release'}>"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._closing is not None:
            self._closing.close()
            self._closing = None

    # -- reading ---------------------------------------------------------------------------

    def tasks(self, *, plan: str | None = None, agency: str | None = None,
              role: str | None = None, sector: str | None = None) -> Records:
        """The tasks, as ``plankg tasks --format json`` and ``GET /api/tasks`` give them."""
        from .stores_reading import task_graph_on_store
        from .tasks import task_records

        graph = task_graph_on_store(self.store, plan)
        return Records(task_records(graph, plan=plan, agency=agency, role=role, sector=sector))

    def lineage(self, number: int | str, *, plan: str | None = None) -> Records:
        """The rows of ``task-lineage`` for task ``number`` of ``plan`` (default: the newest
        plan with tasks), as ``plankg lineage N --format json`` gives them."""
        from .stores_reading import lineage_on_store
        return self._records(lineage_on_store(self.store, str(number), plan))

    def query(self, name: str, **params: str) -> Records:
        """Run the named query ``name`` (``plankg queries`` lists them) with its parameters."""
        from .queries import named_query, run_named_on_store
        return self._records(run_named_on_store(self.store, name,
                                                {k: str(v) for k, v in params.items()}),
                             columns=named_query(name).returns or None)

    def sparql(self, text: str) -> Records | bool | Graph:
        """A read-only SPARQL query: rows for SELECT, a boolean for ASK, an rdflib graph for
        CONSTRUCT and DESCRIBE. The prefixes of the named queries are predefined."""
        answer = self.store.answer(text)
        if answer.kind == "ASK":
            return bool(answer.boolean)
        if answer.graph is not None:
            return answer.graph
        return self._records(answer)

    def validate(self, path: str | Path, *, against: str | Path | None = None) -> Validation:
        """Check a plan file against the SHACL shapes, as ``plankg validate`` does.
        ``against="built"`` compares it with the release's plans, ``"store"`` with this
        graph's, a path with the plans of that RDF file (``.report.changes``)."""
        from .validate import load_graph_file, validate_file

        graph, context = None, None
        if against == "built":
            from .publish import load_release
            graph = load_release()
        elif against == "store":
            graph, context = self.store.plans_to_compare()
        elif against is not None:
            graph, _ = load_graph_file(Path(against))
        return Validation(validate_file(Path(path), against=graph, plan_context=context))

    def diff(self, old: str | Path, new: str | Path) -> Diff:
        """Two plan years side by side, as ``plankg diff``: each a plan file or the 发文字号 of
        a plan of the release."""
        from .cli.diff_cmd import load_plan_graph
        from .diff import diff_plans
        from .publish import load_release

        release = load_release()
        return Diff(diff_plans(*load_plan_graph(str(old), release=release),
                               *load_plan_graph(str(new), release=release)))

    def align(self, child: str | Path, parent: str | Path, *, top: int = 3,
              threshold: float | None = None) -> Records:
        """For each task of ``child``, the measures of ``parent`` it may carry out, ranked, as
        ``plankg align``: each a plan file or the 发文字号 of a vendored source."""
        from .align import THRESHOLD, align
        from .cli.align_cmd import load_plan

        rows = align(load_plan(str(child)), load_plan(str(parent)), top=top,
                     threshold=THRESHOLD if threshold is None else threshold)
        return Records(asdict(r) for r in rows)

    @staticmethod
    def _records(answer, columns=None) -> Records:
        from .sparql import to_records
        return Records(to_records(answer), columns=columns or answer.variables)


def open(store: str | None = None) -> PlanGraph:
    """A graph to ask: the store ``store`` names (else ``PLANKG_STORE``), opened read-only as
    ``plankg serve`` opens it, else the built release (held in memory)."""
    from .backends import open_existing_store, store_spec

    spec = store_spec(store)
    if spec is None:
        from .publish import load_release
        return PlanGraph(GraphStore.of(load_release()))
    backend = open_existing_store(spec)
    return PlanGraph(GraphStore(backend), closing=backend, spec=spec)
