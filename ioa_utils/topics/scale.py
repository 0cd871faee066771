"""The topics stage out of core: the same results as ``model.fit_release``, computed over the processed tweet
partitions with bounded memory (a 37M-tweet release never sits in pandas).

Steps, for one release (``fit_partitions``):

1. *prepare* (``prep.py``: partition-wise, Arrow kernels, in ``prep.WORKERS`` processes; ``prepare_pandas`` is
   the pandas reference): each processed partition, only the needed columns, sorted by tweet id, plus
   ``text``, ``key`` (token key), ``group`` (script) and ``week`` (``model.derive_columns``) ->
   ``prep/part-i.parquet``;
2. *sample* (DuckDB): distinct original texts per group with the language and week of their first tweet;
   stratum sizes go to Python, which draws the same positions as ``model.stratified_sample`` (numpy, seeded);
3. *fit* each group on its sample (``model.fit_texts``);
4. *transform* (DuckDB + Python): the distinct token keys of unfitted non-retweets, sorted, written to
   Parquet by DuckDB and read back in batches of exactly ``batch_size`` keys (the batches of ``fit_release``),
   each embedded and given its nearest topic (``nearest.py``: a matrix product per batch);
5. *assign* (DuckDB): every tweet's topic by a join on its text (fitted) or its token key (transformed);
   in-data retweets copy the topic and script group of the tweet they retweet (a join on
   ``retweet_tweetid``); written unsorted as Parquet partitioned by partition, each row with its row number
   in its prepared file (no sort of the whole release: hash joins only);
6. *link* (DuckDB counts, ``link.profiles_from_counts``) and the per-topic sizes (``summary.topic_table``);
7. *write* (partition-wise): the assignments, partition after partition in tweet-id order (step 5's rows put
   back in the order of the prepared partition by their row numbers), as row groups of
   ``ROW_GROUP`` rows of one Parquet file (the layout and bytes of ``store.write_table`` on the whole table);
   the outlier share per script group (DuckDB counts on that file) goes to ``stats["outliers"]``.

DuckDB (a disk-backed database in the scratch folder, ``MEMORY_LIMIT``) only sorts, de-duplicates, joins and
counts strings and integers, and every result is ordered: its thread count cannot change the results. All
floats (embeddings, models, link weights) are computed in Python exactly as ``fit_release`` does.
"""

from __future__ import annotations

import os
import resource
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .. import progress, store
from ..paths import DATA_DIR
from .link import link_profiles, profiles_from_counts
from .model import (
    GroupModel,
    ReleaseTopics,
    TopicParams,
    _transform,
    apply_links,
    fit_texts,
    next_offset,
    stratum_sample,
)
from .prep import prepare_arrow, prepare_pandas, prepare_partitions, week_strings  # noqa: F401 (API)
from .summary import outlier_shares, topic_table

OUT_COLUMNS = ["tweetid", "userid", "tweet_time", "tweet_kind", "tweet_language", "client", "group", "week",
               "topic", "topic_label", "probability", "fitted_on"]
ROW_GROUP = 1024 * 1024  # rows per row group of the assignments (pyarrow's default for one write_table)
MEMORY_LIMIT = "2GB"  # DuckDB's own memory; it spills to its temp folder beyond it
THREADS = 2
TRANSFORM_WORKERS = 2  # processes embedding the transform batches of a large group (the reference machine's cores)
TRANSFORM_MIN_KEYS = 100_000  # fewer keys to transform: in this process (starting a worker costs ~7 s of imports)


def connect(scratch: Path, threads: int = THREADS, memory_limit: str = MEMORY_LIMIT):
    import duckdb

    con = duckdb.connect(str(scratch / "topics.duckdb"))
    con.execute(f"SET threads = {int(threads)}; SET memory_limit = '{memory_limit}'; "
                f"SET temp_directory = '{scratch / 'spill'}'; SET preserve_insertion_order = false; "
                "SET enable_progress_bar = false")
    return con


def fit_partitions(release: str, work_dir: str | Path = DATA_DIR, params: TopicParams | None = None,
                   cache: Path | None = None, scratch: Path | None = None,
                   parts: list[Path] | None = None) -> ReleaseTopics:
    """Fit and assign one release from its processed partitions (``parts``: those files instead)."""
    params = params or TopicParams()
    if scratch is None:
        raise ValueError("fit_partitions needs a scratch folder")
    scratch.mkdir(parents=True, exist_ok=True)
    parts = parts if parts is not None else store.partitions(store.table_path(release, "tweets", work_dir=work_dir))
    evidence = tuple(dict.fromkeys(params.link_evidence))
    stats: dict = {"partitions": len(parts)}
    clock = _Clock(stats)
    n_parts = prepare_partitions(parts, scratch / "prep", evidence)
    clock("prepare_s")
    con = connect(scratch)
    try:
        con.execute(f"CREATE VIEW prep AS SELECT * FROM read_parquet('{scratch / 'prep'}/part-*.parquet', "
                    "file_row_number = true)")
        con.execute("CREATE TABLE rt AS SELECT tweetid, retweet_tweetid FROM prep WHERE tweet_kind = 'retweet' "
                    "AND retweet_tweetid IN (SELECT tweetid FROM prep)")
        con.execute("CREATE TABLE fitted (text VARCHAR, topic BIGINT, probability DOUBLE)")
        con.execute("CREATE TABLE transformed (g VARCHAR, key VARCHAR, topic BIGINT, probability DOUBLE)")
        groups = fit_groups(con, params, cache, scratch, stats)
        clock("sample_fit_transform_s")
        assign(con, scratch, evidence)
        clock("assign_s")
        mapping, id_links = link(con, groups, params, evidence)
        links = apply_links(groups, mapping, id_links)
        table = topic_table(groups, None, sizes=final_sizes(con, mapping))
        labels = dict(zip(table["topic"], table["label"], strict=True))
        out = scratch / "topics.parquet"
        clock("link_table_s")
        rows = write_assignments(scratch / "prep", scratch / "pre", n_parts, mapping, labels, out)
        clock("write_s")
        stats["outliers"] = outlier_shares(con.execute(
            f"""SELECT "group", count(*) AS tweets, count(*) FILTER (WHERE topic < 0) AS outliers
                FROM read_parquet('{out}') GROUP BY 1 ORDER BY 1""").df())
    finally:
        con.close()
    for sub in ("prep", "pre", "spill"):
        shutil.rmtree(scratch / sub, ignore_errors=True)
    (scratch / "topics.duckdb").unlink(missing_ok=True)
    return ReleaseTopics(release, params, None, table, groups, links, assignments_file=out, rows=rows, stats=stats)


class _Clock:
    """Records the seconds since the previous call under a name in ``stats`` (``name``: wall time;
    ``cpu_<name>``: CPU time of the process, all threads, DuckDB's included, and of its finished worker
    processes)."""

    def __init__(self, stats: dict):
        self.stats, self.last, self.cpu = stats, time.perf_counter(), cpu_seconds()

    def __call__(self, name: str) -> None:
        now, cpu = time.perf_counter(), cpu_seconds()
        self.stats[name] = round(now - self.last, 2)
        self.stats[f"cpu_{name}"] = round(cpu - self.cpu, 2)
        self.last, self.cpu = now, cpu


def cpu_seconds() -> float:
    """User + system CPU seconds of this process and of its waited-for child processes."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


# --- 2.-4. sample, fit, transform ------------------------------------------------------------------------

def fit_groups(con, params: TopicParams, cache: Path | None, scratch: Path,
               stats: dict | None = None) -> dict[str, GroupModel]:
    """Fit every script group on its sample; fill tables ``fitted`` (text -> topic before linking) and
    ``transformed`` (token key -> topic)."""
    # distinct original texts with the language and week of their first tweet (``drop_duplicates("text")``)
    con.execute("""CREATE TABLE uniq AS SELECT u.g, u.text, u.first, p.tweet_language AS lang, p.week
                   FROM (SELECT "group" AS g, text, min(tkey) AS first FROM prep
                         WHERE tweet_kind = 'original' AND "group" <> 'none' GROUP BY "group", text) u
                   JOIN prep p ON p.tkey = u.first""")
    groups: dict[str, GroupModel] = {}
    offset = 0
    names = [r[0] for r in con.execute('SELECT DISTINCT "group" FROM prep WHERE "group" <> \'none\' ORDER BY 1')
             .fetchall()]
    for group in names:
        gm, fitted = fit_texts(sample_texts(con, group, params), group, params, cache, offset)
        if gm is None:
            continue
        groups[group] = gm
        insert(con, "fitted", [(t, k + offset if k >= 0 else -1, p) for t, (k, p) in fitted.items()])
        start = time.perf_counter()
        progress.step(f"{group} texts: model fitted on {gm.n_fit} texts")
        n = transform_group(con, gm, params, cache, scratch)
        progress.step(f"{group} texts: {n} more assigned")
        if stats is not None:
            stats.setdefault("groups", {})[group] = {"fit_texts": gm.n_fit, "transformed_keys": n,
                                                     "transform_s": round(time.perf_counter() - start, 2)}
        offset = next_offset(gm)
    return groups


def sample_texts(con, group: str, params: TopicParams) -> list[str]:
    """The sorted texts ``model._fit_group`` fits: a stratified sample (language x week) of distinct originals."""
    strata = con.execute("SELECT lang, week, count(*) FROM uniq WHERE g = ? GROUP BY lang, week "
                         "ORDER BY lang NULLS LAST, week", [group]).fetchall()
    drawn = stratum_sample([int(n) for _, _, n in strata], params.sample_size, params.seed)
    if drawn is None:
        return [r[0] for r in con.execute("SELECT text FROM uniq WHERE g = ? ORDER BY text", [group]).fetchall()]
    picked = pa.table({"sid": np.concatenate([np.full(len(d), i, dtype=np.int64) for i, d in enumerate(drawn)]),
                       "pos": np.concatenate(drawn).astype(np.int64)})
    con.register("picked", picked)
    try:
        rows = con.execute("""
            WITH s AS (SELECT lang, week, row_number() OVER (ORDER BY lang NULLS LAST, week) - 1 AS sid
                       FROM (SELECT DISTINCT lang, week FROM uniq WHERE g = $g)),
                 u AS (SELECT u.text, s.sid, row_number() OVER (PARTITION BY s.sid ORDER BY u.first) - 1 AS pos
                       FROM uniq u JOIN s ON u.lang IS NOT DISTINCT FROM s.lang AND u.week = s.week WHERE u.g = $g)
            SELECT u.text FROM u JOIN picked p ON p.sid = u.sid AND p.pos = u.pos ORDER BY u.text""",
                           {"g": group}).fetchall()
    finally:
        con.unregister("picked")
    return [r[0] for r in rows]


def transform_group(con, gm: GroupModel, params: TopicParams, cache: Path | None, scratch: Path,
                    workers: int | None = None) -> int:
    """Assign the group's distinct token keys of unfitted non-retweets, in sorted batches of ``batch_size``
    (from ``TRANSFORM_MIN_KEYS`` keys on, spread over ``TRANSFORM_WORKERS`` processes: ``transform_parallel``)."""
    todo = scratch / f"todo-{gm.group}.parquet"
    con.execute(f"""COPY (SELECT DISTINCT p.key FROM prep p ANTI JOIN rt ON rt.tweetid = p.tweetid
                    ANTI JOIN fitted f ON f.text = p.text WHERE p."group" = $g ORDER BY p.key)
                    TO '{todo}' (FORMAT parquet)""", {"g": gm.group})
    total = pq.ParquetFile(todo).metadata.num_rows
    workers = TRANSFORM_WORKERS if workers is None else workers
    if workers > 1 and total >= TRANSFORM_MIN_KEYS:
        n = transform_parallel(con, gm, params, cache, todo, scratch / f"done-{gm.group}", workers)
    else:
        n = 0
        for batch in text_batches(todo, params.batch_size):
            out = _transform(gm, batch, params, cache)
            insert(con, "transformed", [(t, k + gm.offset if k >= 0 else -1, p) for t, (k, p) in out.items()],
                   gm.group)
            n += len(batch)
    todo.unlink()
    return n


def transform_parallel(con, gm: GroupModel, params: TopicParams, cache: Path | None, todo: Path, folder: Path,
                       workers: int) -> int:
    """``transform_group``'s batches in ``workers`` processes (``python -m ioa_utils.topics.scale``): worker
    ``k`` takes batches ``b`` with ``b % workers == k`` (the same batches, each assigned by ``_transform`` as in
    one process: a text's topic depends only on its own embedding) and writes each one's (key, topic,
    probability) rows to ``folder/batch-<b>.parquet``; DuckDB then inserts them all into ``transformed``."""
    import pickle
    import subprocess
    import sys
    from types import SimpleNamespace

    folder.mkdir(parents=True, exist_ok=True)
    state = folder / "model.pkl"  # what ``_transform`` reads of the group model (no UMAP/HDBSCAN)
    model = SimpleNamespace(topic_embeddings_=np.asarray(gm.model.topic_embeddings_), _outliers=gm.model._outliers)
    shim = SimpleNamespace(embedder=gm.embedder, cache_key=gm.cache_key, model=model, floor=gm.floor)  # type: ignore[attr-defined]
    state.write_bytes(pickle.dumps({"gm": shim, "params": params, "cache": cache}))
    root = str(Path(__file__).resolve().parents[2])  # this code, wherever the interpreter would find another
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)}
    procs = [subprocess.Popen([sys.executable, "-m", __name__, str(state), str(todo), str(folder), str(k),
                               str(workers)], stdout=subprocess.PIPE, text=True, env=env) for k in range(workers)]
    n = 0
    for proc in procs:
        for line in proc.stdout:
            n += int(line)
    if any(proc.wait() != 0 for proc in procs):
        raise RuntimeError(f"topics: transforming the {gm.group} texts failed in a worker process")
    con.execute(f"""INSERT INTO transformed SELECT $g, key, CASE WHEN topic >= 0 THEN topic + $o ELSE -1 END,
                    probability FROM read_parquet('{folder}/batch-*.parquet')""", {"g": gm.group, "o": gm.offset})
    shutil.rmtree(folder)
    return n


def _transform_worker(state: Path, todo: Path, folder: Path, k: int, workers: int) -> None:
    """One worker of ``transform_parallel``: prints each of its batches' size once written."""
    import pickle

    spec = pickle.loads(state.read_bytes())
    gm, params = spec["gm"], spec["params"]
    for b, batch in enumerate(text_batches(todo, params.batch_size)):
        if b % workers != k:
            continue
        out = _transform(gm, batch, params, spec["cache"])
        pq.write_table(pa.table({"key": pa.array(list(out), pa.string()),
                                 "topic": pa.array([t for t, _ in out.values()], pa.int64()),
                                 "probability": pa.array([p for _, p in out.values()], pa.float64())}),
                       folder / f"batch-{b:06d}.parquet")
        print(len(batch), flush=True)


def text_batches(path: Path, size: int) -> Iterator[list[str]]:
    """The texts of a one-column Parquet file, in order, in lists of exactly ``size`` (the last shorter)."""
    buf: list[str] = []
    for rb in pq.ParquetFile(path).iter_batches(batch_size=size):
        buf += rb.column(0).to_pylist()
        while len(buf) >= size:
            yield buf[:size]
            buf = buf[size:]
    if buf:
        yield buf


def insert(con, table: str, rows: list[tuple[str, int, float]], group: str | None = None) -> None:
    """Append (text, topic, probability) rows to table ``fitted``, or (token key, ...) rows of ``group`` to
    ``transformed`` (a key is not unique across groups: scripts are counted on separators too)."""
    if not rows:
        return
    t, k, p = zip(*rows, strict=True)
    cols = {"t": pa.array(t, pa.string()), "topic": pa.array(k, pa.int64()), "probability": pa.array(p, pa.float64())}
    batch = pa.table(cols if group is None else {"g": pa.array([group] * len(t), pa.string()), **cols})
    con.register("batch", batch)
    try:
        con.execute(f"INSERT INTO {table} SELECT * FROM batch")
    finally:
        con.unregister("batch")


# --- 5. assign -------------------------------------------------------------------------------------------

def assign(con, scratch: Path, evidence: tuple[str, ...]) -> None:
    """View ``pre``: every tweet's topic before linking, by partition (``part``) and row in its prepared file
    (``row``), written by one DuckDB query as Parquet files partitioned by ``part`` (``scratch/pre``): no sort
    of the whole release, only hash joins.

    Non-retweets take the topic of their text if it was fitted, else that of its token key (-1 / ``none`` when
    not modelled); in-data retweets the topic,
    probability and group of the tweet they retweet (``none`` when that one has none or is a retweet itself).
    """
    con.execute(f"CREATE VIEW own AS {own_sql('prep')}")
    # the retweeted tweets' own topics: filtered before the joins (the same rows as filtering ``own``)
    sources = "(SELECT * FROM prep WHERE tweetid IN (SELECT retweet_tweetid FROM rt))"
    con.execute(f"""CREATE TABLE src AS SELECT s.tweetid, s."group" AS g,
                   CASE WHEN r.tweetid IS NULL THEN s.own_topic END AS topic,
                   CASE WHEN r.tweetid IS NULL THEN s.own_probability END AS probability,
                   CASE WHEN r.tweetid IS NULL AND s.own_how IS NOT NULL THEN 'retweet' ELSE 'none' END AS how
                   FROM ({own_sql(sources)}) s LEFT JOIN rt r ON r.tweetid = s.tweetid""")
    ev = "".join(f', p."{c}"' for c in evidence)
    pre = scratch / "pre"
    con.execute(f"""COPY (SELECT p.part, p.file_row_number AS row, p.userid,
                    CASE WHEN r.tweetid IS NULL THEN p."group" ELSE s.g END AS "group",
                    coalesce(CASE WHEN r.tweetid IS NULL THEN p.own_topic ELSE s.topic END, -1) AS topic,
                    CASE WHEN r.tweetid IS NULL THEN p.own_probability ELSE s.probability END AS probability,
                    CASE WHEN r.tweetid IS NULL THEN coalesce(p.own_how, 'none') ELSE s.how END AS fitted_on{ev}
                    FROM own p LEFT JOIN rt r ON r.tweetid = p.tweetid
                    LEFT JOIN src s ON r.tweetid IS NOT NULL AND s.tweetid = p.retweet_tweetid)
                    TO '{pre}' (FORMAT parquet, PARTITION_BY (part))""")
    con.execute(f"CREATE VIEW pre AS SELECT * FROM read_parquet('{pre}/*/*.parquet', hive_partitioning = true)")


def own_sql(source: str) -> str:
    """The rows of ``source`` (prepared tweets) with the topic, probability and how (``fit``/``transform``/null)
    of their own text: fitted texts by text, others by (group, token key)."""
    return f"""SELECT p.*, coalesce(f.topic, t.topic) AS own_topic,
               coalesce(f.probability, t.probability) AS own_probability,
               CASE WHEN f.text IS NOT NULL THEN 'fit' WHEN t.key IS NOT NULL THEN 'transform' END AS own_how
               FROM {source} p LEFT JOIN fitted f ON f.text = p.text
               LEFT JOIN transformed t ON f.text IS NULL AND t.g = p."group" AND t.key = p.key"""


# --- 6. link, sizes --------------------------------------------------------------------------------------

def link(con, groups: dict[str, GroupModel], params: TopicParams, evidence: tuple[str, ...]
         ) -> tuple[dict[int, int], list[tuple[int, int, float]]]:
    """Cross-script linking (``link.link_topics``) from (topic, evidence value) counts made by DuckDB."""
    group_of = {gm.offset + int(k): name for name, gm in groups.items() for k in gm.model.topic_sizes_ if k >= 0}
    ids = np.unique(np.asarray(sorted(group_of), dtype=np.int64))
    parts = []
    for col in evidence:
        raw = con.execute(f"""SELECT topic, v AS value, count(*) AS n FROM
                              (SELECT topic, unnest("{col}") AS v FROM pre WHERE topic >= 0)
                              WHERE v IS NOT NULL GROUP BY topic, v ORDER BY topic, v""").df()
        parts.append(raw.assign(column=col))
    raw = pd.concat(parts, ignore_index=True) if parts else None
    return link_profiles(*profiles_from_counts(ids, raw), group_of, params.link_threshold)


def final_sizes(con, mapping: dict[int, int]) -> pd.DataFrame:
    """Tweets and distinct accounts per final topic (as ``summary.topic_sizes``)."""
    m = pa.table({"pre": pa.array(list(mapping), pa.int64()), "final": pa.array(list(mapping.values()), pa.int64())})
    con.register("mapping", m)
    try:
        sizes = con.execute("""SELECT coalesce(m.final, -1) AS topic, count(*) AS n_tweets,
                               count(DISTINCT p.userid) AS n_accounts FROM pre p LEFT JOIN mapping m ON m.pre = p.topic
                               GROUP BY 1 ORDER BY 1""").df()
    finally:
        con.unregister("mapping")
    return sizes.set_index("topic").astype(np.int64)


# --- 7. write --------------------------------------------------------------------------------------------

def final_partition(prep: Path, pre: Path, i: int, mapping: dict[int, int], labels: dict[int, str]) -> pd.DataFrame:
    """Partition ``i`` of the assignments, in tweet order (that of its prepared file ``prep``; ``pre``: the
    folder of its ``assign`` rows, in any order), with the dtypes of ``fit_release``'s frame."""
    df = pq.read_table(prep, columns=[*OUT_COLUMNS[:6], "week"]).to_pandas()
    files = sorted((pre / f"part={i}").glob("*.parquet"))
    cols = ["row", "group", "topic", "probability", "fitted_on"]
    rows = pa.concat_tables([pq.read_table(f, columns=cols) for f in files]) if files else None
    row = rows.column("row").to_numpy() if rows is not None else np.zeros(0, dtype=np.int64)
    if len(row) != len(df) or not np.array_equal(np.sort(row), np.arange(len(df))):
        raise RuntimeError(f"topics: partition {i} lost rows on the way")
    if rows is None:
        rows = pa.table({c: pa.array([], t) for c, t in zip(cols, (pa.int64(), pa.string(), pa.int64(), pa.float64(),
                                                                   pa.string()), strict=True)})
    at = np.empty(len(row), dtype=np.int64)
    at[row] = np.arange(len(row))
    rows = rows.take(pa.array(at))  # in the order of the prepared file
    topic = pd.Series(rows.column("topic").to_numpy()).map(mapping).fillna(-1).astype(np.int64).to_numpy()
    out = df[OUT_COLUMNS[:6]].assign(group=pd.Series(rows.column("group").to_numpy(zero_copy_only=False), dtype=str),
                                     week=df["week"].astype(str), topic=topic)
    out["topic_label"] = out["topic"].map(labels).astype(str)
    out["probability"] = rows.column("probability").to_numpy(zero_copy_only=False).astype(np.float64)
    out["fitted_on"] = pd.Series(rows.column("fitted_on").to_numpy(zero_copy_only=False), dtype=str)
    return out[OUT_COLUMNS]


def write_assignments(prep: Path, pre: Path, n_parts: int, mapping: dict[int, int], labels: dict[int, str],
                      path: Path) -> int:
    """Write the assignments partition after partition into one Parquet file (row groups of ``ROW_GROUP``)."""
    writer, buf, rows = None, [], 0
    try:
        for i in range(n_parts):
            buf.append(final_partition(prep / f"part-{i:05d}.parquet", pre, i, mapping, labels))
            while sum(len(b) for b in buf) >= ROW_GROUP or (i == n_parts - 1 and buf):
                frame = pd.concat(buf, ignore_index=True) if len(buf) > 1 else buf[0]
                head, rest = frame.iloc[:ROW_GROUP], frame.iloc[ROW_GROUP:]
                table = pa.Table.from_pandas(head.reset_index(drop=True), preserve_index=False)
                writer = writer or pq.ParquetWriter(path, table.schema, compression="zstd")
                writer.write_table(table, row_group_size=ROW_GROUP)
                rows += len(head)
                buf = [rest.reset_index(drop=True)] if len(rest) else []
    finally:
        if writer is not None:
            writer.close()
    return rows


if __name__ == "__main__":  # a worker of ``transform_parallel``
    import sys

    _transform_worker(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
