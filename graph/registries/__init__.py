"""Data package: curated registries (agencies, known documents, relations), each fact with its source."""
