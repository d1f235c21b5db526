"""Data package: the plankg ontology as Turtle modules (plankg.ttl imports the rest)."""
