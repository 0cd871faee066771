"""From edges to groups: communities, retweet rings and amplifier accounts.

Communities are Louvain's (Blondel et al. 2008) as igraph's C implementation computes them
(``Graph.community_multilevel``, the engine of the R tools CooRnet and CooRTweet): a graph of 13.8M edges (a
37M-tweet release's hashtag sequences) takes a few GB and minutes there, where networkx's pure-Python Louvain
passed 12 GB. Its random vertex order comes from a ``random.Random(seed)``, so a seed gives one partition.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from .networks import check_seconds, retweet_delays


def to_graph(edges: pd.DataFrame, directed: bool = False) -> nx.Graph:
    """A networkx graph from ``source, target, weight`` (plus any extra edge columns)."""
    return nx.from_pandas_edgelist(edges, "source", "target", edge_attr=True,
                                   create_using=nx.DiGraph if directed else nx.Graph)


@contextmanager
def _seeded(seed: int) -> Iterator[None]:
    """igraph's random numbers from ``random.Random(seed)`` inside the block (its default, Python's ``random``
    module, afterwards)."""
    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)


def louvain(sources: np.ndarray, targets: np.ndarray, weights: np.ndarray | None = None, seed: int = 2020,
            resolution: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Louvain communities of the undirected graph of edges ``sources[i] -- targets[i]`` (one row per edge):
    the sorted node ids and each one's community number (by decreasing size; ties: smallest member id).
    The partition depends on the edge set, not on the order of the rows."""
    codes, nodes = pd.factorize(np.concatenate([np.asarray(sources, object), np.asarray(targets, object)]))
    order = np.argsort(nodes)
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order))
    nodes = nodes[order]
    a, b = np.split(rank[codes], 2)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    by_pair = np.lexsort((hi, lo))
    w = None if weights is None else np.asarray(weights, np.float64)[by_pair]
    g = ig.Graph(n=len(nodes), directed=False)
    g.add_edges(np.column_stack((lo[by_pair], hi[by_pair])))  # from the array: 2.5x less memory than Graph(edges=)
    with _seeded(seed):
        member = np.asarray(g.community_multilevel(weights=w, resolution=resolution).membership, np.int64)
    size = np.bincount(member)
    first = np.full(len(size), len(nodes), np.int64)
    np.minimum.at(first, member, np.arange(len(nodes)))  # nodes are sorted: the smallest member's position
    renumber = np.empty(len(size), np.int64)
    renumber[np.lexsort((first, -size))] = np.arange(len(size))
    return nodes, renumber[member]


def communities(edges: pd.DataFrame, seed: int = 2020, resolution: float = 1.0) -> pd.Series:
    """Louvain communities of an undirected weighted edge table (fixed seed): a Series
    userid -> community number, numbered by decreasing size (ties: smallest member id)."""
    if edges.empty:
        return pd.Series(dtype=np.int64, name="community", index=pd.Index([], dtype=object, name="userid"))
    nodes, member = louvain(edges["source"].astype(str).to_numpy(), edges["target"].astype(str).to_numpy(),
                            edges["weight"].to_numpy(np.float64), seed, resolution)
    return pd.Series(member, index=pd.Index(nodes, name="userid"), name="community", dtype=np.int64)


def retweet_rings(tweets: pd.DataFrame, max_delay: float = 600, min_weight: int = 2, min_size: int = 3,
                  min_density: float = 0.5, seed: int = 2020, *, delays: pd.DataFrame | None = None) -> pd.DataFrame:
    """Retweet rings: groups of at least ``min_size`` accounts that retweet *each other* fast.

    Two accounts are linked when each retweeted at least ``min_weight`` tweets of the other within
    ``max_delay`` seconds of publication (reciprocity separates rings from one-way amplification);
    Louvain communities of that graph whose edge density is at least ``min_density`` are rings.
    Returns ``userid, ring, ring_size, density`` (ring numbered by decreasing size). ``delays``:
    ``retweet_delays(tweets)`` when the caller has it."""
    check_seconds("max_delay", max_delay)
    d = retweet_delays(tweets) if delays is None else delays
    d = d[(d["delay"] >= 0) & (d["delay"] <= max_delay) & (d["userid"] != d["original_userid"])]
    w = d.groupby(["userid", "original_userid"]).size().rename("n").reset_index()
    return rings_from_counts(w, min_weight, min_size, min_density, seed)


def rings_from_counts(w: pd.DataFrame, min_weight: int = 2, min_size: int = 3, min_density: float = 0.5,
                      seed: int = 2020) -> pd.DataFrame:
    """:func:`retweet_rings` from ``userid, original_userid, n``: fast retweets of other accounts per pair."""
    w = w.loc[w["n"] >= min_weight, ["userid", "original_userid"]]
    back = w.rename(columns={"userid": "original_userid", "original_userid": "userid"})
    m = w.merge(back, on=["userid", "original_userid"])
    m = m[m["userid"] < m["original_userid"]]
    cols = {"userid": pd.Series([], dtype=object), "ring": pd.Series([], dtype=np.int64),
            "ring_size": pd.Series([], dtype=np.int64), "density": pd.Series([], dtype=float)}
    if m.empty:
        return pd.DataFrame(cols)
    nodes, member = louvain(m["userid"].astype(str).to_numpy(), m["original_userid"].astype(str).to_numpy(),
                            seed=seed)
    code = pd.Series(np.arange(len(nodes)), index=nodes)
    inside = member[code[m["userid"].astype(str)].to_numpy()] == member[code[m["original_userid"].astype(str)]
                                                                       .to_numpy()]
    k = np.bincount(member)
    links = np.bincount(member[code[m.loc[inside, "userid"].astype(str)].to_numpy()], minlength=len(k))
    density = np.where(k > 1, 2 * links / np.maximum(k * (k - 1), 1), 0.0)
    ok = (k >= min_size) & (density >= min_density)  # communities are numbered by decreasing size, then member
    keep = ok[member]
    rows = pd.DataFrame({"userid": nodes[keep], "c": member[keep]})
    ring = np.cumsum(ok) - 1
    out = pd.DataFrame({"userid": rows["userid"].to_numpy(object), "ring": ring[rows["c"]].astype(np.int64),
                        "ring_size": k[rows["c"]].astype(np.int64), "density": density[rows["c"]]})
    if out.empty:
        return pd.DataFrame(cols)
    return out.sort_values(["ring", "userid"], kind="stable").reset_index(drop=True)


def amplifiers(tweets: pd.DataFrame, min_retweet_share: float = 0.7, top_k: int = 5,
               min_concentration: float = 0.7, min_retweets: int = 5) -> pd.DataFrame:
    """Amplifier accounts: mostly retweet (``retweet_share >= min_retweet_share``), and mostly retweet
    a small core (their ``top_k`` most retweeted accounts get ``>= min_concentration`` of their
    retweets). Returns one row per account with ``n_tweets, n_retweets, retweet_share,
    concentration, top_targets, is_amplifier``."""
    kind = tweets["tweet_kind"]
    per = pd.DataFrame({"n_tweets": tweets.groupby("userid").size(),
                        "n_retweets": (kind == "retweet").groupby(tweets["userid"]).sum()})
    rt = tweets.loc[(kind == "retweet") & tweets["rt_userid"].notna(), ["userid", "rt_userid"]]
    cnt = rt.groupby(["userid", "rt_userid"]).size().rename("n").reset_index()
    return amplifiers_from_counts(per, cnt, min_retweet_share, top_k, min_concentration, min_retweets)


def amplifiers_from_counts(per: pd.DataFrame, cnt: pd.DataFrame, min_retweet_share: float = 0.7, top_k: int = 5,
                           min_concentration: float = 0.7, min_retweets: int = 5) -> pd.DataFrame:
    """:func:`amplifiers` from per-account ``n_tweets, n_retweets`` (indexed by sorted userid) and the retweets
    of known accounts per pair ``userid, rt_userid, n``."""
    per = per.copy()
    per["retweet_share"] = per["n_retweets"] / per["n_tweets"]
    cnt = cnt.sort_values(["userid", "n", "rt_userid"], ascending=[True, False, True])
    cnt["rank"] = cnt.groupby("userid").cumcount()
    top = cnt[cnt["rank"] < top_k]
    per["concentration"] = (top.groupby("userid")["n"].sum() / cnt.groupby("userid")["n"].sum()).reindex(per.index)
    per["concentration"] = per["concentration"].fillna(0.0)
    per["top_targets"] = top.groupby("userid")["rt_userid"].agg(list).reindex(per.index)
    per["top_targets"] = per["top_targets"].map(lambda x: x if isinstance(x, list) else [])
    per["is_amplifier"] = ((per["retweet_share"] >= min_retweet_share) & (per["n_retweets"] >= min_retweets)
                           & (per["concentration"] >= min_concentration))
    per.index.name = "userid"
    return per.reset_index()


def amplified_core(amp: pd.DataFrame, min_amplifiers: int = 2) -> pd.Series:
    """The core that amplifiers serve: accounts in the top targets of at least ``min_amplifiers``
    amplifiers, with that count (descending)."""
    t = amp.loc[amp["is_amplifier"], "top_targets"].explode().dropna().value_counts()
    t = t[t >= min_amplifiers]
    t.index.name = "userid"
    return t.rename("n_amplifiers").sort_index().sort_values(ascending=False, kind="stable")
