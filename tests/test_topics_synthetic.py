"""Topics on the default synthetic archive recover the planted narratives (slow: ~1 min)."""

from __future__ import annotations

import pytest

from ioa_utils import ground_truth, stages, topics

# Measured with the default TopicParams (tfidf-svd, seed 2020, hashtag linking at 0.15):
# China 0.8013 (0.727 without cross-script linking), Russia 0.9097, Turkey 0.9266.
# China posts each narrative in Chinese and English; one model per script splits it, and the hashtag
# linking (topics/link.py) merges the halves back. What remains below 0.8x is Taiwan, which the Chinese
# model folds into Hong Kong and the English one into Covid (see notebooks/03_topics.ipynb).
NMI_FLOOR = {"synth_china_052020": 0.79, "synth_russia_052020": 0.9, "synth_turkey_052020": 0.92}


@pytest.mark.slow
def test_default_topics_match_planted_narratives(tmp_path):
    releases = stages.prepare()
    results = topics.run(releases, params=topics.TopicParams(), save=False)
    for r in releases:
        truth = ground_truth.load("data/raw/synthetic", r).tweets
        score = topics.agreement(results[r].assignments, truth)
        assert score["nmi"] >= NMI_FLOOR[r], (r, score)
        assert score["outlier_share"] < 0.1, (r, score)
        # linking never merges organic control tweets into a campaign topic (or the reverse)
        both = results[r].assignments.merge(truth[["tweetid", "narrative"]], on="tweetid")
        both = both[both["topic"] >= 0]
        organic = both["narrative"].astype(str).str.startswith("organic_").groupby(both["topic"]).mean()
        assert ((organic < 0.05) | (organic > 0.95)).all(), (r, organic.to_dict())
    china = results["synth_china_052020"]
    assert len(china.links) >= 3 and china.topics["group"].eq("cjk+latin").sum() >= 3
