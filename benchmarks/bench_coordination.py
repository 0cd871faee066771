"""Benchmark: our co-retweet and co-tweet networks vs coordination_network_toolkit, side by side.

Generates synthetic releases of about 100k and 1M tweets (China plan, scaled), runs the cleaning stage,
then computes both networks with the same parameters in separate subprocesses (one per tool and size)
so that peak memory (max RSS of the process and of its children) is measured per tool. The toolkit's
time includes its required SQLite preprocessing (reported separately too); ours includes building the
events from the processed table. Both outputs are compared edge by edge.

Usage (from the project root):
    .venv/bin/python benchmarks/bench_coordination.py                 # 100k and 1M tweets
    .venv/bin/python benchmarks/bench_coordination.py --sizes 100000  # quicker
    ... --readme   # also rewrite the "Coordination networks" section of benchmarks/README.md

Not a test: it takes minutes. Results go to benchmarks/results/ (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results"
RELEASE = "synth_china_052020"
TWEETS_AT_SCALE_1 = 10_532  # China release at scale 1.0, seed 2020
COLUMNS = ["tweetid", "userid", "tweet_time", "tweet_kind", "tweet_text", "text_norm", "retweet_tweetid",
           "rt_userid", "rt_screen_name", "in_reply_to_tweetid", "has_lossy_ref", "urls"]
SECTION = "## Coordination networks (bench_coordination.py)"
NOTE = ("Ours in toolkit mode: the toolkit's text preprocessor (lower-case, strip mentions, collapse whitespac"
        "e) runs as Arrow kernels with the toolkit's exact semantics (texts holding one of the few code points"
        " Arrow lower-cases differently from Python are redone in Python), ids are hashed as int64, texts by "
        "Arrow's dictionary encoder, and the window join counts (message, partner account) pairs without de-d"
        "uplicating pair arrays. Timings include building the events from the table. Peak RSS is the maximum "
        "resident size of the worker process (the table itself is the \"after reading\" column); the toolkit's"
        " workers are separate processes. The load average is the machine's (1 min), sampled before each tool"
        "'s run: other jobs were sharing the cores when it is above 0, which slows both tools.\n")


def prepare(size: int, seed: int) -> tuple[Path, int]:
    from ioa_utils import store
    from ioa_utils.synthetic import generate
    from ioa_utils.workspace import Workspace

    scale = round(size / TWEETS_AT_SCALE_1, 2)
    raw, work = RESULTS / f"raw_{size}", RESULTS / f"work_{size}"
    stamp = raw / "_bench.json"
    if not (stamp.exists() and json.loads(stamp.read_text()) == {"seed": seed, "scale": scale}):
        generate(raw, seed=seed, scale=scale, releases=[RELEASE])
        stamp.write_text(json.dumps({"seed": seed, "scale": scale}))
    Workspace(raw, work).prepare([RELEASE])
    n = sum(len(t) for t in store.iter_partitions(RELEASE, "tweets", ["tweetid"], work_dir=work))
    return work, n


def peak_rss_mb() -> tuple[float, float]:
    kb = 1024.0  # Linux reports ru_maxrss in KiB
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / kb,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / kb)


def worker(tool: str, work: Path, window_rt: int, window_tw: int, min_weight: int, threads: int, out: Path) -> None:
    import pandas as pd

    from ioa_utils import store

    tweets = store.read(RELEASE, "tweets", columns=COLUMNS, work_dir=work)
    res: dict = {"tool": tool, "rss_after_load_mb": peak_rss_mb()[0]}
    if tool == "ours":
        from ioa_utils.coordination import co_retweet, co_tweet

        t0 = time.perf_counter()
        rt = co_retweet(tweets, window=window_rt, min_weight=min_weight, toolkit=True, directed=True, loops=True)
        t1 = time.perf_counter()
        tw = co_tweet(tweets, window=window_tw, min_weight=min_weight, toolkit=True, directed=True, loops=True)
        t2 = time.perf_counter()
        res.update(co_retweet_s=t1 - t0, co_tweet_s=t2 - t1, preprocess_s=0.0)
    else:
        import contextlib
        import io
        import sqlite3

        from coordination_network_toolkit.compute_networks import (
            compute_co_retweet_parallel,
            compute_co_tweet_network,
        )
        from coordination_network_toolkit.preprocess import preprocess_data

        from ioa_utils.coordination.toolkit import toolkit_rows

        db = out.with_suffix(".db")
        for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            p.unlink(missing_ok=True)
        with contextlib.redirect_stdout(io.StringIO()):
            t0 = time.perf_counter()
            preprocess_data(str(db), toolkit_rows(tweets))
            t1 = time.perf_counter()
            compute_co_retweet_parallel(str(db), window_rt, n_threads=threads, min_edge_weight=min_weight)
            t2 = time.perf_counter()
            compute_co_tweet_network(str(db), window_tw, min_edge_weight=min_weight, n_threads=threads)
            t3 = time.perf_counter()
        with sqlite3.connect(db) as con:
            rt = pd.read_sql("select user_1, user_2, weight from co_retweet_network", con)
            tw = pd.read_sql("select user_1, user_2, weight from co_tweet_network", con)
        for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            p.unlink(missing_ok=True)
        res.update(preprocess_s=t1 - t0, co_retweet_s=t2 - t1, co_tweet_s=t3 - t2)
    res["total_s"] = res["preprocess_s"] + res["co_retweet_s"] + res["co_tweet_s"]
    res["peak_rss_mb"], res["peak_rss_children_mb"] = peak_rss_mb()
    for name, e in (("co_retweet", rt), ("co_tweet", tw)):
        e = e.astype({"user_1": str, "user_2": str, "weight": "int64"})
        e.sort_values(["user_1", "user_2"]).to_parquet(out.with_name(f"{out.stem}_{name}.parquet"), index=False)
        res[f"{name}_edges"] = len(e)
    out.write_text(json.dumps(res))


def run(tool: str, work: Path, args: argparse.Namespace, size: int) -> dict:
    out = RESULTS / f"{tool}_{size}.json"
    load = os.getloadavg()[0]
    cmd = [sys.executable, __file__, "--worker", tool, "--work", str(work), "--out", str(out),
           "--window-rt", str(args.window_rt), "--window-tw", str(args.window_tw),
           "--min-weight", str(args.min_weight), "--threads", str(args.threads)]
    subprocess.run(cmd, check=True)
    return {**json.loads(out.read_text()), "load_before": load}


def same_edges(size: int) -> bool:
    import pandas as pd

    ok = True
    for name in ("co_retweet", "co_tweet"):
        a = pd.read_parquet(RESULTS / f"ours_{size}_{name}.parquet")
        b = pd.read_parquet(RESULTS / f"toolkit_{size}_{name}.parquet")
        ok &= a.reset_index(drop=True).equals(b.reset_index(drop=True))
    return ok


def table(rows: list[dict], args: argparse.Namespace) -> str:
    head = ("| tweets | tool | preprocess (s) | co-retweet (s) | co-tweet (s) | total (s) | speed-up | "
            "peak RSS (MB) | RSS after reading the table (MB) | edges rt / tw | same edges | load avg |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|---|\n")
    lines = []
    for r in rows:
        for tool in ("toolkit", "ours"):
            x = r[tool]
            speed = f"{r['toolkit']['total_s'] / x['total_s']:.1f}x" if tool == "ours" else "1x"
            rss = max(x["peak_rss_mb"], x["peak_rss_children_mb"])
            rss_txt = f"{x['peak_rss_mb']:.0f} (+ workers {x['peak_rss_children_mb']:.0f})" if tool == "toolkit" \
                else f"{rss:.0f}"
            lines.append(f"| {r['tweets']:,} | {tool} | {x['preprocess_s']:.1f} | {x['co_retweet_s']:.1f} | "
                         f"{x['co_tweet_s']:.1f} | {x['total_s']:.1f} | {speed} | {rss_txt} | "
                         f"{x['rss_after_load_mb']:.0f} | "
                         f"{x['co_retweet_edges']:,} / {x['co_tweet_edges']:,} | {r['same']} | "
                         f"{x.get('load_before', float('nan')):.1f} |")
    cpu = platform.processor() or platform.machine()
    note = (f"\nParameters: co-retweet window {args.window_rt} s, co-tweet window {args.window_tw} s, min edge "
            f"weight {args.min_weight}, toolkit with {args.threads} worker processes (directed edges with "
            f"self-loops, the toolkit's own table; ours with `toolkit=True, directed=True, loops=True`). "
            f"Machine: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}.\n")
    return head + "\n".join(lines) + "\n" + note


def write_readme(text: str) -> None:
    path = ROOT / "benchmarks" / "README.md"
    old = path.read_text() if path.exists() else "# Benchmarks\n"
    body = (f"{SECTION}\n\nOur sorted-window-join engine (`ioa_utils.coordination`) against the reference "
            "`coordination-network-toolkit==1.5.2` (SQLite self-joins) on generated releases, same input and "
            "parameters, both producing the toolkit's directed edge table. Rerun with "
            "`.venv/bin/python benchmarks/bench_coordination.py --readme`.\n\n" + text + "\n" + NOTE)
    if SECTION in old:
        start = old.index(SECTION)
        nxt = old.find("\n## ", start + len(SECTION))
        new = old[:start] + body + (old[nxt:] if nxt >= 0 else "")
    else:
        new = old.rstrip("\n") + "\n\n" + body
    path.write_text(new)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    p.add_argument("--window-rt", type=int, default=600)
    p.add_argument("--window-tw", type=int, default=300)
    p.add_argument("--min-weight", type=int, default=2)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=2020)
    p.add_argument("--readme", action="store_true")
    p.add_argument("--worker", choices=["ours", "toolkit"])
    p.add_argument("--work", type=Path)
    p.add_argument("--out", type=Path)
    args = p.parse_args()
    if args.worker:
        worker(args.worker, args.work, args.window_rt, args.window_tw, args.min_weight, args.threads, args.out)
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in args.sizes:
        work, n = prepare(size, args.seed)
        print(f"{n:,} tweets: running toolkit ...", flush=True)
        tk = run("toolkit", work, args, size)
        print(f"{n:,} tweets: running ours ...", flush=True)
        ours = run("ours", work, args, size)
        rows.append({"tweets": n, "toolkit": tk, "ours": ours, "same": same_edges(size)})
        print(f"  toolkit {tk['total_s']:.1f} s, ours {ours['total_s']:.1f} s, "
              f"ratio {tk['total_s'] / ours['total_s']:.1f}x, same edges: {rows[-1]['same']}", flush=True)
    text = table(rows, args)
    (RESULTS / "bench_coordination.md").write_text(text)
    print(text)
    if args.readme:
        write_readme(text)


if __name__ == "__main__":
    main()
