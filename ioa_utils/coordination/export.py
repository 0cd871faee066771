"""Export coordination networks for Gephi: GEXF and GraphML with node attributes, plus the tweets
behind every edge (Parquet). Files go to ``data/processed/<release>/networks/`` and
``reports/networks/``."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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
    pairs = store.query("SELECT userid, topic, count(*) AS n FROM t WHERE userid IS NOT NULL AND topic IS NOT NULL "
                        "GROUP BY ALL", {"t": [path]})  # per account and topic: no per-tweet frame
    counts = pairs.pivot(index="userid", columns="topic", values="n").fillna(0).sort_index().sort_index(axis=1)
    share = counts.div(counts.sum(axis=1), axis=0)
    share.columns = [f"topic_{c}" for c in share.columns]
    share.columns.name = None
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
    (at most ``max_per_edge`` per edge, earliest first; ties by the two tweet ids). The co-occurring pairs are
    reduced to each edge's first ``max_per_edge`` chunk by chunk, on integer codes, so memory follows the edges,
    not the co-occurring pairs."""
    nu = np.int64(events.n_users)
    uidx = pd.Index(events.users)
    s, t = uidx.get_indexer(edges["source"]), uidx.get_indexer(edges["target"])
    wanted = np.unique(np.r_[s * nu + t, t * nu + s])
    rank = _string_rank(events.msgs)  # tweet ids in string order, as a sort of the id columns would put them
    kept = tuple(np.zeros(0, np.int64) for _ in range(3))  # (i, j, order met): the first rows per edge so far
    met = 0
    for i, j in iter_event_pairs(events, window):
        ui, uj = events.user[i], events.user[j]
        keep = (ui < uj) & np.isin(ui * nu + uj, wanted)
        seq = met + np.flatnonzero(keep)
        met += len(i)
        kept = _first_per_edge(events, rank, nu, np.r_[kept[0], i[keep]], np.r_[kept[1], j[keep]],
                               np.r_[kept[2], seq], max_per_edge)
    cols = ["trace", "source", "target", "tweetid_source", "tweetid_target", "key", "time_source",
            "time_target", "delta_seconds"]
    if not met:
        return pd.DataFrame(columns=cols)
    i, j = kept[0], kept[1]
    return pd.DataFrame({"trace": trace, "source": events.users[events.user[i]],
                         "target": events.users[events.user[j]], "tweetid_source": events.msgs[events.msg[i]],
                         "tweetid_target": events.msgs[events.msg[j]],
                         "key": events.keys[events.key[i]].astype(str),
                         "time_source": pd.to_datetime(events.time[i], unit="s", utc=True),
                         "time_target": pd.to_datetime(events.time[j], unit="s", utc=True),
                         "delta_seconds": np.abs(events.time[i] - events.time[j])})[cols]


def _string_rank(values: object) -> np.ndarray:
    """Each value's position in string order (Arrow's sort: code point order, as Python's)."""
    order = pc.sort_indices(pa.array(values, pa.string())).to_numpy()
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order))
    return rank


def _first_per_edge(ev: Events, rank: np.ndarray, nu: np.int64, i: np.ndarray, j: np.ndarray, seq: np.ndarray,
                    k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs ``(i, j)`` sorted by (source, target, source time, source id, target id, order met), repeated
    tweet pairs dropped, and the first ``k`` per account pair kept."""
    if not len(i):
        return i, j, seq
    pair = ev.user[i] * nu + ev.user[j]
    ri, rj = rank[ev.msg[i]], rank[ev.msg[j]]
    order = np.lexsort((seq, rj, ri, ev.time[i], pair))
    pair, ri, rj = pair[order], ri[order], rj[order]
    new = np.r_[True, (pair[1:] != pair[:-1]) | (ri[1:] != ri[:-1]) | (rj[1:] != rj[:-1])]
    order, pair = order[new], pair[new]
    start = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
    nth = np.arange(len(pair)) - np.repeat(start, np.diff(np.r_[start, len(pair)]))
    order = order[nth < k]
    return i[order], j[order], seq[order]


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
