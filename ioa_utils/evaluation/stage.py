"""The evaluation as a cached stage: one stamped folder per data seed, ``<work_dir>/evaluation/seed-<seed>/``.

Each seed folder holds the generated archive (``raw/``), its load/clean/coordination stages (``work/``) and the
seed's scores (``scores/scores.parquet``, one row per release x detector x grid setting, ``seeds.COLUMNS``).
``scores/`` carries a stamp (``stageio``): the seed, the scale, the grid, and a hash of the code that computes
the scores (this package's ``seeds.py`` and ``protocol.py``, the generator, load, clean, coordination and
case-study code); a fresh one is read, a stale one recomputed, verified against its row count and swapped in
under the seed's lock (``locks/evaluation-seed-<seed>.lock``), so concurrent runs compute a seed once.

Stale seeds run in separate processes (``workers``, default 2: the machine's cores), each seed in its own folder;
the result does not depend on the number of workers or on their order (every seed is deterministic, and the
scores are concatenated in seed order).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from .. import stageio
from ..paths import DATA_DIR, resolve
from .protocol import DEFAULT, Protocol

NAME = "evaluation"
SCORES = "scores"
_PKG = Path(__file__).resolve().parent.parent
_CODE = ("evaluation/seeds.py", "evaluation/protocol.py")
_UPSTREAM = ("synthetic", "load", "clean", "coordination", "casestudy", "labels")


def code_version() -> str:
    """Hash of the code a seed's scores depend on: this package's scoring and protocol, and every stage it runs."""
    from ..stages import code_version as stage_code

    h = hashlib.sha256()
    for name in _CODE:
        h.update(name.encode())
        h.update((_PKG / name).read_bytes())
    for stage in _UPSTREAM:
        h.update(f"{stage}:{stage_code(stage)}".encode())
    return h.hexdigest()[:16]


def folder(seed: int, work_dir: str | Path = DATA_DIR) -> Path:
    """The project-created folder of one data seed."""
    return resolve(work_dir) / NAME / f"seed-{int(seed)}"


def stamp(seed: int, scale: float, grid: dict) -> dict:
    return {"stage": f"{NAME}-seed", "code": code_version(), "inputs": {},
            "params": {"seed": int(seed), "scale": float(scale),
                       "grid": {d: {k: list(v) for k, v in g.items()} for d, g in grid.items()}}}


def is_fresh(seed: int, scale: float, work_dir: str | Path = DATA_DIR, grid: dict | None = None) -> bool:
    return stageio.is_fresh(folder(seed, work_dir) / SCORES, stamp(seed, scale, grid or DEFAULT.grid))


def ensure_seed(seed: int, scale: float = DEFAULT.scale, work_dir: str | Path = DATA_DIR) -> Path:
    """``evaluation/seed-<seed>/scores/``, computed unless up to date (the default grid)."""
    from . import seeds

    base = folder(seed, work_dir)
    dest = base / SCORES
    want = stamp(seed, scale, DEFAULT.grid)
    with stageio.named_lock(work_dir, f"{NAME}-seed-{int(seed)}"):
        stageio.clean_debris(base, work_dir, [SCORES])  # builds of killed runs
        if stageio.is_fresh(dest, want):
            return dest
        base.mkdir(parents=True, exist_ok=True)
        scores = seeds.run(seed, base, scale)

        def build(tmp: Path) -> None:
            scores.to_parquet(tmp / "scores.parquet", index=False)
            (tmp / "report.json").write_text(json.dumps({"rows": len(scores)}))

        stageio.produce(dest, work_dir, want, build, _verify)
    return dest


def _verify(tmp: Path) -> None:
    rows = json.loads((tmp / "report.json").read_text())["rows"]
    found = pq.ParquetFile(tmp / "scores.parquet").metadata.num_rows
    if found != rows:
        raise RuntimeError(f"evaluation: scores.parquet holds {found} rows, {rows} written")


def _worker(job: tuple[int, float, str, tuple[int, ...]]) -> str:
    """One data seed's scores, then its model-seed runs if the job names model seeds."""
    seed, scale, work_dir, model_seeds = job
    dest = ensure_seed(seed, scale, work_dir)
    if model_seeds:
        from .model_seeds import ensure as ensure_model_seeds

        ensure_model_seeds(seed, scale, work_dir, model_seeds)
    return str(dest)


def ensure(work_dir: str | Path = DATA_DIR, protocol: Protocol = DEFAULT, workers: int = 2,
           model_seeds: tuple[int, ...] = ()) -> pd.DataFrame:
    """Every seed's scores under ``protocol`` (development seeds, then held-out seeds), computing the stale
    seeds in ``workers`` processes. Columns: ``seeds.COLUMNS`` plus ``split`` ("development" or "held-out").
    ``model_seeds``: the model-seed runs of the first held-out seed (``model_seeds.ensure``) are computed too, by
    the worker that computes that seed, first, so they run beside the other seeds rather than after them."""
    if protocol.grid != DEFAULT.grid:
        raise ValueError("the evaluation stage computes the default grid (protocol.GRID) only")
    wd = str(resolve(work_dir))
    jobs = [(s, protocol.scale, wd, ()) for s in protocol.seeds if not is_fresh(s, protocol.scale, work_dir)]
    if model_seeds:
        from .model_seeds import is_fresh as model_seeds_fresh

        first = protocol.heldout_seeds[0]
        if not model_seeds_fresh(first, protocol.scale, work_dir, tuple(model_seeds)):
            jobs = [(first, protocol.scale, wd, tuple(model_seeds)), *(j for j in jobs if j[0] != first)]
    if jobs:
        n = max(1, min(workers, len(jobs), os.cpu_count() or 1))
        if n == 1:
            for job in jobs:
                _worker(job)
        else:
            ctx = multiprocessing.get_context("spawn")  # a fresh interpreter: no forked DuckDB or BLAS threads
            with ProcessPoolExecutor(n, mp_context=ctx) as pool:
                list(pool.map(_worker, jobs))
    parts = []
    for s in protocol.seeds:
        dest = ensure_seed(s, protocol.scale, work_dir)  # fresh now: only reads the stamp
        split = "development" if s in protocol.dev_seeds else "held-out"
        parts.append(pd.read_parquet(dest / "scores.parquet").assign(split=split))
    return pd.concat(parts, ignore_index=True)
