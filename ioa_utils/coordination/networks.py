"""Interaction and co-activity networks built from the processed tweets table.

Two families:

* **interaction networks** (directed, account -> account): who retweets, replies to, mentions whom,
  and who retweets *fast* (within ``max_delay`` seconds of the original);
* **co-activity networks** (undirected, account -- account): two accounts did the same thing (shared
  the same key) within ``window`` seconds of each other. Each ``*_events`` function turns tweets into
  events (see :mod:`.cooccurrence`); :func:`co_network` turns events into weighted edges.

Every edge table has columns ``source, target, weight`` (co-activity: ``source < target``).

Time precision: the archive's ``tweet_time`` is rounded to the minute. Windows and delays are in
seconds, both bounds inclusive; any value strictly between 0 and 60 s behaves like 0 s ("same
minute") on real data and triggers a :class:`MinutePrecisionWarning`. ``window=0`` means "in the same
minute" there; ``window=None`` means "at any time" (a plain bipartite projection).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .cooccurrence import (
    Events,
    directed_weights,
    make_events,
    projection_weights,
    to_seconds,
    undirected,
)
from .toolkit import toolkit_co_tweet_events, toolkit_repost


class MinutePrecisionWarning(UserWarning):
    """A time parameter below 60 s was used on data whose timestamps have minute precision."""


def check_seconds(name: str, value: float | None) -> None:
    """Warn when ``value`` is a positive number of seconds below the archive's minute precision."""
    if value is not None and 0 < value < 60:
        warnings.warn(f"{name}={value:g} s is below the archive's minute precision: on real releases it "
                      "means the same as 0 s (same minute)", MinutePrecisionWarning, stacklevel=3)


def _edges(df: pd.DataFrame, src: str, dst: str, min_weight: int) -> pd.DataFrame:
    d = df[[src, dst]].dropna()
    d = d[d[src] != d[dst]]
    e = d.groupby([src, dst], sort=True).size().reset_index(name="weight")
    e.columns = ["source", "target", "weight"]
    return e[e["weight"] >= min_weight].reset_index(drop=True).astype({"weight": np.int64})


def _explode(tweets: pd.DataFrame, column: str, kinds: Sequence[str] | None = None) -> pd.DataFrame:
    t = tweets if kinds is None else tweets[tweets["tweet_kind"].isin(kinds)]
    t = t[["tweetid", "userid", "tweet_time", column]].explode(column)
    t = t[t[column].notna() & (t[column].astype(str) != "")]
    return t


# --- interaction networks ---------------------------------------------------------------------------

def retweet_network(tweets: pd.DataFrame, min_weight: int = 1) -> pd.DataFrame:
    """Directed retweet network: ``source`` retweeted ``target`` (``rt_userid``) ``weight`` times.
    Detects amplification: who boosts whom. Retweets of unknown accounts and self-retweets are
    dropped."""
    return _edges(tweets[tweets["tweet_kind"] == "retweet"], "userid", "rt_userid", min_weight)


def amplification_network(tweets: pd.DataFrame, min_weight: int = 1) -> pd.DataFrame:
    """Internal amplification: the retweet network restricted to retweeted accounts that are
    themselves in the release -- a campaign boosting its own core. Organic accounts mostly retweet
    accounts outside the takedown, so this separates amplifier-and-core groups from bystanders."""
    e = retweet_network(tweets, min_weight)
    return e[e["target"].isin(pd.unique(tweets["userid"]))].reset_index(drop=True)


def reply_network(tweets: pd.DataFrame, min_weight: int = 1) -> pd.DataFrame:
    """Directed reply network: ``source`` replied ``weight`` times to ``target``. Detects
    conversation staging and reply-guy harassment."""
    return _edges(tweets, "userid", "in_reply_to_userid", min_weight)


def mention_network(tweets: pd.DataFrame, min_weight: int = 1, include_retweets: bool = False) -> pd.DataFrame:
    """Directed mention network: ``source`` mentioned ``target`` in ``weight`` tweets (retweets are
    skipped by default: their mentions were written by the original author)."""
    kinds = None if include_retweets else ("original", "reply", "quote")
    return _edges(_explode(tweets, "user_mentions", kinds).drop_duplicates(["tweetid", "user_mentions"]),
                  "userid", "user_mentions", min_weight)


def retweet_delays(tweets: pd.DataFrame) -> pd.DataFrame:
    """Retweets whose original is in the table: ``tweetid, userid, original_userid, delay`` (seconds
    from the original to the retweet)."""
    rt = tweets.loc[(tweets["tweet_kind"] == "retweet") & tweets["retweet_tweetid"].notna(),
                    ["tweetid", "userid", "retweet_tweetid", "tweet_time"]]
    if "has_lossy_ref" in tweets:  # a float-mangled id may point at the wrong tweet
        rt = rt[~tweets.loc[rt.index, "has_lossy_ref"].fillna(False).astype(bool)]
    orig = tweets.loc[tweets["tweet_kind"] != "retweet", ["tweetid", "userid", "tweet_time"]]
    m = rt.merge(orig, left_on="retweet_tweetid", right_on="tweetid", suffixes=("", "_orig"))
    return pd.DataFrame({"tweetid": m["tweetid"].to_numpy(), "userid": m["userid"].to_numpy(),
                         "original_tweetid": m["retweet_tweetid"].to_numpy(),
                         "original_userid": m["userid_orig"].to_numpy(),
                         "delay": to_seconds(m["tweet_time"]) - to_seconds(m["tweet_time_orig"])})


def fast_retweet_network(tweets: pd.DataFrame, max_delay: float = 600, min_weight: int = 1, *,
                         delays: pd.DataFrame | None = None) -> pd.DataFrame:
    """Directed fast-retweet network: ``source`` retweeted ``weight`` tweets of ``target`` within
    ``max_delay`` seconds (inclusive) of their publication. Only originals present in the table can
    be timed. Detects automated or rehearsed amplification (rings, bots). With minute-precision
    timestamps, ``max_delay < 60`` cannot be told apart from 0 (warns). ``delays``: ``retweet_delays(tweets)``
    when the caller has it."""
    check_seconds("max_delay", max_delay)
    d = retweet_delays(tweets) if delays is None else delays
    d = d[(d["delay"] >= 0) & (d["delay"] <= max_delay)]
    return _edges(d, "userid", "original_userid", min_weight)


# --- events for co-activity networks ----------------------------------------------------------------

def retweet_key(tweets: pd.DataFrame, toolkit: bool = False) -> pd.Series:
    """What a retweet shares: the retweeted ``retweet_tweetid``. When it is missing or lossy we fall back
    to (retweeted account, normalised text), which names the same original tweet (``toolkit=True``:
    the toolkit's ``repost_id``, ``retweet_tweetid`` only)."""
    if toolkit:
        return toolkit_repost(tweets)
    key = tweets["retweet_tweetid"].astype(object).where(tweets["tweet_kind"] == "retweet")
    bad = key.isna()
    if "has_lossy_ref" in tweets:
        bad |= tweets["has_lossy_ref"].fillna(False).astype(bool)
    who = tweets["rt_userid"].astype(object).fillna("@" + tweets["rt_screen_name"].astype(object))
    fallback = "rt:" + who.astype(str) + "|" + tweets["text_norm"].astype(object).fillna("").astype(str)
    ok_fallback = (tweets["tweet_kind"] == "retweet") & who.notna()
    return key.where(~bad, fallback.where(ok_fallback))


def co_retweet_events(tweets: pd.DataFrame, toolkit: bool = False) -> Events:
    """Events: account retweeted tweet ``key``."""
    key = retweet_key(tweets, toolkit)
    return make_events(tweets["userid"], tweets["tweetid"], key, tweets["tweet_time"])


def co_tweet_events(tweets: pd.DataFrame, kinds: Sequence[str] = ("original", "reply", "quote"),
                    min_chars: int = 1, toolkit: bool = False) -> Events:
    """Events: account posted text ``key`` (``text_norm``: lower-case, no RT prefix, URLs, mentions).
    Retweets never count (their text was written by someone else); texts shorter than ``min_chars``
    are skipped (a tweet that was only a link would otherwise match every other link-only tweet).

    ``toolkit=True`` reproduces the toolkit's co-tweet input: every row without the toolkit's
    ``repost_id`` (see :func:`.toolkit.toolkit_rows`), text = :func:`.toolkit.toolkit_preprocess` of the
    published ``tweet_text`` (URLs kept, mentions stripped; vectorised with Arrow), empty texts
    included."""
    if toolkit:
        return toolkit_co_tweet_events(tweets)
    t = tweets.loc[tweets["tweet_kind"].isin(kinds).to_numpy(), ["tweetid", "userid", "tweet_time", "text_norm"]]
    key = t["text_norm"].where(t["text_norm"].fillna("").str.len() >= max(min_chars, 1))
    return make_events(t["userid"], t["tweetid"], key, t["tweet_time"])


def list_events(tweets: pd.DataFrame, column: str, include_retweets: bool = False) -> Events:
    """Events: account used list item ``key`` of ``column`` (urls, domains, hashtags, user_mentions).
    Retweets are skipped by default (the toolkit's co-link does the same): their entities were
    chosen by the original author."""
    kinds = None if include_retweets else ("original", "reply", "quote")
    t = _explode(tweets, column, kinds)
    return make_events(t["userid"], t["tweetid"], t[column], t["tweet_time"])


def hashtag_sequence_events(tweets: pd.DataFrame, min_hashtags: int = 2, include_retweets: bool = False) -> Events:
    """Events: account used exactly the hashtag sequence ``key`` (order kept, at least
    ``min_hashtags`` tags) -- a fingerprint of copy-paste campaign templates."""
    kinds = None if include_retweets else ("original", "reply", "quote")
    t = tweets if kinds is None else tweets[tweets["tweet_kind"].isin(kinds)]
    tags = t["hashtags"]
    n = tags.map(lambda x: 0 if x is None else len(x))
    t = t[n >= min_hashtags]
    key = t["hashtags"].map(lambda x: " ".join(x))
    return make_events(t["userid"], t["tweetid"], key, t["tweet_time"])


# --- co-activity networks ---------------------------------------------------------------------------

def co_network(events: Events, window: float | None, min_weight: int = 1, directed: bool = False,
               loops: bool = False) -> pd.DataFrame:
    """Weighted co-activity edges from events (see :mod:`.cooccurrence` for the definition).

    ``directed=False`` (default): undirected ``source < target`` edges, weight ``min`` of both
    directions, no self-loops. ``directed=True``: the toolkit's table ``user_1, user_2, weight``
    (``count(distinct message of user_1)``, filtered with ``weight >= min_weight`` per direction),
    self-loops only with ``loops=True``."""
    check_seconds("window", window)
    if window is None and not directed:
        e = projection_weights(events)
        return e[e["weight"] >= min_weight].reset_index(drop=True)
    d = directed_weights(events, window, min_weight if directed else 1)
    if directed:
        return d if loops else d[d["user_1"] != d["user_2"]].reset_index(drop=True)
    return undirected(d, min_weight)


def co_retweet(tweets: pd.DataFrame, window: float | None = 600, min_weight: int = 2, toolkit: bool = False,
               **kw: bool) -> pd.DataFrame:
    """Co-retweet network: both accounts retweeted the same tweet within ``window`` seconds,
    ``weight`` times. Detects amplification squads and retweet-for-hire clusters."""
    return co_network(co_retweet_events(tweets, toolkit), window, min_weight, **kw)


def co_tweet(tweets: pd.DataFrame, window: float | None = 300, min_weight: int = 2, toolkit: bool = False,
             **kw: bool) -> pd.DataFrame:
    """Co-tweet network: both accounts posted the identical normalised text within ``window``
    seconds, ``weight`` times. Detects copy-paste campaigns (shared scripts, batch posting)."""
    return co_network(co_tweet_events(tweets, toolkit=toolkit), window, min_weight, **kw)


def co_url(tweets: pd.DataFrame, window: float | None = 3600, min_weight: int = 2) -> pd.DataFrame:
    """Co-URL network: both accounts shared the same URL within ``window`` seconds, ``weight``
    times. Detects coordinated link pushing (the toolkit's co-link)."""
    return co_network(list_events(tweets, "urls"), window, min_weight)


def co_domain(tweets: pd.DataFrame, window: float | None = 3600, min_weight: int = 3) -> pd.DataFrame:
    """Co-domain network: both accounts linked the same domain within ``window`` seconds. Detects
    promotion of a media outlet; noisier than co-URL (popular domains), so use a higher weight."""
    return co_network(list_events(tweets, "domains"), window, min_weight)


def co_hashtag(tweets: pd.DataFrame, window: float | None = 300, min_weight: int = 3) -> pd.DataFrame:
    """Co-hashtag network: both accounts used the same hashtag within ``window`` seconds. Detects
    hashtag campaigns (trend pushing); popular tags make it noisy, keep the window short."""
    return co_network(list_events(tweets, "hashtags"), window, min_weight)


def co_mention(tweets: pd.DataFrame, window: float | None = 300, min_weight: int = 3) -> pd.DataFrame:
    """Co-mention network: both accounts mentioned the same account within ``window`` seconds.
    Detects coordinated targeting (mass-mentioning journalists, officials)."""
    return co_network(list_events(tweets, "user_mentions"), window, min_weight)


def co_hashtag_sequence(tweets: pd.DataFrame, window: float | None = None, min_weight: int = 2,
                        min_hashtags: int = 2) -> pd.DataFrame:
    """Identical-hashtag-sequence network: both accounts used the same ordered sequence of at least
    ``min_hashtags`` hashtags (within ``window`` seconds; ``None``: at any time, weight = number of
    distinct sequences shared). Detects templated posting."""
    return co_network(hashtag_sequence_events(tweets, min_hashtags), window, min_weight)
