"""Benchmark: reader (stage 1, raw CSV/zip -> typed Parquet) and cleaning (stage 2) throughput and peak memory.

    python benchmarks/bench_reader.py [--sizes 100000 1000000 5000000] [--release synth_turkey_052020]

For each target size, generates one synthetic release of about that many tweets (the generator's
``scale`` knob), then runs each stage in a fresh subprocess and records wall time and peak RSS of that
subprocess. Reading streams fixed-size blocks, so peak memory should stay flat as the raw files grow.
Results are printed as a Markdown table and written to ``benchmarks/results/reader.json``.
Not a test: timings depend on the machine.
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
sys.path.insert(0, str(ROOT))

CHILD = """
import sys, json, time, resource
from ioa_utils import stages
from ioa_utils.discover import discover
raw, work, stage = sys.argv[1:4]
(rel,) = discover(raw).releases
t = time.perf_counter()
if stage == "load":
    out = stages.ensure_loaded(rel, work)["tweets"]
else:
    out = stages.ensure_cleaned(rel.release, work)["tweets"]
print(json.dumps({"seconds": time.perf_counter() - t, "tweets": out,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_stage(raw: Path, work: Path, stage: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(raw), str(work), stage], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def raw_bytes(raw: Path) -> tuple[int, int]:
    """(bytes on disk, uncompressed CSV bytes) of the tweets files."""
    import zipfile

    disk = csv = 0
    for p in raw.rglob("*tweets_csv*"):
        disk += p.stat().st_size
        if p.suffix == ".zip":
            with zipfile.ZipFile(p) as zf:
                csv += sum(i.file_size for i in zf.infolist())
        else:
            csv += p.stat().st_size
    return disk, csv


def main() -> None:
    from ioa_utils.synthetic import generate

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", nargs="+", type=int, default=[100_000, 1_000_000, 5_000_000])
    ap.add_argument("--release", default="synth_turkey_052020")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        calib = Path(tmp) / "calib"
        generate(calib, seed=args.seed, scale=1.0, releases=[args.release])
        from ioa_utils.discover import discover

        (rel,) = discover(calib).releases
        per_scale = stages_tweets(rel, Path(tmp) / "calib_work")
        for size in args.sizes:
            raw, work = Path(tmp) / f"raw_{size}", Path(tmp) / f"work_{size}"
            t = time.perf_counter()
            generate(raw, seed=args.seed, scale=size / per_scale, releases=[args.release])
            gen_s = time.perf_counter() - t
            disk, csv = raw_bytes(raw)
            load = run_stage(raw, work, "load")
            clean = run_stage(raw, work, "clean")
            rows.append({"target": size, "tweets": load["tweets"], "generate_s": round(gen_s, 1),
                         "raw_mb_on_disk": round(disk / 1e6, 1), "raw_csv_mb": round(csv / 1e6, 1),
                         "load_s": round(load["seconds"], 1),
                         "load_tweets_per_s": round(load["tweets"] / load["seconds"]),
                         "load_csv_mb_per_s": round(csv / 1e6 / load["seconds"], 1),
                         "load_peak_rss_mb": round(load["peak_rss_mb"]),
                         "clean_s": round(clean["seconds"], 1),
                         "clean_tweets_per_s": round(clean["tweets"] / clean["seconds"]),
                         "clean_peak_rss_mb": round(clean["peak_rss_mb"])})
            print(json.dumps(rows[-1]), flush=True)
    out = ROOT / "benchmarks" / "results" / "reader.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rows, indent=2))
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |\n|" + "---|" * len(keys))
    for r in rows:
        print("| " + " | ".join(str(r[k]) for k in keys) + " |")
    print(f"(max RSS of this driver process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB)")


def stages_tweets(rel, work: Path) -> int:
    from ioa_utils import stages

    return stages.ensure_loaded(rel, work)["tweets"]


if __name__ == "__main__":
    main()
