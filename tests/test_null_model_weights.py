"""The null model's per-permutation edge weights (``null_model.edge_weights``) are the weights ``undirected`` gives
the tested edges, looked up by name, as the permutation loop computed them before."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ioa_utils.coordination.cooccurrence import undirected
from ioa_utils.coordination.null_model import edge_weights


def _by_name(directed: pd.DataFrame, edges: pd.DataFrame) -> np.ndarray:
    e = undirected(directed)
    w = pd.Series(e["weight"].to_numpy(), index=e["source"] + "\x1f" + e["target"])
    return w.reindex(edges["source"] + "\x1f" + edges["target"]).fillna(0).to_numpy()


def test_edge_weights_equal_folding_the_directed_table():
    rng = np.random.default_rng(7)
    users = np.array([f"u{i:02d}" for i in range(12)], dtype=object)
    for _ in range(30):
        pairs = {(a, b) for a, b in rng.integers(0, len(users), (40, 2))}  # self-loops and one-way pairs included
        directed = pd.DataFrame({"user_1": users[[a for a, _ in pairs]], "user_2": users[[b for _, b in pairs]],
                                 "weight": rng.integers(1, 6, len(pairs))})
        a, b = rng.integers(0, len(users), (2, 15))
        keep = a != b
        edges = pd.DataFrame({"source": np.minimum(users[a], users[b])[keep],
                              "target": np.maximum(users[a], users[b])[keep]}).drop_duplicates()
        nodes = pd.Index(users)
        src, dst = (nodes.get_indexer(edges[c].to_numpy(object)) for c in ("source", "target"))
        assert np.array_equal(edge_weights(directed, nodes, src, dst), _by_name(directed, edges))
    empty = pd.DataFrame({"user_1": [], "user_2": [], "weight": []})
    assert edge_weights(empty, pd.Index(users), np.array([0]), np.array([1])).tolist() == [0]
