"""Data package: quality checks; any row returned by a *-violation.rq fails the check."""
