"""Data package: vendored source documents and their manifest."""
