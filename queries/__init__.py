"""Data package: named SPARQL queries, one per .rq file."""
