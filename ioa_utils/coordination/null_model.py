"""Are the co-activity edges more than chance? A permutation null model.

Two accounts that are both very active, or that both share what everyone shares, will co-occur by chance.
To tell, the events are randomised ``n_permutations`` times (seeded) under a null hypothesis, the weight of
every pair of accounts is recomputed, and each observed pair gets an empirical p-value
``(1 + #{null >= observed}) / (1 + n_permutations)``. Three nulls respect the data (every shared tweet or
text keeps its share count and every account its activity; a retweet never lands before its original,
because every permuted time is at or after the first observed share of that tweet, which is itself after
the original):

* ``"swap"`` (default): the items (retweeted tweet, text) are permuted across all events, and each event
  keeps its own delay after the first share of the item, now of its new item. Tests co-selection and
  timing together: two accounts that share the same items at the same moments more than the items'
  popularity and the accounts' activity and reaction speeds explain.
* ``"item"``: the times are permuted among the events of each item. Tests timing given what each account
  shared: conservative; accounts that are the only ones to share an item can never be significant.
* ``"delay"``: each account's delays after the first share are permuted among its own events. Tests whether
  the pair is more synchronised than the two accounts' reaction speeds explain.

Two nulls from earlier versions are kept for comparison; they ignore the order of retweet and original:
``"shuffle"`` permutes the times among each account's own messages, ``"circular"`` shifts each account's
timeline by a random offset, wrapping around the observation period.

The Benjamini-Hochberg false discovery rate is controlled over *all candidate pairs*: every pair of
accounts that co-occurs at least once in the window, not only the edges that passed the minimum weight
(a filter chosen after seeing the weights would make the q-values too small). ``z`` compares the observed
weight with the null mean and standard deviation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .cooccurrence import Events, directed_codes

METHODS = ("swap", "item", "delay", "shuffle", "circular")
_ITEM_NULLS = ("swap", "item", "delay")  # need one event per message (co-retweet, co-tweet)


def _first_share(events: Events) -> np.ndarray:
    """Time of the first event of each item (key code)."""
    first = np.full(len(events.keys), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, events.key, events.time)
    return first


def _within(groups: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A permutation of positions that only exchanges positions of the same group."""
    by_group = np.argsort(groups, kind="stable")
    shuffled = np.lexsort((rng.random(len(groups)), groups))
    out = np.empty(len(groups), dtype=np.int64)
    out[by_group] = shuffled
    return out


def permute_times(events: Events, rng: np.random.Generator, method: str = "shuffle") -> np.ndarray:
    """New event times under the ``"shuffle"`` or ``"circular"`` null (a message keeps one time across its
    events)."""
    msg, first = np.unique(events.msg, return_index=True)
    t = events.time[first]
    u = events.msg_user[msg]
    if method == "shuffle":
        new = t[_within(u, rng)]
    elif method == "circular":
        t0, span = int(events.time.min()), int(events.time.max() - events.time.min()) + 1
        offset = rng.integers(0, span, events.n_users)
        new = t0 + (t - t0 + offset[u]) % span
    else:
        raise ValueError(f"unknown null model {method!r}; use one of {', '.join(METHODS)}")
    return new[np.searchsorted(msg, events.msg)]


def permute(events: Events, rng: np.random.Generator, method: str = "swap") -> Events:
    """The events under one draw of the null ``method`` (see the module docstring)."""
    if method not in _ITEM_NULLS:
        return events.with_time(permute_times(events, rng, method))
    if len(events) and np.bincount(events.msg).max() > 1:
        raise ValueError(f"the {method!r} null needs one event per message (co-retweet, co-tweet); "
                         "use 'shuffle' or 'circular' for list traces")
    first = _first_share(events)
    delay = events.time - first[events.key]
    if method == "item":
        return events.with_time(events.time[_within(events.key, rng)])
    if method == "delay":
        return events.with_time(first[events.key] + delay[_within(events.user, rng)])
    key = events.key[rng.permutation(len(events))]
    return Events(events.user, events.msg, key, first[key] + delay, events.users, events.msgs, events.msg_user,
                  events.keys)


def pair_weights(events: Events, window: float | None) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of distinct accounts that co-occurs at least once, as sorted codes ``a * n_users + b``
    (``a < b``, account codes of ``events.users``), with the undirected weight ``min(w(a->b), w(b->a))``
    (as :func:`.cooccurrence.undirected`)."""
    pairs, w = directed_codes(events, window)
    nu = np.int64(max(events.n_users, 1))
    u1, u2 = pairs // nu, pairs % nu
    keep = u1 != u2
    code = np.minimum(u1, u2)[keep] * nu + np.maximum(u1, u2)[keep]
    w = w[keep]
    order = np.argsort(code, kind="stable")
    code, w = code[order], w[order]
    start = np.flatnonzero(np.r_[True, code[1:] != code[:-1]]) if len(code) else np.zeros(0, np.int64)
    both = np.diff(np.r_[start, len(code)]) == 2
    return code[start][both], np.minimum.reduceat(w, start)[both] if len(start) else w


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


def edge_significance(events: Events, edges: pd.DataFrame, window: float | None,
                      n_permutations: int = 100, method: str = "swap", seed: int = 2020,
                      alpha: float = 0.05) -> pd.DataFrame:
    """``edges`` (undirected ``source, target, weight`` from :func:`.co_network` on ``events`` with the same
    ``window``) plus ``null_mean, null_std, z, p_value``, ``q_value`` (Benjamini-Hochberg over all
    ``candidate_pairs``: the pairs that co-occur at least once) and ``significant`` (``q_value <= alpha``)."""
    if method not in METHODS:
        raise ValueError(f"unknown null model {method!r}; use one of {', '.join(METHODS)}")
    out = edges[["source", "target", "weight"]].reset_index(drop=True).copy()
    codes, observed = pair_weights(events, window)
    if out.empty:
        return out.assign(null_mean=[], null_std=[], z=[], p_value=[], q_value=[], significant=[],
                          candidate_pairs=[])
    rng = np.random.default_rng(seed)
    ge = np.zeros(len(codes))
    s1 = np.zeros(len(codes))
    s2 = np.zeros(len(codes))
    for _ in range(n_permutations):
        c, w = pair_weights(permute(events, rng, method), window)
        null = np.zeros(len(codes))
        if len(c):
            i = np.minimum(np.searchsorted(c, codes), len(c) - 1)
            null = np.where(c[i] == codes, w[i], 0).astype(float)
        ge += null >= observed
        s1 += null
        s2 += null * null
    p_all = (1 + ge) / (1 + n_permutations)
    q_all = bh_adjust(p_all)
    nu = np.int64(max(events.n_users, 1))
    a = np.searchsorted(events.users, out["source"].to_numpy(object))
    b = np.searchsorted(events.users, out["target"].to_numpy(object))
    at = np.searchsorted(codes, np.minimum(a, b) * nu + np.maximum(a, b))
    if not (at < len(codes)).all() or not np.array_equal(codes[at], np.minimum(a, b) * nu + np.maximum(a, b)):
        raise ValueError("edges that do not co-occur in these events: compute them with the same events and window")
    obs = out["weight"].to_numpy(float)
    mean = s1[at] / n_permutations
    std = np.sqrt(np.maximum(s2[at] / n_permutations - mean * mean, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(std > 0, (obs - mean) / std, np.where(obs > mean, np.inf, 0.0))
    q = q_all[at]
    return out.assign(null_mean=mean, null_std=std, z=z, p_value=p_all[at], q_value=q, significant=q <= alpha,
                      candidate_pairs=len(codes))
