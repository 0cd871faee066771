"""The engine behind every co-activity network: a windowed self-join done with sorted arrays.

An *event* is one (account, message, key, time) row: "account ``u`` shared key ``k`` (a retweeted
tweet, a normalised text, a URL, a hashtag ...) in message ``m`` at time ``t``". Two events *co-occur*
when they have the same key and ``|t1 - t2| <= window`` (both bounds inclusive, as in
``coordination_network_toolkit``). The directed weight ``w(u1 -> u2)`` is the number of distinct
messages of ``u1`` that co-occur with at least one message of ``u2`` -- exactly the toolkit's
``count(distinct e_1.message_id)``; ``u1 == u2`` gives the self-loop (every message co-occurs with
itself).

How it scales: events are sorted once by (key, time); for each event the range of partners is found
with two ``searchsorted`` calls, and the ranges are expanded into index pairs with ``np.repeat``, a
bounded number of pairs at a time (``chunk_pairs``), cut at message boundaries so that the
"distinct messages" count is exact. No account x account matrix is ever built and no Python code
runs per pair; memory is O(events + distinct account pairs + chunk_pairs).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

DEFAULT_CHUNK_PAIRS = 4_000_000


@dataclass(frozen=True)
class Events:
    """Integer-coded events. ``users[user[i]]`` is the userid of event ``i``, ``msgs[msg[i]]`` its
    tweetid; ``msg_user[m]`` is the account code that posted message ``m``."""

    user: np.ndarray
    msg: np.ndarray
    key: np.ndarray
    time: np.ndarray
    users: np.ndarray
    msgs: np.ndarray
    msg_user: np.ndarray
    keys: np.ndarray

    def __len__(self) -> int:
        return len(self.user)

    @property
    def n_users(self) -> int:
        return len(self.users)

    def with_time(self, time: np.ndarray) -> Events:
        return Events(self.user, self.msg, self.key, np.asarray(time, dtype=np.int64), self.users,
                      self.msgs, self.msg_user, self.keys)

    def subset(self, mask: np.ndarray) -> Events:
        """Events where ``mask`` holds; codes (and so ``users`` / ``msgs``) are kept unchanged."""
        return Events(self.user[mask], self.msg[mask], self.key[mask], self.time[mask], self.users,
                      self.msgs, self.msg_user, self.keys)


def to_seconds(times: pd.Series | np.ndarray) -> np.ndarray:
    """UTC timestamps (any pandas datetime resolution; naive ones are taken as UTC) as int64 seconds
    since the epoch."""
    s = pd.Series(times) if not isinstance(times, pd.Series) else times
    if pd.api.types.is_datetime64_any_dtype(s):
        if s.dt.tz is not None:
            s = s.dt.tz_convert("UTC").dt.tz_localize(None)
        return s.to_numpy().astype("datetime64[s]").astype(np.int64)
    return np.asarray(s, dtype=np.int64)


def _codes(values: pd.Series, sort: bool) -> tuple[np.ndarray, np.ndarray]:
    codes, uniques = pd.factorize(values, sort=sort)  # on the (Arrow) column itself: no Python objects
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


def _series(x: pd.Series | np.ndarray) -> pd.Series:
    return x.reset_index(drop=True) if isinstance(x, pd.Series) else pd.Series(np.asarray(x))


def make_events(userid: pd.Series, tweetid: pd.Series, key: pd.Series, time: pd.Series) -> Events:
    """Code an event table. Rows with a missing key are dropped; duplicate (message, key) rows are
    collapsed (a URL twice in one tweet is one share). Account codes follow the sorted userids, so
    outputs are ordered by id; message codes follow first appearance."""
    k = _series(key)
    ok = k.notna().to_numpy()
    u, m, k = _series(userid)[ok], _series(tweetid)[ok], k[ok]
    t = to_seconds(_series(time))[ok]
    user, users = _codes(u, sort=True)
    msg, msgs = _codes(m, sort=False)
    key_codes, keys = _codes(k, sort=False)
    if len(msg):
        _, first = np.unique(msg * np.int64(len(keys)) + key_codes, return_index=True)
        if len(first) < len(msg):
            first.sort()
            user, msg, key_codes, t = user[first], msg[first], key_codes[first], t[first]
    msg_user = np.zeros(len(msgs), dtype=np.int64)
    msg_user[msg] = user
    return Events(user, msg, key_codes, t, users, msgs, msg_user, keys)


def _partner_ranges(ev: Events, window: float | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sort by (key, time); for each sorted event the half-open range [lo, hi) of its partners."""
    order = np.lexsort((ev.time, ev.key))
    k = ev.key[order]
    n = len(k)
    if window is None:  # the whole key group, whatever the time
        starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]]) if n else np.zeros(0, np.int64)
        ends = np.r_[starts[1:], n] if n else starts
        group = np.cumsum(np.r_[True, k[1:] != k[:-1]]) - 1 if n else np.zeros(0, np.int64)
        return order, starts[group], ends[group]
    t = ev.time[order]
    t0 = int(t.min()) if n else 0
    w = int(np.floor(window))
    span = (int(t.max()) - t0 if n else 0) + 2 * w + 1
    comb = k * span + (t - t0)
    lo = np.searchsorted(comb, comb - w, side="left")
    hi = np.searchsorted(comb, comb + w, side="right")
    return order, lo, hi


def iter_event_pairs(ev: Events, window: float | None,
                     chunk_pairs: int = DEFAULT_CHUNK_PAIRS) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield arrays ``(i, j)`` of event indices (into ``ev``) that co-occur, self pairs included.
    Every message's pairs come in a single chunk."""
    if len(ev) == 0:
        return
    order, lo, hi = _partner_ranges(ev, window)
    counts = hi - lo
    # visit sorted positions grouped by message so a chunk holds whole messages
    by_msg = np.argsort(ev.msg[order], kind="stable")
    msg_sorted = ev.msg[order][by_msg]
    cum = np.cumsum(counts[by_msg])
    bounds = np.flatnonzero(np.r_[True, msg_sorted[1:] != msg_sorted[:-1]])
    # chunk boundaries: message starts where the running pair count crosses a multiple of chunk_pairs
    before = np.r_[0, cum[:-1]][bounds]
    cut = bounds[np.r_[True, np.diff(before // max(chunk_pairs, 1)) > 0]]
    cut = np.r_[cut, len(by_msg)]
    for a, b in zip(cut[:-1], cut[1:], strict=True):
        pos = by_msg[a:b]
        c = counts[pos]
        total = int(c.sum())
        if total == 0:
            continue
        rep = np.repeat(pos, c)
        offs = np.arange(total) - np.repeat(np.cumsum(c) - c, c)
        partner = lo[rep] + offs
        yield order[rep], order[partner]


def directed_weights(ev: Events, window: float | None, min_weight: int = 1,
                     chunk_pairs: int = DEFAULT_CHUNK_PAIRS) -> pd.DataFrame:
    """``user_1, user_2, weight``: number of distinct messages of ``user_1`` that co-occur with a
    message of ``user_2`` (self-loops included), kept when ``weight >= min_weight``."""
    nu = np.int64(max(ev.n_users, 1))
    pair_parts: list[np.ndarray] = []
    count_parts: list[np.ndarray] = []
    for i, j in iter_event_pairs(ev, window, chunk_pairs):
        mu = np.unique(ev.msg[i] * nu + ev.user[j])  # distinct (message of u1, partner account)
        pairs, cnt = np.unique(ev.msg_user[mu // nu] * nu + mu % nu, return_counts=True)
        pair_parts.append(pairs)
        count_parts.append(cnt)
    if not pair_parts:
        return pd.DataFrame({"user_1": pd.Series([], dtype=object), "user_2": pd.Series([], dtype=object),
                             "weight": pd.Series([], dtype=np.int64)})
    pairs, inv = np.unique(np.concatenate(pair_parts), return_inverse=True)
    weight = np.bincount(inv, weights=np.concatenate(count_parts)).astype(np.int64)
    keep = weight >= min_weight
    pairs, weight = pairs[keep], weight[keep]
    return pd.DataFrame({"user_1": ev.users[pairs // nu], "user_2": ev.users[pairs % nu], "weight": weight})


def undirected(directed: pd.DataFrame, min_weight: int = 1) -> pd.DataFrame:
    """Fold a directed co-activity table into undirected edges ``source < target`` without self-loops.
    The weight is ``min(w(u->v), w(v->u))``: both accounts contribute at least that many co-occurring
    messages (for co-retweets both directions are equal)."""
    d = directed[directed["user_1"] != directed["user_2"]]
    a = np.where(d["user_1"] < d["user_2"], d["user_1"], d["user_2"])
    b = np.where(d["user_1"] < d["user_2"], d["user_2"], d["user_1"])
    g = pd.DataFrame({"source": a, "target": b, "weight": d["weight"].to_numpy()})
    g = g.groupby(["source", "target"], sort=True, as_index=False).agg(weight=("weight", "min"),
                                                                        n=("weight", "size"))
    g = g[(g["n"] == 2) & (g["weight"] >= min_weight)].drop(columns="n")
    return g.reset_index(drop=True).astype({"weight": np.int64})


def projection_weights(ev: Events) -> pd.DataFrame:
    """Undirected edges weighted by the number of distinct keys both accounts used, at any time:
    the sparse bipartite projection ``B @ B.T`` with ``B`` the binary account x key matrix."""
    import scipy.sparse as sp

    if len(ev) == 0:
        return pd.DataFrame({"source": [], "target": [], "weight": []}).astype({"weight": np.int64})
    b = sp.csr_matrix((np.ones(len(ev), dtype=np.int64), (ev.user, ev.key)),
                      shape=(ev.n_users, len(ev.keys)))
    b.data[:] = 1  # the constructor summed duplicate (account, key) cells; binarise
    p = sp.triu(b @ b.T, k=1).tocoo()
    return pd.DataFrame({"source": ev.users[p.row], "target": ev.users[p.col],
                         "weight": p.data.astype(np.int64)}).sort_values(["source", "target"],
                                                                          ignore_index=True)
