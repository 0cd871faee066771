"""Topics form on Thai and Japanese text once words are segmented, and the stage reports the outlier share per
script group (issue 12: a real Thai release was 99.4% outliers without segmentation)."""

from __future__ import annotations

import pytest
import topics_toy as toy

from ioa_utils import topics
from ioa_utils.topics import tokenize

PARAMS = topics.TopicParams(seed=7)


@pytest.fixture(scope="module")
def data():
    return toy.toy_tweets(n_per_narrative=80, narratives=toy.NARRATIVES_UNSPACED)


@pytest.fixture(scope="module")
def segmented(data) -> topics.ReleaseTopics:
    topics.warmup()
    return topics.fit_release(data[0], "toy_th_ja", PARAMS)


@pytest.fixture(scope="module")
def unsegmented(data) -> topics.ReleaseTopics:
    """The same release with each run of Thai characters kept as one token (no segmentation)."""
    segment = tokenize.segment
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tokenize, "segment", lambda run, script: [run] if script == "thai" else segment(run, script))
        return topics.fit_release(data[0], "toy_th_ja", PARAMS)


def test_thai_and_japanese_topics_recover_the_planted_narratives(data, segmented):
    score = topics.agreement(topics.planted(segmented.assignments, data[1]))
    assert score["nmi"] >= 0.9 and score["n_topics"] >= 5, score
    groups = segmented.topics.set_index("topic")["group"]
    assert (groups == "thai").sum() >= 3 and (groups == "japanese").sum() >= 2
    # topic words are words: ทหาร ("soldiers") is a top word of a Thai topic, オリンピック of a Japanese one
    words = " ".join(segmented.topics["label"])
    assert "オリンピック" in words and ("ทหาร" in words or "กองทัพ" in words)


def test_outlier_share_is_reported_per_script_group(segmented):
    shares = segmented.stats["outliers"]
    assert set(shares) == {"thai", "japanese"}
    assert shares == topics.outlier_shares(segmented.assignments)
    a = segmented.assignments
    assert shares["thai"]["tweets"] == int((a["group"] == "thai").sum())
    assert shares["thai"]["outlier_share"] < 0.1 and shares["japanese"]["outlier_share"] < 0.1


def test_segmentation_lowers_the_thai_outlier_share(segmented, unsegmented):
    before = unsegmented.stats["outliers"]["thai"]["outlier_share"]
    after = segmented.stats["outliers"]["thai"]["outlier_share"]
    assert before > 0.5 and after < before - 0.4, (before, after)
    # here HDBSCAN finds no Thai cluster at all: the group is not modelled, every Thai tweet an outlier
    assert "thai" not in unsegmented.groups and before == 1.0
    # Japanese was segmented in both runs: its topics do not depend on Thai
    assert unsegmented.stats["outliers"]["japanese"] == segmented.stats["outliers"]["japanese"]
