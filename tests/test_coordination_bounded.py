"""The coordination stage in bounded memory (``coordination.bounded``): bucket sizes only group the work, so tiny
buckets (most URLs and hashtags of a tweet in different buckets, one LSH bucket's documents split) give the same
bytes; DuckDB reads only the traces' columns; the scratch folder is gone after a build, failed or not."""

from __future__ import annotations

from pathlib import Path

import pytest

from ioa_utils import stages
from ioa_utils.coordination import bounded, stage
from ioa_utils.coordination.traces import TRACES


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> tuple[Path, list[str]]:
    base = tmp_path_factory.mktemp("coordbounded")
    raw = stages.ensure_synthetic(base / "raw", seed=2020, scale=0.3)
    return base / "work", stages.prepare(raw, base / "work")


def _build(release: str, wd: Path, out: Path) -> dict[str, bytes]:
    out.mkdir(parents=True)
    stage.build(release, out, wd)
    assert not (out / "_scratch").exists()
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.parquet")}


def test_tiny_buckets_give_the_same_bytes(work, tmp_path, monkeypatch):
    wd, releases = work
    rel = releases[0]
    reference = _build(rel, wd, tmp_path / "default")
    spanning = []
    orig = bounded._bucket_directed
    monkeypatch.setattr(bounded, "_bucket_directed",
                        lambda ev, w, mid, *a: spanning.append(int((mid >= 0).sum())) or orig(ev, w, mid, *a))
    monkeypatch.setattr(bounded, "BUCKET_EVENTS", 50)
    monkeypatch.setattr(bounded, "BUCKET_DOCS", 20)
    assert _build(rel, wd, tmp_path / "tiny") == reference
    assert len(reference) == len(TRACES) + 5
    assert sum(spanning) > 0  # messages with keys in several buckets were met (and counted once)


def test_reads_only_the_traces_columns(work, tmp_path, monkeypatch):
    wd, releases = work
    queries: list[str] = []
    orig = bounded.Release.__init__

    def spy(self, *a, **k):
        orig(self, *a, **k)
        con = self.con

        class Con:
            def __getattr__(self, name):
                return getattr(con, name)

            def execute(self, q, *args):
                queries.append(q)
                return con.execute(q, *args)

            def sql(self, q, *args):
                queries.append(q)
                return con.sql(q, *args)

        self.con = Con()

    monkeypatch.setattr(bounded.Release, "__init__", spy)
    monkeypatch.setattr(stage, "read_columns", lambda *a, **k: pytest.fail("the stage reads no pandas frame"))
    _build(releases[0], wd, tmp_path / "out")
    used = {c for t in TRACES.values() for c in t.columns}
    unused = {"tweet_text", "tweet_language", "client", "domains", "in_reply_to_userid", "like_count"}
    assert not used & unused
    assert queries
    for q in queries:
        assert not any(c in q for c in unused), q


def test_a_failed_build_leaves_no_scratch(work, tmp_path, monkeypatch):
    wd, releases = work
    monkeypatch.setattr(bounded.Release, "near_duplicate", lambda *a, **k: 1 / 0)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ZeroDivisionError):
        stage.build(releases[0], out, wd)
    assert not (out / "_scratch").exists()
