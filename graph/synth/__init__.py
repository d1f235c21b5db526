"""A synthetic corpus shaped like the real graph, for benchmarks from 10⁴ to 10⁷ triples.

    synthesize(plans=N, seed=S)          → pyoxigraph.Quad, one after another
    synthesize_nquads(plans=N, seed=S)   → N-Quads text, one graph's block at a time (faster)
    write_corpus(out, plans=N, seed=S)   → writes TriG or N-Quads; returns the number of quads
    plans_for_triples(T)                 → the N that gives about T triples

The world: provinces → cities (3–6 each) → counties (4–8 each), with GB/T 2260-style codes;
each division has its government, its general office (the issuer), 10–21 departments
(县财政局 …), vertical branches (tax, the central bank), some other bodies and, in a county,
townships. Each division has one plan a year for four years (2020–2023): each year's plan
repeals the one before, a county's plan is based on its city's plan of the same year, a city's
on its province's, and a province's plan carries out a national document (stated in its
preamble, and curated). Plans have 40–80 tasks in the seed's layout, in the plan's own sector
scheme, with agencies in roles (负责, 牵头/配合, rarely none), targets, citations of national
documents and of the parent plan, and machine-proposed measure-level links to the parent plan's
tasks (``pk:alignedWith``; accepted ones ``pk:implementsMeasure``).

The graphs are named for their owners, as the builder names them, so that batches loaded one
after another into a store add to it and never replace one another's graphs: ``ontology``, the
batch's registry ``curated/synth/{seed}``, and for each plan its asserted graph
(:func:`plankg.graph.iris.document_graph`), its curated links ``curated/{plan}``, its alignment
``alignment/{plan}`` and ``inferred/{plan}``; the inferred graphs hold together exactly what
:func:`plankg.graph.reason.infer` would add (a test checks it on a small corpus). Plans are written
division by division, so a corpus is a prefix of every larger one with the same seed, every
plan's parent comes before it, and nothing is held but the plan being written.

Deterministic: the same arguments give the same bytes.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from .. import iris
from .._ox import to_ox
from ..errors import StoreError
from ..ontology import load_ontology, sector_labels
from ._plan import PlanWriter
from ._terms import iri
from ._world import National, divisions

__all__ = ["BASE_QUADS", "FIRST_YEAR", "FORMATS", "MAX_PLANS", "QUADS_PER_PLAN", "YEARS",
           "plans_for_triples", "synthesize", "synthesize_nquads", "write_corpus"]

FIRST_YEAR = 2020
YEARS = 4
TASKS = (40, 80)
# Measured with the default task range (seeds 1–5, 400 plans): quads per plan, and the quads
# every corpus has (ontology, national bodies and documents).
QUADS_PER_PLAN = 4370
BASE_QUADS = 1980
# The divisions always hold this many (89 provinces of at least 3 cities of at least 4 counties,
# four years each): about 2.2·10⁷ triples.
MAX_PLANS = 5000


def plans_for_triples(triples: int) -> int:
    """The number of plans that gives about ``triples`` quads (default task range).

    >>> plans_for_triples(10_000), plans_for_triples(1_000_000)
    (2, 228)
    """
    return max(1, round((triples - BASE_QUADS) / QUADS_PER_PLAN))


@cache
def _ontology_block() -> tuple[str, ...]:
    return tuple(sorted(f"{to_ox(s)} {to_ox(p)} {to_ox(o)}" for s, p, o in load_ontology()))


def _sector_labels() -> dict[str, str]:
    """Sector key → Chinese label, from the ontology."""
    return {str(concept).rsplit("/", 1)[-1]: label
            for label, concept in sector_labels(load_ontology()).items()}


def _blocks(*, plans: int, seed: int, tasks: tuple[int, int]
            ) -> Iterator[tuple[str, list[str] | tuple[str, ...]]]:
    if not 1 <= plans <= MAX_PLANS or not 6 <= tasks[0] <= tasks[1]:
        raise ValueError(f"1 ≤ plans ≤ {MAX_PLANS} and 6 ≤ tasks[0] ≤ tasks[1]")
    rng = random.Random(seed)
    source = f"synthetic (plankg synth --seed {seed})"
    curated = iri(iris.curated_graph(f"synth/{seed}"))
    yield iri(iris.named_graph("ontology")), _ontology_block()
    national = National(rng, years=range(FIRST_YEAR - 1, FIRST_YEAR + YEARS), source=source)
    yield curated, national.curated.triples
    labels, made = _sector_labels(), 0
    for division, staff in divisions(rng, national, source=source):
        yield curated, staff
        for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
            writer = PlanWriter(rng, division, year, national=national, tasks=tasks,
                                sector_labels=labels, source=source)
            yield from writer.write()
            made += 1
            if made == plans:
                return


def synthesize_nquads(*, plans: int, seed: int, tasks: tuple[int, int] = TASKS
                      ) -> Iterator[str]:
    """The corpus as N-Quads text: each item holds whole statements of one graph."""
    for graph, triples in _blocks(plans=plans, seed=seed, tasks=tasks):
        if triples:
            end = f" {graph} .\n"
            yield end.join(triples) + end


def synthesize(*, plans: int, seed: int, tasks: tuple[int, int] = TASKS) -> Iterator[ox.Quad]:
    """The corpus as pyoxigraph quads (``plans`` plans of 40–80 tasks by default)."""
    for chunk in synthesize_nquads(plans=plans, seed=seed, tasks=tasks):
        yield from ox.parse(chunk.encode("utf-8"), format=ox.RdfFormat.N_QUADS)


@contextmanager
def _binary(out: Path | BinaryIO | None) -> Iterator[BinaryIO]:
    if out is None:
        yield sys.stdout.buffer
    elif isinstance(out, Path):
        with out.open("wb") as f:
            yield f
    else:
        yield out


def _write_nquads(stream: BinaryIO, **options) -> int:
    count = 0
    for chunk in synthesize_nquads(**options):
        count += chunk.count("\n")
        stream.write(chunk.encode("utf-8"))
    return count


def _write_trig(stream: BinaryIO, **options) -> int:
    count = 0

    def counted() -> Iterator[ox.Quad]:
        nonlocal count
        for quad in synthesize(**options):
            count += 1
            yield quad

    ox.serialize(counted(), stream, ox.RdfFormat.TRIG,
                 prefixes={k: str(v) for k, v in iris.PREFIXES.items()})
    return count


FORMATS = {"nq": _write_nquads, "trig": _write_trig}


def write_corpus(out: Path | BinaryIO | None, *, plans: int, seed: int, fmt: str = "nq",
                 tasks: tuple[int, int] = TASKS) -> int:
    """Write the corpus to ``out`` (a path, a binary stream, or None for standard output) as
    ``fmt`` (``nq``, written as it is made, or ``trig``, through pyoxigraph's serializer, about
    three times slower); returns the number of quads written."""
    try:
        with _binary(out) as stream:
            return FORMATS[fmt](stream, plans=plans, seed=seed, tasks=tasks)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise StoreError(f"无法写出合成语料：{out}", f"cannot write the synthetic corpus to "
                         f"{out}: {exc.strerror or exc}") from None
