"""The case-study stage (``ioa_utils.casestudy.stage``): persisted findings and profiles read back equal to the
computed ones, a fresh result is reused, any upstream, parameter or code change recomputes it, an upstream
rebuilt mid-computation publishes nothing, and concurrent or killed runs behave like the load/clean stages."""

from __future__ import annotations

import dataclasses
import html
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from ioa_utils import report, stageio, stages
from ioa_utils.casestudy import base, compare, figures
from ioa_utils.casestudy import stage as fstage
from ioa_utils.casestudy.profile import profile
from ioa_utils.paths import DEFAULT_RAW_DIR, processed_dir
from ioa_utils.workspace import Workspace

RELEASES = ["synth_china_052020", "synth_russia_052020", "synth_turkey_052020"]
TURKEY = RELEASES[2]
N_PROCS = 3


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> Path:
    """Processed tables and coordination stage of the default synthetic releases in a fresh work folder (no
    topics)."""
    work = tmp_path_factory.mktemp("work")
    stages.prepare(DEFAULT_RAW_DIR, work)
    for release in RELEASES:
        fstage.cstage.ensure(release, work)
    return work


@pytest.fixture(scope="module")
def built(prepared: Path, tmp_path_factory) -> Path:
    """A copy of the prepared work folder with the case-study stage built for every release."""
    dest = tmp_path_factory.mktemp("built") / "work"
    shutil.copytree(prepared, dest)
    for release in RELEASES:
        _ensure(release, dest)
    return dest


@pytest.fixture()
def work(prepared: Path, tmp_path: Path) -> Path:
    """A private copy of the prepared work folder."""
    dest = tmp_path / "work"
    shutil.copytree(prepared, dest)
    return dest


@pytest.fixture()
def computes(monkeypatch) -> list[str]:
    """The releases the stage computes (rather than reuses), in order."""
    calls: list[str] = []
    orig = fstage._compute

    def counted(release, *args, **kwargs):
        calls.append(release)
        return orig(release, *args, **kwargs)

    monkeypatch.setattr(fstage, "_compute", counted)
    return calls


def _ensure(release: str, work: Path) -> Path:
    return fstage.ensure(release, Workspace(DEFAULT_RAW_DIR, work), topics=False)


def assert_same(a, b) -> None:
    """Two Findings or two Profiles hold equal fields: tables equal with their dtypes and indexes."""
    assert type(a) is type(b)
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, pd.DataFrame):
            pd.testing.assert_frame_equal(x, y, check_exact=True, obj=f"{getattr(a, 'name', '')}.{f.name}")
        elif isinstance(x, pd.Series):
            pd.testing.assert_series_equal(x, y, check_exact=True, obj=f.name)
            if x.dtype == object:  # mixed values (the profile summary): same types too
                assert [type(v) for v in x] == [type(v) for v in y], f.name
        else:
            assert x == y and type(x) is type(y), (f.name, x, y)


def test_findings_and_profiles_round_trip_exactly(built: Path):
    for release in RELEASES:
        dest = _ensure(release, built)
        data = base.load(release, Workspace(DEFAULT_RAW_DIR, built), topics=False)
        found, prof = compare.run_all(data), profile(data)
        read = fstage.load_findings(dest)
        assert list(read) == list(found)
        for name, f in found.items():
            assert_same(f, read[name])
            assert read[name].summary() == f.summary()
        assert_same(prof, fstage.load_profile(dest))


def test_the_report_and_the_comparison_only_read_the_stages(built: Path, tmp_path: Path, monkeypatch):
    ws = Workspace(DEFAULT_RAW_DIR, built)
    expected = {r: fstage.read(r, ws, topics=False) for r in RELEASES}

    def refuse(*args, **kwargs):
        raise AssertionError("computed instead of read")

    for owner, name in ((fstage, "_compute"), (compare, "run_all"), (fstage.cstage, "build")):
        monkeypatch.setattr(owner, name, refuse)
    monkeypatch.setattr(base, "topic_assignments", lambda *a, **k: (None, "no topics in this test"))
    data = compare.load_all(RELEASES, ws)
    for r, d in data.items():
        assert [f.summary() for f in d.findings.values()] == [f.summary() for f in expected[r][0].values()]
    manifest = {"parameters": {"raw_dir": str(DEFAULT_RAW_DIR), "work_dir": str(built)}}
    page = report.findings_section(manifest, tmp_path)
    for r, (found, prof) in expected.items():
        assert html.escape(compare.summary_text(prof, found, data[r].truth)) in page
    assert compare.tactics_table({r: f for r, (f, _) in expected.items()}).to_html(border=0) in page
    summary = compare.coordination_summary(RELEASES, built)
    same = {"amplifiers": "amplifiers", "amplified core": "core", "ring members": "retweet rings"}
    for figure, detector in same.items():
        assert summary[figure].to_dict() == {r: f[detector].n_accounts for r, (f, _) in expected.items()}, figure


def test_the_index_embeds_the_comparison_notebooks_figures_rather_than_drawing_them_again(built: Path, tmp_path: Path,
                                                                                            monkeypatch):
    figs = tmp_path / "figures"
    figs.mkdir()
    for name in report.FIGURES:
        (figs / f"{name}.png").write_bytes(b"saved by 08")
    manifest = {"parameters": {"raw_dir": str(DEFAULT_RAW_DIR), "work_dir": str(built)},
                "notebooks": [{"notebook": "08_comparison.ipynb", "parameters": {"figures_dir": str(figs)}}]}
    no_topics = (base, "topic_assignments", lambda *a, **k: (None, "no topics in this test"))
    monkeypatch.setattr(*no_topics)  # as above: the stages, not the topic model
    drawn = []
    for draw, _, _ in report.FIGURES.values():
        monkeypatch.setattr(figures, draw, lambda *a, _d=draw, **k: drawn.append(_d))
    page = report.findings_section(manifest, tmp_path)
    assert drawn == []
    assert all(f"src='figures/{name}.png'" in page for name in report.FIGURES)
    assert {p.read_bytes() for p in figs.iterdir()} == {b"saved by 08"}
    # a report without the comparison notebook (or one that saved elsewhere) draws them into its own folder
    manifest["notebooks"][0]["parameters"]["figures_dir"] = str(tmp_path / "elsewhere")
    monkeypatch.undo()
    monkeypatch.setattr(*no_topics)
    report.findings_section(manifest, tmp_path)
    assert all((figs / f"{name}.png").read_bytes()[:4] == b"\x89PNG" for name in report.FIGURES)


def test_a_fresh_result_is_reused(work: Path, computes: list[str]):
    dest = _ensure(TURKEY, work)
    stamp, files = (dest / stageio.STAMP).read_bytes(), sorted(p.stat().st_mtime_ns for p in dest.rglob("*"))
    assert _ensure(TURKEY, work) == dest
    assert computes == [TURKEY]
    assert (dest / stageio.STAMP).read_bytes() == stamp
    assert sorted(p.stat().st_mtime_ns for p in dest.rglob("*")) == files
    assert json.loads((dest / stageio.STAMP).read_text())["inputs"] == fstage.upstream(TURKEY, work)


def _touch_stamp(path: Path) -> None:
    stamp = json.loads(path.read_text())
    stamp["params"] = {**stamp.get("params", {}), "test": "rebuilt"}
    path.write_text(json.dumps(stamp))


@pytest.mark.parametrize("change", ["processed", "coordination", "topics", "timezone", "code"])
def test_an_upstream_parameter_or_code_change_recomputes(work: Path, computes: list[str], monkeypatch, change):
    _ensure(TURKEY, work)
    base_dir = processed_dir(TURKEY, work)
    tz = None
    if change == "processed":  # the processed tables were rebuilt (and so the coordination stage follows)
        _touch_stamp(base_dir / stageio.STAMP)
    elif change in ("coordination", "topics"):  # that stage was rebuilt (or, for topics, ran) since
        monkeypatch.setattr(fstage, "upstream", lambda r, w, _orig=fstage.upstream: {**_orig(r, w), change: "new"})
    elif change == "timezone":
        tz = "UTC"
    else:
        monkeypatch.setattr(fstage, "code_version", lambda: "changed")
    before = json.loads((fstage.folder(TURKEY, work) / stageio.STAMP).read_text())
    fstage.ensure(TURKEY, Workspace(DEFAULT_RAW_DIR, work), tz, topics=False)
    after = json.loads((fstage.folder(TURKEY, work) / stageio.STAMP).read_text())
    assert computes == [TURKEY, TURKEY], computes
    assert after != before
    if change == "timezone":
        assert fstage.load_profile(fstage.folder(TURKEY, work)).timezone == "UTC"


def test_an_upstream_rebuilt_while_computing_publishes_nothing(work: Path, monkeypatch):
    dest = _ensure(TURKEY, work)
    old = (dest / stageio.STAMP).read_bytes()
    orig = fstage._compute

    def rebuilt_meanwhile(release, *args, **kwargs):
        out = orig(release, *args, **kwargs)
        _touch_stamp(processed_dir(release, work) / stageio.STAMP)
        return out

    monkeypatch.setattr(fstage, "code_version", lambda: "changed")
    monkeypatch.setattr(fstage, "_compute", rebuilt_meanwhile)
    with pytest.raises(fstage.UpstreamChangedError):
        _ensure(TURKEY, work)
    assert (dest / stageio.STAMP).read_bytes() == old
    assert not [p for p in dest.parent.iterdir() if stageio.temp_of(p.name)]


def test_reading_without_processed_tables_says_what_to_run(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="stages.prepare"):
        fstage.ensure(TURKEY, Workspace(DEFAULT_RAW_DIR, tmp_path), topics=False)


WORKER = """
import json, sys, time
from pathlib import Path
from ioa_utils.casestudy import stage as fstage
from ioa_utils.workspace import Workspace

work, gate, me, n = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
computed = []
orig = fstage._compute
def counted(release, *args, **kwargs):
    computed.append(release)
    return orig(release, *args, **kwargs)
fstage._compute = counted
gate.mkdir(parents=True, exist_ok=True)
(gate / me).touch()
while len(list(gate.iterdir())) < n:
    time.sleep(0.002)
dest = fstage.ensure(sys.argv[5], Workspace("data/raw/synthetic", work), topics=False)
found = fstage.load_findings(dest)
print(json.dumps({"computed": computed, "summaries": [f.summary() for f in found.values()]}))
"""


def _python(code: str, *args: object) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_concurrent_runs_compute_once_and_read_the_same(work: Path, tmp_path: Path):
    procs = [_python(WORKER, work, tmp_path / "gate", i, N_PROCS, TURKEY) for i in range(N_PROCS)]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
        results.append(json.loads(out.splitlines()[-1]))
    assert sum(len(r["computed"]) for r in results) == 1, results
    assert len({json.dumps(r["summaries"]) for r in results}) == 1
    assert not [p for p in processed_dir(TURKEY, work).iterdir() if stageio.temp_of(p.name)]


KILLED = """
import os, signal, sys
from pathlib import Path
from ioa_utils.casestudy import stage as fstage
from ioa_utils.workspace import Workspace

orig = fstage._save
calls = [0]
def save_then_die(*args, **kwargs):
    out = orig(*args, **kwargs)
    calls[0] += 1
    if calls[0] >= 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return out
fstage._save = save_then_die
fstage.ensure(sys.argv[2], Workspace("data/raw/synthetic", Path(sys.argv[1])), topics=False)
"""


def test_a_killed_run_leaves_only_temp_debris_and_the_rerun_cleans_it(work: Path):
    p = _python(KILLED, work, TURKEY)
    p.communicate(timeout=600)
    assert p.returncode == -9
    base_dir = processed_dir(TURKEY, work)
    debris = [q for q in base_dir.iterdir() if stageio.temp_of(q.name)]
    assert debris and not fstage.folder(TURKEY, work).exists()
    dest = _ensure(TURKEY, work)
    assert stageio.read_stamp(dest)["stage"] == "casestudy"
    assert not [q for q in base_dir.iterdir() if stageio.temp_of(q.name)]
