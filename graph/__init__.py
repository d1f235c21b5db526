"""plankg: a policy knowledge graph of Chinese government plans.

Data flows one way: parse → build → reason → validate → query.
"""

from .errors import PlanKGError, SourceParseError
from .parse import parse_file, parse_plan

__all__ = ["PlanKGError", "SourceParseError", "parse_file", "parse_plan"]
