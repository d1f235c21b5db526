"""Data package: the built release graph (committed; regenerate with `plankg build`)."""
