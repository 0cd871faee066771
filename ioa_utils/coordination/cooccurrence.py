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
import pyarrow as pa
import pyarrow.compute as pc

DEFAULT_CHUNK_PAIRS = 4_000_000
_POW10 = 10 ** np.arange(19, dtype=np.int64)  # 1, 10, ..., 10**18


@dataclass(frozen=True)
class Events:
    """Integer-coded events. ``users[user[i]]`` is the userid of event ``i``, ``msgs[msg[i]]`` its
    tweetid, ``keys[key[i]]`` its key; ``msg_user[m]`` is the account code that posted message ``m``.
    ``users`` is an object array; ``msgs`` and ``keys`` stay Arrow-backed pandas arrays when the input
    columns were (no Python string objects for a million ids or texts)."""

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


def _arrow(values: pd.Series | np.ndarray) -> pa.ChunkedArray | None:
    """The Arrow string data behind a pandas column (no copy), or ``None`` for any other storage."""
    arr = values.array if isinstance(values, pd.Series) else values
    data = getattr(arr, "_pa_array", None)
    if isinstance(data, pa.ChunkedArray) and (pa.types.is_string(data.type) or pa.types.is_large_string(data.type)):
        return data
    return None


def _as_int64(data: pa.ChunkedArray) -> np.ndarray | None:
    """``data`` as int64 when every value is a canonical decimal integer (tweet and user ids), so that
    equal integers mean equal strings; ``None`` otherwise. Hashing int64 is much cheaper than strings."""
    if data.null_count or len(data) == 0 or pc.max(pc.binary_length(data)).as_py() > 20:
        return None
    try:
        pc.cast(data.slice(0, 100), pa.int64())  # fail fast on text: a failing cast reads everything
        ints = pc.cast(data, pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    x = ints.to_numpy()
    # canonical iff the string is exactly as long as the number's digits and sign ("007", "+7", "-0" ...)
    digits = np.maximum(np.searchsorted(_POW10, np.abs(x), side="right"), 1) + (x < 0)
    if not np.array_equal(digits, pc.binary_length(data).to_numpy()):
        return None
    return x


def _codes(values: pd.Series | np.ndarray, sort: bool, objects: bool = True) -> tuple[np.ndarray, object]:
    """Integer codes of ``values`` and their uniques (``sort=True``: codes follow the sorted values,
    otherwise first appearance). Arrow-backed strings are hashed by Arrow (as int64 when they are all
    integers) without creating Python objects; with ``objects=False`` their uniques stay an Arrow-backed
    pandas array (large columns: message ids, texts) instead of an object ndarray."""
    data = _arrow(values)
    if data is None:
        codes, uniques = pd.factorize(values, sort=sort)
        return codes.astype(np.int64, copy=False), np.asarray(uniques, dtype=object)
    ints = _as_int64(data)
    enc = pc.dictionary_encode(pa.chunked_array([ints]) if ints is not None else data).combine_chunks()
    if enc.null_count:  # pd.factorize codes missing values -1
        codes = enc.indices.fill_null(-1).to_numpy()
    else:
        codes = enc.indices.to_numpy()
    dictionary = enc.dictionary if ints is None else pc.cast(enc.dictionary, data.type)
    uniques = pd.array(dictionary, dtype="str")
    codes = codes.astype(np.int64)
    if sort and len(uniques) > 1:  # string order, as pd.factorize(sort=True)
        rank = np.empty(len(uniques), dtype=np.int64)
        by_value = np.asarray(pc.sort_indices(uniques._pa_array))
        rank[by_value] = np.arange(len(uniques))
        codes = rank[codes] if not enc.null_count else np.where(codes >= 0, rank[codes], -1)
        uniques = uniques.take(by_value)
    return codes, (np.asarray(uniques, dtype=object) if objects else uniques)


def _series(x: pd.Series | np.ndarray) -> pd.Series:
    return x.reset_index(drop=True) if isinstance(x, pd.Series) else pd.Series(np.asarray(x))


def _subset(s: pd.Series, ok: np.ndarray) -> pd.Series:
    """Rows of ``s`` where ``ok`` holds (Arrow strings filtered by Arrow, without a pandas take)."""
    data = _arrow(s)
    if data is not None:
        return pd.Series(pd.array(data.filter(pa.array(ok)), dtype=s.dtype), copy=False)
    return s[ok].reset_index(drop=True)


def make_events(userid: pd.Series, tweetid: pd.Series, key: pd.Series, time: pd.Series) -> Events:
    """Code an event table. Rows with a missing key are dropped; duplicate (message, key) rows are
    collapsed (a URL twice in one tweet is one share). Account codes follow the sorted userids, so
    outputs are ordered by id; message codes follow first appearance."""
    k = _series(key)
    ok = k.notna().to_numpy()
    u, m, t = _series(userid), _series(tweetid), to_seconds(_series(time))
    if not ok.all():
        u, m, k, t = _subset(u, ok), _subset(m, ok), _subset(k, ok), t[ok]
    user, users = _codes(u, sort=True)
    msg, msgs = _codes(m, sort=False, objects=False)
    key_codes, keys = _codes(k, sort=False, objects=False)
    return coded(user, msg, key_codes, t, users, msgs, keys)


def coded(user: np.ndarray, msg: np.ndarray, key: np.ndarray, time: np.ndarray, users: np.ndarray, msgs: object,
          keys: object) -> Events:
    """:class:`Events` from coded rows (int64; ``users[user[i]]`` ...), repeated (message, key) pairs dropped."""
    if len(msgs) < len(msg):  # some message has several events: drop repeated (message, key) pairs
        _, first = np.unique(msg * np.int64(len(keys)) + key, return_index=True)
        if len(first) < len(msg):
            first.sort()
            user, msg, key, time = user[first], msg[first], key[first], time[first]
    msg_user = np.zeros(len(msgs), dtype=np.int64)
    msg_user[msg] = user
    return Events(user, msg, key, time, users, msgs, msg_user, keys)


def _partner_ranges(ev: Events, window: float | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sort by (key, time); for each sorted event the half-open range [lo, hi) of its partners."""
    n = len(ev)
    if window is None:
        order = np.argsort(ev.key, kind="stable")
        k = ev.key[order]  # the whole key group, whatever the time
        starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]]) if n else np.zeros(0, np.int64)
        ends = np.r_[starts[1:], n] if n else starts
        group = np.cumsum(np.r_[True, k[1:] != k[:-1]]) - 1 if n else np.zeros(0, np.int64)
        return order, starts[group], ends[group]
    t0 = int(ev.time.min()) if n else 0
    w = int(np.floor(window))
    span = (int(ev.time.max()) - t0 if n else 0) + 2 * w + 1
    comb = ev.key * span + (ev.time - t0)  # one int64 sort key: (key, time)
    order = np.argsort(comb, kind="stable")
    comb = comb[order]
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


def _sorted_counts(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values of an int64 array and their counts, by sorting (``np.unique`` may pick a hash
    table, which is far slower on these structured codes)."""
    x = np.sort(x)
    if len(x) == 0:
        return x, np.zeros(0, dtype=np.int64)
    start = np.flatnonzero(np.r_[True, x[1:] != x[:-1]])
    return x[start], np.diff(np.r_[start, len(x)])


def _one_event_per_message(ev: Events) -> bool:
    return len(ev) == 0 or int(np.bincount(ev.msg, minlength=len(ev.msgs)).max()) <= 1


def _account_pair_codes(ev: Events, window: float | None, chunk_pairs: int) -> Iterator[np.ndarray]:
    """For events that are one per message: yield ``user_1 * n_users + user_2``, once per (event of
    user_1, account user_2 with a co-occurring event). Of the partners of an event, only the first of
    each account in (key, time) order is kept -- a partner whose previous event of the same account
    and key is also in the range is a repeat -- so no pair array is ever de-duplicated by hashing or
    sorting, and chunks can be cut anywhere."""
    nu = np.int64(max(ev.n_users, 1))
    order, lo, hi = _partner_ranges(ev, window)
    n = len(order)
    ku = ev.key[order] * nu + ev.user[order]
    u = ev.user[order]
    by = np.argsort(ku, kind="stable")  # (key, account) groups, time order inside
    same = ku[by[1:]] == ku[by[:-1]]
    del ku
    prev = np.full(n, -1, dtype=np.int64)  # previous sorted position of the same account and key
    prev[by[1:][same]] = by[:-1][same]
    del by, same
    counts = hi - lo
    cum = np.cumsum(counts)
    cuts = np.unique(np.r_[0, np.searchsorted(cum, np.arange(chunk_pairs, cum[-1], max(chunk_pairs, 1)),
                                              side="right"), n])
    for a, b in zip(cuts[:-1], cuts[1:], strict=True):
        c = counts[a:b]
        total = int(c.sum())
        rep = np.repeat(np.arange(a, b), c)
        partner = lo[rep] + (np.arange(total) - np.repeat(np.cumsum(c) - c, c))
        keep = prev[partner] < lo[rep]
        yield u[rep[keep]] * nu + u[partner[keep]]


def directed_codes(ev: Events, window: float | None, min_weight: int = 1,
                   chunk_pairs: int = DEFAULT_CHUNK_PAIRS) -> tuple[np.ndarray, np.ndarray]:
    """:func:`directed_weights` as account codes: sorted ``user_1 * n_users + user_2`` (indices into
    ``ev.users``) and their weights."""
    nu = np.int64(max(ev.n_users, 1))
    pair_parts: list[np.ndarray] = []
    count_parts: list[np.ndarray] = []
    if _one_event_per_message(ev):  # co-retweet, co-tweet: no message-level de-duplication needed
        for codes in _account_pair_codes(ev, window, chunk_pairs):
            pairs, cnt = _sorted_counts(codes)
            pair_parts.append(pairs)
            count_parts.append(cnt)
    else:
        for i, j in iter_event_pairs(ev, window, chunk_pairs):
            mu, _ = _sorted_counts(ev.msg[i] * nu + ev.user[j])  # distinct (message of u1, partner account)
            pairs, cnt = _sorted_counts(ev.msg_user[mu // nu] * nu + mu % nu)
            pair_parts.append(pairs)
            count_parts.append(cnt)
    if not pair_parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    if len(pair_parts) == 1:
        pairs, weight = pair_parts[0], count_parts[0].astype(np.int64)
    else:
        pairs, inv = np.unique(np.concatenate(pair_parts), return_inverse=True)
        weight = np.bincount(inv, weights=np.concatenate(count_parts)).astype(np.int64)
    keep = weight >= min_weight
    return pairs[keep], weight[keep]


def directed_weights(ev: Events, window: float | None, min_weight: int = 1,
                     chunk_pairs: int = DEFAULT_CHUNK_PAIRS) -> pd.DataFrame:
    """``user_1, user_2, weight``: number of distinct messages of ``user_1`` that co-occur with a
    message of ``user_2`` (self-loops included), kept when ``weight >= min_weight``."""
    pairs, weight = directed_codes(ev, window, min_weight, chunk_pairs)
    if not len(pairs):
        return pd.DataFrame({"user_1": pd.Series([], dtype=object), "user_2": pd.Series([], dtype=object),
                             "weight": pd.Series([], dtype=np.int64)})
    nu = np.int64(max(ev.n_users, 1))
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
