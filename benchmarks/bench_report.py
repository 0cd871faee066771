"""Benchmark the whole report at real size: every stage, then every notebook (a script, not a test).

For each size: a Turkey-shaped release of N tweets (``python -m ioa_utils.synthetic --releases
synth_turkey_052020 --tweets N``, timed once when first generated), then each step in its OWN process, in
DAG order, with its wall time and peak RSS (``os.wait4``: the process and every descendant it waited for,
so a notebook's kernel counts in the report step):

    prepare        load + clean (Workspace.prepare)
    profile        case-study data layer + profile (casestudy.load without topics, casestudy.profile; with
                   topics, load runs the whole topics stage on a release that has none)
    co_retweet     the co-retweet trace alone (its columns read, its edges computed; the issue's first budget is
                   prepare + profile + co_retweet)
    coordination   the coordination stage (every trace, communities, rings, amplifiers)
    topics         the topics stage
    casestudy      the case-study findings stage (every detector, profile persisted)
    report         ``python -m ioa_utils.pipeline`` = ``make report DATA=<folder>``: every notebook, reading
                   the stages above (cached, so this is the notebooks' own cost)

Usage::

    .venv/bin/python benchmarks/bench_report.py --tweets 4000000 37000000 --root /tmp/bench_report

Results are printed as a Markdown table and written to ``benchmarks/results/report_<N>.json``.
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
RELEASE = "synth_turkey_052020"
LIMIT_GB = 12.0

STEPS = {
    "prepare": "WS.prepare()",
    "profile": "from ioa_utils import casestudy as cs; cs.profile(cs.load(REL, WS, topics=False), WORK)",
    "co_retweet": "from ioa_utils.coordination import stage, traces; t = traces.TRACES['co_retweet']; "
                  "traces.compute('co_retweet', stage.read_columns(REL, t.columns, t.kinds, WORK, t.fallback_only))",
    "coordination": "from ioa_utils.coordination import stage; stage.ensure(REL, WORK)",
    "topics": "from ioa_utils import topics; topics.run([REL], WORK)",
    "casestudy": "from ioa_utils.casestudy import stage; stage.ensure(REL, WS)",
}


def timed(cmd: list[str], log: Path) -> dict:
    """Run ``cmd`` in its own process; wall seconds, peak RSS (MB) of it and its waited-for descendants. The
    stages' progress lines (``ioa_utils.progress``: step, seconds since the stage began) go to ``<log>.progress``."""
    start = time.perf_counter()
    load = os.getloadavg()[0]
    env = {**os.environ, "IOA_PROGRESS_FILE": str(log.with_suffix(".progress"))}
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    return {"seconds": round(time.perf_counter() - start, 1), "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
            "peak_rss_mb": round(usage.ru_maxrss / 1024),
            "exit_code": code, "load_before": round(load, 2), "log": str(log)}


def generate(raw: Path, n_tweets: int, seed: int, logs: Path) -> dict | None:
    """Generate the release once (the ``.done`` marker holds the measurement of that first run)."""
    done = raw / ".done"
    if done.exists():
        return json.loads(done.read_text() or "null")
    res = timed([sys.executable, "-m", "ioa_utils.synthetic", "--out", str(raw), "--seed", str(seed),
                 "--releases", RELEASE, "--tweets", str(n_tweets)], logs / "generate.log")
    if res["exit_code"]:
        raise SystemExit(f"generation failed, see {res['log']}")
    done.write_text(json.dumps(res))
    return res


def run_size(root: Path, n_tweets: int, seed: int, steps: list[str]) -> dict:
    raw, work, logs = root / f"raw_{n_tweets}", root / f"work_{n_tweets}", root / f"logs_{n_tweets}"
    logs.mkdir(parents=True, exist_ok=True)
    results = {"tweets_requested": n_tweets, "generate": generate(raw, n_tweets, seed, logs), "steps": {}}
    prelude = (f"from ioa_utils.workspace import Workspace; RAW, WORK, REL = {str(raw)!r}, {str(work)!r}, {RELEASE!r}; "
               "WS = Workspace(RAW, WORK); ")
    for step in steps:
        if step == "report":
            cmd = [sys.executable, "-m", "ioa_utils.pipeline", "-p", "raw_dir", str(raw), "-p", "work_dir", str(work),
                   "--out", str(root / f"report_{n_tweets}")]
        else:
            cmd = [sys.executable, "-c", prelude + STEPS[step]]
        res = timed(cmd, logs / f"{step}.log")
        results["steps"][step] = res
        print(f"{n_tweets:>12,} {step:<13} {res['seconds']:>8.1f} s {res['cpu_s']:>8.1f} s CPU "
              f"{res['peak_rss_mb']:>7,} MB exit {res['exit_code']} (load {res['load_before']})", flush=True)
        if res["exit_code"]:
            break
    return results


def table(all_results: list[dict]) -> str:
    steps = list(STEPS) + ["report"]
    head = "| tweets | generate (s) | " + " | ".join(f"{s} (wall s / CPU s / MB)" for s in steps) + " | total (s) |"
    lines = [head, "|" + "---|" * (len(steps) + 3)]
    for r in all_results:
        cells, total = [], 0.0
        for s in steps:
            m = r["steps"].get(s)
            cells.append("-" if m is None else f"{m['seconds']:,.0f} / {m.get('cpu_s', float('nan')):,.0f} / "
                         f"{m['peak_rss_mb']:,}" +
                         ("" if m["exit_code"] == 0 else " (failed)"))
            total += m["seconds"] if m else 0
        gen = r["generate"]["seconds"] if r.get("generate") else float("nan")
        lines.append(f"| {r['tweets_requested']:,} | {gen:,.0f} | " + " | ".join(cells) + f" | {total:,.0f} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tweets", type=int, nargs="+", default=[4_000_000])
    ap.add_argument("--root", type=Path, default=Path("/tmp/bench_report"))
    ap.add_argument("--seed", type=int, default=2020)
    ap.add_argument("--steps", nargs="+", default=list(STEPS) + ["report"], choices=list(STEPS) + ["report"])
    args = ap.parse_args()
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    all_results = []
    for n in args.tweets:
        r = run_size(args.root, n, args.seed, args.steps)
        over = [s for s, m in r["steps"].items() if m["peak_rss_mb"] > LIMIT_GB * 1024]
        r["over_memory_limit"] = over
        (out / f"report_{n}.json").write_text(json.dumps(r, indent=2))
        all_results.append(r)
    print(table(all_results))


if __name__ == "__main__":
    main()
