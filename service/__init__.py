"""The HTTP service (FastAPI): a SPARQL 1.1 endpoint, a JSON API and linked data over the graph.

It imports the public ``graph`` API and is HTTP only; nothing imports it but its own command.
``create_app`` is imported on first use, so that ``plankg`` commands other than ``serve`` do not
pay for importing FastAPI.
"""

__all__ = ["create_app"]


def __getattr__(name: str):
    if name == "create_app":
        from .app import create_app
        return create_app
    raise AttributeError(name)
