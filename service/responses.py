"""JSON answers written by orjson: the API's records are plain dicts, lists, strings and
numbers, and orjson writes them several times faster than the standard library (the same JSON:
UTF-8, no spaces)."""

from __future__ import annotations

from fastapi.responses import JSONResponse

from plankg.graph.backends.oxigraph import dump_json

__all__ = ["JSONAnswer"]


class JSONAnswer(JSONResponse):
    def render(self, content) -> bytes:
        return dump_json(content)
