"""Coordination as a cached stage: every trace's edges and the groups built on them, computed once per
release and parameter set, read by the networks notebook, the case studies, the comparison and the report.

``ensure`` follows the discipline of load and clean (``stages``, ``stageio``), under this stage's own lock per
release (``locks/coordination-<release>.lock``): it checks the stamp (SHA-256 of the processed stage's stamp, the
parameters with the ``AMPLIFIER`` and ``RING`` thresholds, and the code of ``ioa_utils/coordination``), and if
stale builds every table in a temp folder of ``stageio.scratch`` and verifies the row counts against its report;
only then does it take the release lock, check that the processed tables were not rebuilt meanwhile, stamp and
swap the tables in. So the load, clean and topics stages of the release never wait for a build (minutes at 4M
tweets), and concurrent runs still build once. Default parameters write
``processed/<release>/coordination/``; any other ``Params`` get their own folder
``coordination-<hash>``, so exploring parameters never replaces the tables the other notebooks read.

A release of ``BOUNDED_MIN_ROWS`` processed tweets or more is computed in bounded memory: DuckDB over the processed
partitions, only the columns each trace needs (``bounded``: windowed traces bucketed on their key, near-duplicate
per partition and LSH band, per-pair aggregates). A smaller one is read into pandas group by group: the traces
that read the same columns and rows (``Trace.columns``, ``Trace.kinds``) share one read of just those columns,
partition by partition, freed before the next group is read (faster on small releases). Both write the same bytes.
Tables (Parquet): ``edges/<trace>``, ``communities``, ``amplifiers``, ``core``, ``rings``, ``summary``.
"""

from __future__ import annotations

import gc
import hashlib
import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .. import progress, stageio
from ..paths import DATA_DIR, check_release_id, processed_dir
from ..store import partitions, write_table
from . import bounded
from .evaluate import nodes_of
from .groups import amplified_core, amplifiers, amplifiers_from_counts, communities, retweet_rings, rings_from_counts
from .networks import retweet_delays
from .traces import (
    AMPLIFIER,
    DEFAULTS,
    RETWEETERS,
    RING,
    TRACES,
    Params,
    compute,
    min_weight_of,
    ring_params,
    undirected_sum,
    window_of,
)

TABLES = ("communities", "amplifiers", "core", "rings", "summary")
# processed tweets from which a release is computed in bounded memory (DuckDB, ``bounded``); smaller releases are
# read into pandas, which is faster there (the same bytes either way)
BOUNDED_MIN_ROWS = 1_000_000
REPORT = "coordination_report.json"


def folder(release: str, work_dir: str | Path = DATA_DIR, params: Params = DEFAULTS) -> Path:
    """Where the stage's tables for ``params`` live (not necessarily built yet)."""
    name = "coordination" if params == DEFAULTS else f"coordination-{_params_hash(params)}"
    return processed_dir(release, work_dir) / name


def _params_hash(params: Params) -> str:
    return hashlib.sha256(json.dumps(params.as_dict(), sort_keys=True).encode()).hexdigest()[:12]


def _stamp(release: str, work_dir: str | Path, params: Params) -> dict:
    from ..stages import code_version

    src = processed_dir(release, work_dir) / stageio.STAMP
    if not src.exists():
        raise FileNotFoundError(f"{release} has no processed tables in {processed_dir(release, work_dir)}; "
                                "run stages.prepare(...) first")
    return {"stage": "coordination", "code": code_version("coordination"),
            "inputs": {"processed": hashlib.sha256(src.read_bytes()).hexdigest()},
            "params": {**params.as_dict(), "amplifier": AMPLIFIER, "ring": RING}}


_KEPT: dict[tuple, pd.DataFrame] | None = None  # read_columns' frames kept while ``keep_reads`` is active
_WANTED: set[tuple] = set()


@contextmanager
def keep_reads(*wanted: tuple[tuple[str, ...], tuple[str, ...] | None, tuple[str, ...]]) -> Iterator[None]:
    """While active, :func:`read_columns` keeps the frames it reads with any ``(columns, kinds, fallback_only)``
    of ``wanted`` and gives them to later calls with the same arguments on the same partitions (same paths, sizes
    and modification times) instead of reading again. Pandas copies on write, so no caller's change reaches another.
    For a process that reads again what the stage has just read (``evaluation.seeds``); the frames are held
    until the context ends."""
    global _KEPT, _WANTED
    _KEPT, _WANTED = {}, set(wanted)
    try:
        yield
    finally:
        _KEPT, _WANTED = None, set()


def read_columns(release: str, columns: tuple[str, ...], kinds: tuple[str, ...] | None = None,
                 work_dir: str | Path = DATA_DIR, fallback_only: tuple[str, ...] = ()) -> pd.DataFrame:
    """Only ``columns`` of the processed tweets (only rows of ``kinds`` if given), read partition by
    partition; rows keep their order. ``fallback_only`` columns are kept only on rows whose
    ``retweet_tweetid`` is missing or lossy (``Trace.fallback_only``), null elsewhere."""
    files = partitions(processed_dir(release, work_dir) / "tweets")
    key = None
    if _KEPT is not None and (columns, kinds, fallback_only) in _WANTED:
        stats = tuple((str(f.resolve()), f.stat().st_size, f.stat().st_mtime_ns) for f in files)
        key = (stats, columns, kinds, fallback_only)
        if key in _KEPT:
            return _KEPT[key].copy(deep=False)
    df = _read_columns(files, columns, kinds, fallback_only)
    if key is not None and _KEPT is not None:
        _KEPT[key] = df.copy(deep=False)
    return df


def _read_columns(files: list[Path], columns: tuple[str, ...], kinds: tuple[str, ...] | None,
                  fallback_only: tuple[str, ...]) -> pd.DataFrame:
    filters = [("tweet_kind", "in", list(kinds))] if kinds is not None else None
    parts = []
    for path in files:
        t = pq.read_table(path, columns=list(columns), filters=filters)
        if fallback_only:
            bad = pc.or_(pc.is_null(t["retweet_tweetid"]), pc.fill_null(t["has_lossy_ref"], False))
            for c in fallback_only:
                t = t.set_column(t.schema.get_field_index(c), c,
                                 pc.if_else(bad, t[c], pa.nulls(len(t), t.schema.field(c).type)))
        parts.append(t)
    return pa.concat_tables(parts).to_pandas()


def _edges_schema(trace: str) -> pa.Schema:
    weight = pa.float64() if trace == "tfidf_retweet" else pa.int64()
    return pa.schema([("source", pa.string()), ("target", pa.string()), ("weight", weight)])


def _write(df: pd.DataFrame, path: Path, schema: pa.Schema | None = None) -> int:
    table = pa.Table.from_pandas(df, schema=schema, preserve_index=False)
    write_table(table, path)
    return len(df)


# What depends on ``Params.seed``: MinHash's hash functions (near_duplicate) and Louvain's (the rings, hence the
# retweet_ring edges, and every trace's communities). Every other edge table, the amplifiers and the core do not.
SEEDED = ("near_duplicate", "retweet_ring")


def _donor(release: str, work_dir: str | Path, params: Params) -> Path | None:
    """The fresh tables of the same parameters under the default seed, whose seed-free tables :func:`build` copies
    instead of computing them again (the model-seed runs of the evaluation); None when there are none. The caller
    holds :func:`lock`, so they are not rebuilt meanwhile."""
    if params.seed == DEFAULTS.seed:
        return None
    same = replace(params, seed=DEFAULTS.seed)
    out = folder(release, work_dir, same)
    return out if stageio.is_fresh(out, _stamp(release, work_dir, same)) else None


def build(release: str, out: Path, work_dir: str | Path = DATA_DIR, params: Params = DEFAULTS,
          reuse: bool = True) -> dict:
    """Compute every table into ``out``; returns the row counts (the stage's report). With ``reuse``, the tables
    that do not depend on ``params.seed`` are copied from a fresh build that differs only in the seed
    (:func:`_donor`): the same bytes a computation would write (``tests/test_coordination_stage.py``). Releases of
    ``BOUNDED_MIN_ROWS`` tweets or more are computed in bounded memory (:func:`_build_bounded`), smaller ones in
    memory (:func:`_build_in_memory`): the same bytes (``tests/test_coordination_bounded.py``)."""
    donor = _donor(release, work_dir, params) if reuse else None
    counts: dict[str, int] = {}
    summary: list[dict] = []
    comms: dict[str, pd.DataFrame] = {}
    (out / "edges").mkdir()

    def done(name: str, e: pd.DataFrame | None) -> None:
        """Write (or, with ``e`` None, copy from the donor) one trace's edges; its summary row and communities."""
        table = f"edges/{name}"
        if e is None:
            counts[table] = _copy(donor, out, table)
            e = pd.read_parquet(out / f"{table}.parquet")
        else:
            counts[table] = _write(e, out / "edges" / f"{name}.parquet", _edges_schema(name))
        summary.append({"trace": name, "edges": len(e), "accounts": len(nodes_of(e)),
                        "total_weight": round(float(e["weight"].sum()), 3)})
        c = communities(e, seed=params.seed)
        comms[name] = pd.DataFrame({"trace": name, "userid": c.index.to_numpy(object),
                                    "community": c.to_numpy(np.int64)})
        progress.step(f"{name}: {summary[-1]['edges']} edges")

    bounded_memory = release_rows(release, work_dir) >= BOUNDED_MIN_ROWS
    with stageio.frozen_gc():  # the collections after each step scan only what the build made
        (_build_bounded if bounded_memory else _build_in_memory)(release, out, work_dir, params, donor, counts, done)
    order = {n: i for i, n in enumerate(TRACES)}
    summary.sort(key=lambda r: order[r["trace"]])
    counts["summary"] = _write(pd.DataFrame(summary), out / "summary.parquet")
    cschema = pa.schema([("trace", pa.string()), ("userid", pa.string()), ("community", pa.int64())])
    comm = pd.concat([comms[t] for t in TRACES], ignore_index=True)
    counts["communities"] = _write(comm, out / "communities.parquet", cschema)
    (out / REPORT).write_text(json.dumps(counts, indent=2, sort_keys=True))
    return counts


def release_rows(release: str, work_dir: str | Path = DATA_DIR) -> int:
    """The number of processed tweets of ``release`` (from the partitions' Parquet footers)."""
    return sum(pq.ParquetFile(f).metadata.num_rows for f in partitions(processed_dir(release, work_dir) / "tweets"))


Done = Callable[[str, pd.DataFrame | None], None]  # build's per-trace writer


def _build_in_memory(release: str, out: Path, work_dir: str | Path, params: Params, donor: Path | None,
                     counts: dict[str, int], done: Done) -> None:
    """Traces group by group: the traces that read the same columns and rows (``Trace.columns``, ``Trace.kinds``)
    share one pandas read of just those columns (:func:`read_columns`), freed before the next group is read."""
    groups: dict[tuple, list[str]] = {}
    for name, t in TRACES.items():
        groups.setdefault((t.columns, t.kinds, t.fallback_only), []).append(name)
    for (columns, kinds, fallback_only), names in groups.items():
        amplified = columns == RETWEETERS and kinds is None
        copied = donor is not None and not any(n in SEEDED for n in names)
        tweets = None if copied else read_columns(release, columns, kinds, work_dir, fallback_only)
        rings = delays = None
        if "retweet_ring" in names:
            delays = retweet_delays(tweets)  # the rings and both fast retweet traces start from it
            rings = retweet_rings(tweets, **ring_params(params), delays=delays)
            counts["rings"] = _write(rings, out / "rings.parquet")
        if amplified and donor is not None:
            counts["amplifiers"], counts["core"] = (_copy(donor, out, t) for t in ("amplifiers", "core"))
        elif amplified:
            counts["amplifiers"], counts["core"] = _amplifiers(tweets, out)
        for name in names:
            done(name, None if donor is not None and name not in SEEDED
                 else compute(name, tweets, params, rings, delays=delays))
        del tweets, rings, delays
        gc.collect()


def _build_bounded(release: str, out: Path, work_dir: str | Path, params: Params, donor: Path | None,
                   counts: dict[str, int], done: Done) -> None:
    """Every trace computed by DuckDB over the processed partitions (``bounded.Release``; its database, spill and
    bucket files live in ``out/_scratch``, removed at the end), only the columns each needs: memory is bounded by
    account pairs and buckets, not by the release. The retweet events are built once for co-retweet and TF-IDF,
    the fast-retweet counts once for the rings and both fast-retweet traces, the per-account retweet counts once
    for the amplifiers and the amplification trace."""
    copy = donor is not None
    with bounded.Release(release, work_dir, out / "_scratch") as src:
        if not copy:
            src.retweet_events()  # shared by co_retweet and tfidf_retweet
        for name in ("co_retweet", "co_tweet", "co_url", "co_hashtag", "co_mention", "hashtag_sequence"):
            done(name, None if copy else src.co_network(name, window_of(name, params), min_weight_of(name, params)))
        done("tfidf_retweet", None if copy else src.tfidf_retweet(params.tfidf_threshold))
        done("near_duplicate", src.near_duplicate(params.window_tweet, params.near_duplicate_threshold,
                                                  min_weight_of("near_duplicate", params), seed=params.seed))
        rp = ring_params(params)
        fast = src.fast_retweet_counts(params.max_retweet_delay)  # shared by rings and both fast-retweet traces
        rings = rings_from_counts(fast, **{k: v for k, v in rp.items() if k != "max_delay"})
        counts["rings"] = _write(rings, out / "rings.parquet")
        mw = min_weight_of("fast_retweet", params)
        f = fast.loc[fast["n"] >= mw].set_axis(["source", "target", "weight"], axis=1).reset_index(drop=True)
        del fast
        done("fast_retweet", None if copy else undirected_sum(f))
        in_rings = f["source"].isin(rings["userid"]) & f["target"].isin(rings["userid"])
        done("retweet_ring", undirected_sum(f[in_rings]))
        del f, rings
        if copy:
            counts["amplifiers"], counts["core"] = (_copy(donor, out, t) for t in ("amplifiers", "core"))
            done("amplification", None)
            return
        per, cnt, userids = src.account_counts()  # shared by the amplifier detector and the amplification trace
        counts["amplifiers"], counts["core"] = _amplifiers_from_counts(per, cnt, out)
        mw = min_weight_of("amplification", params)
        a = cnt.loc[(cnt["userid"] != cnt["rt_userid"]) & (cnt["n"] >= mw)]
        a = a.set_axis(["source", "target", "weight"], axis=1)
        done("amplification", undirected_sum(a[a["target"].isin(userids)]))


def _copy(donor: Path, out: Path, table: str) -> int:
    """Copy one table's file from ``donor`` into ``out``; its row count."""
    shutil.copyfile(donor / f"{table}.parquet", out / f"{table}.parquet")
    return pq.ParquetFile(out / f"{table}.parquet").metadata.num_rows


def _amplifiers(tweets: pd.DataFrame, out: Path) -> tuple[int, int]:
    a = {k: v for k, v in AMPLIFIER.items() if k != "min_amplifiers"}
    return _write_amplifiers(amplifiers(tweets, **a), out)


def _amplifiers_from_counts(per: pd.DataFrame, cnt: pd.DataFrame, out: Path) -> tuple[int, int]:
    a = {k: v for k, v in AMPLIFIER.items() if k != "min_amplifiers"}
    return _write_amplifiers(amplifiers_from_counts(per, cnt, **a), out)


def _write_amplifiers(amp: pd.DataFrame, out: Path) -> tuple[int, int]:
    core = amplified_core(amp, AMPLIFIER["min_amplifiers"]).reset_index()
    amp["top_targets"] = amp["top_targets"].map(lambda x: [str(v) for v in x])
    return _write(amp, out / "amplifiers.parquet"), _write(core, out / "core.parquet")


def _verify(tmp: Path) -> None:
    from ..stages import StageCheckError

    counts = json.loads((tmp / REPORT).read_text())
    for table in (*TABLES, *(f"edges/{t}" for t in TRACES)):
        if table not in counts:
            raise StageCheckError(f"coordination: no {table} table written")
        path = tmp / f"{table}.parquet"
        found = pq.ParquetFile(path).metadata.num_rows if path.exists() else -1
        if found != counts[table]:
            raise StageCheckError(f"coordination: {table} holds {found} rows where the stage reported "
                                  f"{counts[table]}")


def lock(release: str, work_dir: str | Path = DATA_DIR):
    """The lock every build, publication and read of the release's coordination tables holds (any parameters).
    Taken before the release lock, never while holding it."""
    return stageio.named_lock(work_dir, f"coordination-{check_release_id(release)}")


def _ensure_locked(release: str, work_dir: str | Path, params: Params) -> Path:
    """The caller holds ``lock(release)``; the release lock is taken only to publish."""
    out = folder(release, work_dir, params)
    scratch = stageio.scratch(work_dir, f"{release}.{out.name}")
    stageio.clean_debris(scratch.parent, work_dir, [scratch.name])  # builds of killed runs
    want = _stamp(release, work_dir, params)
    if stageio.is_fresh(out, want):
        return out
    with progress.stage("coordination", release), stageio.building(scratch, work_dir) as tmp:
        build(release, tmp, work_dir, params)
        _verify(tmp)
        with stageio.release_lock(work_dir, release):
            if _stamp(release, work_dir, params) != want:
                raise stageio.UpstreamChangedError(f"the processed tables of {release} were rebuilt while its "
                                                   "coordination tables were built; run again")
            stageio.clean_debris(out.parent, work_dir, [out.name])
            stageio.write_stamp(tmp, want)
            moved = stageio.temp_path(out)  # beside the destination, so the swap is a rename in one folder
            tmp.rename(moved)
            try:
                stageio.publish(moved, out, work_dir)
            except BaseException:
                stageio.safe_rmtree(moved, work_dir)
                raise
    return out


def ensure(release: str, work_dir: str | Path = DATA_DIR, params: Params = DEFAULTS) -> Path:
    """The folder of the coordination tables of ``release`` under ``params``, built unless up to date."""
    with lock(release, work_dir):
        return _ensure_locked(release, work_dir, params)


def read(release: str, table: str, work_dir: str | Path = DATA_DIR, params: Params = DEFAULTS) -> pd.DataFrame:
    """One table of the stage (``edges/<trace>``, ``communities``, ``amplifiers``, ``core``, ``rings``,
    ``summary``), building the stage first if needed."""
    if table not in TABLES and table.removeprefix("edges/") not in TRACES:
        raise KeyError(f"unknown coordination table {table!r}; tables: {', '.join(TABLES)}, "
                       f"edges/<trace> for {', '.join(TRACES)}")
    with lock(release, work_dir):  # no rebuild of this stage swaps the table out while it is read
        out = _ensure_locked(release, work_dir, params)
        with stageio.release_lock(work_dir, release):  # nor a rebuild of the clean stage (it replaces the folder)
            if not stageio.is_fresh(out, _stamp(release, work_dir, params)):
                raise stageio.UpstreamChangedError(f"the processed tables of {release} were rebuilt after its "
                                                   "coordination tables; run again")
            df = pd.read_parquet(out / f"{table}.parquet")
    if table == "amplifiers":
        df["top_targets"] = df["top_targets"].map(list)
    return df


def edges(release: str, work_dir: str | Path = DATA_DIR, params: Params = DEFAULTS) -> dict[str, pd.DataFrame]:
    """Every trace's edge table, by trace name."""
    return {t: read(release, f"edges/{t}", work_dir, params) for t in TRACES}
