"""The README's walkthrough, "Adapt a case study to another takedown", done as a student would on the real RNA_0621
release: its files in a folder, a campaign file copied from the template and edited (here written by the test),
``make report DATA=<folder> PARAMS="-p campaign <file>"`` (``pipeline.main`` with the same arguments). The report
must hold one case study for the release, the generic one, using the file's narratives and thresholds, and no
China, Russia or Turkey chapter."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
import yaml

from ioa_utils import casestudy as cs
from ioa_utils import pipeline
from ioa_utils.casestudy import campaign, narratives
from ioa_utils.workspace import Workspace

RELEASE = "RNA_0621"
CHAPTERS = ("05_case_china", "06_case_russia", "07_case_turkey")


def _text(nb) -> str:
    outs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    return "\n".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for o in outs)


@pytest.fixture(scope="module")
def walkthrough(real_dir: Path, tmp_path_factory) -> tuple[Path, Path, Path]:
    """The student's steps: a copy of the template with their narratives and one threshold, then the report."""
    tmp = tmp_path_factory.mktemp("walkthrough")
    doc = yaml.safe_load((campaign.folder() / campaign.TEMPLATE).read_text(encoding="utf-8"))
    doc.update(name="rna_test", title="Zimbabwe and Africa in RNA_0621 (test)", releases="rna_0621",
               narratives={"zimbabwe": ["zimbabwe*", "harare", "mnangagwa"], "africa": ["africa*", "#africa"]},
               peak="zimbabwe", promotion=["zimbabwe"], attack=[])
    doc["thresholds"] = {"personas": {"max_followers": 40}}
    path = tmp / "my_campaign.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out, work = tmp / "reports", tmp / "work"
    assert pipeline.main(["-p", "raw_dir", str(real_dir), "-p", "work_dir", str(work), "-p", "campaign", str(path),
                          "--out", str(out)]) == 0
    return out, work, path


@pytest.mark.slow
def test_the_release_gets_the_generic_case_study_and_no_chapter(walkthrough):
    out, _, path = walkthrough
    manifest = json.loads((out / "manifest.json").read_text())
    ran = [n["notebook"] for n in manifest["notebooks"]]
    assert f"case_{RELEASE}.ipynb" in ran and (out / f"case_{RELEASE}.html").exists()
    assert not [n for n in ran if n.startswith(CHAPTERS)] and not list(out.glob("0[5-7]_*"))
    case = next(n for n in manifest["notebooks"] if n["notebook"] == f"case_{RELEASE}.ipynb")
    assert case["release"] == RELEASE and case["parameters"]["campaign"] == str(path)
    index = (out / "index.html").read_text()
    assert f"href='case_{RELEASE}.html'" in index and "campaign: my_campaign" in index


@pytest.mark.slow
def test_the_case_study_counts_the_files_narratives_with_its_thresholds(walkthrough, real_dir: Path):
    out, work, path = walkthrough
    nb = nbformat.read(out / f"case_{RELEASE}.ipynb", as_version=4)
    text = _text(nb)
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    # the same finding, computed here from the file: the notebook printed it
    mine = campaign.load(path)
    data = cs.load(RELEASE, Workspace(real_dir, work))
    nar = narratives.narratives(data, mine, peak=mine.peak, **mine.params("narratives"))
    assert nar.applicable and "match a rna_test narrative: zimbabwe " in nar.evidence
    assert nar.table["zimbabwe"].sum() > 0 and nar.table["africa"].sum() > 0
    assert nar.evidence in text
    assert "<= 40 followers and no bio" in text  # the file's persona threshold, not the default
    assert "Zimbabwe and Africa in RNA_0621 (test)" in text
    assert "synth_" not in text and "hong_kong" not in text and "akp_promo" not in text
