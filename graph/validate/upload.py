"""Validating an upload (``POST /api/validate``): its size checked first, then validated as
``plankg validate`` does. Run in a worker process by the service (killable, memory-limited)."""

from __future__ import annotations

from pathlib import Path
from tempfile import TemporaryDirectory

import pyoxigraph as ox

from ..errors import QueryArgumentError

__all__ = ["MAX_RDF_NODES", "MAX_TASKS", "TooLargeToValidate", "check_validation_size",
           "validate_upload"]

# pySHACL's report and the finding locator grow with the square of the findings: a plan of
# 1,000 tasks takes 6 s, and 2,000 nodes of RDF that are all wrong take 12 s (the seed plan:
# 66 tasks, 308 nodes); ten times more would take many minutes of a server's core
MAX_TASKS = 1000
MAX_RDF_NODES = 2000
_OX = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
       "json-ld": ox.RdfFormat.JSON_LD}


class TooLargeToValidate(QueryArgumentError):
    """An upload whose validation would take too long here (HTTP 413)."""


def check_validation_size(path: Path) -> None:
    """Refuse a plan with more than MAX_TASKS tasks, or RDF with more than MAX_RDF_NODES
    subjects, before validating it (reading and parsing cost little next to validation)."""
    from ..parse import parse_plan
    from .inputs import read_input
    source = read_input(path)
    if source.kind == "rdf":
        try:
            nodes = len({q.subject for q in ox.parse(source.text.encode("utf-8"),
                                                      format=_OX[source.rdf_format])})
        except (SyntaxError, KeyError):
            return  # validation reports the error, with its line
        if nodes > MAX_RDF_NODES:
            raise TooLargeToValidate(
                f"RDF 有 {nodes:,} 个主语，超过在线校验上限 {MAX_RDF_NODES:,}；请用 plankg validate",
                f"the RDF has {nodes:,} subjects, more than the {MAX_RDF_NODES:,} validated "
                f"here; use plankg validate")
        return
    tasks = len(parse_plan(source.text, source_file=path.name).tasks)
    if tasks > MAX_TASKS:
        raise TooLargeToValidate(
            f"规划有 {tasks:,} 项任务，超过在线校验上限 {MAX_TASKS:,}；请用 plankg validate",
            f"the plan has {tasks:,} tasks, more than the {MAX_TASKS:,} validated here; use "
            f"plankg validate")


def validate_upload(body: bytes, suffix: str) -> dict:
    """The report (as JSON-ready data) of an uploaded file of type ``suffix``."""
    from . import validate_file
    with TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(body)
        check_validation_size(path)
        return validate_file(path).as_dict()
