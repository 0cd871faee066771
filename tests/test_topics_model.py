"""Topic models on a small hand-built mixed-script release with planted narratives (fast)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import topics_toy as toy

from ioa_utils import topics
from ioa_utils.paths import PROJECT_ROOT
from ioa_utils.topics import embed, nearest
from ioa_utils.topics.tokenize import token_key

PARAMS = topics.TopicParams(seed=7)


@pytest.fixture(scope="module")
def data() -> tuple[pd.DataFrame, pd.DataFrame]:
    return toy.toy_tweets()


@pytest.fixture(scope="module")
def fitted(data) -> topics.ReleaseTopics:
    topics.warmup()
    return topics.fit_release(data[0], "toy", PARAMS)


def test_every_tweet_gets_exactly_one_assignment(data, fitted):
    a = fitted.assignments
    assert sorted(a["tweetid"]) == sorted(data[0]["tweetid"])
    assert set(a["fitted_on"]) <= set(topics.model.FITTED_ON)
    assert a.loc[a["topic"] >= 0, "probability"].notna().all()
    assert set(a["topic"]) == set(fitted.topics["topic"]) - {t for t in fitted.topics["topic"] if
                                                             not (a["topic"] == t).any()}


def test_topics_recover_the_planted_narratives(data, fitted):
    score = topics.agreement(topics.planted(fitted.assignments, data[1]))
    assert score["nmi"] >= 0.85 and score["ari"] >= 0.8, score
    # the motivating bug: without word segmentation nearly every Chinese tweet was an outlier
    zh = fitted.assignments[fitted.assignments["group"] == "cjk"]
    assert (zh["topic"] < 0).mean() < 0.2


def test_one_model_per_script_group_and_unique_topic_ids(fitted):
    assert set(fitted.groups) == {"cjk", "cyrillic", "latin"}
    table = fitted.topics[fitted.topics["topic"] >= 0]
    assert table["topic"].is_unique and (table["group"] != "").all()
    assert table["label"].str.match(r"^\d+_\S+").all()
    assert (table["rep_1"] != "").all() and (table["top_words"].str.split().str.len() >= 3).all()


def test_retweets_take_the_topic_of_the_tweet_they_copy(data, fitted):
    a = fitted.assignments.set_index("tweetid")
    rts = data[0][data[0]["tweet_kind"] == "retweet"]
    assert len(rts) > 50
    assert (a.loc[rts["tweetid"], "topic"].to_numpy() == a.loc[rts["retweet_tweetid"], "topic"].to_numpy()).all()
    assert (a.loc[rts["tweetid"], "fitted_on"] == "retweet").all()


def test_originals_are_fitted_and_replies_transformed(fitted):
    a = fitted.assignments
    assert set(a.loc[a["tweet_kind"] == "original", "fitted_on"]) == {"fit"}
    assert set(a.loc[a["tweet_kind"] == "reply", "fitted_on"]) <= {"transform", "fit"}
    assert (a.loc[a["tweet_kind"] == "reply", "fitted_on"] == "transform").mean() > 0.9


def test_fitting_twice_gives_identical_assignments_and_topic_tables(data, fitted):
    again = topics.fit_release(data[0], "toy", PARAMS)
    pd.testing.assert_frame_equal(again.assignments, fitted.assignments)
    pd.testing.assert_frame_equal(again.topics, fitted.topics)


def test_a_fresh_process_gives_identical_results(data, fitted, tmp_path):
    code = (
        "import sys; sys.path.insert(0, sys.argv[3])\n"
        "from ioa_utils import topics; import topics_toy as toy\n"
        "r = topics.fit_release(toy.toy_tweets()[0], 'toy', topics.TopicParams(seed=7))\n"
        "r.assignments.to_parquet(sys.argv[1]); r.topics.to_parquet(sys.argv[2])\n"
    )
    subprocess.run([sys.executable, "-c", code, tmp_path / "a.parquet", tmp_path / "t.parquet",
                    Path(__file__).resolve().parent], cwd=PROJECT_ROOT, check=True, capture_output=True)
    fitted.assignments.to_parquet(tmp_path / "a0.parquet")
    fitted.topics.to_parquet(tmp_path / "t0.parquet")
    for name in ("a", "t"):
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / f"{name}.parquet"),
                                      pd.read_parquet(tmp_path / f"{name}0.parquet"))


def test_fitting_on_a_stratified_sample_assigns_the_rest_by_transform(data):
    params = topics.TopicParams(seed=7, sample_size=60, batch_size=25, min_cluster_size=8)
    r = topics.fit_release(data[0], "toy", params)
    assert all(g.n_fit <= 70 for g in r.groups.values())
    orig = r.assignments[r.assignments["tweet_kind"] == "original"]
    assert {"fit", "transform"} <= set(orig["fitted_on"])
    assert topics.agreement(topics.planted(r.assignments, data[1]))["nmi"] >= 0.75


def test_stratified_sample_keeps_every_stratum_in_proportion():
    frame = pd.DataFrame({"lang": ["zh"] * 800 + ["en"] * 200, "week": ["w1", "w2"] * 500, "x": range(1000)})
    s = topics.stratified_sample(frame, 100, seed=1, by=["lang", "week"])
    assert len(s) == 100
    assert s.groupby(["lang", "week"]).size().to_dict() == {("en", "w1"): 10, ("en", "w2"): 10,
                                                            ("zh", "w1"): 40, ("zh", "w2"): 40}
    assert topics.stratified_sample(frame, None, seed=1, by=["lang"]) is frame


def test_embeddings_are_cached_on_disk_and_reused(data, fitted, tmp_path, monkeypatch):
    first = topics.fit_release(data[0], "toy", PARAMS, cache=tmp_path)
    assert list(tmp_path.rglob("fit.npy")) and list(tmp_path.rglob("embedder.safetensors"))

    def boom(*args, **kwargs):
        raise AssertionError("embeddings recomputed")

    monkeypatch.setattr(embed.SvdEmbedder, "fit", boom)
    monkeypatch.setattr(embed.SvdEmbedder, "embed", boom)
    second = topics.fit_release(data[0], "toy", PARAMS, cache=tmp_path)
    pd.testing.assert_frame_equal(second.assignments, first.assignments)
    pd.testing.assert_frame_equal(first.assignments, fitted.assignments)


def test_saved_model_is_safetensors_and_reloads_offline(fitted, tmp_path):
    base = topics.save_release(fitted, tmp_path)
    files = {p.relative_to(base).as_posix() for p in base.rglob("*") if p.is_file()}
    assert {"topics.parquet", "topic_table.parquet", "topic_model/manifest.json",
            "topic_model/cjk/topic_embeddings.safetensors", "topic_model/cjk/ctfidf.safetensors",
            "topic_model/cjk/embedder/embedder.safetensors"} <= files
    assert not any(f.endswith((".pkl", ".pickle", ".bin", ".joblib")) for f in files)
    assert json.loads((base / "topic_model/manifest.json").read_text())["params"]["seed"] == 7
    pd.testing.assert_frame_equal(topics.load_assignments("toy", tmp_path), fitted.assignments, check_dtype=False)

    model = topics.load_model(base / "topic_model" / "cjk")
    original = fitted.groups["cjk"].model
    assert [tuple(w) for w in model.get_topic(0)] == [tuple(w) for w in original.get_topic(0)]
    docs = [d for d in fitted.topics.query("group == 'cjk'")["rep_1"]]
    pred, _ = model.transform(docs)
    assert list(pred) == list(fitted.topics.query("group == 'cjk'")["local_topic"])


def test_real_releases_have_no_agreement_and_roles_fall_back_to_tweet_kind(data, fitted):
    assert topics.planted(fitted, None) is None and topics.agreement(None) is None
    roles = topics.account_roles(None, data[0])
    assert set(roles) == {"mostly_original", "mostly_retweet"}
    assert roles.index.is_unique and len(roles) == data[0]["userid"].nunique()


def test_over_time_and_shares(fitted):
    weekly = topics.topics_over_time(fitted.assignments)
    assert weekly["n_tweets"].sum() == (fitted.assignments["topic"] >= 0).sum()
    share = topics.share_by(fitted.assignments, "tweet_language")
    assert np.allclose(share.sum(axis=1), 1.0)
    assert share.loc["zh"].idxmax() in set(fitted.topics.query("group == 'cjk'")["label"])


def test_backends_are_chosen_by_name_and_torch_is_not_imported():
    assert isinstance(topics.make_embedder("tfidf-svd"), topics.SvdEmbedder)
    st = topics.make_embedder("st:/nonexistent/model")
    assert isinstance(st, topics.SentenceEmbedder) and st.fit(["x"]) is st
    assert "torch" not in sys.modules and "sentence_transformers" not in sys.modules
    with pytest.raises(ValueError, match="unknown embedding backend"):
        topics.make_embedder("bert-base")


def test_svd_embedder_round_trips_through_safetensors(tmp_path):
    docs = ["香港 警察 秩序", "путин кремль указ", "football match goal", "香港 暴徒 破坏"] * 5
    emb = topics.SvdEmbedder(n_components=3, seed=1).fit(docs)
    emb.save(tmp_path / "e")
    again = embed.load_embedder(tmp_path / "e")
    assert np.array_equal(again.embed(docs), emb.embed(docs))
    assert Path(tmp_path / "e" / "embedder.json").exists()


def test_unfitted_texts_follow_bertopics_rule_for_a_loaded_model_with_the_fitted_floor(data, fitted, tmp_path):
    base = topics.save_release(fitted, tmp_path)
    gm = fitted.groups["latin"]
    a = fitted.assignments.merge(data[0][["tweetid", "text_norm"]], on="tweetid")
    a = a[(a["fitted_on"] == "transform") & (a["group"] == "latin")]
    assert len(a) > 20
    texts = a["text_norm"].tolist()
    emb = gm.embedder.embed([token_key(t) for t in texts])
    ours, sims = nearest.nearest(gm.model, emb, np.full(len(gm.floor), -np.inf))
    theirs, probs = topics.load_model(base / "topic_model" / "latin").transform(texts)
    assert ours.tolist() == list(theirs) and np.allclose(sims, probs)
    # the floor: the lowest similarity of a fitted member, per topic; below it a text is an outlier
    row = ours + gm.model._outliers
    local = np.where(sims < gm.floor[row], -1, ours)
    assert a["topic"].tolist() == [gm.topic_map.get(int(k), -1) for k in local]
    assert np.allclose(a["probability"], sims)


def test_floors_are_the_lowest_member_similarity_and_make_outliers():
    class Fitted:  # the two attributes of a fitted BERTopic the rule reads
        topic_embeddings_ = np.array([[1.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])  # -1, 0, 1
        _outliers = 1

    emb = np.array([[1.0, 0.1, 0.0], [1.0, 0.3, 0.0], [0.0, 1.0, 0.1], [0.3, 0.3, 1.0]])
    floor = nearest.floors(Fitted, emb, np.array([0, 0, 1, -1]))
    assert floor[0] == -np.inf
    assert np.isclose(floor[1], 1 / np.hypot(1, 0.3)) and np.isclose(floor[2], 1 / np.hypot(1, 0.1))
    new = np.array([[1.0, 0.0, 0.0], [1.0, 0.4, 0.0], [0.1, 1.0, 0.5], [1.0, 1.0, 0.1]])
    topic, sim = nearest.nearest(Fitted, new, floor)
    # 1st: topic 0; 2nd and 3rd: nearest to topics 0 and 1 but below their floors; 4th: nearest the outliers' mean
    assert topic.tolist() == [0, -1, -1, -1]
    assert np.isclose(sim[0], 1.0) and np.isclose(sim[1], 1 / np.hypot(1, 0.4))
