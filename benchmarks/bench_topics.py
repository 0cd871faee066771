"""Benchmark the topics stage at full size: Turkey-shaped releases, out of core (a script, not a test).

For each size: generate a release in the real Turkey release's shape (``python -m ioa_utils.synthetic
--releases synth_turkey_052020 --tweets N``) and load + clean it (``stages.prepare``) once under ``--root``
(reused by later runs, not timed), then run the topics stage (``topics.run``, saved; embedding cache emptied
first) in its own subprocess, which reports its wall time, peak RSS (``ru_maxrss``: DuckDB runs in the same
process; the largest of its worker processes separately), its CPU time (user + system, workers included: the
better measure when other jobs share the cores) and the per-step seconds (wall and CPU) of
``scale.fit_partitions``. Usage::

    .venv/bin/python benchmarks/bench_topics.py --tweets 4000000 37000000 --root /tmp/bench_topics

Results are printed as a Markdown table and written to ``benchmarks/results/topics_scale.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RELEASE = "synth_turkey_052020"


def prepare(root: Path, n_tweets: int, seed: int) -> Path:
    """The work folder of a prepared release of ``n_tweets`` (generated and cleaned on first use)."""
    raw, work = root / f"raw_{n_tweets}", root / f"work_{n_tweets}"
    if not (raw / ".done").exists():
        subprocess.run([sys.executable, "-m", "ioa_utils.synthetic", "--out", str(raw), "--seed", str(seed),
                        "--releases", RELEASE, "--tweets", str(n_tweets)], cwd=ROOT, check=True)
        (raw / ".done").touch()
    subprocess.run([sys.executable, "-c", "import sys; from ioa_utils.workspace import Workspace; "
                    "Workspace(sys.argv[1], sys.argv[2]).prepare()", str(raw), str(work)],
                   cwd=ROOT, check=True)
    return work


def child(work: Path, scratch: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    from ioa_utils import topics

    load = os.getloadavg()[0]
    start = time.perf_counter()
    res = topics.run([RELEASE], work_dir=work, scratch_dir=scratch)[RELEASE]
    seconds = time.perf_counter() - start
    usage, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    groups = res.stats.get("groups", {})
    transformed = sum(g["transformed_keys"] for g in groups.values())
    transform_s = sum(g["transform_s"] for g in groups.values())
    return {"tweets": res.n_rows, "seconds": round(seconds, 1),
            # the whole process (imports included) and its worker processes (partition preparation)
            "cpu_s": round(usage.ru_utime + usage.ru_stime + kids.ru_utime + kids.ru_stime, 1),
            "peak_rss_mb": round(usage.ru_maxrss / 1024), "worker_peak_rss_mb": round(kids.ru_maxrss / 1024),
            "load_before": round(load, 2), "load_after": round(os.getloadavg()[0], 2),
            "topics": int((res.topics.topic >= 0).sum()), "transformed_keys": transformed,
            "transform_keys_per_s": round(transformed / transform_s) if transform_s else None,
            "tweets_per_s": round(res.n_rows / seconds),
            "stats": res.stats}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tweets", type=int, nargs="+", default=[4_000_000, 37_000_000])
    ap.add_argument("--root", type=Path, default=Path("/tmp/bench_topics"))
    ap.add_argument("--seed", type=int, default=2020)
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        print(json.dumps(child(a.child, a.root)))
        return
    rows = []
    for n in a.tweets:
        work = prepare(a.root, n, a.seed)
        scratch = a.root / "scratch"
        scratch.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(work / "cache", ignore_errors=True)  # no embeddings cached by an earlier run
        out = subprocess.run([sys.executable, __file__, "--child", str(work), "--root", str(scratch)],
                             cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), flush=True)
    print("\n| tweets | topics stage (s) | tweets/s | CPU (s) | peak RSS (MB) | load avg before/after | "
          "token keys assigned | keys/s | prepare / fit+assign keys / assign tweets / link / write (s) | "
          "same steps, CPU (s) |")
    print("|---:|---:|---:|---:|---:|---|---:|---:|---|---|")
    names = ("prepare_s", "sample_fit_transform_s", "assign_s", "link_table_s", "write_s")
    for r in rows:
        s = r["stats"]
        steps = " / ".join(str(s.get(k)) for k in names)
        cpu = " / ".join(str(s.get(f"cpu_{k}")) for k in names)
        print(f"| {r['tweets']:,} | {r['seconds']} | {r['tweets_per_s']:,} | {r['cpu_s']} | {r['peak_rss_mb']:,} | "
              f"{r['load_before']} / {r['load_after']} | {r['transformed_keys']:,} | {r['transform_keys_per_s']} | "
              f"{steps} | {cpu} |")
    out = ROOT / "benchmarks" / "results" / "topics_scale.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
