"""The papermill runner: parameters, outputs, manifest, and what it says when a notebook fails."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import nbformat as nbf
import pytest

from ioa_utils import pipeline


def _nb(path: Path, cells: list[str]) -> None:
    nb = nbf.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbf.v4.new_code_cell(cells[0])
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params] + [nbf.v4.new_code_cell(c) for c in cells[1:]]
    nbf.write(nb, path)


@pytest.fixture()
def books(tmp_path: Path) -> Path:
    folder = tmp_path / "nbs"
    folder.mkdir()
    _nb(folder / "01_first.ipynb", ["x = 1", "print('x is', x)"])
    _nb(folder / "02_second.ipynb", ["y = 2", "print('y is', y)", "assert y == 2, 'y must be 2'"])
    (folder / "scratch.ipynb").write_text("not a numbered notebook, never run")
    return folder


def test_runs_numbered_notebooks_in_order_with_declared_parameters(books: Path, tmp_path: Path, monkeypatch,
                                                                  capsys):
    monkeypatch.setattr(pipeline, "input_checksums", lambda params: {"r": {"f.csv": "abc"}})
    interactive = []
    monkeypatch.setattr(pipeline, "write_interactive", lambda params, out: interactive.append((params, out)))
    monkeypatch.setattr("ioa_utils.report.headline_table", lambda manifest: "<p>table</p>")
    out = tmp_path / "reports"
    assert pipeline.run({"x": 5, "raw_dir": "elsewhere"}, out_dir=out, folder=books) == 0
    first = nbf.read(out / "01_first.ipynb", as_version=4)
    assert "x is 5" in first.cells[-1].outputs[0]["text"]
    second = nbf.read(out / "02_second.ipynb", as_version=4)
    assert "y is 2" in second.cells[-2].outputs[0]["text"]  # x was not passed to a notebook without x
    assert (out / "01_first.html").exists() and (out / "02_second.html").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    assert [n["notebook"] for n in manifest["notebooks"]] == ["01_first.ipynb", "02_second.ipynb"]
    assert manifest["notebooks"][0]["parameters"] == {"x": 5}
    assert manifest["notebooks"][1]["parameters"] == {}
    assert manifest["inputs_sha256"] == {"r": {"f.csv": "abc"}}
    assert {"pandas", "python", "papermill"} <= set(manifest["packages"])
    assert manifest["git_commit"]
    index = (out / "index.html").read_text()
    assert "01_first.html" in index and "abc" in index
    assert interactive == [({"x": 5, "raw_dir": "elsewhere"}, out)]  # after the notebooks, before the index
    # progress: one line as each notebook starts and one as it ends, with its wall time
    lines = [line for line in capsys.readouterr().out.splitlines() if "] 0" in line]
    assert [line.split(" ", 1)[1].split(" ")[0:3] for line in lines] == [
        ["[1/2]", "01_first", "started"], ["[1/2]", "01_first", "done"],
        ["[2/2]", "02_second", "started"], ["[2/2]", "02_second", "done"]]
    assert "with {'x': 5}" in lines[0] and "with" not in lines[2]
    assert re.search(r"done in \d+\.\d s \(run so far \d+\.\d s\) -> .*01_first\.html$", lines[1])


def test_failure_names_notebook_and_cell_and_keeps_partial(books: Path, tmp_path: Path, capsys):
    out = tmp_path / "reports"
    assert pipeline.run({"y": 3}, out_dir=out, folder=books) == 1
    captured = capsys.readouterr()
    err = captured.err
    assert re.search(r"\[2/2\] 02_second FAILED after \d+\.\d s", captured.out)
    assert "FAILED in 02_second.ipynb, cell" in err and "AssertionError: y must be 2" in err
    partial = nbf.read(out / "02_second.ipynb", as_version=4)
    printed = next(c for c in partial.cells if c.source == "print('y is', y)")
    assert "y is 3" in printed.outputs[0]["text"]  # cells before the failure kept their outputs
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["failed"]["notebook"] == "02_second.ipynb"
    assert not (out / "index.html").exists()


def test_only_and_cli_parameters(books: Path, tmp_path: Path, monkeypatch):
    assert [p.name for p in pipeline.notebooks(books, ["02"])] == ["02_second.ipynb"]
    seen = {}
    monkeypatch.setattr(pipeline, "run", lambda params, only, out, kernel, jobs: seen.update(params=params, only=only,
                                                                                          jobs=jobs))
    cfg = tmp_path / "p.yml"
    cfg.write_text("seed: 7\nreleases: [a, b]\n")
    pipeline.main(["--config", str(cfg), "-p", "scale", "0.5", "--only", "01", "--jobs", "1"])
    assert seen == {"params": {"seed": 7, "releases": ["a", "b"], "scale": 0.5}, "only": ["01"], "jobs": 1}


def test_progress_wall_times():
    assert pipeline._seconds(8.24) == "8.2 s"
    assert pipeline._seconds(185.9) == "3 min 05 s"


def test_notebook_pages_load_nothing_from_a_cdn(books: Path, tmp_path: Path):
    """nbconvert's lab template loads require.js and MathJax from cdnjs; the report's template leaves them out."""
    html = pipeline.to_html(books / "01_first.ipynb").read_text()
    assert re.findall(r"<script[^>]*\bsrc=", html) == [] and re.findall(r"<link[^>]*href=\"https?:", html) == []
    assert html.count("jp-CodeCell") >= 2  # the notebook's cells are there


def _plan(*stems: str) -> list[pipeline.Run]:
    return [pipeline.Run(Path(f"{s}.ipynb"), f"{s}.ipynb") for s in stems]


def test_dependencies_let_independent_notebooks_run_side_by_side():
    runs = _plan("01_load", "02_clean", "03_topics", "04_networks", "05_case_china", "case_study", "case_study",
                 "08_comparison", "09_evaluation", "10_students_own")
    needs = pipeline.dependencies(runs)
    assert needs[:4] == [set(), {0}, {1}, {1}]  # topics and networks both need only the cleaned tables
    assert needs[4] == needs[5] == needs[6] == {2, 3}  # case studies read both stages
    assert needs[7] == set(range(7)) and needs[9] == set(range(9))  # unlisted notebooks wait for all before
    assert needs[8] == set()  # the evaluation makes its own data


def _waits_for(other: str, me: str) -> list[str]:
    return ["folder = ''\nseconds = 60", f"from pathlib import Path\nimport time\nPath(folder, '{me}').touch()\n"
            f"deadline = time.time() + seconds\nwhile not Path(folder, '{other}').exists():\n"
            f"    assert time.time() < deadline, 'ran alone'\n    time.sleep(0.05)"]


@pytest.mark.parametrize("jobs", [2, 1])
def test_independent_notebooks_run_at_once_and_a_failure_stops_the_rest(tmp_path: Path, monkeypatch, jobs: int):
    monkeypatch.setattr(pipeline, "input_checksums", lambda params: {})
    monkeypatch.setattr(pipeline, "write_interactive", lambda params, out: None)
    monkeypatch.setattr("ioa_utils.report.headline_table", lambda manifest: "<p>table</p>")
    folder, flags = tmp_path / "nbs", tmp_path / "flags"
    folder.mkdir(), flags.mkdir()
    _nb(folder / "01_a.ipynb", ["folder = ''", "import os\nfrom pathlib import Path\n"
                                               "Path(folder, 'cwd').write_text(os.getcwd())"])
    _nb(folder / "02_b.ipynb", ["x = 1"])
    _nb(folder / "03_c.ipynb", _waits_for("04", "03"))  # each waits until the other has started
    _nb(folder / "04_d.ipynb", _waits_for("03", "04"))
    _nb(folder / "05_e.ipynb", ["x = 1"])
    out = tmp_path / "reports"
    # notebooks run side by side in threads: none may move this process to another directory (papermill's ``cwd``
    # does, and two of them restoring it leave it wherever the last one found it); papermill's file handler
    # "changes" to the directory the process is already in, which is harmless
    here, real_chdir, moved_to = os.getcwd(), os.chdir, []
    monkeypatch.setattr("os.chdir", lambda path: moved_to.append(str(path)) or real_chdir(path))
    # alone, 03 would wait for ever: it gives up after 5 s then; side by side it has a minute to see 04 start
    code = pipeline.run({"folder": str(flags), "seconds": 60 if jobs == 2 else 5}, out_dir=out, folder=folder,
                        jobs=jobs)
    assert set(moved_to) <= {here} and os.getcwd() == here
    assert (flags / "cwd").read_text() == str(folder)  # each kernel still starts in its notebook's folder
    manifest = json.loads((out / "manifest.json").read_text())
    ran = [n["notebook"] for n in manifest["notebooks"]]
    if jobs == 2:
        assert code == 0 and ran == ["01_a.ipynb", "02_b.ipynb", "03_c.ipynb", "04_d.ipynb", "05_e.ipynb"]
    else:  # one at a time, 03 waits for 04 in vain: the run stops there, 05 never starts
        assert code == 1 and manifest["failed"]["notebook"] == "03_c.ipynb" and ran == ["01_a.ipynb", "02_b.ipynb"]
        assert not (out / "05_e.ipynb").exists()


def test_interactive_report_starts_while_the_evaluation_still_runs(tmp_path: Path, monkeypatch):
    flags = tmp_path / "flags"
    flags.mkdir()
    monkeypatch.setattr(pipeline, "input_checksums", lambda params: {})
    monkeypatch.setattr(pipeline, "write_interactive", lambda params, out: (flags / "interactive").touch())
    monkeypatch.setattr("ioa_utils.report.headline_table", lambda manifest: "<p>table</p>")
    folder = tmp_path / "nbs"
    folder.mkdir()
    _nb(folder / "01_a.ipynb", ["x = 1"])
    # the evaluation finishes only once the interactive report (which does not read it) has been written
    _nb(folder / "09_eval.ipynb", _waits_for("interactive", "09"))
    out = tmp_path / "reports"
    assert pipeline.run({"folder": str(flags), "seconds": 60}, out_dir=out, folder=folder, jobs=2) == 0
    assert (flags / "interactive").exists()


def test_the_releases_of_a_synthetic_archive_not_generated_yet_are_planned_without_generating_it(tmp_path,
                                                                                                 monkeypatch):
    """The report plans its runs before notebook 01 generates the archive (09 starts at once): the generator's
    releases, the ones ``discover`` finds once the archive is there."""
    from ioa_utils import stages

    raw = tmp_path / "synthetic"
    monkeypatch.setattr(stages, "DEFAULT_RAW_DIR", raw)
    params = {"raw_dir": str(raw), "scale": 0.02}
    planned = pipeline.run_releases(params)
    assert not raw.exists()  # nothing generated
    assert pipeline.run_releases({**params, "releases": ["synth_russia_052020"]}) == ["synth_russia_052020"]
    with pytest.raises(KeyError, match="not synthetic"):
        pipeline.run_releases({**params, "releases": ["china_052020"]})
    stages.ensure_synthetic(raw, scale=0.02)
    assert pipeline.run_releases(params) == planned  # found by discover now
    assert pipeline.run_releases({**params, "scale": 0.03}) == planned  # stale: planned again, not generated
