"""Step 1 of the out-of-core topics stage (``scale.py``): one processed partition prepared for DuckDB.

A module of its own with light imports (numpy, pyarrow, ``tokenize``; no BERTopic/UMAP), because
``prepare_partitions`` runs it in worker processes: each partition is independent, so ``WORKERS`` processes
prepare them side by side and each writes its own file (the bytes one process writes; tested).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .. import progress
from .tokenize import describe

# the processed columns the stage reads (``model.TWEET_COLUMNS``, repeated here to keep this module light;
# ``tests/test_topics_scale.py`` checks they agree)
TWEET_COLUMNS = ("tweetid", "userid", "tweet_time", "tweet_kind", "tweet_language", "text_norm",
                 "client", "retweet_tweetid", "hashtags")
COMPRESSION = "lz4"  # the scratch copies of the partitions: 1.6x zstd's size, written and read faster
WORKERS = 2  # processes preparing partitions (the 2 cores of the reference machine); 1: in this process
MIN_ROWS = 1_000_000  # fewer tweets: prepared in this process (a worker's start costs more than it saves)


def prepare_partitions(parts: list[Path], folder: Path, evidence: tuple[str, ...], workers: int = WORKERS) -> int:
    """Write each processed partition's needed columns, sorted, with text/group/week as
    ``folder/part-<i>.parquet``; returns the count. ``workers`` > 1: partitions ``i`` with ``i % workers == k``
    are prepared by worker process ``k`` (``python -m ioa_utils.topics.prep``: a fresh interpreter, so no
    threads of the parent are forked and the caller's ``__main__`` is not imported again), from ``MIN_ROWS``
    tweets on."""
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(str(part), str(folder / f"part-{i:05d}.parquet"), i) for i, part in enumerate(parts)]
    workers = min(workers, len(jobs))
    if workers > 1 and sum(pq.ParquetFile(p).metadata.num_rows for p in parts) < MIN_ROWS:
        workers = 1
    if workers <= 1:
        for part, out, i in jobs:
            prepare_part(Path(part), Path(out), evidence, i)
            progress.step(f"prepared partition {i + 1}/{len(parts)}")
        return len(parts)
    root = str(Path(__file__).resolve().parents[2])  # this code, wherever the interpreter would find another
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)}
    procs = [subprocess.Popen([sys.executable, "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True, env=env) for _ in range(workers)]
    for k, proc in enumerate(procs):
        proc.stdin.write(json.dumps({"evidence": list(evidence), "jobs": jobs[k::workers]}))
        proc.stdin.close()
    done = 0
    for proc in procs:
        for _ in proc.stdout:
            done += 1
            progress.step(f"prepared partition {done}/{len(parts)}")
    failed = [k for k, proc in enumerate(procs) if proc.wait() != 0]
    if failed or done != len(jobs):
        raise RuntimeError(f"topics: preparing the partitions failed in worker(s) {failed}")
    return len(parts)


def prepare_part(part: Path, out: Path, evidence: tuple[str, ...], i: int) -> int:
    """Prepare partition ``i`` (file ``part``) into ``out``; returns ``i``."""
    present = set(pq.read_schema(part).names)
    cols = [c for c in dict.fromkeys((*TWEET_COLUMNS, *evidence)) if c in present]
    table = pq.read_table(part, columns=cols)
    prepared = prepare_arrow(table, evidence, i)
    if prepared is None:  # ids that are not plain digit strings: the pandas reference code
        prepared = prepare_pandas(table.to_pandas(), evidence, i)
    pq.write_table(prepared, out, compression=COMPRESSION)
    return i


def prepare_pandas(df: pd.DataFrame, evidence: tuple[str, ...], i: int) -> pa.Table:
    """``prepare_arrow`` as ``fit_release`` computes it, in pandas (the reference; any tweet id)."""
    from .model import derive_columns, tweet_order

    for c in evidence:  # an absent evidence column: no evidence (as ``link.evidence_profiles`` does)
        if c not in df.columns:
            df[c] = pd.Series([None] * len(df), dtype=object)
    df.insert(0, "tkey", tweet_order(df["tweetid"]))
    df = derive_columns(df.sort_values("tkey", kind="stable").reset_index(drop=True))
    df.insert(0, "part", np.full(len(df), i, dtype=np.int64))
    return pa.Table.from_pandas(df.drop(columns="text_norm"), preserve_index=False)


def prepare_arrow(table: pa.Table, evidence: tuple[str, ...], i: int) -> pa.Table | None:
    """One partition's rows sorted by ``tweet_order`` with ``part``, ``tkey``, ``text``, ``key``, ``group`` and
    ``week`` (``model.derive_columns``), computed with Arrow kernels and ``tokenize.describe`` on the distinct
    texts: the values of ``prepare_pandas`` without a pandas frame. None when a tweet id is null, not a
    string, or starts with a sign (``str.zfill`` pads after the sign, ``utf8_lpad`` before it)."""
    import pyarrow.compute as pc

    ids = table.column("tweetid")
    if not pa.types.is_string(ids.type) and not pa.types.is_large_string(ids.type):
        return None
    if ids.null_count or (len(ids) and pc.any(pc.match_substring_regex(ids, "^[+-]")).as_py()):
        return None
    n = table.num_rows
    for c in evidence:  # an absent evidence column: no evidence (as ``link.evidence_profiles`` does)
        if c not in table.column_names:
            table = table.append_column(c, pa.nulls(n))
    tkey = pc.utf8_lpad(ids, width=24, padding="0")  # tweet_order: str.zfill(24) of digit strings
    order = pc.sort_indices(pa.table({"k": tkey}), sort_keys=[("k", "ascending")])  # stable
    table = table.append_column("tkey", tkey).take(order)
    text = pc.fill_null(table.column("text_norm"), "").combine_chunks().dictionary_encode()
    uniq = text.dictionary.to_pylist()
    group, letters, keys = describe(uniq)
    group[~letters] = "none"
    week = week_strings(table.column("tweet_time"))
    big = pa.large_string()
    cols = {"part": pa.array(np.full(n, i, dtype=np.int64)), "tkey": table.column("tkey").cast(big)}
    cols.update({c: (table.column(c).cast(big) if pa.types.is_string(table.column(c).type) else table.column(c))
                 for c in table.column_names if c not in ("tkey", "text_norm")})
    cols["text"] = pa.array(uniq, big).take(text.indices) if n else pa.array([], big)
    cols["key"] = pa.array(keys, big).take(text.indices) if n else pa.array([], big)
    cols["group"] = pa.array(group, big).take(text.indices) if n else pa.array([], big)
    cols["week"] = week
    return pa.table(cols)


def week_strings(times: pa.ChunkedArray) -> pa.Array:
    """``model.week_of`` on an Arrow timestamp column (the Monday of each time's UTC week, null when the time
    is): computed once per distinct day."""
    import pyarrow.compute as pc

    ms = pc.cast(pc.cast(times, pa.timestamp("ms", tz="UTC")), pa.int64()).combine_chunks()
    valid = ~np.asarray(ms.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    days = np.floor_divide(np.asarray(ms.fill_null(0).to_numpy(), dtype=np.int64), 86_400_000)
    uniq, inv = np.unique(days, return_inverse=True)
    monday = np.datetime_as_string((uniq - (uniq + 3) % 7).astype("datetime64[D]"), unit="D")
    out = pa.array(monday.astype(object), pa.large_string()).take(pa.array(inv.reshape(-1).astype(np.int64)))
    return out if valid.all() else pc.if_else(pa.array(valid), out, pa.scalar(None, pa.large_string()))


def _worker() -> None:
    """``python -m ioa_utils.topics.prep``: prepare the jobs read as JSON from stdin, a line out per partition."""
    spec = json.load(sys.stdin)
    for part, out, i in spec["jobs"]:
        prepare_part(Path(part), Path(out), tuple(spec["evidence"]), i)
        print(i, flush=True)


if __name__ == "__main__":
    _worker()
