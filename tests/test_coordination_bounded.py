"""The coordination stage in bounded memory (``coordination.bounded``, forced here by ``stage.BOUNDED_MIN_ROWS``):
it writes the bytes of the in-memory path (default seed, another seed, and another seed copying the seed-free
tables of the default one); bucket sizes only group the work, so tiny buckets (most URLs and hashtags of a tweet
in different buckets, one LSH bucket's documents split) give the same bytes; DuckDB reads only the traces'
columns; the scratch folder is gone after a build, failed or not; small releases take the in-memory path."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ioa_utils import stages
from ioa_utils.coordination import analysis, bounded, stage, traces
from ioa_utils.coordination.cooccurrence import iter_event_pairs
from ioa_utils.coordination.traces import DEFAULTS, TRACES


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> tuple[Path, list[str]]:
    base = tmp_path_factory.mktemp("coordbounded")
    raw = stages.ensure_synthetic(base / "raw", seed=2020, scale=0.3)
    return base / "work", stages.prepare(raw, base / "work")


@pytest.fixture
def bounded_path(monkeypatch) -> None:
    monkeypatch.setattr(stage, "BOUNDED_MIN_ROWS", 0)


def _build(release: str, wd: Path, out: Path, **kw) -> dict[str, bytes]:
    out.mkdir(parents=True)
    stage.build(release, out, wd, **kw)
    assert not (out / "_scratch").exists()
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.parquet")}


def _forced(path: str, release: str, wd: Path, out: Path, **kw) -> dict[str, bytes]:
    """:func:`_build` forced onto one path (``bounded`` or ``in_memory``), checking that it took it."""
    taken = []
    with pytest.MonkeyPatch.context() as m:
        for name in ("_build_bounded", "_build_in_memory"):
            orig = getattr(stage, name)
            m.setattr(stage, name, lambda *a, _n=name, _o=orig: taken.append(_n) or _o(*a))
        m.setattr(stage, "BOUNDED_MIN_ROWS", 0 if path == "bounded" else 10**15)
        got = _build(release, wd, out, **kw)
    assert taken == [f"_build_{path}"]
    return got


def test_both_paths_write_the_same_bytes(work, tmp_path, monkeypatch):
    wd, releases = work
    seed = replace(DEFAULTS, seed=1)
    for rel in releases:
        for name, kw in (("default", {}), ("seed1", {"params": seed, "reuse": False}))[:1 + (rel == releases[-1])]:
            mem = _forced("in_memory", rel, wd, tmp_path / rel / f"mem-{name}", **kw)
            bnd = _forced("bounded", rel, wd, tmp_path / rel / f"bnd-{name}", **kw)
            assert len(mem) == len(TRACES) + 5
            assert bnd == mem, (rel, name, sorted(k for k in mem if bnd.get(k) != mem[k]))
    rel = releases[-1]  # another seed copying the default seed's seed-free tables (the evaluation's model seeds)
    stage.ensure(rel, wd)
    monkeypatch.setattr(bounded.Release, "co_network", lambda *a, **k: pytest.fail("a seed-free table computed"))
    copied = _forced("bounded", rel, wd, tmp_path / "copied", params=seed)
    assert copied == _build(rel, wd, tmp_path / "computed", params=seed, reuse=False)


def test_small_releases_are_built_in_memory(work, tmp_path, monkeypatch):
    wd, releases = work
    assert all(stage.release_rows(r, wd) < stage.BOUNDED_MIN_ROWS for r in releases)
    monkeypatch.setattr(stage.bounded, "Release", lambda *a, **k: pytest.fail("bounded path on a small release"))
    _build(releases[0], wd, tmp_path / "out")


def test_tiny_buckets_give_the_same_bytes(work, tmp_path, monkeypatch, bounded_path):
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


def test_reads_only_the_traces_columns(work, tmp_path, monkeypatch, bounded_path):
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
    monkeypatch.setattr(stage, "read_columns", lambda *a, **k: pytest.fail("the bounded path reads no pandas frame"))
    _build(releases[0], wd, tmp_path / "out")
    used = {c for t in TRACES.values() for c in t.columns}
    unused = {"tweet_text", "tweet_language", "client", "domains", "in_reply_to_userid", "like_count"}
    assert not used & unused
    assert queries
    for q in queries:
        assert not any(c in q for c in unused), q


def test_a_failed_build_leaves_no_scratch(work, tmp_path, monkeypatch, bounded_path):
    wd, releases = work
    monkeypatch.setattr(bounded.Release, "near_duplicate", lambda *a, **k: 1 / 0)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ZeroDivisionError):
        stage.build(releases[0], out, wd)
    assert not (out / "_scratch").exists()


@pytest.mark.parametrize("trace", sorted(bounded.ONE_EVENT_TRACES))
def test_coded_events_are_the_events_read_into_pandas(work, trace, tmp_path):
    """DuckDB's coded events (the null model's, the window estimate's and the evidence's input at scale) equal
    ``traces.events`` of the trace's columns read into pandas: codes, order, times and ids."""
    wd, releases = work
    t = TRACES[trace]
    for rel in releases:
        want = traces.events(stage.read_columns(rel, t.columns, t.kinds, wd, t.fallback_only), trace)
        with bounded.Release(rel, wd, tmp_path / rel) as src:
            got, placeholders = src.coded_events(trace), src.coded_events(trace, ids=False)
        assert len(want) > 0
        for field in ("user", "msg", "key", "time", "msg_user"):
            np.testing.assert_array_equal(getattr(got, field), getattr(want, field), err_msg=f"{rel} {field}")
            np.testing.assert_array_equal(getattr(placeholders, field), getattr(want, field))
        assert list(got.users) == list(want.users) and list(placeholders.users) == list(want.users)
        assert list(got.msgs) == list(want.msgs) and list(got.keys) == list(want.keys)
        assert (len(placeholders.msgs), len(placeholders.keys)) == (len(want.msgs), len(want.keys))


def test_the_null_model_reads_coded_events_at_scale_with_the_same_tables(work, monkeypatch):
    """``analysis.significance`` on DuckDB's coded events (releases from ``BOUNDED_MIN_ROWS``) equals it on the
    events read into pandas, and leaves no scratch folder behind."""
    wd, releases = work
    rel = releases[-1]
    nets = stage.edges(rel, wd)
    kw = {"n_permutations": 5, "work_dir": wd, "workers": 1}
    monkeypatch.setattr(stage, "BOUNDED_MIN_ROWS", 10**15)
    mem = analysis.significance(rel, nets, **kw)
    monkeypatch.setattr(stage, "BOUNDED_MIN_ROWS", 0)
    pd.testing.assert_frame_equal(analysis.significance(rel, nets, **kw), mem)
    assert len(mem) > 0
    assert not any((wd / "scratch" / "events").iterdir())


def _evidence_reference(events, edges, window, trace, max_per_edge):
    """``export.edge_evidence`` as first written: every co-occurring tweet pair of an edge in one frame, sorted,
    de-duplicated, the first ``max_per_edge`` per edge (the specification of the chunked version)."""
    nu = np.int64(events.n_users)
    uidx = pd.Index(events.users)
    s, t = uidx.get_indexer(edges["source"]), uidx.get_indexer(edges["target"])
    wanted = np.unique(np.r_[s * nu + t, t * nu + s])
    i, j = (np.concatenate(x) for x in zip(*iter_event_pairs(events, window), strict=True))
    keep = (events.user[i] < events.user[j]) & np.isin(events.user[i] * nu + events.user[j], wanted)
    i, j = i[keep], j[keep]
    ev = pd.DataFrame({"trace": trace, "source": events.users[events.user[i]],
                       "target": events.users[events.user[j]], "tweetid_source": events.msgs[events.msg[i]],
                       "tweetid_target": events.msgs[events.msg[j]], "key": events.keys[events.key[i]].astype(str),
                       "time_source": pd.to_datetime(events.time[i], unit="s", utc=True),
                       "time_target": pd.to_datetime(events.time[j], unit="s", utc=True),
                       "delta_seconds": np.abs(events.time[i] - events.time[j])})
    ev = ev.sort_values(["source", "target", "time_source", "tweetid_source", "tweetid_target"], ignore_index=True)
    ev = ev.drop_duplicates(["source", "target", "tweetid_source", "tweetid_target"])
    return ev.groupby(["source", "target"], sort=False).head(max_per_edge).reset_index(drop=True)


@pytest.mark.parametrize("trace", ["co_retweet", "co_tweet", "co_hashtag"])
def test_edge_evidence_keeps_each_edges_first_pairs_chunk_by_chunk(work, trace, monkeypatch):
    """The evidence table reduced chunk by chunk (tiny chunks here) equals the whole-frame version, with the
    per-edge cap binding and with tweets of several keys (hashtags: repeated tweet pairs dropped)."""
    from ioa_utils.coordination import cooccurrence, export

    wd, releases = work
    t = TRACES[trace]
    window = traces.window_of(trace)
    for rel in releases:
        ev = traces.events(stage.read_columns(rel, t.columns, t.kinds, wd, t.fallback_only), trace)
        edges = traces.compute(trace, stage.read_columns(rel, t.columns, t.kinds, wd, t.fallback_only))
        for cap in (50, 2):
            want = _evidence_reference(ev, edges, window, trace, cap)
            with monkeypatch.context() as m:
                m.setattr(cooccurrence, "DEFAULT_CHUNK_PAIRS", 997)
                m.setattr(export, "iter_event_pairs",
                          lambda e, w, chunk_pairs=997: cooccurrence.iter_event_pairs(e, w, chunk_pairs))
                got = export.edge_evidence(ev, edges, window, trace, cap)
            assert len(want) > 0 or edges.empty
            pd.testing.assert_frame_equal(got, want, check_dtype=True)
