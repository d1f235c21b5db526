"""Parse plan documents into the plain model (:mod:`plankg.graph.model`). Knows nothing of RDF."""

from .docnumber import normalise as normalise_number
from .docnumber import parse_number
from .plan import parse_file, parse_plan

__all__ = ["normalise_number", "parse_file", "parse_number", "parse_plan"]
