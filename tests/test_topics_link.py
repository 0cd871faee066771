"""Cross-script topic linking through hashtag (evidence) profiles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import topics_toy as toy

from ioa_utils import topics
from ioa_utils.topics import link


def frame(rows: list[tuple[int, list[str]]]) -> tuple[pd.DataFrame, np.ndarray]:
    return pd.DataFrame({"hashtags": [h for _, h in rows]}), np.array([t for t, _ in rows])


# topics 0, 1 (cjk) and 2, 3, 4 (latin): 0 ~ 2 share #hongkong, 1 ~ 3 share #covid19 only weakly,
# 4 is an organic control with its own hashtags; #china is on every campaign topic
ROWS = ([(0, ["hongkong", "china"])] * 20 + [(0, ["香港"])] * 20 + [(1, ["抗疫", "china"])] * 30
        + [(1, ["covid19"])] * 2 + [(2, ["hongkong", "china"])] * 15 + [(2, ["hkpolice"])] * 10
        + [(3, ["covid19", "china"])] * 20 + [(4, ["football"])] * 10 + [(-1, ["hongkong"])] * 50)
GROUPS = {0: "cjk", 1: "cjk", 2: "latin", 3: "latin", 4: "latin"}


def test_profiles_are_unit_tfidf_rows_of_topics_and_ignore_outliers():
    df, topic = frame(ROWS)
    ids, prof = link.evidence_profiles(df, topic)
    assert list(ids) == [0, 1, 2, 3, 4]
    assert np.allclose(np.linalg.norm(prof.toarray(), axis=1), 1.0)
    sim = (prof @ prof.T).toarray()
    assert sim[0, 2] > sim[0, 3] and sim[1, 3] > sim[1, 2]
    assert sim[4, :4].max() == 0  # the control shares nothing
    ids, prof = link.evidence_profiles(df.drop(columns="hashtags"), topic)
    assert prof.shape == (5, 0)


def test_mutual_nearest_cross_group_topics_above_threshold_are_merged():
    df, topic = frame(ROWS)
    mapping, links = link.link_topics(df, topic, GROUPS, threshold=0.15)
    assert [(a, b) for a, b, _ in links] == [(0, 2), (1, 3)]
    assert mapping == {0: 0, 1: 1, 2: 0, 3: 1, 4: 2}
    # a high threshold keeps only the strong link; None disables linking
    strong = min(s for _, _, s in links) + 1e-6
    mapping, links = link.link_topics(df, topic, GROUPS, threshold=strong)
    assert len(links) == 1 and mapping[4] == 3
    mapping, links = link.link_topics(df, topic, GROUPS, threshold=None)
    assert links == [] and mapping == {k: k for k in range(5)}


def test_topics_of_one_group_are_never_linked_and_links_are_one_to_one():
    df, topic = frame(ROWS)
    same = {k: "latin" for k in GROUPS}
    assert link.link_topics(df, topic, same, threshold=0.0)[1] == []
    # two latin topics both resemble cjk topic 0: only the more similar one is linked
    more = ROWS + [(5, ["hongkong", "china"])] * 3
    df, topic = frame(more)
    _, links = link.link_topics(df, topic, {**GROUPS, 5: "latin"}, threshold=0.0)
    partners = [b for a, b, _ in links if a == 0]
    assert len(partners) == 1


def test_bilingual_toy_narrative_becomes_one_topic_and_control_stays_apart():
    tweets, truth = toy.toy_tweets(bilingual=True)
    params = topics.TopicParams(seed=7)
    r = topics.fit_release(tweets, "toy", params)
    both = r.assignments.merge(truth, on="tweetid")
    hk = both.loc[both["narrative"] == "hong_kong", "topic"].value_counts(normalize=True)
    assert hk.iloc[0] > 0.9, hk  # Chinese and English Hong Kong tweets share one topic
    merged = r.topics[r.topics["group"].str.contains(r"\+")]
    assert list(merged["group"]) == ["cjk+latin"] and merged["members"].str.split().str.len().eq(2).all()
    assert merged["label"].iloc[0].startswith(f"{merged['topic'].iloc[0]}_")
    football = both.loc[both["narrative"] == "football", "topic"].mode()[0]
    assert football != hk.index[0]
    unlinked = topics.fit_release(tweets, "toy", topics.TopicParams(seed=7, link_threshold=None))
    score, before = topics.agreement(topics.planted(r, truth)), topics.agreement(topics.planted(unlinked, truth))
    assert score["nmi"] > before["nmi"] + 0.03, (score, before)
    assert len(r.links) == 1 and unlinked.links == []
    assert r.links[0][0].startswith("cjk:") and r.links[0][1].startswith("latin:") and r.links[0][2] >= 0.15
    # topic ids stay dense and the per-group topic maps point into them
    assert sorted(r.topics.loc[r.topics["topic"] >= 0, "topic"]) == list(range(len(r.topics) - 1))
    assert {v for g in r.groups.values() for v in g.topic_map.values()} == set(range(len(r.topics) - 1))
    again = topics.fit_release(tweets, "toy", params)
    pd.testing.assert_frame_equal(again.assignments, r.assignments)
    pd.testing.assert_frame_equal(again.topics, r.topics)


@pytest.mark.parametrize("threshold", [0.0, 0.15])
def test_toy_without_hashtags_is_unchanged_by_linking(threshold):
    tweets, _ = toy.toy_tweets(n_per_narrative=40)
    a = topics.fit_release(tweets, "toy", topics.TopicParams(seed=7, link_threshold=threshold))
    b = topics.fit_release(tweets, "toy", topics.TopicParams(seed=7, link_threshold=None))
    pd.testing.assert_frame_equal(a.assignments, b.assignments)
