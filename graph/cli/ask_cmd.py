"""``plankg ask QUESTION [--plan NUMBER] [--store SPEC] [--format table|json]``."""

from __future__ import annotations

import argparse

from ..render import table, to_json

__all__ = ["run_ask"]

# the columns shown for each kind of answer (the JSON keeps every column)
COLUMNS = {
    "tasks-by-agency": ["number", "heading", "role"], "count-by-agency": ["number", "heading"],
    "tasks-by-sector": ["number", "heading", "sector_label"],
    "agencies-of-task": ["number", "name", "role"], "whether": ["number", "name", "role"],
    "most": ["name", "total", "lead", "support", "responsible"],
    "lineage-of-task": ["hop", "relation", "evidence", "doc_number", "title"],
    "documents": ["relation", "number", "title", "part_number"],
    "targets": ["task_number", "number", "indicator", "as_printed", "value", "unit"],
}


def run_ask(args: argparse.Namespace) -> int:
    from ..api import open as open_graph
    from ..ask import ask
    from ..tasks import role_label

    with open_graph(args.store) as graph:  # --store or PLANKG_STORE, read-only; else the release
        answer = ask(graph.store, args.question, plan=args.plan)
    if args.format == "json":
        print(to_json(answer))
        return 0 if answer["understood"] else 1
    if not answer["understood"]:
        print(f"没有理解 / not understood: {answer['reason_zh']} / {answer['reason_en']}")
        print("可以这样问 / you can ask, for example:")
        for example in answer["suggestions"]:
            print(f"  {example}")
        return 1
    params = ", ".join(f"{k}={v}" for k, v in answer["params"].items())
    print(f"{answer['interpretation_zh']} / {answer['interpretation_en']}")
    print(f"查询 / query: {answer['query']}" + (f" ({params})" if params else ""))
    rows = answer["rows"]
    columns = [c for c in COLUMNS.get(answer["kind"], []) if any(c in r for r in rows)]
    if rows and columns:
        print()
        print(table(columns, [[role_label(str(r[c])) if c == "role" and r.get(c) else
                               ("" if r.get(c) is None else r[c]) for c in columns]
                              for r in rows]))
    print(f"\n{answer['answer_zh']}\n{answer['answer_en']}")
    return 0
