"""Errors raised on bad input. Each names the file and what is wrong with it."""

from __future__ import annotations

from pathlib import Path


class ArchiveError(ValueError):
    """A raw archive file that cannot be read as an official information-operations file."""

    def __init__(self, path: str | Path, problem: str, row: int | None = None, column: str | None = None):
        """``row`` is the record number (data rows from 1, header not counted, a record may span lines)."""
        self.path = Path(path)
        self.problem = problem
        self.row = row
        self.column = column
        where = f"{self.path.name}" + (f", data row {row}" if row is not None else "")
        what = f"column {column}: {problem}" if column is not None else problem
        super().__init__(f"{where}: {what} (file: {self.path})")
