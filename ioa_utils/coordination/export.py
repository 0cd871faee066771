"""Export coordination networks for Gephi: GEXF and GraphML with node attributes, plus the tweets
behind every edge (Parquet). Files go to ``data/processed/<release>/networks/`` and
``reports/networks/``."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from .. import store
from ..ground_truth import GroundTruth
from ..paths import DATA_DIR, REPORTS_DIR, processed_dir, resolve
from .cooccurrence import Events, iter_event_pairs


def topic_shares(release: str, work_dir: str | Path = DATA_DIR) -> pd.DataFrame | None:
    """Share of each account's tweets per topic (``topic_<t>`` columns) from the topics stage's
    ``topics.parquet``, or ``None`` if that stage has not run."""
    path = processed_dir(release, work_dir) / "topics.parquet"
    if not path.exists():
        return None
    t = pd.read_parquet(path, columns=["userid", "topic"])
    share = pd.crosstab(t["userid"], t["topic"], normalize="index")
    share.columns = [f"topic_{c}" for c in share.columns]
    return share.round(4)


def node_table(release: str, nodes: list[str], communities: pd.Series | None = None,
               gt: GroundTruth | None = None, inferred_role: pd.Series | None = None,
               work_dir: str | Path = DATA_DIR) -> pd.DataFrame:
    """Node attributes: ``release, community, role`` (ground truth if any, else inferred, else
    "unknown"), ``role_source``, ``follower_count`` and topic shares when available."""
    n = pd.DataFrame(index=pd.Index(sorted(nodes), name="userid"))
    n["release"] = release
    n["community"] = (communities.reindex(n.index).fillna(-1).astype(np.int64) if communities is not None
                      else -1)
    if gt is not None:
        n["role"] = gt.accounts.set_index("userid")["role"].reindex(n.index).fillna("unknown")
        n["role_source"] = "ground_truth"
    else:
        n["role"] = (inferred_role.reindex(n.index).fillna("unknown") if inferred_role is not None else "unknown")
        n["role_source"] = "inferred"
    try:
        acc = store.read(release, "accounts", columns=["userid", "follower_count"], work_dir=work_dir)
        fc = acc.drop_duplicates("userid").set_index("userid")["follower_count"]
        n["follower_count"] = fc.reindex(n.index).fillna(-1).astype(np.int64)
    except (FileNotFoundError, KeyError):
        n["follower_count"] = -1
    topics = topic_shares(release, work_dir)
    if topics is not None:
        n = n.join(topics, how="left").fillna({c: 0.0 for c in topics.columns})
    return n


def edge_evidence(events: Events, edges: pd.DataFrame, window: float | None, trace: str,
                  max_per_edge: int = 50) -> pd.DataFrame:
    """The tweets behind each edge: ``trace, source, target, tweetid_source, tweetid_target, key,
    time_source, time_target, delta_seconds`` -- pairs of co-occurring tweets of the two accounts
    (at most ``max_per_edge`` per edge, earliest first)."""
    nu = np.int64(events.n_users)
    uidx = pd.Index(events.users)
    s, t = uidx.get_indexer(edges["source"]), uidx.get_indexer(edges["target"])
    wanted = np.unique(np.r_[s * nu + t, t * nu + s])
    parts = []
    for i, j in iter_event_pairs(events, window):
        ui, uj = events.user[i], events.user[j]
        keep = (ui < uj) & np.isin(ui * nu + uj, wanted)
        parts.append((i[keep], j[keep]))
    cols = ["trace", "source", "target", "tweetid_source", "tweetid_target", "key", "time_source",
            "time_target", "delta_seconds"]
    if not parts:
        return pd.DataFrame(columns=cols)
    i = np.concatenate([p[0] for p in parts])
    j = np.concatenate([p[1] for p in parts])
    ev = pd.DataFrame({"trace": trace, "source": events.users[events.user[i]],
                       "target": events.users[events.user[j]], "tweetid_source": events.msgs[events.msg[i]],
                       "tweetid_target": events.msgs[events.msg[j]], "key": events.keys[events.key[i]].astype(str),
                       "time_source": pd.to_datetime(events.time[i], unit="s", utc=True),
                       "time_target": pd.to_datetime(events.time[j], unit="s", utc=True),
                       "delta_seconds": np.abs(events.time[i] - events.time[j])})
    ev = ev.sort_values(["source", "target", "time_source", "tweetid_source", "tweetid_target"], ignore_index=True)
    ev = ev.drop_duplicates(["source", "target", "tweetid_source", "tweetid_target"])
    return ev.groupby(["source", "target"], sort=False).head(max_per_edge).reset_index(drop=True)[cols]


def _graph(edges: pd.DataFrame, nodes: pd.DataFrame, directed: bool) -> nx.Graph:
    g = nx.DiGraph() if directed else nx.Graph()
    for u, attrs in nodes.iterrows():
        g.add_node(str(u), **{k: (v.item() if hasattr(v, "item") else v) for k, v in attrs.items()})
    for s, t, w in edges[["source", "target", "weight"]].itertuples(index=False):
        g.add_edge(str(s), str(t), weight=float(w))
    return g


def export_network(release: str, name: str, edges: pd.DataFrame, nodes: pd.DataFrame,
                   evidence: pd.DataFrame | None = None, directed: bool = False,
                   work_dir: str | Path = DATA_DIR, reports_dir: str | Path = REPORTS_DIR) -> list[Path]:
    """Write ``<name>.gexf``, ``<name>.graphml`` (and ``<name>_edges.parquet`` with the evidence) to
    ``<work_dir>/processed/<release>/networks/`` and ``<reports_dir>/networks/<release>/``."""
    g = _graph(edges, nodes, directed)
    written = []
    for folder in (processed_dir(release, work_dir) / "networks", resolve(reports_dir) / "networks" / release):
        folder.mkdir(parents=True, exist_ok=True)
        nx.write_gexf(g, folder / f"{name}.gexf")
        nx.write_graphml(g, folder / f"{name}.graphml")
        written += [folder / f"{name}.gexf", folder / f"{name}.graphml"]
        if evidence is not None:
            written.append(store.write_table(evidence, folder / f"{name}_edges.parquet"))
    return written
