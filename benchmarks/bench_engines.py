"""Which engine for the stages after ``clean``? DuckDB, Polars (lazy, streaming engine) and Arrow datasets on the
same four queries over a release's processed tweets (a script, not a test).

The queries are the shapes of work the stages do after cleaning:

    profile      per account: tweets, retweets, first and last tweet, languages (the case-study profile)
    monthly      tweets per calendar month and tweet kind (timelines of 01, 02 and the case studies)
    amplifiers   per account: retweets and the share of them going to its 5 most retweeted accounts (the
                 amplifier rule of coordination.traces.AMPLIFIER: a two-key aggregation, then a top-k per group)
    events       the co-retweet events: retweets' userid, tweetid, retweeted id and time, sorted by retweeted id
                 and time (what the coordination window join reads)

Each (engine, query) runs in its own process: wall time, CPU time (user + system, so other jobs on the machine
inflate it less than the wall time) and peak RSS from ``os.wait4``. Every engine reads only the columns the query
needs; the results are checked to agree across engines (rows and column sums). DuckDB gets 2 threads and a 2 GB
memory limit (as ``casestudy.base``), Polars ``POLARS_MAX_THREADS=2``; Arrow computes with its own thread pool.

    make install-bench   # polars (requirements/bench.txt, benchmark only)
    .venv/bin/python benchmarks/bench_engines.py --tweets /path/to/processed/<release>/tweets

Prints a Markdown table; writes ``benchmarks/results/engines.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("duckdb", "polars", "arrow")
QUERIES = ("profile", "monthly", "amplifiers", "events")

DUCKDB = {
    "profile": """SELECT userid, count(*) AS tweets, count_if(tweet_kind = 'retweet')::BIGINT AS retweets,
                  min(tweet_time) AS first, max(tweet_time) AS last, count(DISTINCT tweet_language) AS languages
                  FROM t GROUP BY userid""",
    "monthly": """SELECT date_trunc('month', timezone('UTC', tweet_time)) AS month, tweet_kind, count(*) AS tweets
                  FROM t GROUP BY ALL""",
    "amplifiers": """WITH pairs AS (SELECT userid, rt_userid, count(*) AS n FROM t
                         WHERE tweet_kind = 'retweet' AND rt_userid IS NOT NULL GROUP BY ALL),
                     ranked AS (SELECT *, row_number() OVER (PARTITION BY userid ORDER BY n DESC, rt_userid) AS r
                                FROM pairs)
                     SELECT userid, sum(n)::BIGINT AS retweets, sum(n) FILTER (WHERE r <= 5) / sum(n) AS top5_share
                     FROM ranked GROUP BY userid""",
    "events": """SELECT userid, tweetid, retweet_tweetid, tweet_time FROM t
                 WHERE tweet_kind = 'retweet' AND retweet_tweetid IS NOT NULL ORDER BY retweet_tweetid, tweet_time""",
}
COLUMNS = {"profile": ["userid", "tweet_kind", "tweet_time", "tweet_language"],
           "monthly": ["tweet_time", "tweet_kind"],
           "amplifiers": ["userid", "rt_userid", "tweet_kind"],
           "events": ["userid", "tweetid", "retweet_tweetid", "tweet_time", "tweet_kind"]}


def run_duckdb(folder: str, query: str):
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads = 2; SET memory_limit = '2GB'; SET preserve_insertion_order = false")
    con.execute(f"CREATE VIEW t AS SELECT * FROM read_parquet('{folder}/part-*.parquet')")
    return con.sql(DUCKDB[query]).to_arrow_table()


def run_polars(folder: str, query: str):
    import polars as pl

    t = pl.scan_parquet(f"{folder}/part-*.parquet").select(COLUMNS[query])
    if query == "profile":
        q = t.group_by("userid").agg(pl.len().alias("tweets"), (pl.col("tweet_kind") == "retweet").sum()
                                     .alias("retweets"), pl.col("tweet_time").min().alias("first"),
                                     pl.col("tweet_time").max().alias("last"),
                                     pl.col("tweet_language").n_unique().alias("languages"))
    elif query == "monthly":
        month = pl.col("tweet_time").dt.truncate("1mo").alias("month")
        q = t.group_by(month, "tweet_kind").agg(pl.len().alias("tweets"))
    elif query == "amplifiers":
        pairs = (t.filter((pl.col("tweet_kind") == "retweet") & pl.col("rt_userid").is_not_null())
                 .group_by("userid", "rt_userid").agg(pl.len().alias("n")))
        q = pairs.group_by("userid").agg(pl.col("n").sum().alias("retweets"),
                                         (pl.col("n").top_k(5).sum() / pl.col("n").sum()).alias("top5_share"))
    else:
        q = (t.filter((pl.col("tweet_kind") == "retweet") & pl.col("retweet_tweetid").is_not_null())
             .select("userid", "tweetid", "retweet_tweetid", "tweet_time").sort("retweet_tweetid", "tweet_time"))
    return q.collect(engine="streaming").to_arrow()


def run_arrow(folder: str, query: str):
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    d = ds.dataset(folder, format="parquet")
    retweet = pc.field("tweet_kind") == "retweet"
    if query == "profile":
        t = d.to_table(columns=COLUMNS[query])
        t = t.append_column("is_rt", pc.cast(pc.equal(t["tweet_kind"], "retweet"), pa.int64()))
        return t.group_by("userid").aggregate([("userid", "count"), ("is_rt", "sum"), ("tweet_time", "min"),
                                               ("tweet_time", "max"), ("tweet_language", "count_distinct")])
    if query == "monthly":
        t = d.to_table(columns=COLUMNS[query])
        month = pc.floor_temporal(t["tweet_time"], unit="month")
        return pa.table({"month": month, "tweet_kind": t["tweet_kind"]}).group_by(["month", "tweet_kind"]).aggregate(
            [("tweet_kind", "count")])
    if query == "amplifiers":
        t = d.to_table(columns=["userid", "rt_userid"], filter=retweet & pc.field("rt_userid").is_valid())
        pairs = t.group_by(["userid", "rt_userid"]).aggregate([("rt_userid", "count")]).to_pandas()
        pairs = pairs.sort_values(["userid", "rt_userid_count"], ascending=[True, False])
        total = pairs.groupby("userid")["rt_userid_count"].sum()
        top5 = pairs.groupby("userid").head(5).groupby("userid")["rt_userid_count"].sum()
        return pa.table({"userid": total.index.to_numpy(), "retweets": total.to_numpy(),
                         "top5_share": (top5 / total).to_numpy()})
    t = d.to_table(columns=["userid", "tweetid", "retweet_tweetid", "tweet_time"],
                   filter=retweet & pc.field("retweet_tweetid").is_valid())
    return t.sort_by([("retweet_tweetid", "ascending"), ("tweet_time", "ascending")])


def fingerprint(table) -> dict:
    """Rows and the sums of the numeric columns (what must agree across engines)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    sums = sorted(round(float(pc.sum(c).as_py() or 0), 6) for c in table.columns
                  if pa.types.is_integer(c.type) or pa.types.is_floating(c.type))
    return {"rows": table.num_rows, "sums": sums}


def child(engine: str, folder: str, query: str) -> None:
    start = time.perf_counter()
    table = {"duckdb": run_duckdb, "polars": run_polars, "arrow": run_arrow}[engine](folder, query)
    print(json.dumps({"seconds_inside": round(time.perf_counter() - start, 2), **fingerprint(table)}))


def measure(engine: str, folder: str, query: str) -> dict:
    env = {**os.environ, "POLARS_MAX_THREADS": "2"}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--child", engine, folder, query], stdout=subprocess.PIPE,
                            env=env, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    out = json.loads(proc.stdout.read().strip().splitlines()[-1]) if status == 0 else {"error": status}
    cpu = usage.ru_utime + usage.ru_stime
    return {"engine": engine, "query": query, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
            "peak_rss_mb": round(usage.ru_maxrss / 1024), **out}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tweets", help="a processed tweets folder (part-*.parquet)")
    ap.add_argument("--child", nargs=3, metavar=("ENGINE", "FOLDER", "QUERY"), help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "engines.json")
    args = ap.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    import pyarrow.parquet as pq

    folder = str(Path(args.tweets).resolve())
    n = sum(pq.ParquetFile(p).metadata.num_rows for p in Path(folder).glob("part-*.parquet"))
    rows = [measure(e, folder, q) for q in QUERIES for e in ENGINES]
    agree = {q: len({json.dumps([r.get("rows"), r.get("sums")]) for r in rows if r["query"] == q}) == 1
             for q in QUERIES}
    load = os.getloadavg()[0]
    print(f"{n:,} tweets in {folder}; load average {load:.1f}")
    print("| query | engine | wall (s) | CPU (s) | peak RSS (MB) | result rows | same result |")
    print("|---|---|---:|---:|---:|---:|---|")
    for r in rows:
        print(f"| {r['query']} | {r['engine']} | {r['wall_s']} | {r['cpu_s']} | {r['peak_rss_mb']:,} | "
              f"{r.get('rows', 'error')} | {agree[r['query']]} |")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"tweets": n, "load_average": load, "rows": rows, "agree": agree}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
