"""One call per step of the networks notebook: all traces of a release with one set of parameters."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from .. import store
from ..ground_truth import GroundTruth
from ..paths import DATA_DIR
from .cooccurrence import Events
from .evaluate import nodes_of, score_accounts, score_communities
from .groups import amplifiers, communities, retweet_rings
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

COLUMNS = ["tweetid", "userid", "tweet_time", "tweet_kind", "tweet_text", "text_norm", "rt_userid",
           "rt_screen_name", "retweet_tweetid", "in_reply_to_userid", "has_lossy_ref", "hashtags", "urls",
           "domains", "user_mentions"]

# which planted group kinds each trace is meant to find (None: any planted group)
TARGETS: dict[str, tuple[str, ...] | None] = {
    "co_retweet": ("amplification", "commercial_retweet", "retweet_ring"),
    "co_tweet": ("co_tweet",),
    "near_duplicate": ("co_tweet",),
    "fast_retweet": ("retweet_ring",),
    "retweet_ring": ("retweet_ring",),
    "amplification": ("amplification",),
    "co_url": None,
    "co_hashtag": None,
    "co_mention": None,
    "hashtag_sequence": None,
    "tfidf_retweet": ("amplification", "commercial_retweet", "retweet_ring"),
}


@dataclass(frozen=True)
class Params:
    """Every threshold of the networks notebook (seconds for windows and delays)."""

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


def read_tweets(release: str, work_dir: str | Path = DATA_DIR) -> pd.DataFrame:
    """The processed tweets columns the networks need."""
    return store.read(release, "tweets", columns=COLUMNS, work_dir=work_dir)


def events(tweets: pd.DataFrame, trace: str) -> Events:
    """The events behind a windowed co-activity trace."""
    makers = {"co_retweet": lambda: co_retweet_events(tweets), "co_tweet": lambda: co_tweet_events(tweets),
              "co_url": lambda: list_events(tweets, "urls"), "co_hashtag": lambda: list_events(tweets, "hashtags"),
              "co_mention": lambda: list_events(tweets, "user_mentions"),
              "hashtag_sequence": lambda: hashtag_sequence_events(tweets)}
    return makers[trace]()


def window_of(trace: str, p: Params) -> float | None:
    return {"co_retweet": p.window_retweet, "co_tweet": p.window_tweet}.get(trace, p.window_entity)


def all_networks(tweets: pd.DataFrame, p: Params) -> dict[str, pd.DataFrame]:
    """Undirected edge tables of every trace (``retweet_ring``: the ring members linked by their
    mutual fast retweets; ``amplification``: internal retweets, made undirected)."""
    nets = {}
    for trace in ("co_retweet", "co_tweet", "co_url", "co_hashtag", "co_mention", "hashtag_sequence"):
        mw = p.min_weight if trace in ("co_retweet", "co_tweet", "hashtag_sequence") else p.min_weight_entity
        w = None if trace == "hashtag_sequence" else window_of(trace, p)
        nets[trace] = co_network(events(tweets, trace), w, mw)
    nets["near_duplicate"] = near_duplicate(tweets, p.window_tweet, p.near_duplicate_threshold, p.min_weight,
                                            seed=p.seed)
    fast = fast_retweet_network(tweets, p.max_retweet_delay, p.min_weight)
    nets["fast_retweet"] = _undirected(fast)
    rings = retweet_rings(tweets, p.max_retweet_delay, p.min_weight, seed=p.seed)
    ring_edges = fast[fast["source"].isin(rings["userid"]) & fast["target"].isin(rings["userid"])]
    nets["retweet_ring"] = _undirected(ring_edges)
    nets["amplification"] = _undirected(amplification_network(tweets, 1))
    nets["tfidf_retweet"] = tfidf_network(co_retweet_events(tweets), p.tfidf_threshold)
    return nets


def _undirected(e: pd.DataFrame) -> pd.DataFrame:
    a = e[["source", "target"]].min(axis=1)
    b = e[["source", "target"]].max(axis=1)
    return (pd.DataFrame({"source": a, "target": b, "weight": e["weight"]})
            .groupby(["source", "target"], as_index=False)["weight"].sum())


def summary(nets: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Edges, accounts and total weight per trace."""
    return pd.DataFrame([{"trace": k, "edges": len(e), "accounts": len(nodes_of(e)),
                          "total_weight": round(float(e["weight"].sum()), 3)} for k, e in nets.items()])


def all_communities(nets: dict[str, pd.DataFrame], seed: int) -> dict[str, pd.Series]:
    return {k: communities(e, seed=seed) for k, e in nets.items()}


def scores(nets: dict[str, pd.DataFrame], comms: dict[str, pd.Series], gt: GroundTruth | None) -> pd.DataFrame | None:
    """Precision, recall, F1 and ARI per trace vs the planted group kinds it targets."""
    if gt is None:
        return None
    rows = []
    for trace, e in nets.items():
        kinds = TARGETS.get(trace)
        s = score_accounts(nodes_of(e), gt, kinds)
        rows.append({"trace": trace, "planted kinds": "any" if kinds is None else ", ".join(kinds),
                     "positives": s["n_positive"], "precision": s["precision"], "recall": s["recall"],
                     "f1": s["f1"], "ari": score_communities(comms[trace], gt, kinds)})
    return pd.DataFrame(rows)


def inferred_roles(tweets: pd.DataFrame, nets: dict[str, pd.DataFrame], p: Params) -> pd.Series:
    """A role per account from behaviour alone (for real releases): ring member, amplifier,
    amplified core, co-tweeter, else coordinated / other."""
    role = pd.Series("other", index=pd.Index(sorted(pd.unique(tweets["userid"])), name="userid"))
    for trace in ("co_retweet", "hashtag_sequence", "co_url"):
        role[role.index.isin(list(nodes_of(nets[trace])))] = "coordinated"
    role[role.index.isin(list(nodes_of(nets["co_tweet"])))] = "co_tweeter"
    amp = amplifiers(tweets)
    amp_ids = amp.loc[amp["is_amplifier"], "userid"]
    role[role.index.isin(amp_ids)] = "amplifier"
    core = nets["amplification"]
    core_ids = set(core.loc[core["source"].isin(amp_ids), "target"]) | set(core.loc[core["target"].isin(amp_ids),
                                                                                    "source"])
    role[role.index.isin(list(core_ids - set(amp_ids)))] = "core"
    role[role.index.isin(list(nodes_of(nets["retweet_ring"])))] = "ring"
    return role


def kinds_table(tweets: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Accounts and tweets per kind, per release."""
    rows = {r: {"accounts": t["userid"].nunique(), "tweets": len(t), **t["tweet_kind"].value_counts().to_dict()}
            for r, t in tweets.items()}
    return pd.DataFrame(rows).T.fillna(0).astype(int)


def window_estimates(tweets: dict[str, pd.DataFrame], q: float = 0.1, p: float = 0.5) -> pd.DataFrame:
    """CooRnet's data-driven window (seconds) per release for the retweet and text traces."""
    from .window import estimate_window

    return pd.DataFrame({r: {trace: estimate_window(events(t, trace), q, p) for trace in ("co_retweet", "co_tweet")}
                         for r, t in tweets.items()}).T


def significance(tweets: pd.DataFrame, nets: dict[str, pd.DataFrame], p: Params,
                 traces: tuple[str, ...] = ("co_retweet", "co_tweet"), n_permutations: int = 100,
                 method: str = "shuffle", alpha: float = 0.05) -> pd.DataFrame:
    """Edge significance of windowed traces (one row per edge, with a ``trace`` column)."""
    from .null_model import edge_significance

    parts = [edge_significance(events(tweets, tr), nets[tr], window_of(tr, p), n_permutations, method, p.seed,
                               alpha).assign(trace=tr) for tr in traces]
    return pd.concat(parts, ignore_index=True)


def significance_summary(sig: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per release and trace: edges tested, share significant, median z of the observed weights."""
    rows = []
    for rel, s in sig.items():
        for tr, g in s.groupby("trace", sort=False):
            rows.append({"release": rel, "trace": tr, "edges": len(g),
                         "significant": int(g["significant"].sum()),
                         "share significant": round(float(g["significant"].mean()), 3) if len(g) else None,
                         "median z": round(float(g["z"].median()), 2) if len(g) else None})
    return pd.DataFrame(rows)


def combined(nets: dict[str, pd.DataFrame], traces: tuple[str, ...] = ("co_retweet", "co_tweet", "retweet_ring",
                                                                        "amplification")) -> pd.DataFrame:
    """One undirected network from several traces (weights added)."""
    e = pd.concat([nets[t][["source", "target", "weight"]] for t in traces], ignore_index=True)
    return e.groupby(["source", "target"], as_index=False)["weight"].sum()


def evidence(tweets: pd.DataFrame, nets: dict[str, pd.DataFrame], p: Params,
             traces: tuple[str, ...] = ("co_retweet", "co_tweet")) -> pd.DataFrame:
    """The co-occurring tweet pairs behind the edges of windowed traces."""
    from .export import edge_evidence

    return pd.concat([edge_evidence(events(tweets, t), nets[t], window_of(t, p), t) for t in traces],
                     ignore_index=True)


def group_summary(tweets: dict[str, pd.DataFrame], nets: dict[str, dict[str, pd.DataFrame]],
                  comms: dict[str, dict[str, pd.Series]], p: Params) -> pd.DataFrame:
    """Per release: retweet rings, amplifiers and the core they serve, and communities of the main traces."""
    from .groups import amplified_core

    rows = []
    for rel, t in tweets.items():
        rings = retweet_rings(t, p.max_retweet_delay, p.min_weight, seed=p.seed)
        amp = amplifiers(t)
        row = {"release": rel, "retweet rings": rings["ring"].nunique(), "ring members": len(rings),
               "amplifiers": int(amp["is_amplifier"].sum()), "amplified core": len(amplified_core(amp))}
        for tr in ("co_retweet", "co_tweet", "amplification"):
            c = comms[rel][tr]
            row[f"{tr} communities"] = int(c.nunique())
        rows.append(row)
    return pd.DataFrame(rows)


def roles(tweets: pd.DataFrame, nets: dict[str, pd.DataFrame], p: Params, gt: GroundTruth | None) -> pd.Series:
    """Ground-truth role when there is one, else the inferred role."""
    if gt is not None:
        return gt.accounts.set_index("userid")["role"]
    return inferred_roles(tweets, nets, p)


def export_release(release: str, tweets: pd.DataFrame, nets: dict[str, pd.DataFrame],
                   comms: dict[str, pd.Series], p: Params, gt: GroundTruth | None,
                   traces: tuple[str, ...] = ("co_retweet", "co_tweet", "near_duplicate", "retweet_ring",
                                              "amplification"),
                   work_dir: str | Path = DATA_DIR) -> list[Path]:
    """GEXF + GraphML (+ Parquet edge tweets for windowed traces) of the main traces of a release."""
    from .export import edge_evidence, export_network, node_table

    inferred = inferred_roles(tweets, nets, p) if gt is None else None
    written = []
    for tr in traces:
        e = nets[tr]
        nodes = node_table(release, sorted(nodes_of(e)), comms[tr], gt, inferred, work_dir)
        ev = edge_evidence(events(tweets, tr), e, window_of(tr, p), tr) if tr in ("co_retweet", "co_tweet") else None
        written += export_network(release, tr, e, nodes, ev, work_dir=work_dir)
    return written
