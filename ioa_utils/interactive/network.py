"""Explorable co-retweet network of a release: pyvis (vis-network) with its JavaScript inlined, so the page
works offline from a file (no CDN)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd

MAX_NODES = 300  # accounts drawn, by weighted degree: a browser lays out a few hundred nodes in seconds
# pyvis's template loads Bootstrap's CSS and JS from a CDN whatever ``cdn_resources`` says; the graph does not
# need them, so they are removed (the page then makes no request outside its own file).
_CDN_TAG = re.compile(r"<(link|script)\b[^>]*\b(?:href|src)\s*=\s*\"https?://[^\"]*\"[^>]*>(?:\s*</script>)?",
                      re.DOTALL)
_EXTERNAL = re.compile(r"\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.IGNORECASE)


def co_retweet(release: str, work_dir: str | Path) -> tuple[pd.DataFrame, pd.Series]:
    """Co-retweet edges (source, target, weight; undirected) and their Louvain communities (userid -> community),
    from the cached coordination stage (its default thresholds: the same network notebook 04 and the case
    studies report)."""
    from ..coordination import stage

    edges = stage.read(release, "edges/co_retweet", work_dir)
    comms = stage.read(release, "communities", work_dir)
    comms = comms[comms["trace"] == "co_retweet"].set_index("userid")["community"]
    return edges, comms


def strongest(edges: pd.DataFrame, max_nodes: int = MAX_NODES) -> tuple[pd.DataFrame, pd.Series]:
    """The edges among the ``max_nodes`` accounts of highest weighted degree (ties: account id), and the
    weighted degree of every account of the full network."""
    degree = pd.concat([edges[["source", "weight"]].rename(columns={"source": "userid"}),
                        edges[["target", "weight"]].rename(columns={"target": "userid"})]).groupby("userid")["weight"]
    degree = degree.sum().rename("weighted_degree")
    keep = degree.reset_index().sort_values(["weighted_degree", "userid"], ascending=[False, True])["userid"]
    keep = set(keep.head(max_nodes))
    return edges[edges["source"].isin(keep) & edges["target"].isin(keep)].reset_index(drop=True), degree


def page(release: str, edges: pd.DataFrame, comms: pd.Series, max_nodes: int = MAX_NODES) -> str:
    """A standalone HTML page: the co-retweet network (nodes sized by weighted degree, coloured by community;
    hover for details, drag, zoom, filter by community) with a note on what is drawn."""
    from pyvis.network import Network

    shown, degree = strongest(edges, max_nodes)
    net = Network(height="760px", width="100%", cdn_resources="in_line", filter_menu=True, heading="")
    nodes = sorted(set(shown["source"]) | set(shown["target"]))
    top = float(degree.max()) if len(degree) else 1.0
    for u in nodes:
        c = int(comms.get(u, -1))
        size = 8 + 22 * (float(degree[u]) / top) ** 0.5  # 8 to 30 px: area grows with weighted degree
        net.add_node(u, label=u[:10], size=size,  # vis-network colours each group (community) alike
                     title=f"account {u}\ncommunity {c}\nweighted degree {int(degree[u])}", group=str(c),
                     community=str(c))
    for e in shown.itertuples(index=False):
        net.add_edge(e.source, e.target, value=int(e.weight), title=f"co-retweeted {int(e.weight)} times")
    net.set_options('{"physics": {"solver": "forceAtlas2Based", "stabilization": {"iterations": 150}}, '
                    '"interaction": {"hover": true, "navigationButtons": false}}')
    body = _offline(net.generate_html())
    n_acc = len(degree)
    note = (f"<h1>{html.escape(release)}: co-retweet network</h1><p>Two accounts are linked when they retweeted "
            f"the same tweet within the coordination window, at least the minimum number of times; edge width = "
            f"times. Drawn: the {len(nodes):,} accounts of highest weighted degree and the {len(shown):,} edges "
            f"among them, of {n_acc:,} accounts and {len(edges):,} edges in all. Colour = Louvain community. "
            f"Drag to move, scroll to zoom, hover for details; the menu filters by community. "
            f"<a href='index.html'>Back to the interactive report</a>.</p>")
    return body.replace("<body>", f"<body>{note}", 1)


def _offline(doc: str) -> str:
    """Remove the CDN tags of pyvis's template; fail if any external resource is left."""
    doc = _CDN_TAG.sub("", doc)
    if _EXTERNAL.search(doc):
        raise RuntimeError(f"network page still loads an external resource: {_EXTERNAL.search(doc).group(0)}")
    return doc
