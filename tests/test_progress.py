"""Progress lines from inside long stages: written only when the pipeline asks, relayed as they come."""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat as nbf
import pytest

from ioa_utils import pipeline, progress


def _lines(path: Path) -> list[tuple[str, str, str, float]]:
    return [p for p in map(progress.parse, path.read_text().splitlines()) if p is not None]


def test_silent_without_the_variable(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.delenv(progress.ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    with progress.stage("load", "r") as step:
        step("a step")
        progress.step("a nested step")
    progress.step("outside any stage")
    assert capsys.readouterr() == ("", "") and not any(tmp_path.iterdir())


def test_one_line_per_step(tmp_path: Path, monkeypatch):
    path = tmp_path / "p.tsv"
    monkeypatch.setenv(progress.ENV, str(path))
    with progress.stage("coordination", "synth_x") as step:
        step("co_retweet: 3 edges")
        progress.step("nested\tstep")  # code deep inside the stage reports to it
    progress.step("outside any stage: dropped")
    with pytest.raises(ValueError), progress.stage("clean", "synth_x"):
        raise ValueError("boom")
    lines = _lines(path)
    assert [(s, r, m) for s, r, m, _ in lines] == [
        ("coordination", "synth_x", "started"), ("coordination", "synth_x", "co_retweet: 3 edges"),
        ("coordination", "synth_x", "nested step"), ("coordination", "synth_x", "done"),
        ("clean", "synth_x", "started"), ("clean", "synth_x", "failed")]
    assert all(s >= 0 for *_, s in lines)
    assert progress.parse("not a progress line") is None


def test_pipeline_prints_stage_lines_and_notebook_outputs_do_not_change(tmp_path: Path, monkeypatch, capsys):
    folder = tmp_path / "nbs"
    folder.mkdir()
    raw, work = tmp_path / "raw", tmp_path / "work"
    nb = nbf.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbf.v4.new_code_cell(
        "from ioa_utils import stages\n"
        f"stages.ensure_synthetic({str(raw)!r}, seed=1, scale=0.02)\n"
        f"ids = stages.prepare({str(raw)!r}, {str(work)!r}, seed=1, scale=0.02)"),
        nbf.v4.new_code_cell("print(len(ids), 'releases')")]
    nbf.write(nb, folder / "01_prepare.ipynb")
    monkeypatch.setattr(pipeline, "input_checksums", lambda params: {})
    monkeypatch.setattr(pipeline, "write_interactive", lambda params, out: None)
    monkeypatch.setattr(pipeline, "write_index", lambda out, manifest: out / "index.html")
    monkeypatch.delenv(progress.ENV, raising=False)
    out = tmp_path / "reports"
    assert pipeline.run({}, out_dir=out, folder=folder) == 0
    printed = capsys.readouterr().out.splitlines()
    staged = [(i, m.groups()) for i, line in enumerate(printed)
              if (m := re.match(r"\d\d:\d\d:\d\d   (load|clean) (synth_\w+): (.*) \((\d+\.\d) s\)$", line))]
    steps = {(stage, step.split(" ")[0]) for _, (stage, _, step, _) in staged}
    assert {("load", "started"), ("load", "read"), ("load", "done"), ("clean", "started"), ("clean", "partition"),
            ("clean", "done")} <= steps, printed
    # the stage lines sit between the notebook's started and done lines
    first = next(i for i, line in enumerate(printed) if "01_prepare started" in line)
    last = next(i for i, line in enumerate(printed) if "01_prepare done" in line)
    assert all(first < i < last for i, _ in staged)
    assert progress.ENV not in os.environ  # restored after the run
    executed = nbf.read(out / "01_prepare.ipynb", as_version=4)
    assert executed.cells[0].outputs == []  # nothing of the progress reaches the notebook
    assert [o["text"] for o in executed.cells[1].outputs] == ["3 releases\n"]
