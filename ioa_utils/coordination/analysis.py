"""One call per step of the networks notebook. Edges, communities, rings and amplifiers come from the
coordination stage (:mod:`.stage`, thresholds in :mod:`.traces`); the exploratory steps (window estimate,
null model, evidence, sweep, export) compute from events that read only the columns their trace needs."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from .. import stageio, store
from ..ground_truth import GroundTruth
from ..paths import DATA_DIR
from . import bounded, stage
from .cooccurrence import Events
from .evaluate import nodes_of, score_accounts, score_communities
from .groups import communities, retweet_rings
from .traces import DEFAULTS, TRACES, Params, compute, events, ring_params, window_of

COLUMNS = ["tweetid", "userid", "tweet_time", "tweet_kind", "tweet_text", "text_norm", "rt_userid",
           "rt_screen_name", "retweet_tweetid", "in_reply_to_userid", "has_lossy_ref", "hashtags", "urls",
           "domains", "user_mentions"]

# which planted group kinds each trace is meant to find (None: any planted group)
TARGETS: dict[str, tuple[str, ...] | None] = {name: t.targets for name, t in TRACES.items()}


def read_tweets(release: str, work_dir: str | Path = DATA_DIR) -> pd.DataFrame:
    """The processed tweets columns the networks need (small releases and tests; the stage reads less)."""
    return store.read(release, "tweets", columns=COLUMNS, work_dir=work_dir)


def trace_events(release: str, trace: str, work_dir: str | Path = DATA_DIR, ids: bool = True) -> Events:
    """The events behind a windowed trace, reading only the columns and rows it needs: into pandas for a release
    below ``stage.BOUNDED_MIN_ROWS`` tweets, else coded by DuckDB where the trace has one event per tweet
    (``bounded.Release.coded_events``: the same arrays). ``ids`` False: message ids and keys may be placeholders
    (the null model only counts them)."""
    t = TRACES[trace]
    if trace in bounded.ONE_EVENT_TRACES and stage.release_rows(release, work_dir) >= stage.BOUNDED_MIN_ROWS:
        base = stageio.scratch(work_dir, "events")
        base.mkdir(parents=True, exist_ok=True)
        with bounded.Release(release, work_dir, Path(tempfile.mkdtemp(prefix=f"{release}-", dir=base))) as src:
            return src.coded_events(trace, ids)
    return events(stage.read_columns(release, t.columns, t.kinds, work_dir, t.fallback_only), trace)


def all_networks(tweets: pd.DataFrame, p: Params = DEFAULTS) -> dict[str, pd.DataFrame]:
    """Undirected edge tables of every trace computed from a tweets frame (``retweet_ring``: the ring
    members linked by their mutual fast retweets; ``amplification``: internal retweets, made undirected).
    The coordination stage stores the same tables; notebooks read them from there (:func:`networks`)."""
    rings = retweet_rings(tweets, **ring_params(p))
    return {name: compute(name, tweets, p, rings) for name in TRACES}


def networks(release: str, work_dir: str | Path = DATA_DIR, p: Params = DEFAULTS) -> dict[str, pd.DataFrame]:
    """Every trace's edges of a release, from the coordination stage."""
    return stage.edges(release, work_dir, p)


def summary(nets: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Edges, accounts and total weight per trace."""
    return pd.DataFrame([{"trace": k, "edges": len(e), "accounts": len(nodes_of(e)),
                          "total_weight": round(float(e["weight"].sum()), 3)} for k, e in nets.items()])


def all_communities(nets: dict[str, pd.DataFrame], seed: int) -> dict[str, pd.Series]:
    return {k: communities(e, seed=seed) for k, e in nets.items()}


def stage_communities(release: str, work_dir: str | Path = DATA_DIR, p: Params = DEFAULTS) -> dict[str, pd.Series]:
    """Louvain communities of every trace (userid -> community), from the coordination stage."""
    c = stage.read(release, "communities", work_dir, p)
    out = {}
    for trace in TRACES:
        g = c[c["trace"] == trace]
        s = pd.Series(g["community"].to_numpy(np.int64), index=pd.Index(g["userid"].to_numpy(object), name="userid"),
                      name="community", dtype=np.int64)
        out[trace] = s
    return out


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


def inferred_roles(amp: pd.DataFrame, nets: dict[str, pd.DataFrame]) -> pd.Series:
    """A role per account from behaviour alone (for real releases): ring member, amplifier,
    amplified core, co-tweeter, else coordinated / other. ``amp``: the stage's amplifiers table (one row
    per account that tweeted)."""
    role = pd.Series("other", index=pd.Index(sorted(amp["userid"]), name="userid"))
    for trace in ("co_retweet", "hashtag_sequence", "co_url"):
        role[role.index.isin(list(nodes_of(nets[trace])))] = "coordinated"
    role[role.index.isin(list(nodes_of(nets["co_tweet"])))] = "co_tweeter"
    amp_ids = amp.loc[amp["is_amplifier"], "userid"]
    role[role.index.isin(amp_ids)] = "amplifier"
    core = nets["amplification"]
    core_ids = set(core.loc[core["source"].isin(amp_ids), "target"]) | set(core.loc[core["target"].isin(amp_ids),
                                                                                    "source"])
    role[role.index.isin(list(core_ids - set(amp_ids)))] = "core"
    role[role.index.isin(list(nodes_of(nets["retweet_ring"])))] = "ring"
    return role


def kinds_table(releases: list[str], work_dir: str | Path = DATA_DIR) -> pd.DataFrame:
    """Accounts and tweets per kind, per release (DuckDB counts over two columns; kinds by decreasing count, ties
    in order of first appearance, as ``value_counts``)."""
    rows = {}
    for r in releases:
        files = store.tweet_files(r, work_dir)
        n = store.query("SELECT count(DISTINCT userid) AS accounts, count(*) AS tweets FROM tweets", files).iloc[0]
        k = store.query("SELECT tweet_kind, count(*) AS n FROM tweets WHERE tweet_kind IS NOT NULL GROUP BY 1 "
                        "ORDER BY min(ord)", files)
        kinds = pd.Series(k["n"].to_numpy(), index=k["tweet_kind"].to_numpy(object)).sort_values(ascending=False)
        rows[r] = {"accounts": int(n["accounts"]), "tweets": int(n["tweets"]), **kinds.to_dict()}
    return pd.DataFrame(rows).T.fillna(0).astype(int)


def window_estimates(releases: list[str], q: float = 0.1, p: float = 0.5,
                     work_dir: str | Path = DATA_DIR) -> pd.DataFrame:
    """CooRnet's data-driven window (seconds) per release for the retweet and text traces."""
    from .window import estimate_window

    return pd.DataFrame({r: {trace: estimate_window(trace_events(r, trace, work_dir), q, p)
                             for trace in ("co_retweet", "co_tweet")} for r in releases}).T


def significance(release: str, nets: dict[str, pd.DataFrame], p: Params = DEFAULTS,
                 traces: tuple[str, ...] = ("co_retweet", "co_tweet"), n_permutations: int = 100,
                 methods: tuple[str, ...] = ("swap", "item"), alpha: float = 0.05,
                 work_dir: str | Path = DATA_DIR, workers: int | None = None) -> pd.DataFrame:
    """Edge significance of windowed traces under each null model of ``methods``
    (:mod:`.null_model`): one row per edge and null, with ``trace`` and ``null_model`` columns. The
    (trace, null) jobs run in ``workers`` processes (default: :func:`.null_model.workers_for` the events);
    the tables do not depend on it."""
    from .null_model import prepare, significance_tables, workers_for

    jobs, labels, n_events = [], [], 0
    for tr in traces:
        ev = trace_events(release, tr, work_dir, ids=False)
        n_events += len(ev)
        prep = prepare(ev, nets[tr], window_of(tr, p))  # keeps no ids: the trace's events go before the next
        del ev
        jobs += [(prep, m) for m in methods]
        labels += [(tr, m) for m in methods]
    tables = significance_tables(jobs, n_permutations, p.seed, alpha,
                                 workers_for(n_events) if workers is None else workers)
    return pd.concat([t.assign(trace=tr, null_model=m) for t, (tr, m) in zip(tables, labels, strict=True)],
                     ignore_index=True)


def significance_summary(sig: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per release, trace and null model: candidate pairs (the Benjamini-Hochberg family), edges tested,
    edges significant, their share and the median z of the observed weights."""
    rows = []
    for rel, s in sig.items():
        for (tr, null), g in s.groupby(["trace", "null_model"], sort=False):
            rows.append({"release": rel, "trace": tr, "null model": null,
                         "candidate pairs": int(g["candidate_pairs"].iloc[0]) if len(g) else 0, "edges": len(g),
                         "significant": int(g["significant"].sum()),
                         "share significant": round(float(g["significant"].mean()), 3) if len(g) else None,
                         "median z": round(float(g["z"].median()), 2) if len(g) else None})
    return pd.DataFrame(rows)


def combined(nets: dict[str, pd.DataFrame], traces: tuple[str, ...] = ("co_retweet", "co_tweet", "retweet_ring",
                                                                        "amplification")) -> pd.DataFrame:
    """One undirected network from several traces (weights added)."""
    e = pd.concat([nets[t][["source", "target", "weight"]] for t in traces], ignore_index=True)
    return e.groupby(["source", "target"], as_index=False)["weight"].sum()


def release_span(release: str, work_dir: str | Path = DATA_DIR) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last tweet of a release (UTC, from the Parquet statistics), for figures over time."""
    return store.time_span(store.table_path(release, "tweets", work_dir=work_dir))


def evidence(release: str, nets: dict[str, pd.DataFrame], p: Params = DEFAULTS,
             traces: tuple[str, ...] = ("co_retweet", "co_tweet"), work_dir: str | Path = DATA_DIR) -> pd.DataFrame:
    """The co-occurring tweet pairs behind the edges of windowed traces."""
    from .export import edge_evidence

    return pd.concat([edge_evidence(trace_events(release, t, work_dir), nets[t], window_of(t, p), t)
                      for t in traces], ignore_index=True)


def group_summary(releases: list[str], comms: dict[str, dict[str, pd.Series]], p: Params = DEFAULTS,
                  work_dir: str | Path = DATA_DIR) -> pd.DataFrame:
    """Per release: retweet rings, amplifiers and the core they serve, and communities of the main traces
    (from the coordination stage)."""
    rows = []
    for rel in releases:
        rings = stage.read(rel, "rings", work_dir, p)
        amp = stage.read(rel, "amplifiers", work_dir, p)
        core = stage.read(rel, "core", work_dir, p)
        row = {"release": rel, "retweet rings": rings["ring"].nunique(), "ring members": len(rings),
               "amplifiers": int(amp["is_amplifier"].sum()), "amplified core": len(core)}
        for tr in ("co_retweet", "co_tweet", "amplification"):
            row[f"{tr} communities"] = int(comms[rel][tr].nunique())
        rows.append(row)
    return pd.DataFrame(rows)


def roles(release: str, nets: dict[str, pd.DataFrame], gt: GroundTruth | None, p: Params = DEFAULTS,
          work_dir: str | Path = DATA_DIR) -> pd.Series:
    """Ground-truth role when there is one, else the inferred role."""
    if gt is not None:
        return gt.accounts.set_index("userid")["role"]
    return inferred_roles(stage.read(release, "amplifiers", work_dir, p), nets)


def export_release(release: str, nets: dict[str, pd.DataFrame], comms: dict[str, pd.Series], p: Params,
                   gt: GroundTruth | None,
                   traces: tuple[str, ...] = ("co_retweet", "co_tweet", "near_duplicate", "retweet_ring",
                                              "amplification"),
                   work_dir: str | Path = DATA_DIR) -> list[Path]:
    """GEXF + GraphML (+ Parquet edge tweets for windowed traces) of the main traces of a release."""
    from .export import edge_evidence, export_network, node_table

    inferred = inferred_roles(stage.read(release, "amplifiers", work_dir, p), nets) if gt is None else None
    written = []
    for tr in traces:
        e = nets[tr]
        nodes = node_table(release, sorted(nodes_of(e)), comms[tr], gt, inferred, work_dir)
        ev = (edge_evidence(trace_events(release, tr, work_dir), e, window_of(tr, p), tr)
              if tr in ("co_retweet", "co_tweet") else None)
        written += export_network(release, tr, e, nodes, ev, work_dir=work_dir)
    return written
