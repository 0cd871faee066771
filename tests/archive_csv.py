"""Reading and writing archive-style CSVs in tests (quoted like Twitter's files), to damage copies of the
real fixture."""

from __future__ import annotations

import csv
import io
from pathlib import Path


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """(header, data rows) of a CSV."""
    with open(path, newline="", encoding="utf-8") as fh:
        r = csv.reader(fh)
        return next(r), list(r)


def write_rows(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """Write ``header`` and ``rows`` as the archive writes them (every field quoted, ``\\n`` line ends)."""
    buf = io.StringIO()
    csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows([header, *rows])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path
