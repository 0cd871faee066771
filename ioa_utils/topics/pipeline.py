"""Run topic modelling on processed releases and persist the results.

Outputs per release (under ``data/processed/<release>/``):

- ``topics.parquet``: one row per tweet — tweetid, userid, tweet_time, tweet_kind, tweet_language,
  client, group (script), week, topic, topic_label, probability (null when not modelled), fitted_on.
- ``topic_table.parquet``: one row per topic (see ``report.topic_table``).
- ``topic_model/<group>/``: the BERTopic model (safetensors + JSON, with c-TF-IDF) and its embedder
  (``embedder/``); ``topic_model/manifest.json`` lists groups, their ``topic_map`` (local topic id of the
  group model -> topic id in ``topics.parquet``, after cross-script linking), the links and parameters.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd

from .. import store
from ..paths import DATA_DIR, processed_dir
from .embed import cache_dir, load_embedder
from .model import TWEET_COLUMNS, GroupModel, ReleaseTopics, TopicParams, fit_release, params_dict, warmup
from .tokenize import Tokenizer

ASSIGNMENTS = "topics"
TABLE = "topic_table"
MODEL_DIR = "topic_model"


def read_tweets(release: str, work_dir: str | Path = DATA_DIR, evidence: tuple[str, ...] = ()) -> pd.DataFrame:
    """The processed-tweets columns topic modelling needs (plus the ``evidence`` list columns)."""
    return store.read(release, "tweets", columns=list(dict.fromkeys((*TWEET_COLUMNS, *evidence))), work_dir=work_dir)


def run(releases: list[str], work_dir: str | Path = DATA_DIR, params: TopicParams | None = None,
        save: bool = True) -> dict[str, ReleaseTopics]:
    """Fit every release (UMAP/numba compiled once, before the loop) and persist the results."""
    params = params or TopicParams()
    warmup(params.seed, params.sample_size)
    out = {}
    for release in releases:
        tweets = read_tweets(release, work_dir, params.link_evidence)
        result = fit_release(tweets, release, params, cache=cache_dir(work_dir))
        if save:
            save_release(result, work_dir)
        out[release] = result
    return out


def save_release(result: ReleaseTopics, work_dir: str | Path = DATA_DIR) -> Path:
    base = processed_dir(result.release, work_dir)
    store.write_table(result.assignments, base / f"{ASSIGNMENTS}.parquet")
    store.write_table(result.topics, base / f"{TABLE}.parquet")
    folder = base / MODEL_DIR
    if folder.exists():
        shutil.rmtree(folder)
    for name, gm in result.groups.items():
        save_model(gm, folder / name)
    manifest = {"release": result.release, "params": params_dict(result.params),
                "groups": {n: {"offset": g.offset, "n_fit": g.n_fit,
                               "topic_map": {str(k): v for k, v in g.topic_map.items()}}
                           for n, g in result.groups.items()},
                "links": [list(x) for x in result.links]}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    return base


def save_model(gm: GroupModel, folder: Path) -> None:
    """BERTopic safetensors serialization (no pickles) + the embedder that reproduces its inputs."""
    cfg = gm.embedder.config()
    pointer = cfg["model"] if cfg["backend"] != "tfidf-svd" else "ioa_utils.topics:tfidf-svd (see embedder/)"
    gm.model.save(folder, serialization="safetensors", save_ctfidf=True, save_embedding_model=pointer)
    gm.embedder.save(folder / "embedder")


def load_model(folder: str | Path):
    """Reload a saved group model with its embedder (offline). Its ``transform`` assigns new texts by
    cosine similarity to the topic embeddings (UMAP/HDBSCAN are not serialized by design)."""
    from bertopic import BERTopic

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    folder = Path(folder)
    embedder = load_embedder(folder / "embedder")
    model = BERTopic.load(str(folder), embedding_model=embedder)
    languages = getattr(embedder, "tokenizer", Tokenizer()).languages
    model.vectorizer_model.set_params(tokenizer=Tokenizer(languages), lowercase=False, token_pattern=None)
    return model


def load_assignments(release: str, work_dir: str | Path = DATA_DIR) -> pd.DataFrame:
    """Per-tweet topic assignments written by ``run`` (for the network and case-study notebooks)."""
    return pd.read_parquet(processed_dir(release, work_dir) / f"{ASSIGNMENTS}.parquet")


def load_table(release: str, work_dir: str | Path = DATA_DIR) -> pd.DataFrame:
    return pd.read_parquet(processed_dir(release, work_dir) / f"{TABLE}.parquet")
