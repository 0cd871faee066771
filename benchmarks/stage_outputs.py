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

        for n in ("read_columns", "retweet_rings", "rings_from_counts", "_amplifiers", "communities"):
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
    c = sub.add_parser("compare")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    args = p.parse_args()
    if args.cmd == "build":
        build(args.stage, args.release, args.work, args.out, args.profile)
    else:
        sys.exit(compare(args.a, args.b))


if __name__ == "__main__":
    main()
