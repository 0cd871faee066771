"""The topics notebook's tables as DuckDB counts (topics.tables): equal to the per-tweet pandas computations they
replace, read from a saved Parquet file as from a frame in memory."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from ioa_utils import stages, topics
from ioa_utils.ground_truth import GroundTruth
from ioa_utils.topics import evaluate, tables
from ioa_utils.topics.model import ReleaseTopics, TopicParams


def _assignments(n: int = 3_000, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    topic = rng.integers(-1, 6, n)
    a = pd.DataFrame({"tweetid": [f"{i:06d}" for i in rng.permutation(n)], "userid": [f"u{k}" for k in
                                                                                       rng.integers(0, 40, n)],
                      "tweet_kind": rng.choice(["original", "retweet", "reply"], n),
                      "tweet_language": rng.choice(["en", "zh", None], n, p=[0.5, 0.4, 0.1]),
                      "client": rng.choice([f"c{k}" for k in range(9)] + [None], n),
                      "group": rng.choice(["cjk", "latin"], n),
                      "week": rng.choice(["2020-01-06", "2020-01-13", "2020-01-20"], n), "topic": topic,
                      "topic_label": [f"{t}_words" if t >= 0 else "-1_outliers" for t in topic],
                      "fitted_on": rng.choice(["fit", "transform", "retweet"], n)})
    narrative = (topic % 3).astype(str)
    flip = rng.random(n) < 0.3
    narrative[flip] = rng.choice(["x", "y", "z", ""], flip.sum())
    truth = pd.DataFrame({"tweetid": a["tweetid"], "narrative": narrative}).sample(frac=1.0, random_state=1)
    return a, truth


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> tuple[pd.DataFrame, pd.DataFrame, ReleaseTopics, GroundTruth]:
    a, truth = _assignments()
    folder = tmp_path_factory.mktemp("topics")
    pq.write_table(pa.Table.from_pandas(a, preserve_index=False), folder / "topics.parquet", row_group_size=500)
    truth.to_parquet(folder / "truth.parquet", index=False)
    res = ReleaseTopics("r", TopicParams(), None, pd.DataFrame(), assignments_file=folder / "topics.parquet",
                        rows=len(a))
    return a, truth, res, GroundTruth("r", pd.DataFrame(), folder / "truth.parquet")


def _labels_scores(a: pd.DataFrame, truth: pd.DataFrame) -> tuple[float, float]:
    both = a[["tweetid", "topic"]].merge(truth, on="tweetid")
    both = both[both["narrative"].notna() & (both["narrative"] != "")]
    return (normalized_mutual_info_score(both["narrative"], both["topic"]),
            adjusted_rand_score(both["narrative"], both["topic"]))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_scores_from_counts_equal_scikit_learn_to_the_bit(seed):
    a, truth = _assignments(seed=seed)
    p = evaluate.with_narratives(topics.planted(a, truth))
    got = evaluate.scores(p["narrative"].to_numpy(), p["topic"].to_numpy(), p["n"].to_numpy())
    assert got == _labels_scores(a, truth)  # exact, not approximate
    score = topics.agreement(topics.planted(a, truth))
    assert (score["nmi"], score["ari"]) == (round(got[0], 4), round(got[1], 4))
    assert score["n_tweets"] == int((truth["narrative"] != "").sum())
    # degenerate clusterings follow scikit-learn's special cases
    one = pd.DataFrame({"narrative": ["a", "a"], "topic": [0, 0], "n": [2, 3]})
    assert evaluate.scores(one["narrative"], one["topic"], one["n"]) == (1.0, 1.0)


def test_planted_counts_from_the_file_equal_the_frame(saved):
    a, truth, res, gt = saved
    from_file = topics.planted(res, gt)
    pd.testing.assert_frame_equal(from_file, topics.planted(a, truth))
    assert from_file["n"].sum() == len(a)
    tab = evaluate.narrative_crosstab(from_file)
    both = a.merge(truth, on="tweetid")
    expected = pd.crosstab(both["narrative"], both["topic"])
    assert (tab.to_numpy() == expected.to_numpy()).all() and list(tab.index) == list(expected.index)


@pytest.mark.parametrize("size", [100, 2_000, 10_000])
def test_planted_sample_draws_what_pandas_sample_draws(saved, size):
    a, truth, res, gt = saved
    both = a[["tweetid", "topic"]].merge(truth, on="tweetid")
    both = both[both["narrative"].notna() & (both["narrative"] != "")]
    expected = both.sample(size, random_state=5) if len(both) > size else both
    got = tables.planted_sample(res, gt, size, 5)
    assert sorted(got["tweetid"]) == sorted(expected["tweetid"]) and len(got) == min(size, len(both))
    assert list(got["tweetid"]) == [t for t in both["tweetid"] if t in set(got["tweetid"])]  # assignments' order


def test_over_time_shares_and_roles_equal_the_pandas_tables(saved):
    a, _, res, _ = saved
    weekly = topics.topics_over_time(res)
    inl = a[a["topic"] >= 0]
    expected = inl.groupby(["week", "topic", "topic_label"]).size().rename("n_tweets").reset_index()
    pd.testing.assert_frame_equal(weekly, expected)
    for by in ("tweet_language", "tweet_kind"):
        tab = pd.crosstab(a[by], a["topic"], normalize="index")
        share = topics.share_by(res, by)
        assert np.array_equal(share.to_numpy(), tab.to_numpy()) and list(share.index) == list(tab.index)
    # clients: the 4 most frequent (nulls as "unknown"), the rest as "other"
    client = a["client"].fillna("unknown")
    keep = client.value_counts().sort_index().sort_values(ascending=False, kind="stable").index[:4]
    tab = pd.crosstab(client.where(client.isin(keep), "other"), a["topic"], normalize="index")
    share = topics.share_by(res, "client", top=4)
    assert np.array_equal(share.to_numpy(), tab.to_numpy()) and list(share.index) == list(tab.index)
    # roles through a userid mapping; accounts without one are "unknown"
    mapping = pd.Series({f"u{k}": "core" if k % 2 else "amplifier" for k in range(30)})
    role = a["userid"].map(mapping).fillna("unknown")
    tab = pd.crosstab(role, a["topic"], normalize="index")
    assert np.array_equal(topics.share_by(res, "role", mapping=mapping).to_numpy(), tab.to_numpy())
    roles = topics.account_roles(None, res)
    top = a.groupby(["userid", "tweet_kind"]).size().rename("n").reset_index().sort_values(
        ["userid", "n", "tweet_kind"], ascending=[True, False, True]).drop_duplicates("userid")
    assert dict(roles) == {u: f"mostly_{k}" for u, k in zip(top["userid"], top["tweet_kind"], strict=True)}


def test_evidence_counts_unnest_lists_like_explode(saved):
    a, _, res, _ = saved
    rng = np.random.default_rng(3)
    tags = [list(rng.choice(["hk", "covid", "tw"], int(k))) for k in rng.integers(0, 3, len(a))]
    tw = pd.DataFrame({"tweetid": a["tweetid"], "hashtags": tags})
    got = tables.evidence_counts(res, "hashtags", "r", tweets=tw)
    long = a[["tweetid", "group", "topic"]].merge(tw, on="tweetid").explode("hashtags").dropna(subset="hashtags")
    expected = long.groupby(["group", "topic", "hashtags"]).size()
    keys = zip(got["group"], got["topic"], got["value"], strict=True)
    assert dict(zip(keys, got["n"], strict=True)) == dict(expected)
    assert tables.evidence_counts(res, "domains", "r", tweets=tw) is None
    posters = tables.evidence_counts(res, "userid", "r", tweets=tw)  # a column of the assignments themselves
    assert posters["n"].sum() == len(a)


def _imports(module: Path) -> set[str]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    return {n.module.split(".")[0] for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom) and n.level == 1 and n.module}


def test_topics_stage_stamp_covers_every_module_the_stage_imports():
    folder = Path(topics.__file__).parent
    stage = set(stages.TOPICS_STAGE)
    for name in stage:
        assert _imports(folder / f"{name}.py") <= stage, name
    # the reading side (tables, figures, scores) is outside the stamp: editing it refits nothing
    assert not {"tables", "figures", "evaluate", "baseline"} & stage
