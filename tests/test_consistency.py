"""The same figure printed in two notebooks is the same number.

Parses the committed, executed notebooks (``notebooks/*.ipynb``: the outputs of the default run) and collects
every per-release figure they print: tables (their HTML output) whose rows or columns are releases, the case
studies' detector lines ("amplifiers: flags 359 accounts") and the comparison's summary sentences. Figures that
are the same quantity under another label are mapped to one name (the tactics table's "core" row counts the
amplified core; its "retweet rings" row counts ring members). Each figure must have one value across all the
notebooks (and tables) that print it, and the key figures must be printed where the notebooks promise them.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

# Labels that name the same quantity. Keys and values are normalized labels (see ``_norm``).
SAME = {
    "finding: amplifiers": "amplifiers",  # the amplifier detector flags the coordination stage's amplifiers
    "finding: core": "amplified core",  # the core detector: accounts amplified by >= 2 amplifiers
    "finding: retweet rings": "ring members",  # the ring detector flags the ring members
}

# (figure, notebooks that must print it for every release, notebooks that must print it for their own release)
REQUIRED = [
    ("tweets", ("01_load", "02_clean", "08_comparison"), ("05_case_china", "06_case_russia", "07_case_turkey")),
    ("amplifiers", ("04_networks", "08_comparison"), ("05_case_china",)),
    ("amplified core", ("04_networks", "08_comparison"), ("05_case_china",)),
    ("retweet rings", ("04_networks", "08_comparison"), ("07_case_turkey",)),
    ("ring members", ("04_networks", "08_comparison"), ("07_case_turkey",)),
]
CASE_STUDIES = {"05_case_china": "china", "06_case_russia": "russia", "07_case_turkey": "turkey"}


class _Tables(HTMLParser):
    """Every ``<table>`` of an HTML fragment as a grid of cell texts (rowspan/colspan expanded), with the number
    of header rows (``<thead>``) and, per row, how many leading cells are ``<th>`` (index labels)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.tables.append({"rows": [], "head": 0, "in_head": False})
        elif not self.tables:
            return
        t = self.tables[-1]
        if tag == "thead":
            t["in_head"] = True
        elif tag == "tr":
            t["rows"].append([])
            t["head"] += t["in_head"]
        elif tag in ("td", "th"):
            self._cell = []
            t["rows"][-1].append({"th": tag == "th", "text": "", "rowspan": int(a.get("rowspan") or 1),
                                  "colspan": int(a.get("colspan") or 1)})

    def handle_endtag(self, tag):
        if tag == "thead" and self.tables:
            self.tables[-1]["in_head"] = False
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[-1]["rows"][-1][-1]["text"] = " ".join("".join(self._cell).split())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _grid(rows: list[list[dict]]) -> list[list[dict]]:
    """Expand rowspan/colspan: every row gets one entry per column."""
    out: list[list[dict]] = []
    pending: dict[tuple[int, int], dict] = {}
    for r, row in enumerate(rows):
        line, c, cells = [], 0, iter(row)
        while True:
            if (r, c) in pending:
                line.append(pending.pop((r, c)))
                c += 1
                continue
            cell = next(cells, None)
            if cell is None:
                break
            for dc in range(cell["colspan"]):
                line.append(cell)
                for dr in range(1, cell["rowspan"]):
                    pending[(r + dr, c + dc)] = cell
            c += cell["colspan"]
        while (r, c) in pending:
            line.append(pending.pop((r, c)))
            c += 1
        out.append(line)
    return out


def parse_tables(html: str) -> list[tuple[list[str], list[str], list[tuple[str, ...]], list[list[str]]]]:
    """Each table as (column labels, index names, index tuples, body values). Columns that have a name (pandas
    prints it above the index) are prefixed with it ("fitted_on: retweet")."""
    p = _Tables()
    p.feed(html)
    out = []
    for t in p.tables:
        grid = _grid(t["rows"])
        head, body = grid[: t["head"]], grid[t["head"]:]
        if not head or not body:
            continue
        n_index = sum(1 for cell in body[0] if cell["th"])
        title = head[0][n_index - 1]["text"] if n_index else ""
        columns = [f"{title}: {cell['text']}" if title else cell["text"] for cell in head[0][n_index:]]
        names = [cell["text"] for cell in head[-1][:n_index]] if len(head) > 1 else [""] * n_index
        index = [tuple(cell["text"] for cell in row[:n_index]) for row in body]
        values = [[cell["text"] for cell in row[n_index:]] for row in body]
        out.append((columns, names, index, values))
    return out


def _norm(label: str) -> str:
    return " ".join(label.lower().replace("_", "-").split())


def _number(text: str) -> float | None:
    """The number a cell or sentence prints; None for text and for NaN (an undefined score is no figure)."""
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        return None
    return None if math.isnan(value) else value


def _canon(measure: str) -> str:
    m = _norm(measure)
    if m.endswith(" flagged"):  # score tables: the "flagged" column of a detector's row
        m = "finding: " + m.removesuffix(" flagged")
    return SAME.get(m, m)


Sighting = tuple[str, str, float]  # notebook, where, value


def table_facts(columns, names, index, values, releases: list[str], own: str | None):
    """(release, figure, value) of one table: releases as rows (index or a ``release`` column, optionally
    with a ``trace``/``detector`` second key) or as columns; in a case study, its detector score table."""
    facts = []
    cols = [_norm(c) for c in columns]
    if "release" in cols:  # a release column (and maybe trace/detector): use it as the key
        r_at = cols.index("release")
        k_at = next((cols.index(k) for k in ("trace", "detector") if k in cols), None)
        keys = [(row[r_at], row[k_at] if k_at is not None else "") for row in values]
        if len(set(keys)) == len(keys):
            for (rel, key), row in zip(keys, values, strict=True):
                for c, v in zip(cols, row, strict=True):
                    if c not in ("release", "trace", "detector") and rel in releases:
                        facts.append((rel, f"{key} {c}" if key else c, v))
        return facts
    first = [i[0] for i in index] if index and index[0] else []
    if first and set(first) <= set(releases) and len(index[0]) <= 2:
        if len(set(index)) == len(index):
            for i, row in zip(index, values, strict=True):
                for c, v in zip(cols, row, strict=True):
                    facts.append((i[0], f"{i[1]} {c}" if len(i) == 2 else c, v))
        return facts
    rel_cols = [c for c in columns if c in releases]
    if rel_cols and index and len(index[0]) == 1:
        prefix = "finding: " if names and _norm(names[0]) == "detector" else ""
        for i, row in zip(index, values, strict=True):
            for c, v in zip(columns, row, strict=True):
                if c in releases:
                    facts.append((c, prefix + i[0], v))
        return facts
    if own and names and _norm(names[0]) == "detector" and "flagged" in cols:
        at = cols.index("flagged")
        facts.extend((own, f"{i[0]} flagged", row[at]) for i, row in zip(index, values, strict=True))
    return facts


FLAGS = re.compile(r"^(?P<name>[\w -]+): flags (?P<n>[\d,]+) accounts", re.M)
FOUND = re.compile(r"Found: (?P<list>[^.]*)\.")
FOUND_ITEM = re.compile(r"(?P<name>[\w -]+) \((?P<n>[\d,]+) accounts\)")
RINGS = re.compile(r"^retweet rings: flags [\d,]+ accounts\. Evidence: (?P<n>[\d,]+) rings? ", re.M)


def text_facts(text: str, releases: list[str], own: str | None):
    """Detector lines ("core: flags 93 accounts", in a case study) and summary sentences ("Found: core (93
    accounts); ...", in a case study or after "<release>: " in the comparison)."""
    facts = []
    if own:
        facts.extend((own, f"finding: {m['name'].strip()}", m["n"]) for m in FLAGS.finditer(text))
        facts.extend((own, "retweet rings", m["n"]) for m in RINGS.finditer(text))
    for line in text.splitlines():
        head = line.split(": ", 1)[0]
        rel = head if head in releases else own
        for f in FOUND.finditer(line) if rel else ():
            facts.extend((rel, f"finding: {i['name'].strip()}", i["n"]) for i in FOUND_ITEM.finditer(f["list"]))
    return facts


def _outputs(nb: dict):
    for i, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "text/html" in data:
                yield i, "html", "".join(data["text/html"])
            elif "text" in out:
                yield i, "text", "".join(out["text"])
            elif "text/markdown" in data:
                yield i, "text", "".join(data["text/markdown"])
            elif "text/plain" in data:
                yield i, "text", "".join(data["text/plain"])


def _releases(nbs: dict[str, dict]) -> list[str]:
    """The releases of the default run: the list 01 prints after ``stages.prepare``."""
    for _, kind, text in _outputs(nbs["01_load"]):
        m = re.fullmatch(r"\s*\[('[\w-]+'(?:, '[\w-]+')*)\]\s*", text) if kind == "text" else None
        if m:
            return re.findall(r"'([\w-]+)'", m[1])
    raise AssertionError("01_load does not print its release list")


def collect(nbs: dict[str, dict]) -> tuple[list[str], dict[tuple[str, str], list[Sighting]]]:
    releases = _releases(nbs)
    seen: dict[tuple[str, str], list[Sighting]] = defaultdict(list)
    for name, nb in nbs.items():
        campaign = CASE_STUDIES.get(name)
        own = next((r for r in releases if campaign and campaign in r), None)
        for i, kind, text in _outputs(nb):
            if kind == "html":
                facts = [f for t in parse_tables(text) for f in table_facts(*t, releases, own)]
            else:
                facts = text_facts(text, releases, own)
            for rel, measure, raw in facts:
                value = _number(raw)
                if value is not None:
                    seen[(rel, _canon(measure))].append((name, f"cell {i}", value))
    return releases, seen


@pytest.fixture(scope="module")
def figures() -> tuple[list[str], dict[tuple[str, str], list[Sighting]]]:
    nbs = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))}
    return collect(nbs)


def _show(sightings: list[Sighting]) -> str:
    return ", ".join(f"{v:g} in {nb} ({where})" for nb, where, v in sightings)


@pytest.mark.parametrize("figure", sorted({f for f, _, _ in REQUIRED}))
def test_a_figure_printed_in_several_notebooks_has_one_value(figures, figure):
    releases, seen = figures
    found = {rel: seen.get((rel, figure), []) for rel in releases}
    differ = {rel: s for rel, s in found.items() if len({v for _, _, v in s}) > 1}
    assert not differ, "\n".join(f"{figure} of {rel}: {_show(s)}" for rel, s in differ.items())


def test_every_figure_printed_twice_agrees(figures):
    """Beyond the key figures: any per-release figure that two tables or notebooks print under one label."""
    _, seen = figures
    differ = {k: s for k, s in seen.items() if len({v for _, _, v in s}) > 1}
    assert not differ, "\n".join(f"{fig} of {rel}: {_show(s)}" for (rel, fig), s in sorted(differ.items()))


@pytest.mark.parametrize(("figure", "everywhere", "own"), REQUIRED)
def test_key_figures_are_printed_where_promised(figures, figure, everywhere, own):
    releases, seen = figures
    missing = []
    for rel in releases:
        where = {nb for nb, _, _ in seen.get((rel, figure), [])}
        want = set(everywhere) | {nb for nb in own if CASE_STUDIES[nb] in rel}
        missing += [f"{nb} ({rel})" for nb in sorted(want - where)]
    assert not missing, f"{figure} is not printed in: {', '.join(missing)}"


def test_the_parser_reads_a_pandas_table():
    import pandas as pd

    df = pd.DataFrame({"release": ["a_1", "b_2"], "amplifiers": [3, 4]})
    multi = pd.DataFrame({"edges": [1, 2]}, index=pd.MultiIndex.from_tuples([("a_1", "co_retweet"),
                                                                              ("a_1", "co_tweet")],
                                                                             names=["release", "trace"]))
    wide = pd.DataFrame({"a_1": ["7", "n/a"]}, index=pd.Index(["core", "narratives"], name="detector"))
    named = pd.DataFrame({"retweet": [5]}, index=["a_1"]).rename_axis(columns="fitted_on")
    facts = [f for html in (df.to_html(), multi.to_html(), wide.to_html(), named.to_html()) for t in parse_tables(html)
             for f in table_facts(*t, ["a_1", "b_2"], None)]
    assert ("a_1", "amplifiers", "3") in facts and ("b_2", "amplifiers", "4") in facts
    assert ("a_1", "co_retweet edges", "1") in facts and ("a_1", "co_tweet edges", "2") in facts
    assert ("a_1", "finding: core", "7") in facts and ("a_1", "fitted-on: retweet", "5") in facts
    assert _canon("finding: core") == "amplified core" and _canon("co_retweet edges") == "co-retweet edges"
