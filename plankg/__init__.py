"""plankg — 政策规划知识图谱 / a policy knowledge graph of Chinese government plans.

The Python API (see ``plankg.graph.api``)::

    import plankg
    g = plankg.open()                          # the built release; plankg.open(store="oxigraph:DIR")
    g.tasks(agency="县发改局", role="配合")      # records, with .to_pandas() and .to_csv()
    g.query("agency-workload").to_pandas()
    g.lineage(1), g.sparql("SELECT …"), g.validate("plan.md", against="built")
    g.diff("沁政办发〔2022〕33号", "next-year.md"), g.align("child.md", "parent.md")

Installed, everything lives under this one namespace: ``plankg.graph`` (parse, build, reason,
validate, query), ``plankg.service`` (the FastAPI app), and the data packages
``plankg.ontology``, ``plankg.shapes`` and ``plankg.queries``.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from .graph.errors import PlanKGError

if TYPE_CHECKING:
    from .graph.api import PlanGraph, Records, open

__all__ = ["PlanGraph", "PlanKGError", "Records", "__version__", "open"]


def __getattr__(name: str):
    """The API is imported when first used, so that ``import plankg.graph.parse`` stays light
    (the parser imports no rdflib)."""
    if name in ("PlanGraph", "Records", "open"):
        from .graph import api
        return getattr(api, name)
    raise AttributeError(f"module 'plankg' has no attribute {name!r}")

try:
    __version__ = version("plankg")
except PackageNotFoundError:  # a checkout that is not installed
    __version__ = "0+unknown"
