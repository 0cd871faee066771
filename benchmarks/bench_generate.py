"""Benchmark: generating releases in the real release's shape (``generate(..., tweets=N)``).

    taskset -c 1 .venv/bin/python benchmarks/bench_generate.py --tweets 4000000 37000000 --out /tmp/bench
    .venv/bin/python benchmarks/bench_generate.py --calibrate   # check shapes.PLAN_TWEETS_PER_ACCOUNT

Each size runs in its own subprocess (``python -m ioa_utils.synthetic``-equivalent), which reports its wall
time, CPU time (user + system, including imports) and peak RSS (its own ``ru_maxrss``); the parent adds the
tweets written (ground-truth row count), accounts, bytes on disk and uncompressed CSV bytes, and deletes the
output unless ``--keep``.
Not a test: timings depend on the machine and its load (the 1-minute load average is printed).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = """
import json, resource, sys, time
from ioa_utils.synthetic import generate
out, release, tweets, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
start = time.perf_counter()
generate(out, seed=seed, releases=[release], tweets=tweets)
use = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": time.perf_counter() - start, "cpu_seconds": use.ru_utime + use.ru_stime,
                  "peak_rss_mb": use.ru_maxrss / 1024}))
"""


def count(folder: Path) -> dict[str, int]:
    """Tweets and accounts (from the ground truth), bytes on disk and uncompressed tweets CSV bytes."""
    import pyarrow.parquet as pq

    (tweets,) = folder.glob("*_ground_truth_tweets.parquet")
    (accounts,) = folder.glob("*_ground_truth_accounts.parquet")
    csv_bytes = 0
    for p in folder.glob("*_tweets_csv_*"):
        if p.suffix == ".zip":
            with zipfile.ZipFile(p) as zf:
                csv_bytes += sum(i.file_size for i in zf.infolist())
        else:
            csv_bytes += p.stat().st_size
    return {"tweets": pq.read_metadata(tweets).num_rows, "accounts": pq.read_metadata(accounts).num_rows,
            "disk_bytes": sum(p.stat().st_size for p in folder.iterdir()), "csv_bytes": csv_bytes}


def run_size(out: Path, release: str, tweets: int, seed: int, keep: bool) -> dict:
    folder = out / f"gen_{tweets}"
    load = os.getloadavg()[0]
    proc = subprocess.run([sys.executable, "-c", CHILD, str(folder), release, str(tweets), str(seed)],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    row = {"target": tweets, "load_avg_1min": load, **json.loads(proc.stdout.strip().splitlines()[-1]),
           **count(folder / release)}
    if not keep:
        shutil.rmtree(folder)
    return row


def calibrate(tweets: dict[str, int], seeds: list[int]) -> None:
    """Tweets per account each plan makes at activity 1.0 (``shapes.PLAN_TWEETS_PER_ACCOUNT``), measured
    where it matters: at the real shape. The current constant times (tweets made / tweets asked)."""
    from ioa_utils.synthetic import generate
    from ioa_utils.synthetic.releases import RELEASES
    from ioa_utils.synthetic.shapes import PLAN_TWEETS_PER_ACCOUNT

    for release, spec in RELEASES.items():
        ratios = []
        for seed in seeds:
            with tempfile.TemporaryDirectory() as tmp:
                generate(tmp, seed=seed, releases=[release], tweets=tweets[spec.key])
                c = count(Path(tmp) / release)
            ratios.append(c["tweets"] / tweets[spec.key])
            print(f"{spec.key} seed {seed}: {c['tweets']:,} tweets (asked {tweets[spec.key]:,}), "
                  f"{c['accounts']:,} accounts", flush=True)
        mean = sum(ratios) / len(ratios)
        print(f"{spec.key}: made/asked {mean:.4f}; constant {PLAN_TWEETS_PER_ACCOUNT[spec.key]} -> "
              f"{PLAN_TWEETS_PER_ACCOUNT[spec.key] * mean:.2f}", flush=True)


def table(rows: list[dict]) -> str:
    lines = ["| target tweets | tweets | accounts | tweets/account | wall (s) | CPU (s) | tweets/s (wall) "
             "| peak RSS (MB) | on disk (MB) | CSV (MB) | load avg |", "|" + "---:|" * 11]
    for r in rows:
        lines.append(f"| {r['target']:,} | {r['tweets']:,} | {r['accounts']:,} | {r['tweets'] / r['accounts']:,.0f} "
                     f"| {r['seconds']:,.1f} | {r['cpu_seconds']:,.1f} | {r['tweets'] / r['seconds']:,.0f} "
                     f"| {r['peak_rss_mb']:,.0f} "
                     f"| {r['disk_bytes'] / 1e6:,.0f} | {r['csv_bytes'] / 1e6:,.0f} | {r['load_avg_1min']:.2f} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tweets", nargs="+", type=int, default=[4_000_000])
    ap.add_argument("--release", default="synth_turkey_052020")
    ap.add_argument("--seed", type=int, default=2020)
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "bench_generate")
    ap.add_argument("--keep", action="store_true", help="keep the generated files")
    ap.add_argument("--calibrate", action="store_true", help="print each plan's tweets per account and exit")
    args = ap.parse_args()
    if args.calibrate:
        calibrate({"china": 348_608, "russia": 1_000_000, "turkey": 1_000_000}, seeds=[1, 2, 3])
        return
    rows = []
    for n in args.tweets:
        rows.append(run_size(args.out, args.release, n, args.seed, args.keep))
        print(json.dumps(rows[-1]), flush=True)
    print(table(rows))


if __name__ == "__main__":
    main()
