"""Property-based tests of every operation in the OpenAPI schema, with schemathesis, in-process
(ASGI): generated paths, parameters, headers and bodies, valid and not. No answer may be a 5xx,
and answers must conform to the schema where it says something (media types, response
headers). Derandomised: the same cases on every run."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
)

from plankg.graph.publish import load_release
from plankg.graph.store import GraphStore
from plankg.service import create_app

EXAMPLES = 30  # per operation, positive and negative cases mixed: about 500 in all
CHECKS = [not_a_server_error, content_type_conformance, response_headers_conformance]


def _operations() -> list[str]:
    """Every operation of the schema, as schemathesis labels them (``GET /api/tasks``)."""
    paths = create_app(None).openapi()["paths"]  # the schema needs no store
    return [f"{method.upper()} {path}" for path, item in paths.items() for method in item]


@pytest.fixture(scope="module")
def api_schema():
    app = create_app(GraphStore.of(load_release()))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.mark.parametrize("label", _operations())
def test_no_operation_answers_a_server_error(api_schema, label):
    operation = api_schema.find_operation_by_label(label)
    assert operation is not None
    cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                      operation.as_strategy(GenerationMode.NEGATIVE))

    @given(case=cases)
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case) -> None:
        case.call_and_validate(checks=CHECKS)

    run()
