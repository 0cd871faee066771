"""The registry of coordination traces and the one home of every coordination threshold.

``Params`` holds the thresholds a user may change (the networks notebook's parameters); ``DEFAULTS`` is
what every notebook, case study and the report use unless told otherwise. ``AMPLIFIER`` and ``RING`` are
the thresholds of the amplifier and retweet-ring detectors (``groups.amplifiers``, ``groups.retweet_rings``)
that the coordination stage applies; case studies read the stage's tables instead of applying their own.
``TRACES`` names every trace the stage computes, what it reads and what it is meant to find;
:func:`compute` builds one trace's undirected edges from a tweets frame holding its columns.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from .groups import retweet_rings
from .minhash import near_duplicate
from .networks import (
    amplification_network,
    co_network,
    co_retweet_events,
    co_tweet_events,
    fast_retweet_network,
    hashtag_sequence_events,
    list_events,
)
from .tfidf import tfidf_network


@dataclass(frozen=True)
class Params:
    """Every threshold of the co-activity traces (seconds for windows and delays)."""

    window_retweet: float | None = 600
    window_tweet: float | None = 300
    window_entity: float | None = 300
    min_weight: int = 2
    min_weight_entity: int = 3
    near_duplicate_threshold: float = 0.8
    tfidf_threshold: float = 0.1
    max_retweet_delay: float = 600
    seed: int = 2020

    def as_dict(self) -> dict:
        return asdict(self)


DEFAULTS = Params()

# amplifiers: mostly retweet, mostly a few accounts (the library's own thresholds, used everywhere)
AMPLIFIER = dict(min_retweet_share=0.7, top_k=5, min_concentration=0.7, min_retweets=5, min_amplifiers=2)
# retweet rings: reciprocal fast retweets; delay and weight are the defaults of Params
RING = dict(max_delay=DEFAULTS.max_retweet_delay, min_weight=DEFAULTS.min_weight, min_size=3, min_density=0.5)

NOT_RETWEETS = ("original", "reply", "quote")
_RETWEET_KEY = ("tweetid", "userid", "tweet_time", "tweet_kind", "retweet_tweetid", "has_lossy_ref", "rt_userid",
                "rt_screen_name", "text_norm")
_TEXT = ("tweetid", "userid", "tweet_time", "tweet_kind", "text_norm")
_DELAYS = ("tweetid", "userid", "tweet_time", "tweet_kind", "retweet_tweetid", "has_lossy_ref")
RETWEETERS = ("userid", "tweet_kind", "rt_userid")  # amplification network and amplifier detector


def _entity(column: str) -> tuple[str, ...]:
    return ("tweetid", "userid", "tweet_time", "tweet_kind", column)


@dataclass(frozen=True)
class Trace:
    """One coordination trace: the processed tweet columns it reads, its default window (seconds; None: any
    time) and minimum weight, the planted group kinds it is meant to find (None: any), which tweet kinds
    it reads (None: all rows), and which of its columns it needs only where a retweet's id is missing or
    lossy (the fallback key of ``networks.retweet_key``; read as null on every other row)."""

    name: str
    columns: tuple[str, ...]
    window: float | None
    min_weight: int
    targets: tuple[str, ...] | None
    description: str
    kinds: tuple[str, ...] | None = None
    fallback_only: tuple[str, ...] = ()


_RT_GROUPS = ("amplification", "commercial_retweet", "retweet_ring")
_FALLBACK = ("rt_screen_name", "text_norm")
D = DEFAULTS
TRACES: dict[str, Trace] = {t.name: t for t in (
    Trace("co_retweet", _RETWEET_KEY, D.window_retweet, D.min_weight, _RT_GROUPS,
          "retweeted the same tweet within the window", ("retweet",), _FALLBACK),
    Trace("co_tweet", _TEXT, D.window_tweet, D.min_weight, ("co_tweet",),
          "posted the same normalised text within the window", NOT_RETWEETS),
    Trace("co_url", _entity("urls"), D.window_entity, D.min_weight_entity, None,
          "shared the same URL within the window", NOT_RETWEETS),
    Trace("co_hashtag", _entity("hashtags"), D.window_entity, D.min_weight_entity, None,
          "used the same hashtag within the window", NOT_RETWEETS),
    Trace("co_mention", _entity("user_mentions"), D.window_entity, D.min_weight_entity, None,
          "mentioned the same account within the window", NOT_RETWEETS),
    Trace("hashtag_sequence", _entity("hashtags"), None, D.min_weight, None,
          "used the same ordered hashtag sequence, at any time", NOT_RETWEETS),
    Trace("near_duplicate", _TEXT, D.window_tweet, D.min_weight, ("co_tweet",),
          "posted near-identical texts (MinHash Jaccard) within the window", NOT_RETWEETS),
    Trace("fast_retweet", _DELAYS, D.max_retweet_delay, D.min_weight, ("retweet_ring",),
          "retweeted the other's tweets within the delay (folded undirected)"),
    Trace("retweet_ring", _DELAYS, D.max_retweet_delay, D.min_weight, ("retweet_ring",),
          "fast-retweet edges inside retweet rings"),
    Trace("amplification", RETWEETERS, None, 1, ("amplification",),
          "retweeted an account of the same release (folded undirected)"),
    Trace("tfidf_retweet", _RETWEET_KEY, None, 0, _RT_GROUPS,
          "cosine similarity of TF-IDF retweet vectors (Pacheco et al.)", ("retweet",), _FALLBACK),
)}
del D


def window_of(trace: str, p: Params = DEFAULTS) -> float | None:
    """The window a trace uses under ``p`` (seconds; None: any time)."""
    return {"co_retweet": p.window_retweet, "co_tweet": p.window_tweet, "near_duplicate": p.window_tweet,
            "co_url": p.window_entity, "co_hashtag": p.window_entity, "co_mention": p.window_entity,
            "fast_retweet": p.max_retweet_delay, "retweet_ring": p.max_retweet_delay}.get(trace)


def min_weight_of(trace: str, p: Params = DEFAULTS) -> int:
    """The minimum edge weight a trace uses under ``p``."""
    if trace in ("co_url", "co_hashtag", "co_mention"):
        return p.min_weight_entity
    return TRACES[trace].min_weight if trace in ("amplification", "tfidf_retweet") else p.min_weight


def ring_params(p: Params = DEFAULTS) -> dict:
    """``groups.retweet_rings`` keyword arguments under ``p`` (delay and weight follow ``p``)."""
    return {**RING, "max_delay": p.max_retweet_delay, "min_weight": p.min_weight, "seed": p.seed}


def events(tweets: pd.DataFrame, trace: str):
    """The events behind a windowed co-activity trace (``cooccurrence.Events``)."""
    makers = {"co_retweet": co_retweet_events, "co_tweet": co_tweet_events, "tfidf_retweet": co_retweet_events,
              "co_url": lambda t: list_events(t, "urls"), "co_hashtag": lambda t: list_events(t, "hashtags"),
              "co_mention": lambda t: list_events(t, "user_mentions"), "hashtag_sequence": hashtag_sequence_events}
    return makers[trace](tweets)


def undirected_sum(e: pd.DataFrame) -> pd.DataFrame:
    """A directed edge table folded into ``source < target`` edges, weights of both directions added."""
    a = e[["source", "target"]].min(axis=1)
    b = e[["source", "target"]].max(axis=1)
    return (pd.DataFrame({"source": a, "target": b, "weight": e["weight"]})
            .groupby(["source", "target"], as_index=False)["weight"].sum())


def compute(trace: str, tweets: pd.DataFrame, p: Params = DEFAULTS, rings: pd.DataFrame | None = None, *,
            delays: pd.DataFrame | None = None) -> pd.DataFrame:
    """Undirected edges ``source, target, weight`` of one trace from ``tweets`` (at least the trace's columns
    and rows). ``retweet_ring`` needs the rings (``groups.retweet_rings`` with :func:`ring_params`); they are
    computed when not given. ``delays``: ``networks.retweet_delays(tweets)`` when the caller has it (the fast
    retweet traces and the rings all start from it)."""
    mw = min_weight_of(trace, p)
    if trace in ("co_retweet", "co_tweet", "co_url", "co_hashtag", "co_mention", "hashtag_sequence"):
        return co_network(events(tweets, trace), window_of(trace, p), mw)
    if trace == "near_duplicate":
        return near_duplicate(tweets, p.window_tweet, p.near_duplicate_threshold, mw, seed=p.seed)
    if trace == "fast_retweet":
        return undirected_sum(fast_retweet_network(tweets, p.max_retweet_delay, mw, delays=delays))
    if trace == "retweet_ring":
        fast = fast_retweet_network(tweets, p.max_retweet_delay, mw, delays=delays)
        rings = retweet_rings(tweets, **ring_params(p), delays=delays) if rings is None else rings
        return undirected_sum(fast[fast["source"].isin(rings["userid"]) & fast["target"].isin(rings["userid"])])
    if trace == "amplification":
        return undirected_sum(amplification_network(tweets, mw))
    if trace == "tfidf_retweet":
        return tfidf_network(co_retweet_events(tweets), p.tfidf_threshold)
    raise KeyError(f"unknown trace {trace!r}; known: {', '.join(TRACES)}")
