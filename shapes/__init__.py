"""Data package: SHACL shapes, one file per ontology module."""
