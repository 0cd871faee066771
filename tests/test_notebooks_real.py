"""Every notebook of the report runs unchanged on a real release (RNA_0621), with papermill, as a user would run it:
the numbered notebooks but the flagship chapters (05-07, for the June 2020 releases only) and the generic case study
the report runs for this release."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from ioa_utils import pipeline
from ioa_utils.paths import NOTEBOOKS_DIR

EVALUATION = "09_evaluation.ipynb"
BOOKS = [p.name for p in pipeline.notebooks(NOTEBOOKS_DIR) if p.stem not in pipeline.chapters()] + [
    "case_RNA_0621.ipynb"]


@pytest.fixture(scope="module")
def real_run(real_dir: Path, tmp_path_factory) -> Path:
    """Run the whole pipeline once on the real release into a temporary folder."""
    out = tmp_path_factory.mktemp("real_report")
    params = {"raw_dir": str(real_dir), "work_dir": str(out / "work"),
              "figures_dir": str(out / "figures"),
              # 09 evaluates the methods on generated archives whatever the release: a small protocol here
              "dev_seeds": [101], "heldout_seeds": [201, 202], "eval_scale": 0.25, "model_seeds": [2020, 1]}
    assert pipeline.run(params, out_dir=out) == 0
    return out


@pytest.mark.slow
@pytest.mark.parametrize("book", BOOKS)
def test_notebook_runs_on_real_release(real_run: Path, book: str):
    nb = nbformat.read(real_run / book, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "\n".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    if book != EVALUATION:  # 09 scores the methods on generated archives by design, whatever raw_dir is
        assert "synth_" not in text  # nothing silently fell back to the synthetic archive
    assert (real_run / book).with_suffix(".html").exists()


@pytest.mark.slow
def test_real_report_says_there_is_no_ground_truth(real_run: Path):
    index = (real_run / "index.html").read_text()
    assert "RNA_0621" in index
    assert "ground truth" in index.lower()


@pytest.mark.slow
def test_no_flagship_chapter_runs_for_another_release(real_run: Path):
    assert not [p.name for p in real_run.glob("*.ipynb") if p.stem.startswith(tuple(pipeline.chapters()))]
