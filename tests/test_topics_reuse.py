"""The topics stage's saved outputs read back: ``run(..., reuse=True)`` returns what the fit returned without
fitting again while the stamp is fresh, and the distance map saved with each group model draws BERTopic's own
figure (the interactive pages do not recompile UMAP)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from interactive_report import RELEASE, built

from ioa_utils import stages
from ioa_utils.interactive.topics import distance_map
from ioa_utils.paths import processed_dir
from ioa_utils.topics import pipeline
from ioa_utils.topics.model import TopicParams


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    return built(tmp_path_factory).parent / "work"


def test_fresh_topics_are_read_back_instead_of_refitted(work, monkeypatch):
    base = processed_dir(RELEASE, work)
    manifest = json.loads((base / "topic_model" / "manifest.json").read_text())

    def refuse(*args, **kwargs):
        raise AssertionError("refitted fresh topics")

    monkeypatch.setattr(pipeline, "fit_partitions", refuse)
    monkeypatch.setattr(pipeline, "warmup", refuse)
    res = pipeline.run([RELEASE], work, reuse=True)[RELEASE]
    pd.testing.assert_frame_equal(res.topics, pipeline.load_table(RELEASE, work))
    pd.testing.assert_frame_equal(res.assignments, pipeline.load_assignments(RELEASE, work))
    assert res.n_rows == len(res.assignments) and res.links == [tuple(x) for x in manifest["links"]]
    assert list(res.groups) == sorted(manifest["groups"], key=lambda g: manifest["groups"][g]["offset"])
    for name, gm in res.groups.items():
        saved = manifest["groups"][name]
        assert gm.topic_map == {int(k): v for k, v in saved["topic_map"].items()} and gm.n_fit == saved["n_fit"]
        assert np.array_equal(gm.floor, [-np.inf if f is None else f for f in saved["floor"]])
        assert gm.model.embedding_model is gm.embedder and gm.model.get_topics()


def test_stale_topics_are_not_read_back(work, monkeypatch):
    assert pipeline.load_release(RELEASE, work, TopicParams(link_threshold=None)) is None  # other parameters
    monkeypatch.setattr(stages, "code_version", lambda s: "changed-code")
    assert pipeline.load_release(RELEASE, work) is None
    assert pipeline.load_release("no_such_release", work) is None


def test_saved_distance_map_draws_bertopics_own_figure(work):
    folder = processed_dir(RELEASE, work) / "topic_model"
    drawn = 0
    for group in json.loads((folder / "manifest.json").read_text())["groups"]:
        model = pipeline.load_model(folder / group)
        if pipeline.read_distance_map(folder / group) is None:
            assert len([t for t in model.get_topics() if t != -1]) < pipeline.MAP_MIN_TOPICS
            continue
        assert distance_map(model, folder / group, "t").to_json() == model.visualize_topics(title="t").to_json()
        drawn += 1
    assert drawn

