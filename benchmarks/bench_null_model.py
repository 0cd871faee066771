"""Benchmark: notebook 04's significance cell (``null_model.edge_significance``) at several release sizes.

For each size and trace (co_retweet, co_tweet) a separate worker process reads the trace's events, builds the
candidate edges (``pair_weights`` at the trace's ``min_weight``, what ``co_network`` gives) and runs
``edge_significance`` for each null with ``--permutations`` draws; the parent reads the worker's CPU time and
peak RSS with ``os.wait4`` and the 1-minute load average before it starts. A first single-permutation run
time-boxes big releases: when one permutation costs more than ``--max-permutation-s`` CPU seconds the worker
stops there and reports it.

Sizes: ``default`` is the default synthetic archive (prepared in ``data/`` if needed, three releases); any
other size is ``LABEL=WORK_DIR`` of a prepared release (``synth_turkey_052020``; e.g. one made by
``bench_report.py``). The worker only reads the processed tweets' Parquet partitions: it takes no lock and
writes nothing there.

``--cell`` runs the whole cell as notebook 04 does (``analysis.significance``: each trace read and prepared in
turn, then every (trace, null) job, in ``--workers`` processes; default ``null_model.workers_for`` the events)
in one worker process per size, and reports its CPU time including the job processes' (``os.wait4`` counts the
children a process waited for), the peak RSS of the parent and of each job process (polled ``VmHWM``), and
the time spent per phase.

Usage (from the project root):
    .venv/bin/python benchmarks/bench_null_model.py                      # default archive only
    .venv/bin/python benchmarks/bench_null_model.py --size 4M=/tmp/bench_report4m/work_4000000
    .venv/bin/python benchmarks/bench_null_model.py --size 37M=/tmp/bench37/work_37000000 --traces co_retweet
    .venv/bin/python benchmarks/bench_null_model.py --no-default --size 4M=... --cell --workers 2

Not a test. Results go to benchmarks/results/null_model.json (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results"
RELEASE = "synth_turkey_052020"


def worker(work: str, trace: str, methods: list[str], permutations: int, max_permutation_s: float) -> dict:
    import numpy as np
    import pandas as pd

    from ioa_utils.coordination import analysis as an
    from ioa_utils.coordination.null_model import edge_significance, pair_weights
    from ioa_utils.workspace import Workspace

    p = an.DEFAULTS
    releases = Workspace().prepare() if work == "default" else [RELEASE]
    work_dir = an.DATA_DIR if work == "default" else work
    out: dict = {"trace": trace, "releases": {}}
    for rel in releases:
        t = time.process_time()
        ev = an.trace_events(rel, trace, work_dir)
        window = an.window_of(trace, p)
        codes, weight = pair_weights(ev, window)
        keep = weight >= p.min_weight
        nu = np.int64(max(ev.n_users, 1))
        edges = pd.DataFrame({"source": ev.users[codes[keep] // nu], "target": ev.users[codes[keep] % nu],
                              "weight": weight[keep]})
        row = {"events": len(ev), "accounts": ev.n_users, "candidate_pairs": len(codes), "edges": len(edges),
               "read_and_edges_cpu_s": round(time.process_time() - t, 2), "nulls": {}}
        for m in methods:
            t = time.process_time()
            edge_significance(ev, edges, window, 1, m, p.seed)
            one = time.process_time() - t
            if one > max_permutation_s:
                row["nulls"][m] = {"one_permutation_cpu_s": round(one, 1), "stopped": True}
                continue
            t = time.process_time()
            s = edge_significance(ev, edges, window, permutations, m, p.seed)
            row["nulls"][m] = {"one_permutation_cpu_s": round(one, 2), "cpu_s": round(time.process_time() - t, 2),
                               "significant": int(s["significant"].sum())}
        out["releases"][rel] = row
    return out


def cell_worker(work: str, traces: list[str], methods: list[str], permutations: int, workers: int | None) -> dict:
    import resource

    import numpy as np
    import pandas as pd

    from ioa_utils.coordination import analysis as an
    from ioa_utils.coordination.null_model import pair_weights, prepare, significance_tables, workers_for
    from ioa_utils.workspace import Workspace

    def job_peaks(stop: threading.Event, peaks: dict[int, int]) -> None:
        """The peak RSS (VmHWM, MB) of each process this one starts, polled: a spawned process's rusage
        ``ru_maxrss`` starts at its parent's peak (fork copies it before exec)."""
        while not stop.wait(0.5):
            for child in Path(f"/proc/{os.getpid()}/task").glob("*/children"):
                for pid in child.read_text().split():
                    try:
                        hwm = next(int(line.split()[1]) for line in Path(f"/proc/{pid}/status").open()
                                   if line.startswith("VmHWM"))
                    except (OSError, StopIteration, ValueError):
                        continue
                    peaks[int(pid)] = max(peaks.get(int(pid), 0), hwm // 1024)

    def children_cpu() -> float:
        r = resource.getrusage(resource.RUSAGE_CHILDREN)
        return r.ru_utime + r.ru_stime

    p = an.DEFAULTS
    releases = Workspace().prepare() if work == "default" else [RELEASE]
    work_dir = an.DATA_DIR if work == "default" else work
    out: dict = {"traces": traces, "releases": {}}
    for rel in releases:
        row: dict = {"traces": {}}
        jobs, n_events = [], 0
        for trace in traces:
            t = time.process_time()
            ev = an.trace_events(rel, trace, work_dir)
            read = time.process_time() - t
            window = an.window_of(trace, p)
            codes, weight = pair_weights(ev, window)  # the trace's edges, as co_network gives them (not timed)
            keep = weight >= p.min_weight
            nu = np.int64(max(ev.n_users, 1))
            edges = pd.DataFrame({"source": ev.users[codes[keep] // nu], "target": ev.users[codes[keep] % nu],
                                  "weight": weight[keep]})
            del codes, weight, keep
            t = time.process_time()
            prep = prepare(ev, edges, window)
            row["traces"][trace] = {"events": len(ev), "edges": len(edges), "candidate_pairs": len(prep.codes),
                                    "read_cpu_s": round(read, 2), "prepare_cpu_s": round(time.process_time() - t, 2),
                                    "peak_rss_mb_so_far": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}
            n_events += len(ev)
            del ev, edges
            jobs += [(prep, m) for m in methods]
        n_workers = workers_for(n_events) if workers is None else workers
        t, c, w = time.process_time(), children_cpu(), time.perf_counter()
        stop, peaks = threading.Event(), {}
        poller = threading.Thread(target=job_peaks, args=(stop, peaks), daemon=True)
        poller.start()
        tables = significance_tables(jobs, permutations, p.seed, 0.05, n_workers)
        stop.set()
        poller.join()
        row.update(workers=n_workers, draws_cpu_s=round(time.process_time() - t + children_cpu() - c, 2),
                   draws_wall_s=round(time.perf_counter() - w, 1),
                   significant={f"{tr} {m}": int(s["significant"].sum())
                                for s, (tr, m) in zip(tables, [(t, m) for t in traces for m in methods], strict=True)},
                   parent_peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                   job_process_peak_rss_mb=sorted(peaks.values(), reverse=True))
        out["releases"][rel] = row
    return out


def run(label: str, work: str, trace: str, args: argparse.Namespace) -> dict:
    cmd = [sys.executable, __file__, "--worker", work, "--traces", trace, "--methods", *args.methods,
           "--permutations", str(args.permutations), "--max-permutation-s", str(args.max_permutation_s)]
    if args.cell:
        cmd = [sys.executable, __file__, "--worker", work, "--cell", "--traces", *args.traces, "--methods",
               *args.methods, "--permutations", str(args.permutations)]
        cmd += ["--workers", str(args.workers)] if args.workers is not None else []
    load = os.getloadavg()[0]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, cwd=ROOT)
    stdout = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"worker {label} {trace} failed")
    res = json.loads(stdout.decode().strip().splitlines()[-1])
    res.update(size=label, wall_s=round(time.perf_counter() - start, 1),
               cpu_s=round(usage.ru_utime + usage.ru_stime, 1), peak_rss_mb=round(usage.ru_maxrss / 1024),
               load_1min=round(load, 2))
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", action="append", default=[], help="LABEL=WORK_DIR of a prepared Turkey release")
    ap.add_argument("--no-default", action="store_true", help="skip the default archive")
    ap.add_argument("--traces", nargs="+", default=["co_retweet", "co_tweet"])
    ap.add_argument("--methods", nargs="+", default=["swap", "item"])
    ap.add_argument("--permutations", type=int, default=100)
    ap.add_argument("--max-permutation-s", type=float, default=60.0)
    ap.add_argument("--cell", action="store_true", help="the whole cell in one process per size (see above)")
    ap.add_argument("--workers", type=int, help="job processes of --cell (default: null_model.workers_for)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker and args.cell:
        print(json.dumps(cell_worker(args.worker, args.traces, args.methods, args.permutations, args.workers)))
        return
    if args.worker:
        print(json.dumps(worker(args.worker, args.traces[0], args.methods, args.permutations,
                                args.max_permutation_s)))
        return
    sizes = ([] if args.no_default else [("default", "default")]) + [tuple(s.split("=", 1)) for s in args.size]
    results = []
    for label, work in sizes:
        if args.cell:
            r = run(label, work, "+".join(args.traces), args)
            results.append(r)
            print(f"{label} cell: process CPU {r['cpu_s']} s (with the job processes), wall {r['wall_s']} s, peak RSS "
                  f"{r['peak_rss_mb']} MB (largest process), load {r['load_1min']}; {json.dumps(r['releases'])}",
                  flush=True)
            continue
        for trace in args.traces:
            r = run(label, work, trace, args)
            results.append(r)
            nulls = {rel: {m: v.get("cpu_s", f"stopped: one permutation {v['one_permutation_cpu_s']} s")
                           for m, v in row["nulls"].items()} for rel, row in r["releases"].items()}
            print(f"{label} {trace}: process CPU {r['cpu_s']} s, wall {r['wall_s']} s, peak RSS {r['peak_rss_mb']} MB, "
                  f"load {r['load_1min']}; edge_significance CPU s by release and null: {nulls}", flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / ("null_model_cell.json" if args.cell else "null_model.json")).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
