"""Build the labels or coordination stage of one release into a folder and time it, or compare two such folders.

Run the same command with two versions of the code (e.g. ``PYTHONPATH=<a checkout of main>``) into two folders,
then compare them::

    .venv/bin/python benchmarks/stage_outputs.py build labels synth_turkey_052020 WORK OUT [--profile FILE]
    .venv/bin/python benchmarks/stage_outputs.py compare OUT_A OUT_B

``build`` calls the stage's ``build`` (no stamp, lock or swap) in this process and prints its CPU time (user +
system of every thread), wall time, peak RSS and, for coordination, CPU seconds per trace and step. ``compare``
reads every Parquet table of both folders: equal tables (same schema, same rows in the same order), equal as
row sets only, or different; and whether the files are byte-identical. Exit status 1 on any difference.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import resource
import shutil
import sys
import time
from pathlib import Path


def build(stage: str, release: str, work: str, out: Path, profile: str | None) -> None:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    times: dict[str, float] = {}
    if stage == "labels":
        from ioa_utils.casestudy import labels

        def fn() -> None:
            labels.build(release, out, work)
    else:
        from ioa_utils.coordination import stage as coord

        def timed(name, f, key=None):
            def g(*args, **kw):
                c = time.process_time()
                try:
                    return f(*args, **kw)
                finally:
                    k = key(args) if key else name
                    times[k] = times.get(k, 0.0) + time.process_time() - c
                    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                    print(f"{time.strftime('%H:%M:%S')} {k}: {times[k]:.1f} s CPU, peak RSS so far {rss:.0f} MB",
                          file=sys.stderr, flush=True)
            return g

        for n in ("read_columns", "retweet_delays", "retweet_rings", "rings_from_counts", "_amplifiers",
                  "_amplifiers_from_counts", "communities"):
            if hasattr(coord, n):  # the steps of either version of the stage
                setattr(coord, n, timed(n, getattr(coord, n)))
        if hasattr(coord, "compute"):
            coord.compute = timed("compute", coord.compute, key=lambda a: f"trace:{a[0]}")
        if hasattr(coord, "bounded"):
            rel = coord.bounded.Release
            rel.co_network = timed("co_network", rel.co_network, key=lambda a: f"trace:{a[1]}")
            for n in ("retweet_events", "tfidf_retweet", "near_duplicate", "fast_retweet_counts", "account_counts"):
                setattr(rel, n, timed(n, getattr(rel, n)))

        def fn() -> None:
            coord.build(release, out, work)
    w, c = time.perf_counter(), time.process_time()
    if profile:
        pr = cProfile.Profile(time.process_time)
        pr.runcall(fn)
        pr.dump_stats(profile)
    else:
        fn()
    print(json.dumps({"stage": stage, "cpu_s": round(time.process_time() - c, 2),
                      "wall_s": round(time.perf_counter() - w, 2),
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                      "load_avg": os.getloadavg(), "cpu_s_by_step": {k: round(v, 2) for k, v in times.items()}}))


STEPS = ("co_retweet", "co_tweet", "co_url", "co_hashtag", "co_mention", "hashtag_sequence", "tfidf_retweet",
         "near_duplicate", "fast_retweet_counts", "account_counts")


def steps(release: str, work: str, scratch: Path, names: list[str], communities: bool) -> None:
    """The bounded path's steps one by one (``coordination.bounded.Release``, default parameters), without the
    build around them: per step CPU, wall, peak RSS so far, and for an edge table its size, accounts, mean degree
    and density; with ``communities``, Louvain on it too (``groups.communities``, as the build runs it)."""
    from ioa_utils.coordination import bounded
    from ioa_utils.coordination.evaluate import nodes_of
    from ioa_utils.coordination.groups import communities as louvain
    from ioa_utils.coordination.traces import DEFAULTS as P
    from ioa_utils.coordination.traces import min_weight_of, window_of

    def report(name: str, c: float, w: float, e: object) -> None:
        row: dict = {"step": name, "cpu_s": round(time.process_time() - c, 1), "wall_s": round(time.perf_counter() - w),
                     "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                     "load_avg": [round(x, 1) for x in os.getloadavg()], "time": time.strftime("%H:%M:%S")}
        if hasattr(e, "columns") and "weight" in e.columns:
            n = len(nodes_of(e))
            row.update(edges=len(e), accounts=n, mean_degree=round(2 * len(e) / max(n, 1), 1),
                       density=round(2 * len(e) / max(n * (n - 1), 1), 4))
        print(json.dumps(row), flush=True)

    w, c = time.perf_counter(), time.process_time()
    with bounded.Release(release, work, scratch) as src:
        report("open", c, w, None)
        for name in names:
            w, c = time.perf_counter(), time.process_time()
            if name in ("co_retweet", "tfidf_retweet") and not src.con.execute(
                    "SELECT count(*) FROM information_schema.tables WHERE table_name = 'ev_retweet'").fetchone()[0]:
                src.retweet_events()
            if name == "tfidf_retweet":
                e = src.tfidf_retweet(P.tfidf_threshold)
            elif name == "near_duplicate":
                e = src.near_duplicate(P.window_tweet, P.near_duplicate_threshold, min_weight_of(name, P), seed=P.seed)
            elif name == "fast_retweet_counts":
                e = src.fast_retweet_counts(P.max_retweet_delay)
            elif name == "account_counts":
                e = src.account_counts()[1]
            else:
                e = src.co_network(name, window_of(name, P), min_weight_of(name, P))
            report(name, c, w, e)
            if communities and hasattr(e, "columns") and "weight" in e.columns:
                w, c = time.perf_counter(), time.process_time()
                louvain(e, seed=P.seed)
                report(f"communities:{name}", c, w, None)
            del e


def compare(a: Path, b: Path) -> int:
    import pyarrow.parquet as pq

    fa = sorted(p.relative_to(a) for p in a.rglob("*.parquet"))
    fb = sorted(p.relative_to(b) for p in b.rglob("*.parquet"))
    bad = int(fa != fb)
    if bad:
        print("different tables:", sorted(map(str, set(fa) ^ set(fb))))
    for rel in (r for r in fa if (b / r).exists()):
        ta, tb = pq.read_table(a / rel), pq.read_table(b / rel)
        same_schema = ta.schema.equals(tb.schema, check_metadata=False)
        equal = same_schema and ta.equals(tb)
        as_sets = equal
        if not equal and same_schema and ta.num_rows == tb.num_rows:
            keys = [(c, "ascending") for c in ta.column_names if not str(ta.schema.field(c).type).startswith("list")]
            as_sets = ta.sort_by(keys).equals(tb.sort_by(keys))
        verdict = "equal" if equal else "equal as row sets (order differs)" if as_sets else "DIFFERENT"
        identical = (a / rel).read_bytes() == (b / rel).read_bytes()
        print(f"{str(rel):40s} {ta.num_rows:>10,} rows  {verdict}{', byte-identical' if identical else ''}")
        bad += not as_sets
    return int(bad > 0)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("stage", choices=("labels", "coordination"))
    b.add_argument("release")
    b.add_argument("work")
    b.add_argument("out", type=Path)
    b.add_argument("--profile")
    s = sub.add_parser("steps", help="the bounded path's steps one by one (per-step CPU, RSS, edge counts)")
    s.add_argument("release")
    s.add_argument("work")
    s.add_argument("scratch", type=Path)
    s.add_argument("--steps", nargs="+", choices=STEPS, default=list(STEPS))
    s.add_argument("--communities", action="store_true")
    c = sub.add_parser("compare")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    args = p.parse_args()
    if args.cmd == "build":
        build(args.stage, args.release, args.work, args.out, args.profile)
    elif args.cmd == "steps":
        steps(args.release, args.work, args.scratch, args.steps, args.communities)
    else:
        sys.exit(compare(args.a, args.b))


if __name__ == "__main__":
    main()
