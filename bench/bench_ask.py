"""Benchmark: ``plankg ask`` against its evaluation sets, and its time.

Run on demand (not a test):  python bench/bench_ask.py [--verbose] [--runs 5]

For ``tests/fixtures/ask/questions.jsonl`` (written for the interpreter's tests) and
``tests/fixtures/ask-heldout/questions.jsonl`` (held out: written without seeing the
interpreter, never tuned on): accuracy by language and kind, and the questions that should have
been refused but were answered. Then the time of one question once the graph is loaded (the
median over every question of the first set, ``--runs`` times), in process and through
``/api/ask`` (FastAPI's test client, p50).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plankg.graph.ask import ask
from plankg.graph.publish import load_release
from plankg.graph.store import GraphStore
from tests.askeval import read_questions, score

SETS = {"ask": ROOT / "tests" / "fixtures" / "ask" / "questions.jsonl",
        "ask-heldout": ROOT / "tests" / "fixtures" / "ask-heldout" / "questions.jsonl",
        "ask-heldout-2": ROOT / "tests" / "fixtures" / "ask-heldout-2" / "questions.jsonl"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--verbose", action="store_true", help="list every wrong answer")
    args = parser.parse_args()
    store = GraphStore.of(load_release())
    for name, path in SETS.items():
        if not path.exists():
            continue
        items = read_questions(path)
        result = score(items, [ask(store, item["question"]) for item in items])
        print(f"\n{name}: {sum(result['hits'].values())}/{sum(result['total'].values())} "
              f"= {result['accuracy']:.3f}; refusals answered: "
              f"{len(result['answered_refusals'])}")
        print("| kind | zh | en |\n|---|---:|---:|")
        for kind in sorted({k for _, k in result["total"]}):
            cells = [f"{result['hits'][(lang, kind)]}/{result['total'][(lang, kind)]}"
                     if result["total"][(lang, kind)] else "—" for lang in ("zh", "en")]
            print(f"| {kind} | {cells[0]} | {cells[1]} |")
        if args.verbose:
            for wrong in result["wrong"]:
                print("   ", *wrong)
    questions = [item["question"] for item in read_questions(SETS["ask"])]
    times = []
    for _ in range(args.runs):
        for question in questions:
            started = time.perf_counter()
            ask(store, question)
            times.append(time.perf_counter() - started)
    print(f"\nask, in process, graph loaded: p50 {statistics.median(times) * 1000:.1f} ms, "
          f"max {max(times) * 1000:.1f} ms over {len(times)} questions")
    from fastapi.testclient import TestClient

    from plankg.service.app import create_app
    with TestClient(create_app(store)) as client:
        http = []
        for question in questions:
            started = time.perf_counter()
            client.get("/api/ask", params={"q": question})
            http.append(time.perf_counter() - started)
    print(f"/api/ask (test client): p50 {statistics.median(http) * 1000:.1f} ms, "
          f"p99 {sorted(http)[int(len(http) * 0.99)] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
