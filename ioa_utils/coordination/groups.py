"""From edges to groups: communities, retweet rings and amplifier accounts."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from .networks import check_seconds, retweet_delays


def to_graph(edges: pd.DataFrame, directed: bool = False) -> nx.Graph:
    """A networkx graph from ``source, target, weight`` (plus any extra edge columns)."""
    return nx.from_pandas_edgelist(edges, "source", "target", edge_attr=True,
                                   create_using=nx.DiGraph if directed else nx.Graph)


def communities(edges: pd.DataFrame, seed: int = 2020, resolution: float = 1.0) -> pd.Series:
    """Louvain communities of an undirected weighted edge table (fixed seed): a Series
    userid -> community number, numbered by decreasing size (ties: smallest member id)."""
    g = to_graph(edges)
    if g.number_of_nodes() == 0:
        return pd.Series(dtype=np.int64, name="community")
    found = nx.community.louvain_communities(g, weight="weight", resolution=resolution, seed=seed)
    found = sorted((sorted(map(str, c)) for c in found), key=lambda c: (-len(c), c[0]))
    s = pd.Series({u: i for i, c in enumerate(found) for u in c}, name="community", dtype=np.int64)
    s.index.name = "userid"
    return s.sort_index()


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
    mutual = list(zip(m["userid"], m["original_userid"], strict=True))
    cols = {"userid": pd.Series([], dtype=object), "ring": pd.Series([], dtype=np.int64),
            "ring_size": pd.Series([], dtype=np.int64), "density": pd.Series([], dtype=float)}
    if not mutual:
        return pd.DataFrame(cols)
    g = nx.Graph(sorted(mutual))
    rows = []
    for c in nx.community.louvain_communities(g, seed=seed):
        if len(c) >= min_size:
            dens = nx.density(g.subgraph(c))
            if dens >= min_density:
                rows.append((sorted(c), dens))
    rows.sort(key=lambda r: (-len(r[0]), r[0][0]))
    out = [(u, i, len(m), d) for i, (m, d) in enumerate(rows) for u in m]
    if not out:
        return pd.DataFrame(cols)
    return pd.DataFrame(out, columns=["userid", "ring", "ring_size", "density"])


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
