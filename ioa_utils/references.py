"""The works the notebooks cite, from one file (``data/references.yaml``).

Each notebook ends with ``references.section([...keys])``: its "References" section, generated so that a
citation is written once and every notebook cites it the same way::

    from ioa_utils import references
    references.section(["sio_june_2020", "grootendorst_2022"])
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml
from IPython.display import Markdown


@dataclass(frozen=True)
class Reference:
    key: str
    authors: tuple[str, ...]
    year: int
    title: str
    venue: str
    url: str
    type: str
    note: str

    def citation(self) -> str:
        """Authors (year). Title. Venue. URL — one line of Markdown."""
        a = self.authors
        who = a[0] if len(a) == 1 else (f"{a[0]} and {a[1]}" if len(a) == 2 else f"{', '.join(a[:-1])} and {a[-1]}")
        return f"{who} ({self.year}). *{self.title}*. {self.venue}. <{self.url}>"


@cache
def all_references() -> dict[str, Reference]:
    raw = yaml.safe_load(resources.files("ioa_utils").joinpath("data/references.yaml").read_text(encoding="utf-8"))
    return {k: Reference(k, tuple(v["authors"]), int(v["year"]), v["title"], v["venue"], v["url"], v["type"],
                         v["note"]) for k, v in raw.items()}


def get(key: str) -> Reference:
    refs = all_references()
    if key not in refs:
        raise KeyError(f"no reference {key!r} in ioa_utils/data/references.yaml (known: {', '.join(sorted(refs))})")
    return refs[key]


def section(keys: Iterable[str], heading: str = "## References") -> Markdown:
    """A notebook's References section: the cited works in the order given (each once), each with what
    the project takes from it."""
    refs = [get(k) for k in dict.fromkeys(keys)]
    lines = [f"- {r.citation()} — {r.note}." for r in refs]
    return Markdown("\n".join([heading, "", *lines] if heading else lines))
