"""The case-study data layer and profile (``casestudy.load`` + ``casestudy.profile``) of one release: per
DuckDB query and per Python step, where the CPU goes, and a snapshot of every result to compare before and
after a change (a script, not a test).

    .venv/bin/python benchmarks/bench_profile.py --raw data/raw/synthetic --work data \\
        --release synth_turkey_052020 --dump /tmp/x_after.pkl [--cprofile /tmp/x.prof] [--explain]
    .venv/bin/python benchmarks/bench_profile.py --compare /tmp/x_before.pkl /tmp/x_after.pkl

Prints one line per query (wall and process CPU seconds, the query's first 110 characters), then the totals;
``--dump`` pickles ``CaseData.accounts`` and every field of the ``Profile``; ``--compare`` checks that two
dumps are identical (values, dtypes, index; exit 1 otherwise). ``--explain`` runs ``EXPLAIN ANALYZE`` on each
query over one second. Topics are not requested (the profile does not read them, and ``load`` would otherwise
run the topics stage on a release without them).
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import importlib
import pickle
import pstats
import resource
import sys
import time
from pathlib import Path

import pandas as pd


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed_queries(explain: bool) -> list[tuple[float, float, float, str]]:
    """Patch ``CaseData.query`` to record (wall s, CPU s, peak RSS MB so far, sql) of every query, and the
    profile's ``_timed_counts`` (its temp table is created outside ``query``) as one more line."""
    from ioa_utils.casestudy import base

    prof = importlib.import_module("ioa_utils.casestudy.profile")  # the module (the package re-exports the function)

    log: list[tuple[float, float, float, str]] = []

    def timed(fn, label=None):
        def run(*args, **kw):
            w, c = time.perf_counter(), time.process_time()
            out = fn(*args, **kw)
            wall, cpu = time.perf_counter() - w, time.process_time() - c
            sql = label or " ".join(args[1].split())
            log.append((wall, cpu, _peak_mb(), sql))
            if explain and wall > 1 and label is None:
                plan = args[0].connection().execute("EXPLAIN ANALYZE " + args[1], args[2:] or []).fetchall()
                print(plan[0][1], file=sys.stderr)
            return out
        return run

    base.CaseData.query = timed(base.CaseData.query)
    if hasattr(prof, "_timed_counts"):
        prof._timed_counts = timed(prof._timed_counts, "[_timed_counts: temp table + the 3 queries above it, total]")
    return log


def run(raw: str, work: str, release: str, explain: bool, prof_out: str | None) -> dict:
    from ioa_utils import casestudy as cs
    from ioa_utils.workspace import Workspace

    log = _timed_queries(explain)
    prof = cProfile.Profile(time.process_time) if prof_out else None
    w, c = time.perf_counter(), time.process_time()
    if prof:
        prof.enable()
    data = cs.load(release, Workspace(raw, work), topics=False)
    t_load = time.process_time() - c
    p = cs.profile(data, work)
    if prof:
        prof.disable()
        prof.dump_stats(prof_out)
        pstats.Stats(prof_out).sort_stats("cumulative").print_stats(25)
    wall, cpu = time.perf_counter() - w, time.process_time() - c
    for qw, qc, mb, sql in log:
        print(f"{qw:8.2f} s {qc:8.2f} s CPU {mb:6.0f} MB  {sql[:110]}")
    print(f"load {t_load:.2f} s CPU; load + profile {wall:.1f} s wall, {cpu:.1f} s CPU; peak RSS {_peak_mb():.0f} MB")
    return {"accounts": data.accounts, "profile": {f.name: getattr(p, f.name) for f in dataclasses.fields(p)}}


def same(a, b, where: str) -> list[str]:
    """Where ``a`` and ``b`` differ (empty: identical, dtypes and index included)."""
    try:
        if isinstance(a, pd.DataFrame):
            pd.testing.assert_frame_equal(a, b, check_exact=True)
        elif isinstance(a, pd.Series):
            pd.testing.assert_series_equal(a, b, check_exact=True)
            if a.dtype == object:  # mixed-type summary: the Python types too
                assert [type(x) for x in a] == [type(x) for x in b], "value types differ"
        else:
            assert a == b, f"{a!r} != {b!r}"
    except AssertionError as exc:
        return [f"{where}: {exc}"]
    return []


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--raw")
    ap.add_argument("--work")
    ap.add_argument("--release", nargs="+")
    ap.add_argument("--dump", type=Path)
    ap.add_argument("--cprofile")
    ap.add_argument("--explain", action="store_true")
    ap.add_argument("--compare", nargs=2, type=Path)
    args = ap.parse_args()
    if args.compare:
        a, b = (pickle.loads(p.read_bytes()) for p in args.compare)
        diffs = [] if a.keys() == b.keys() else [f"releases differ: {sorted(a)} vs {sorted(b)}"]
        for rel in a.keys() & b.keys():
            diffs += same(a[rel]["accounts"], b[rel]["accounts"], f"{rel} accounts")
            for name, value in a[rel]["profile"].items():
                diffs += same(value, b[rel]["profile"][name], f"{rel} profile.{name}")
        print("\n".join(diffs) or f"identical: {', '.join(sorted(a))}")
        sys.exit(1 if diffs else 0)
    out = {rel: run(args.raw, args.work, rel, args.explain, args.cprofile) for rel in args.release}
    if args.dump:
        args.dump.write_bytes(pickle.dumps(out))


if __name__ == "__main__":
    main()
