"""Are the co-activity edges more than chance? A permutation null model.

Two accounts that are both very active will co-occur by chance. To tell, we destroy the *timing*
while keeping everything else (what each account shared, how often, its activity volume), recompute
the weight of every observed edge, and repeat ``n_permutations`` times (seeded):

* ``"shuffle"``: permute the timestamps among each account's own messages (keeps the account's
  activity times, breaks which item was shared when);
* ``"circular"``: shift each account's whole timeline by a random offset, wrapping around the
  observation period (also keeps the account's rhythm and bursts).

The empirical p-value is ``(1 + #{null >= observed}) / (1 + n_permutations)``; ``z`` compares the
observed weight with the null mean and standard deviation; ``q`` is the Benjamini-Hochberg adjusted
p-value over all tested edges. Only the accounts of the tested edges are recomputed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .cooccurrence import Events, directed_weights


def permute_times(events: Events, rng: np.random.Generator, method: str = "shuffle") -> np.ndarray:
    """New event times under the null (a message keeps one time across its events)."""
    msg, first = np.unique(events.msg, return_index=True)
    t = events.time[first]
    u = events.msg_user[msg]
    if method == "shuffle":
        by_user = np.argsort(u, kind="stable")
        shuffled = np.lexsort((rng.random(len(u)), u))
        new = np.empty_like(t)
        new[by_user] = t[shuffled]
    elif method == "circular":
        t0, span = int(events.time.min()), int(events.time.max() - events.time.min()) + 1
        offset = rng.integers(0, span, events.n_users)
        new = t0 + (t - t0 + offset[u]) % span
    else:
        raise ValueError(f"unknown null model {method!r}; use 'shuffle' or 'circular'")
    return new[np.searchsorted(msg, events.msg)]


def bh_adjust(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values)."""
    p = np.asarray(p, dtype=float)
    n = len(p)
    if n == 0:
        return p
    order = np.argsort(p)
    ranked = p[order] * n / np.arange(1, n + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(n)
    out[order] = np.minimum(q, 1.0)
    return out


def edge_weights(directed: pd.DataFrame, nodes: pd.Index, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """The weight :func:`.undirected` gives each edge ``nodes[src] - nodes[dst]`` from a directed table of
    accounts in ``nodes``: the smaller of the two directed weights, 0 unless both directions co-occur. The same
    numbers as folding the whole table and looking the edges up by name, on integer codes (the permutation
    loop's cost)."""
    n = np.int64(len(nodes))
    keys = (nodes.get_indexer(directed["user_1"].to_numpy(object)).astype(np.int64) * n
            + nodes.get_indexer(directed["user_2"].to_numpy(object)))
    order = np.argsort(keys, kind="stable")
    keys, weight = keys[order], directed["weight"].to_numpy(np.int64)[order]

    def lookup(wanted: np.ndarray) -> np.ndarray:
        if not len(keys):
            return np.zeros(len(wanted), dtype=np.int64)
        pos = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        return np.where(keys[pos] == wanted, weight[pos], 0)

    return np.minimum(lookup(src * n + dst), lookup(dst * n + src))


def edge_significance(events: Events, edges: pd.DataFrame, window: float | None,
                      n_permutations: int = 100, method: str = "shuffle", seed: int = 2020,
                      alpha: float = 0.05) -> pd.DataFrame:
    """``edges`` (undirected ``source, target, weight`` from :func:`.co_network` on ``events`` with
    the same ``window``) plus ``null_mean, null_std, z, p_value, q_value, significant``
    (``q_value <= alpha``)."""
    out = edges[["source", "target", "weight"]].reset_index(drop=True).copy()
    if out.empty:
        return out.assign(null_mean=[], null_std=[], z=[], p_value=[], q_value=[], significant=[])
    nodes = pd.Index(pd.unique(np.r_[out["source"].to_numpy(object), out["target"].to_numpy(object)]))
    sub = events.subset(np.isin(events.users[events.user], nodes))
    rng = np.random.default_rng(seed)
    src, dst = (nodes.get_indexer(out[c].to_numpy(object)).astype(np.int64) for c in ("source", "target"))
    null = np.zeros((n_permutations, len(out)))
    for r in range(n_permutations):
        directed = directed_weights(sub.with_time(permute_times(sub, rng, method)), window)
        null[r] = edge_weights(directed, nodes, src, dst)
    obs = out["weight"].to_numpy(float)
    mean, std = null.mean(axis=0), null.std(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(std > 0, (obs - mean) / std, np.where(obs > mean, np.inf, 0.0))
    p = (1 + (null >= obs).sum(axis=0)) / (1 + n_permutations)
    q = bh_adjust(p)
    return out.assign(null_mean=mean, null_std=std, z=z, p_value=p, q_value=q, significant=q <= alpha)
