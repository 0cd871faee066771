"""Topics on the default synthetic archive recover the planted narratives (slow: ~1 min)."""

from __future__ import annotations

import pytest

from ioa_utils import ground_truth, stages, topics
from ioa_utils.casestudy.stance import OPPOSITION

# Measured with the default TopicParams (tfidf-svd, seed 2020, hashtag linking at 0.15) under the CPU pin
# (ioa_utils/cpu.py), unfitted texts given their nearest topic embedding (topics/nearest.py): China 0.823,
# Russia 0.982, Turkey 0.927. With BERTopic's full transform (UMAP + HDBSCAN approximate_predict) instead, until
# 2026-11-29: 0.823 (0.738 without cross-script linking), 0.909, 0.925; Russia rose because its spam
# narrative (commercial_ads, no original tweet among the fitted texts) now falls below every topic's floor
# and becomes outliers instead of being spread over the topics. Before the pin, host-CPU code paths gave
# 0.801 / 0.910 / 0.927 on one machine, 0.777 / 0.801 / 0.907 on another, and Turkey 0.854 with the pin but two
# OpenBLAS threads: the floors are regression guards for one code path, not estimates of accuracy (issue 11
# adds seed variance). China posts each narrative in Chinese and English; one model per script splits it, and
# the hashtag linking (topics/link.py) merges the halves back. Since the archive holds as many organic accounts
# as campaign accounts or more (hard negatives included; 38,817 -> 47,704 tweets), the same code path gives China
# 0.755, Russia 0.923, Turkey 0.869: more organic tweets in more languages, some without a topic of their own
# (Turkish food tweets join the HDP topic).
# Turkey: 0.869 with hard negatives, 0.817 once the fitted sample was capped at sample_size texts (a stratum floor had
# pushed it past 4,096, where UMAP switches to approximate neighbours); the cap is for speed, not for this score.
# With the generator's narrative vocabulary rewritten apart from the keyword lists (paraphrases, epithets, fewer
# recurring names; organic users opposing the campaigns' line on the same subjects): China 0.852, Russia 0.572
# (Putin's and United Russia's tweets share one topic), Turkey 0.325 (AKP promotion and both attacks share one
# topic, clustered by the openers and closers every narrative shares); the TF-IDF + k-means baseline of notebook
# 03 scores 0.727 / 0.754 / 0.815. The topic model's parameters were chosen on the templated vocabulary.
# With the real releases' shapes as well (Russia ~2,900 and Turkey ~5,000 tweets per campaign account, China without
# amplifiers; 197,394 tweets): China 0.745, Russia 0.577, Turkey 0.891 (baseline 0.730 / 0.684 / 0.756): the
# topic model trails the baseline in Russia.
NMI_FLOOR = {"synth_china_052020": 0.70, "synth_russia_052020": 0.52, "synth_turkey_052020": 0.85}


@pytest.mark.slow
def test_default_topics_match_planted_narratives(tmp_path):
    releases = stages.prepare()
    results = topics.run(releases, params=topics.TopicParams(), save=False)
    for r in releases:
        truth = ground_truth.load("data/raw/synthetic", r).tweets
        score = topics.agreement(topics.planted(results[r], truth))
        assert score["nmi"] >= NMI_FLOOR[r], (r, score)
        # few outliers among the narratives the models were fitted on (a narrative without fitted texts, such
        # as Russia's spam, may be all outliers: 12.7% of Russia's tweets, measured)
        both = results[r].assignments.merge(truth[["tweetid", "narrative"]], on="tweetid")
        seen = both[both["narrative"].isin(set(both.loc[both["fitted_on"] == "fit", "narrative"]))]
        # (0.1 -> 0.15 with the real shapes and rewritten vocabulary: measured China 0.104, Russia 0.132, Turkey 0.060)
        assert (seen["topic"] < 0).mean() < 0.15, (r, score, (seen["topic"] < 0).mean())
        # topics stay mostly campaign or mostly everyday organic: measured at most 16% of the other kind (China's
        # Guo Wengui topic takes 238 English sport and tech tweets of organic accounts). Organic tweets opposing a
        # campaign's line talk about its subjects, so they are left out.
        both = both[(both["topic"] >= 0) & (both["narrative"] != OPPOSITION)]
        organic = both["narrative"].astype(str).str.startswith("organic_").groupby(both["topic"]).mean()
        # (0.2 -> 0.25 with the real shapes: two China topics hold 79.7% and 78.7% organic tweets, the rest 0 or 1)
        assert ((organic < 0.25) | (organic > 0.75)).all(), (r, organic.to_dict())
    china = results["synth_china_052020"]
    assert len(china.links) >= 3 and china.topics["group"].eq("cjk+latin").sum() >= 3
