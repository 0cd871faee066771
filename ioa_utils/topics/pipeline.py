"""Run topic modelling on processed releases and persist the results.

Outputs per release (under ``data/processed/<release>/``):

- ``topics.parquet``: one row per tweet — tweetid, userid, tweet_time, tweet_kind, tweet_language,
  client, group (script), week, topic, topic_label, probability (null when not modelled), fitted_on; written
  partition by partition (each sorted by tweet id; the clean stage's partitions are id ranges, so the file is
  in id order) in row groups of ``scale.ROW_GROUP`` rows.
- ``topic_table.parquet``: one row per topic (see ``summary.topic_table``).
- ``topic_model/<group>/``: the BERTopic model (safetensors + JSON, with c-TF-IDF) and its embedder
  (``embedder/``); ``topic_model/manifest.json`` lists groups, their ``topic_map`` (local topic id of the
  group model -> topic id in ``topics.parquet``, after cross-script linking), its ``floor`` (per row of the
  model's ``topic_embeddings_``, null for none: the minimum similarity of ``nearest.py``), the links and
  parameters; ``topic_model/<group>/distance_map.parquet``: BERTopic's intertopic distance map layout of groups
  with at least ``MAP_MIN_TOPICS`` topics (topic, x, y: ``visualize_topics``' UMAP of the topic embeddings,
  computed here where UMAP is already compiled, so the interactive pages need not compile it again);
  ``topic_model/_stage.json`` is the stage stamp (code, parameters, the processed tables it was fitted on,
  rows and SHA-256 of the two tables).

Saving follows ``stageio``: under the release's lock everything is written into a temp folder, checked,
stamped, then swapped in (the two tables by atomic rename, the model folder last); nothing is deleted
before its replacement is in place.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .. import progress, stageio, store
from ..checksums import sha256_file
from ..paths import DATA_DIR, processed_dir
from .embed import cache_dir, load_embedder
from .model import TWEET_COLUMNS, GroupModel, ReleaseTopics, TopicParams, params_dict, warmup
from .scale import fit_partitions
from .tokenize import Tokenizer

ASSIGNMENTS = "topics"
TABLE = "topic_table"
MODEL_DIR = "topic_model"
DISTANCE_MAP = "distance_map.parquet"
MAP_MIN_TOPICS = 3  # BERTopic's distance map runs UMAP with n_neighbors=2: fewer topics cannot be laid out


def read_tweets(release: str, work_dir: str | Path = DATA_DIR, evidence: tuple[str, ...] = ()) -> pd.DataFrame:
    """The processed-tweets columns topic modelling needs (plus the ``evidence`` list columns)."""
    return store.read(release, "tweets", columns=list(dict.fromkeys((*TWEET_COLUMNS, *evidence))), work_dir=work_dir)


def run(releases: list[str], work_dir: str | Path = DATA_DIR, params: TopicParams | None = None,
        save: bool = True, scratch_dir: str | Path | None = None, reuse: bool = False) -> dict[str, ReleaseTopics]:
    """Fit every release (UMAP/numba compiled once, before the loop) and persist the results.

    Releases are processed out of core, partition by partition (``scale.fit_partitions``), in a scratch
    folder (a new temp folder under ``scratch_dir``, default the system's). A result's ``assignments`` are
    read from disk when first used: from the saved ``topics.parquet``, or with ``save=False`` from the
    scratch copy, which lives as long as the result. With ``reuse``, a release whose saved topics are up to
    date (``load_release``: same code, parameters and processed tables) is read back instead of fitted again.
    """
    params = params or TopicParams()
    saved = {r: load_release(r, work_dir, params) if reuse else None for r in releases}
    if any(v is None for v in saved.values()):
        warmup(params.seed, params.sample_size)
    out = {}
    for release in releases:
        if (result := saved[release]) is not None:
            out[release] = result
            continue
        fitted_on = processed_version(release, work_dir)
        scratch = tempfile.TemporaryDirectory(prefix=f"topics-{release}-", dir=scratch_dir)
        try:
            with progress.stage("topics", release) as step:
                result = fit_partitions(release, work_dir, params, cache=cache_dir(work_dir),
                                        scratch=Path(scratch.name))
                step("fitted and assigned")
                if save:
                    save_release(result, work_dir, fitted_on=fitted_on)
                    result.assignments_file = processed_dir(release, work_dir) / f"{ASSIGNMENTS}.parquet"
        except BaseException:
            scratch.cleanup()
            raise
        if save:
            scratch.cleanup()
        else:
            result._scratch = scratch  # type: ignore[attr-defined]  # removed with the result
        out[release] = result
    return out


def load_release(release: str, work_dir: str | Path = DATA_DIR,
                 params: TopicParams | None = None) -> ReleaseTopics | None:
    """The saved topics of ``release`` as ``run`` returned them (the group models reloaded, ``stats`` empty), or
    None unless they are up to date: the stage stamp names this code, ``params`` and the current processed
    tables."""
    from ..stages import code_version

    params = params or TopicParams()
    base = processed_dir(release, work_dir)
    with stageio.release_lock(work_dir, release):  # no save swaps the outputs while they are read
        stamp = stageio.read_stamp(base / MODEL_DIR) or {}
        want = {"stage": "topics", "code": code_version("topics"),
                "inputs": {"processed": processed_version(release, work_dir)}, "params": params_dict(params)}
        if {k: stamp.get(k) for k in want} != want:
            return None
        manifest = json.loads((base / MODEL_DIR / "manifest.json").read_text(encoding="utf-8"))
        groups = {}
        for name, g in sorted(manifest["groups"].items(), key=lambda kv: kv[1]["offset"]):  # the order fitted
            model = load_model(base / MODEL_DIR / name)
            floor = np.array([-np.inf if f is None else f for f in g["floor"]], dtype=np.float64)
            groups[name] = GroupModel(name, model, model.embedding_model, g["offset"], g["n_fit"],
                                      {int(k): v for k, v in g["topic_map"].items()}, floor)
        table = pd.read_parquet(base / f"{TABLE}.parquet")
    links = [(a, b, float(c)) for a, b, c in manifest["links"]]
    return ReleaseTopics(release, params, None, table, groups, links, assignments_file=base / f"{ASSIGNMENTS}.parquet",
                         rows=stamp["rows"][f"{ASSIGNMENTS}.parquet"])


def processed_version(release: str, work_dir: str | Path = DATA_DIR) -> str | None:
    """SHA-256 of the processed tables' stamp (None when the clean stage has not run)."""
    stamp = processed_dir(release, work_dir) / stageio.STAMP
    return hashlib.sha256(stamp.read_bytes()).hexdigest() if stamp.exists() else None


def save_release(result: ReleaseTopics, work_dir: str | Path = DATA_DIR, fitted_on: str | None = None) -> Path:
    """Persist a release's topics (see the module docstring). ``fitted_on``: the ``processed_version`` the
    tweets were read at; if the processed tables were rebuilt since, nothing is saved (RuntimeError)."""
    from ..stages import code_version

    base = processed_dir(result.release, work_dir)
    tables = {f"{ASSIGNMENTS}.parquet": result.frame, f"{TABLE}.parquet": result.topics}
    with stageio.release_lock(work_dir, result.release):
        upstream = processed_version(result.release, work_dir)
        if fitted_on is not None and upstream != fitted_on:
            raise RuntimeError(f"the processed tables of {result.release} were rebuilt while its topics were "
                               "fitted; run the topics stage again")
        stageio.clean_debris(base, work_dir, [*tables, MODEL_DIR, "topics"])
        for dest in (base / n for n in (*tables, MODEL_DIR)):  # refuse before any work if one is not ours
            if dest.exists() or dest.is_symlink():
                stageio.check_owned(dest, work_dir)
        with stageio.building(base / "topics", work_dir) as tmp:
            for name, frame in tables.items():
                if frame is None:  # out-of-core assignments: already written, copied in
                    shutil.copyfile(result.assignments_file, tmp / name)
                else:
                    store.write_table(frame, tmp / name)
            folder = tmp / MODEL_DIR
            for name, gm in result.groups.items():
                save_model(gm, folder / name)
                write_distance_map(folder / name)
            folder.mkdir(exist_ok=True)
            manifest = {"release": result.release, "params": params_dict(result.params),
                        "groups": {n: {"offset": g.offset, "n_fit": g.n_fit,
                                       "topic_map": {str(k): v for k, v in g.topic_map.items()},
                                       "floor": [float(f) if np.isfinite(f) else None for f in g.floor]}
                                   for n, g in result.groups.items()},
                        "links": [list(x) for x in result.links]}
            (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
            _verify(tmp, tables, result)
            stageio.write_stamp(folder, {
                "stage": "topics", "code": code_version("topics"), "inputs": {"processed": upstream},
                "params": params_dict(result.params), "outputs": sorted(tables),
                "rows": {n: _rows(f, result) for n, f in tables.items()},
                "sha256": {n: sha256_file(tmp / n) for n in tables}})
            for name in (*tables, MODEL_DIR):  # the model folder last: its stamp marks the set complete
                _swap_in(tmp / name, base / name, work_dir)
            tmp.rmdir()
    return base


def _swap_in(path: Path, dest: Path, work_dir: str | Path) -> None:
    """Publish a finished output from the build folder: first moved to a temp name beside its destination
    (same folder, so the final rename is atomic), then swapped in."""
    moved = stageio.temp_path(dest)
    path.rename(moved)
    try:
        stageio.publish(moved, dest, work_dir)
    except BaseException:
        stageio.safe_rmtree(moved, work_dir)
        raise


def _rows(frame: pd.DataFrame | None, result: ReleaseTopics) -> int:
    return result.n_rows if frame is None else len(frame)


def _verify(tmp: Path, tables: dict[str, pd.DataFrame | None], result: ReleaseTopics) -> None:
    for name, frame in tables.items():
        if store.parquet_rows(tmp / name) != _rows(frame, result):
            raise RuntimeError(f"topics of {result.release}: {name} does not hold the {_rows(frame, result)} rows "
                               "fitted")
    missing = [n for n in result.groups if not (tmp / MODEL_DIR / n / "embedder").is_dir()]
    if missing:
        raise RuntimeError(f"topics of {result.release}: group model(s) {missing} were not written")


def save_model(gm: GroupModel, folder: Path) -> None:
    """BERTopic safetensors serialization (no pickles) + the embedder that reproduces its inputs."""
    cfg = gm.embedder.config()
    pointer = cfg["model"] if cfg["backend"] != "tfidf-svd" else "ioa_utils.topics:tfidf-svd (see embedder/)"
    gm.model.save(folder, serialization="safetensors", save_ctfidf=True, save_embedding_model=pointer)
    gm.embedder.save(folder / "embedder")


def write_distance_map(folder: Path) -> None:
    """``distance_map.parquet`` beside the saved group model in ``folder``: the layout of BERTopic's
    ``visualize_topics`` for the reloaded model (the model the interactive pages draw), when it has at least
    ``MAP_MIN_TOPICS`` topics. Costs well under a second once UMAP is compiled (the topics stage compiles it)."""
    model = load_model(folder)
    if len([t for t in model.get_topics() if t != -1]) < MAP_MIN_TOPICS:
        return
    scatter = model.visualize_topics().data[0]  # x, y as UMAP returned them; topics in ``visualize_topics``' order
    topics = sorted(t for t in model.get_topic_freq().Topic if t != -1)
    store.write_table(pa.table({"topic": pa.array(topics, pa.int64()), "x": np.asarray(scatter.x),
                                "y": np.asarray(scatter.y)}), folder / DISTANCE_MAP)


def read_distance_map(folder: Path) -> pd.DataFrame | None:
    """``write_distance_map``'s table (topic, x, y; x and y in UMAP's float32), None when it was not written."""
    path = folder / DISTANCE_MAP
    return pq.read_table(path).to_pandas() if path.is_file() else None


def load_model(folder: str | Path):
    """Reload a saved group model with its embedder (offline). Its ``transform`` assigns new texts by
    cosine similarity to the topic embeddings (UMAP/HDBSCAN are not serialized by design): the stage's rule
    for unfitted texts, without the floor (``nearest.py``; the floors are in ``manifest.json``)."""
    from bertopic import BERTopic

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    folder = Path(folder)
    embedder = load_embedder(folder / "embedder")
    model = BERTopic.load(str(folder), embedding_model=embedder)
    languages = getattr(embedder, "tokenizer", Tokenizer()).languages
    model.vectorizer_model.set_params(tokenizer=Tokenizer(languages), lowercase=False, token_pattern=None)
    return model


def load_assignments(release: str, work_dir: str | Path = DATA_DIR, columns: list[str] | None = None) -> pd.DataFrame:
    """Per-tweet topic assignments written by ``run`` (for the network and case-study notebooks)."""
    return pd.read_parquet(processed_dir(release, work_dir) / f"{ASSIGNMENTS}.parquet", columns=columns)


def iter_assignments(release: str, work_dir: str | Path = DATA_DIR,
                     columns: list[str] | None = None) -> Iterator[pd.DataFrame]:
    """The assignments row group by row group (at most ``scale.ROW_GROUP`` rows each: bounded memory)."""
    f = pq.ParquetFile(processed_dir(release, work_dir) / f"{ASSIGNMENTS}.parquet")
    for i in range(f.num_row_groups):
        yield f.read_row_group(i, columns=columns).to_pandas()


def load_table(release: str, work_dir: str | Path = DATA_DIR) -> pd.DataFrame:
    return pd.read_parquet(processed_dir(release, work_dir) / f"{TABLE}.parquet")
