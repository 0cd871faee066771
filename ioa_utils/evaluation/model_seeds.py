"""Model-seed variance on one data seed: the detectors whose output depends on the model seed (``Params.seed``:
Louvain's for communities and retweet rings, MinHash's for near-duplicates) rerun with several model seeds on
the same generated archive, thresholds at their defaults.

Cached like the seeds (``stage``): ``<work_dir>/evaluation/seed-<data seed>/model-seeds/`` holds ``scores.parquet``,
stamped by the model seeds and the code; the data seed's archive and stages are built first (``stage.ensure_seed``).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from .. import stageio
from ..casestudy import campaign as campaigns
from ..casestudy import russia, turkey
from ..casestudy.base import load
from ..coordination import stage as cstage
from ..coordination.evaluate import nodes_of
from ..coordination.traces import TRACES, Params
from ..paths import DATA_DIR
from ..workspace import Workspace
from . import stage
from .seeds import COLUMNS, Scorer, _row

MODEL_SEEDS = (2020, 1, 2, 3, 4)  # the library's default model seed first
NAME = "model-seeds"


def code_version() -> str:
    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update(stage.code_version().encode())
    return h.hexdigest()[:16]


def run(data_seed: int, folder: Path, model_seeds: tuple[int, ...] = MODEL_SEEDS, scale: float = 1.0) -> pd.DataFrame:
    """Rows of ``seeds.COLUMNS`` (``setting``: ``model_seed=<m>``) for retweet rings, retweet-for-hire,
    co-retweet communities' detector inputs and near-duplicates, per release and model seed, on the archive of
    ``data_seed`` and ``scale`` that ``seeds.run`` built in ``folder``."""
    ws = Workspace(folder / "raw", folder / "work", data_seed, scale)
    with stageio.frozen_gc():
        rows = [row for release in sorted(p.name for p in (ws.work_dir / "processed").iterdir() if p.is_dir())
                for row in _release_rows(data_seed, release, ws, model_seeds)]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _release_rows(data_seed: int, release: str, ws: Workspace, model_seeds: tuple[int, ...]) -> list[dict]:
    work = ws.work_dir
    score = Scorer(ws.truth(release))
    data = load(release, ws, topics=False)
    own = campaigns.for_release(release)
    hire = own.params("retweet_for_hire") if own is not None else campaigns.DEFAULTS["retweet_for_hire"]
    rows = []
    for m in model_seeds:
        p = Params(seed=m)
        cstage.ensure(release, work, p)
        setting, is_default = {"model_seed": m}, m == Params().seed
        for f in (turkey.rings(data, p), russia.commercial_cluster(data, p, **hire)):
            rows.append(_row(data_seed, release, "case study", f.name, setting, is_default, f.applicable, f.flagged,
                             score.roles(f.flagged, f.roles)))
        flagged = nodes_of(cstage.read(release, "edges/near_duplicate", work, p))
        rows.append(_row(data_seed, release, "coordination", "near_duplicate", setting, is_default, True, flagged,
                         score.groups(flagged, TRACES["near_duplicate"].targets)))
    return rows


def _stamp(data_seed: int, scale: float, model_seeds: tuple[int, ...]) -> dict:
    params = {"data_seed": int(data_seed), "scale": float(scale), "model_seeds": [int(m) for m in model_seeds]}
    return {"stage": f"evaluation-{NAME}", "code": code_version(), "inputs": {}, "params": params}


def is_fresh(data_seed: int, scale: float = 1.0, work_dir: str | Path = DATA_DIR,
             model_seeds: tuple[int, ...] = MODEL_SEEDS) -> bool:
    return stageio.is_fresh(stage.folder(data_seed, work_dir) / NAME, _stamp(data_seed, scale, model_seeds))


def ensure(data_seed: int, scale: float = 1.0, work_dir: str | Path = DATA_DIR,
           model_seeds: tuple[int, ...] = MODEL_SEEDS) -> pd.DataFrame:
    """The model-seed scores of ``data_seed`` (computed unless up to date). ``stage.ensure(..., model_seeds=...)``
    computes them beside the other data seeds."""
    stage.ensure_seed(data_seed, scale, work_dir)
    base = stage.folder(data_seed, work_dir)
    dest = base / NAME
    want = _stamp(data_seed, scale, model_seeds)
    with stageio.named_lock(work_dir, f"evaluation-seed-{int(data_seed)}"):
        stageio.clean_debris(base, work_dir, [NAME])
        if not stageio.is_fresh(dest, want):
            scores = run(data_seed, base, tuple(model_seeds), scale)

            def build(tmp: Path) -> None:
                scores.to_parquet(tmp / "scores.parquet", index=False)
                (tmp / "report.json").write_text(json.dumps({"rows": len(scores)}))

            def verify(tmp: Path) -> None:
                if pq.ParquetFile(tmp / "scores.parquet").metadata.num_rows != len(scores):
                    raise RuntimeError("evaluation: model-seed scores lost rows")

            stageio.produce(dest, work_dir, want, build, verify)
        return pd.read_parquet(dest / "scores.parquet")


def summary(scores: pd.DataFrame) -> pd.DataFrame:
    """Per detector and release with planted targets: over the model seeds, flagged accounts and F1 as mean, sd,
    min and max, and how many distinct flagged counts the seeds gave."""
    s = scores[scores["n_positive"] > 0]
    g = s.groupby(["detector", "release"], sort=False)
    return pd.DataFrame({"model seeds": g["setting"].nunique(), "flagged mean": g["flagged"].mean(),
                         "flagged min": g["flagged"].min(), "flagged max": g["flagged"].max(),
                         "f1 mean": g["f1"].mean(), "f1 sd": g["f1"].std(ddof=1), "f1 min": g["f1"].min(),
                         "f1 max": g["f1"].max()})
