"""Bridge to ``coordination_network_toolkit`` (QUT DMRC), the reference implementation.

This module never imports the toolkit (a test/benchmark dependency only); it converts a processed
tweets table into the toolkit's input rows, so tests and benchmarks can feed both tools the same data.

Definitions compared (toolkit 1.5.2, ``compute_networks.py``):

* both use an inclusive window ``|t1 - t2| <= time_window`` and the directed weight
  ``count(distinct e_1.message_id)`` grouped by ``(user_1, user_2)``, including self-loops
  (``graph.py`` drops them on export unless ``loops=True``) and ``having weight >= min_edge_weight``
  per direction. ``co_network(..., directed=True, loops=True)`` returns exactly that table.
* co-retweet: the toolkit keys on ``repost_id``; we use ``retweet_tweetid`` and, by default, fall back
  to (retweeted account, normalised text) when the id is missing or was mangled by float export;
  ``toolkit=True`` disables the fallback.
* co-tweet: the toolkit compares every row without ``repost_id`` (originals, replies, quotes) after
  lower-casing, stripping ``@mentions`` and collapsing whitespace -- URLs and any literal "RT" stay, and
  empty texts (a tweet that was only a mention) all match each other. By default we compare
  ``text_norm`` (also without URLs and RT prefix) and skip empty texts; ``toolkit=True`` reproduces
  the toolkit (``toolkit_preprocess`` of ``tweet_text``).
* our default undirected edges take ``min(w(u->v), w(v->u))``; the toolkit keeps both directions.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from .cooccurrence import to_seconds


def toolkit_rows(tweets: pd.DataFrame) -> Iterator[tuple]:
    """Rows for ``coordination_network_toolkit.preprocess.preprocess_data``: ``(message_id, user_id,
    username, repost_id, reply_id, message, timestamp, urls)``. ``repost_id`` is the
    ``retweet_tweetid`` of retweets, timestamps are epoch seconds."""
    repost = tweets["retweet_tweetid"].where(tweets["tweet_kind"] == "retweet")
    cols = zip(tweets["tweetid"], tweets["userid"], tweets["userid"], repost.fillna(""),
               tweets["in_reply_to_tweetid"].fillna(""), tweets["tweet_text"].fillna(""),
               to_seconds(tweets["tweet_time"]), tweets["urls"], strict=True)
    for mid, uid, name, rep, rid, text, ts, urls in cols:
        yield (mid, uid, name, rep or None, rid or None, text, int(ts), list(urls) if urls is not None else [])


def write_toolkit_csv(tweets: pd.DataFrame, path: str) -> None:
    """The same rows as the toolkit's CSV input format (``compute_networks preprocess --format csv``)."""
    rows = pd.DataFrame(list(toolkit_rows(tweets)), columns=["message_id", "user_id", "username", "repost_id",
                                                             "reply_id", "message", "timestamp", "urls"])
    rows["urls"] = rows["urls"].map(" ".join)
    rows.to_csv(path, index=False)
