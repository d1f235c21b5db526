"""Module boundaries: data flows one way, and the public API is what we say it is."""

from __future__ import annotations

import subprocess
import sys

import plankg.graph


def test_the_parser_does_not_import_rdflib():
    code = "import sys, plankg.graph.parse; sys.exit('rdflib' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_nothing_in_graph_imports_service():
    code = ("import sys, plankg.graph.cli, plankg.graph.validate, plankg.graph.queries, "
            "plankg.graph.pipeline; sys.exit('plankg.service' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_public_exports():
    assert sorted(plankg.graph.__all__) == ["PlanKGError", "SourceParseError", "parse_file", "parse_plan"]
    from plankg.graph import errors
    assert sorted(errors.__all__) == sorted(["PlanKGError", "SourceParseError", "RegistryError",
                                              "DocumentRefusedError",
                                              "UnknownNameError", "QueryArgumentError",
                                              "StoreError", "StoreUnavailableError",
                                                  "QueryTimeoutError"])
