"""The TF-IDF + k-means baseline of notebook 03 (topics.kmeans_baseline)."""

from __future__ import annotations

import pandas as pd

from ioa_utils import store, topics
from ioa_utils.paths import processed_dir


def _word(i: int) -> str:
    return "id" + "".join(chr(97 + int(d)) for d in f"{i:03d}")  # a distinct letter word per tweet


def _release(tmp_path, n: int = 60):
    words = {"a": "harbour protest police riot street", "b": "vaccine virus hospital mask outbreak"}
    rows = [{"tweetid": f"{i:04d}", "narrative": "ab"[i % 2], "text_norm": f"{words['ab'[i % 2]]} {_word(i)}"}
            for i in range(n)]
    tweets = pd.DataFrame(rows)
    folder = processed_dir("synth_toy_012020", tmp_path)
    folder.mkdir(parents=True)
    store.write_table(tweets[["tweetid", "text_norm"]], folder / "tweets.parquet")
    return tweets


def test_baseline_scores_both_methods_on_the_same_tweets(tmp_path):
    tweets = _release(tmp_path)
    wrong = tweets.assign(topic=[i % 3 for i in range(len(tweets))])  # topics that ignore the narratives
    out = topics.kmeans_baseline("synth_toy_012020", wrong, tweets, ("en",), seed=1, work_dir=tmp_path)
    assert out["n_tweets"] == 60 and out["k"] == 3
    assert out["nmi topics"] < 0.1 and out["nmi tf-idf k-means"] > 0.5  # the baseline finds the two vocabularies
    right = tweets.assign(topic=(tweets["narrative"] == "b").astype(int))
    out = topics.kmeans_baseline("synth_toy_012020", right, tweets, ("en",), seed=1, work_dir=tmp_path)
    assert out["k"] == 2 and out["nmi topics"] == 1.0
    again = topics.kmeans_baseline("synth_toy_012020", right, tweets, ("en",), seed=1, work_dir=tmp_path)
    assert again == out


def test_no_baseline_without_ground_truth(tmp_path):
    tweets = _release(tmp_path)
    assert topics.kmeans_baseline("synth_toy_012020", tweets.assign(topic=0), None, ("en",), work_dir=tmp_path) is None
