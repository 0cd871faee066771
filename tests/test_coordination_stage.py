"""The coordination stage: computed once per release and parameter set, stamped like load and clean, equal to
computing each table directly with the library's functions, and safe when several processes ensure it at once."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import filelock
import pandas as pd
import pytest

from ioa_utils import stageio, stages
from ioa_utils.coordination import analysis as an
from ioa_utils.coordination import stage
from ioa_utils.coordination.groups import amplified_core, amplifiers, communities, retweet_rings
from ioa_utils.coordination.traces import AMPLIFIER, DEFAULTS, TRACES, compute, ring_params


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> tuple[Path, list[str]]:
    """Small synthetic releases (all three kinds of campaign), loaded and cleaned."""
    base = tmp_path_factory.mktemp("coordstage")
    raw = stages.ensure_synthetic(base / "raw", seed=2020, scale=0.3)
    releases = stages.prepare(raw, base / "work")
    return base / "work", releases


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=False)


def test_tables_equal_computing_directly_with_the_library(work):
    wd, releases = work
    for rel in releases:
        tweets = an.read_tweets(rel, wd)
        nets = an.all_networks(tweets, DEFAULTS)
        for trace in TRACES:
            got = stage.read(rel, f"edges/{trace}", wd)
            _same(got, nets[trace].astype({"source": object, "target": object}))
        comm = stage.read(rel, "communities", wd)
        for trace in TRACES:
            c = comm[comm["trace"] == trace]
            direct = communities(nets[trace], seed=DEFAULTS.seed)
            assert dict(zip(c["userid"], c["community"], strict=True)) == direct.to_dict(), (rel, trace)
        amp_args = {k: v for k, v in AMPLIFIER.items() if k != "min_amplifiers"}
        amp = amplifiers(tweets, **amp_args)
        got = stage.read(rel, "amplifiers", wd)
        assert got["top_targets"].map(type).eq(list).all()
        _same(got, amp)
        core = amplified_core(amp, AMPLIFIER["min_amplifiers"]).reset_index()
        _same(stage.read(rel, "core", wd), core)
        _same(stage.read(rel, "rings", wd), retweet_rings(tweets, **ring_params()))
        _same(stage.read(rel, "summary", wd), an.summary(nets))
        assert stage.read(rel, "summary", wd)["edges"].sum() > 0


def test_the_retweet_ring_trace_without_given_rings_is_the_same(work):
    wd, releases = work
    tweets = an.read_tweets(releases[0], wd)
    rings = retweet_rings(tweets, **ring_params())
    _same(compute("retweet_ring", tweets), compute("retweet_ring", tweets, rings=rings))


def test_stamped_reused_and_rebuilt_when_inputs_or_code_change(work, monkeypatch):
    wd, releases = work
    rel = releases[0]
    out = stage.ensure(rel, wd)
    assert out == wd / "processed" / rel / "coordination"
    stamp = stageio.read_stamp(out)
    assert stamp["stage"] == "coordination" and stamp["params"]["amplifier"] == AMPLIFIER
    assert stamp["code"] == stages.code_version("coordination")
    built = []
    orig = stage.build
    monkeypatch.setattr(stage, "build", lambda *a, **k: built.append(a) or orig(*a, **k))
    mtime = (out / "summary.parquet").stat().st_mtime_ns
    stage.ensure(rel, wd)
    stage.read(rel, "edges/co_retweet", wd)
    assert built == [] and (out / "summary.parquet").stat().st_mtime_ns == mtime
    monkeypatch.setattr(stages, "code_version", lambda s: "changed-code")
    stage.ensure(rel, wd)
    assert len(built) == 1 and stageio.read_stamp(out)["code"] == "changed-code"
    assert not [p for p in out.parent.iterdir() if stageio.temp_of(p.name)]


def test_other_parameters_get_their_own_stamped_tables(work):
    wd, releases = work
    rel = releases[0]
    default = stage.ensure(rel, wd)
    before = stageio.read_stamp(default)
    p = replace(DEFAULTS, window_retweet=60, min_weight=3)
    other = stage.ensure(rel, wd, p)
    assert other != default and other.name.startswith("coordination-")
    assert stageio.read_stamp(other)["params"]["window_retweet"] == 60
    assert stageio.read_stamp(default) == before  # exploring parameters leaves the shared tables alone
    tweets = an.read_tweets(rel, wd)
    _same(stage.read(rel, "edges/co_retweet", wd, p), compute("co_retweet", tweets, p).astype({"source": object,
                                                                                              "target": object}))
    _same(stage.read(rel, "rings", wd, p), retweet_rings(tweets, **ring_params(p)))


def test_another_seed_copies_the_seed_free_tables_and_computes_the_same_bytes(work, tmp_path, monkeypatch):
    wd, releases = work
    rel = releases[-1]  # the release with retweet rings
    stage.ensure(rel, wd)  # the default seed's tables: what a build under another seed copies from
    p = replace(DEFAULTS, seed=7)
    seen = []
    orig = stage.read_columns
    monkeypatch.setattr(stage, "read_columns", lambda r, cols, *a: seen.append(cols) or orig(r, cols, *a))
    with stage.lock(rel, wd):
        (tmp_path / "copied").mkdir(), (tmp_path / "computed").mkdir()
        copied, computed = _empty(tmp_path / "copied"), _empty(tmp_path / "computed")
        stage.build(rel, copied, wd, p)
        n_read = len(seen)
        stage.build(rel, computed, wd, p, reuse=False)
    seeded = {TRACES[t].columns for t in stage.SEEDED}
    assert set(seen[:n_read]) == seeded and n_read < len(seen) - n_read  # only the seeded traces' columns read
    files = sorted(f.relative_to(computed) for f in computed.rglob("*") if f.is_file())
    assert files == sorted(f.relative_to(copied) for f in copied.rglob("*") if f.is_file())
    for f in files:
        assert (copied / f).read_bytes() == (computed / f).read_bytes(), f
    comm = pd.read_parquet(computed / "communities.parquet")
    default = stage.read(rel, "communities", wd)
    assert len(comm) == len(default)  # the same accounts; Louvain's seed may number them otherwise


def test_each_trace_group_reads_only_its_columns(work, tmp_path, monkeypatch):
    wd, releases = work
    seen = []
    orig = stage.read_columns
    monkeypatch.setattr(stage, "read_columns",
                        lambda r, cols, *a: seen.append(set(cols)) or orig(r, cols, *a))
    stage.build(releases[0], _empty(tmp_path), wd)
    assert not any("tweet_text" in c for c in seen)  # no trace reads the published texts
    assert len(seen) < len(TRACES)  # traces reading the same columns share one read
    assert {frozenset(c) for c in seen} == {frozenset(t.columns) for t in TRACES.values()}


def test_fallback_columns_are_read_only_where_the_retweet_id_is_missing_or_lossy(tmp_path):
    from test_coordination import frame

    rows = [{"userid": u, "kind": "retweet", "rt": rt, "rt_userid": "z", "rt_screen_name": "zed", "text": "hi there",
             "t": t, "lossy": lossy}
            for u, rt, t, lossy in (("a", "5", 0, False), ("b", None, 60, False), ("c", "5", 60, True),
                                    ("d", "5", 30, False), ("e", None, 90, False))]
    t = frame(rows + [{"userid": "f", "text": "an original", "t": 5}])
    t.loc[4, "rt_userid"] = None  # e: known only by screen name
    (tmp_path / "processed" / "r" / "tweets").mkdir(parents=True)
    t.to_parquet(tmp_path / "processed" / "r" / "tweets" / "part-00000.parquet")
    tr = TRACES["co_retweet"]
    got = stage.read_columns("r", tr.columns, tr.kinds, tmp_path, tr.fallback_only)
    assert list(got["userid"]) == ["a", "b", "c", "d", "e"]
    assert got["text_norm"].isna().tolist() == [True, False, False, True, False]
    assert got["rt_screen_name"].isna().tolist() == [True, False, False, True, False]
    for trace in ("co_retweet", "tfidf_retweet"):
        _same(compute(trace, got, replace(DEFAULTS, min_weight=1)), compute(trace, t, replace(DEFAULTS, min_weight=1)))
    assert len(compute("co_retweet", got, replace(DEFAULTS, min_weight=1))) == 2


def _empty(tmp: Path) -> Path:
    out = tmp / "out"
    out.mkdir()
    return out


def test_unknown_table_and_missing_processed_stage_are_errors(work, tmp_path):
    wd, releases = work
    with pytest.raises(KeyError, match="unknown coordination table"):
        stage.read(releases[0], "edges/nope", wd)
    with pytest.raises(FileNotFoundError, match="stages.prepare"):
        stage.ensure(releases[0], tmp_path / "empty")


ENSURE_WORKER = """
import json, sys, time
from pathlib import Path
from ioa_utils.coordination import stage

work, release, gate, me, n = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), sys.argv[4], int(sys.argv[5])
built = []
orig = stage.build
stage.build = lambda *a, **k: built.append(1) or orig(*a, **k)
gate.mkdir(parents=True, exist_ok=True)
(gate / me).touch()
while len(list(gate.iterdir())) < n:
    time.sleep(0.002)
out = stage.ensure(release, work)
print(json.dumps({"built": len(built), "summary": stage.read(release, "summary", work).to_dict("list")}))
"""


def test_concurrent_ensure_builds_once_and_all_read_the_same(work, tmp_path):
    wd, releases = work
    rel = min(releases, key=lambda r: stage.read(r, "summary", wd)["edges"].sum())
    stageio.safe_rmtree(stage.folder(rel, wd), wd)
    n = 3
    procs = [subprocess.Popen([sys.executable, "-c", ENSURE_WORKER, str(wd), rel, str(tmp_path / "gate"), str(i),
                               str(n)], stdout=subprocess.PIPE, text=True) for i in range(n)]
    results = [json.loads(p.communicate(timeout=600)[0]) for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert sum(r["built"] for r in results) == 1
    assert all(r["summary"] == results[0]["summary"] for r in results)
    assert not [p for p in stage.folder(rel, wd).parent.iterdir() if stageio.temp_of(p.name)]


BLOCKED_WORKER = """
import sys, time
from pathlib import Path
from ioa_utils.coordination import stage

work, release, flags = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
orig = stage.build
def build(*a, **k):
    (flags / "building").touch()
    while not (flags / "go").exists():
        time.sleep(0.01)
    return orig(*a, **k)
stage.build = build
stage.ensure(release, work)
"""


def _smallest(wd: Path, releases: list[str]) -> str:
    return min(releases, key=lambda r: stage.read(r, "summary", wd)["edges"].sum())


def _wait_for(path: Path, proc: subprocess.Popen, seconds: float = 300) -> None:
    start = time.monotonic()
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() - start < seconds, f"{path} never appeared"
        time.sleep(0.02)


def test_a_build_holds_its_own_lock_not_the_release_lock(work, tmp_path):
    """While another process builds the coordination tables, the release lock is free (load, clean and topics
    of the release go on) and this stage's lock is held; the build publishes once it ends."""
    wd, releases = work
    rel = _smallest(wd, releases)
    before = stage.read(rel, "summary", wd)
    stageio.safe_rmtree(stage.folder(rel, wd), wd)
    flags = tmp_path / "flags"
    flags.mkdir()
    proc = subprocess.Popen([sys.executable, "-c", BLOCKED_WORKER, str(wd), rel, str(flags)], text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_for(flags / "building", proc)
        release = stageio.release_lock(wd, rel)
        release.acquire(timeout=10)  # filelock.Timeout here: the build blocks the release's other stages
        release.release()
        assert stages.ensure_cleaned(rel, wd)["tweets"] > 0  # the clean stage (fresh) runs meanwhile
        with pytest.raises(filelock.Timeout):
            stage.lock(rel, wd).acquire(timeout=0.2)
        assert not stage.folder(rel, wd).exists()
    finally:
        (flags / "go").touch()
        out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    _same(stage.read(rel, "summary", wd), before)
    assert not [p for p in wd.rglob("*") if stageio.temp_of(p.name)]


def test_processed_tables_rebuilt_during_a_build_publish_nothing(work, monkeypatch):
    wd, releases = work
    rel = _smallest(wd, releases)
    stamp_file = wd / "processed" / rel / stageio.STAMP
    original = stamp_file.read_bytes()
    stageio.safe_rmtree(stage.folder(rel, wd), wd)
    orig = stage.build

    def build_while_clean_reruns(*a, **k):
        out = orig(*a, **k)
        stamp_file.write_bytes(original + b"\n")  # what a rebuild of the clean stage does to the stamp
        return out

    monkeypatch.setattr(stage, "build", build_while_clean_reruns)
    try:
        with pytest.raises(stageio.UpstreamChangedError, match="rebuilt"):
            stage.ensure(rel, wd)
        assert not stage.folder(rel, wd).exists()
        assert not [p for p in wd.rglob("*") if stageio.temp_of(p.name)]
    finally:
        stamp_file.write_bytes(original)
    monkeypatch.setattr(stage, "build", orig)
    assert stageio.read_stamp(stage.ensure(rel, wd))["inputs"]["processed"]


KILLED_WORKER = """
import os, signal, sys
from pathlib import Path
from ioa_utils import stages
from ioa_utils.coordination import stage

work, release, point = Path(sys.argv[1]), sys.argv[2], sys.argv[3]

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

if point == "building":  # after two tables were written into the scratch build
    write, calls = stage._write, [0]
    def write_then_die(*args, **kwargs):
        out = write(*args, **kwargs)
        calls[0] += 1
        if calls[0] >= 2:
            die()
        return out
    stage._write = write_then_die
elif point == "publishing":  # a rebuild killed between setting the old tables aside and renaming the new in
    stages.code_version = lambda s: "changed-code"
    rename = os.rename
    def rename_then_die(src, dst):
        rename(src, dst)
        if ".old-" in Path(dst).name:
            die()
    os.rename = rename_then_die
stage.ensure(release, work)
sys.exit(3)  # the kill point was never reached
"""


@pytest.mark.parametrize("point", ["building", "publishing"])
def test_a_killed_build_leaves_only_temp_debris_and_the_rerun_is_identical(work, point):
    wd, releases = work
    rel = _smallest(wd, releases)
    out = stage.ensure(rel, wd)
    reference = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.parquet")}
    if point == "building":
        stageio.safe_rmtree(out, wd)
    proc = subprocess.run([sys.executable, "-c", KILLED_WORKER, str(wd), rel, point], capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == -9, proc.stderr
    debris = [p for p in wd.rglob("*") if stageio.temp_of(p.name)]
    assert debris and not out.exists()
    stage.ensure(rel, wd)
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.parquet")} == reference
    assert not [p for p in wd.rglob("*") if stageio.temp_of(p.name)]
