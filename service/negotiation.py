"""Content negotiation: which format to answer in, from the Accept header and its q-values."""

from __future__ import annotations

import pyoxigraph as ox

__all__ = ["GRAPH_FORMATS", "RESULT_FORMATS", "choose"]

# SELECT and ASK answers; the first is the default for */*.
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/xml": ox.QueryResultsFormat.XML,
}
# CONSTRUCT and DESCRIBE answers, and graph downloads.
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}


def _ranges(accept: str) -> list[tuple[str, float, int]]:
    ranges = []
    for index, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        quality = 1.0
        for field in fields[1:]:
            key, _, value = field.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges.append((fields[0].lower(), quality, index))
    return ranges


def _matches(media_range: str, media_type: str) -> int:
    """How specifically a range matches a type: 3 exact, 2 type/*, 1 */*, 0 not at all."""
    if media_range == media_type:
        return 3
    kind, _, sub = media_range.partition("/")
    if sub == "*" and media_type.startswith(kind + "/"):
        return 2
    return 1 if media_range == "*/*" else 0


def choose(accept: str | None, offered: list[str]) -> str | None:
    """The offered type the client prefers, or None when it accepts none of them (406).

    >>> choose("text/csv;q=0.5, application/sparql-results+xml", ["application/sparql-results+json", "application/sparql-results+xml", "text/csv"])
    'application/sparql-results+xml'
    >>> choose("*/*", ["text/turtle", "application/n-triples"])
    'text/turtle'
    >>> choose("image/png", ["text/turtle"]) is None
    True
    """
    if not accept or not accept.strip():
        return offered[0]
    best, best_key = None, None
    for position, media_type in enumerate(offered):
        scores = [(m, q, i) for r, q, i in _ranges(accept) if (m := _matches(r, media_type))]
        if not scores:
            continue
        specificity, quality, order = max(scores)
        if quality <= 0:
            continue
        key = (quality, specificity, -order, -position)
        if best_key is None or key > best_key:
            best, best_key = media_type, key
    return best
