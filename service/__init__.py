"""The HTTP service (FastAPI): a SPARQL endpoint, JSON API and web pages over the graph.

It depends on the graph package and nothing depends on it. Not built yet: see issue 5.
"""
