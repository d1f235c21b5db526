"""The HTTP service (FastAPI): a SPARQL 1.1 endpoint and a JSON API over the graph.

It imports the public ``graph`` API and is HTTP only; nothing imports it but its own command.
"""

from .app import create_app

__all__ = ["create_app"]
