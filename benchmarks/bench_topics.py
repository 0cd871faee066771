"""Benchmark topic modelling: fit time and peak memory at several archive sizes (a script, not a test).

Each size runs in its own subprocess (clean max RSS): generate the synthetic archive with the
generator's ``scale`` knob, load + clean it (``stages.prepare``, not timed), then fit and assign topics
for every release with the sampling parameter. Usage::

    .venv/bin/python benchmarks/bench_topics.py --tweets 20000 100000 [--sample-size 4000]

Results are printed as a Markdown table and written to ``benchmarks/results/topics.json``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TWEETS_AT_SCALE_1 = 38_817  # processed tweets of the three default synthetic releases


def one(n_tweets: int, sample_size: int | None, seed: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from ioa_utils import stages, topics

    with tempfile.TemporaryDirectory() as tmp:
        raw, work = Path(tmp) / "raw", Path(tmp) / "work"
        t = time.perf_counter()
        stages.ensure_synthetic(raw, seed=seed, scale=n_tweets / DEFAULT_TWEETS_AT_SCALE_1)
        releases = stages.prepare(raw_dir=raw, work_dir=work, seed=seed, scale=n_tweets / DEFAULT_TWEETS_AT_SCALE_1)
        prep = time.perf_counter() - t
        t = time.perf_counter()
        topics.warmup(seed, sample_size)
        warm = time.perf_counter() - t
        params = topics.TopicParams(seed=seed, sample_size=sample_size)
        fits, total = {}, 0
        for r in releases:
            tw = topics.read_tweets(r, work)
            t = time.perf_counter()
            res = topics.fit_release(tw, r, params, cache=None)
            fits[r] = {"tweets": len(tw), "seconds": round(time.perf_counter() - t, 1),
                       "fit_texts": sum(g.n_fit for g in res.groups.values()),
                       "topics": int((res.topics.topic >= 0).sum())}
            total += len(tw)
    return {"target_tweets": n_tweets, "tweets": total, "sample_size": sample_size, "prepare_s": round(prep, 1),
            "warmup_s": round(warm, 1), "fit_s": round(sum(f["seconds"] for f in fits.values()), 1),
            "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024), "releases": fits}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tweets", type=int, nargs="+", default=[20_000, 100_000, 1_000_000])
    ap.add_argument("--sample-size", type=int, default=4_000)
    ap.add_argument("--seed", type=int, default=2020)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        print(json.dumps(one(a.tweets[0], a.sample_size, a.seed)))
        return
    rows = []
    for n in a.tweets:
        out = subprocess.run([sys.executable, __file__, "--child", "--tweets", str(n), "--sample-size",
                              str(a.sample_size), "--seed", str(a.seed)], capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), flush=True)
    print("\n| tweets | sample_size | prepare (s) | warm-up (s) | topic fit + assign (s) | peak RSS (MB) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['tweets']:,} | {r['sample_size']} | {r['prepare_s']} | {r['warmup_s']} | {r['fit_s']} | "
              f"{r['max_rss_mb']:,} |")
    out = ROOT / "benchmarks" / "results" / "topics.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
