"""Our co-retweet and co-tweet networks equal coordination_network_toolkit's on the same input."""

from __future__ import annotations

import contextlib
import io
import sqlite3

import numpy as np
import pandas as pd
import pytest

from ioa_utils.coordination import co_retweet, co_tweet
from ioa_utils.coordination.toolkit import toolkit_rows

toolkit = pytest.importorskip("coordination_network_toolkit")
from coordination_network_toolkit.compute_networks import (  # noqa: E402
    compute_co_retweet_parallel,
    compute_co_tweet_network,
)
from coordination_network_toolkit.preprocess import preprocess_data  # noqa: E402


def random_tweets(n: int = 3000, seed: int = 5) -> pd.DataFrame:
    """Minute-precision tweets by 60 accounts: retweets of 80 tweets, texts drawn from a small pool
    (with mentions, case and spacing variants, a URL, an RT-looking original and mention-only texts)."""
    rng = np.random.default_rng(seed)
    kind = rng.choice(["original", "retweet", "reply", "quote"], n, p=[0.35, 0.45, 0.1, 0.1])
    pool = np.array(["Stop the lies", "stop  the LIES @cnn", "@bbc stop the lies", "read http://t.co/x now",
                     "RT @someone: old style", "@only", "", "peace and development", "Peace and development!"])
    minutes = rng.integers(0, 600, n)
    return pd.DataFrame({
        "tweetid": [str(10**17 + i) for i in range(n)],
        "userid": [f"u{x:02d}" for x in rng.integers(0, 60, n)],
        "tweet_time": pd.Timestamp("2020-01-01", tz="UTC") + pd.to_timedelta(minutes * 60, unit="s"),
        "tweet_kind": kind,
        "tweet_text": rng.choice(pool, n),
        "retweet_tweetid": np.where(kind == "retweet", [str(x) for x in rng.integers(0, 80, n)], None),
        "in_reply_to_tweetid": None,
        "urls": [[] for _ in range(n)],
    })


def run_toolkit(tweets: pd.DataFrame, db: str, network: str, window: int, min_weight: int) -> set[tuple]:
    with contextlib.redirect_stdout(io.StringIO()):  # the toolkit prints progress
        preprocess_data(db, toolkit_rows(tweets))
        if network == "co_retweet":
            compute_co_retweet_parallel(db, window, n_threads=2, min_edge_weight=min_weight)
        else:
            compute_co_tweet_network(db, window, min_edge_weight=min_weight, n_threads=2)
    with sqlite3.connect(db) as con:
        rows = con.execute(f"select user_1, user_2, weight from {network}_network").fetchall()
    return {(a, b, int(w)) for a, b, w in rows}


@pytest.fixture(scope="module")
def tweets() -> pd.DataFrame:
    return random_tweets()


@pytest.mark.parametrize(("window", "min_weight"), [(0, 1), (60, 2), (1800, 4)])
@pytest.mark.parametrize("network", ["co_retweet", "co_tweet"])
def test_same_edges_and_weights_as_toolkit(tweets, tmp_path, network, window, min_weight):
    ref = run_toolkit(tweets, str(tmp_path / "t.db"), network, window, min_weight)
    fn = co_retweet if network == "co_retweet" else co_tweet
    ours = fn(tweets, window=window, min_weight=min_weight, toolkit=True, directed=True, loops=True)
    got = {(a, b, int(w)) for a, b, w in ours.itertuples(index=False)}
    assert len(ref) > 50 and any(a != b for a, b, _ in ref)
    assert got == ref


def test_default_mode_differs_from_toolkit_only_as_documented(tweets):
    # default co-tweet compares text_norm (no URLs/mentions/RT prefix) and skips empty texts
    t = tweets.assign(text_norm=tweets["tweet_text"].str.lower().str.replace(r"@\S+|http\S+", "", regex=True)
                      .str.replace(r"^rt\s*:?", "", regex=True).str.split().str.join(" "))
    tk = co_tweet(t, window=60, min_weight=1, toolkit=True)
    ours = co_tweet(t, window=60, min_weight=1)
    assert len(ours) > 0 and not ours.equals(tk)
    # undirected default equals folding the toolkit's directed table with min()
    d = co_tweet(t, window=60, min_weight=1, toolkit=True, directed=True)
    fold = d.assign(s=d[["user_1", "user_2"]].min(axis=1), t=d[["user_1", "user_2"]].max(axis=1))
    fold = fold.groupby(["s", "t"])["weight"].min()
    assert {(a, b): w for a, b, w in tk.itertuples(index=False)} == fold.to_dict()


def test_same_co_tweet_edges_on_unicode_and_whitespace_texts(tmp_path):
    # texts where a naive vectorisation would differ from the toolkit: Unicode case mappings (İ, final
    # sigma, letters newer than Python's Unicode), mentions ending at exotic whitespace, \x1c-\x1f
    # (whitespace for str.split but not for the toolkit's regex), runs and edges of whitespace
    pool = np.array(["İstanbul  @a", "istanbul", "i̇stanbul", "ΟΔΟΣ x", "οδος x", "οδοσ x", "@x\x1cy z", "y z",
                     " z\u3000 ", "z", "\u1c89 w", "\u1c8a w", "Ⅷ\t\tv", "ⅷ v", "@m\x85n", "n", ""])
    t = random_tweets(2000, seed=11).assign(tweet_text=lambda d: np.random.default_rng(2).choice(pool, len(d)))
    ref = run_toolkit(t, str(tmp_path / "t.db"), "co_tweet", 60, 1)
    ours = co_tweet(t, window=60, min_weight=1, toolkit=True, directed=True, loops=True)
    assert {(a, b, int(w)) for a, b, w in ours.itertuples(index=False)} == ref and len(ref) > 50
