"""CITATION.cff, LICENSE and the references the notebooks cite (ioa_utils/data/references.yaml) agree."""

from __future__ import annotations

import tomllib

import pytest
import yaml

from ioa_utils import references
from ioa_utils.paths import PROJECT_ROOT

CFF_TYPES = {"report", "article", "conference-paper", "software", "data", "webpage"}


@pytest.fixture(scope="module")
def cff() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_cff_has_the_required_fields(cff):
    assert cff["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors", "license", "date-released", "version"):
        assert cff[key], key
    for ref in cff["references"]:
        assert ref["type"] in CFF_TYPES and ref["title"] and ref["authors"] and ref["url"].startswith("https://")


def test_cff_references_mirror_the_references_file(cff):
    got = {(r["title"], r["url"], r["year"]) for r in cff["references"]}
    want = {(r.title, r.url, r.year) for r in references.all_references().values()}
    assert got == want


def test_license_file_matches_the_declared_license(cff):
    declared = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]["license"]["text"]
    assert declared == cff["license"] == "MIT"
    assert (PROJECT_ROOT / "LICENSE").read_text().startswith("MIT License")


def test_section_lists_each_cited_work_once_in_order():
    md = references.section(["benjamini_1995", "wilson_1927", "benjamini_1995"]).data
    lines = md.splitlines()
    assert lines[0] == "## References"
    assert [line.split(" (")[0] for line in lines[2:]] == ["- Yoav Benjamini and Yosef Hochberg", "- Edwin B. Wilson"]
    assert "<https://doi.org/10.1080/01621459.1927.10502953>" in lines[-1]


def test_unknown_key_names_the_file():
    with pytest.raises(KeyError, match="references.yaml"):
        references.get("no_such_work")
