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

How it scales: for traces with one event per message, a draw does not redo the window join of
:func:`pair_weights` on the permuted events; ``_NullWeights`` counts only the candidate pairs' weights, from item
groups, orders and windows computed once (the ``item`` null sorts nothing per draw). Its loops over events and
co-occurring pairs are compiled (numba, integer arithmetic). It uses the same draws of the generator, so the
p-values are those of the plain method, which stays here (:func:`permute`, :func:`pair_weights`) as the
reference the tests compare it with, and for list traces. :func:`significance_tables` runs several (events,
null) jobs in worker processes: each job has its own generator seeded as in :func:`edge_significance`, so the
tables do not depend on the number of workers.
"""

from __future__ import annotations

import concurrent.futures
import functools
import multiprocessing
import os
from types import SimpleNamespace

import numpy as np
import pandas as pd

from .cooccurrence import DEFAULT_CHUNK_PAIRS, Events, _one_event_per_message, directed_codes

METHODS = ("swap", "item", "delay", "shuffle", "circular")
_ITEM_NULLS = ("swap", "item", "delay")  # need one event per message (co-retweet, co-tweet)
_DENSE_PAIRS = 1 << 24  # up to this many account x account cells (int32), candidate pairs are looked up in a table


def _first_share(events: Events) -> np.ndarray:
    """Time of the first event of each item (key code)."""
    first = np.full(len(events.keys), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, events.key, events.time)
    return first


def _order_within(gid: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """The stable order of positions by (``gid``, ``draws``), ``gid`` non-decreasing: as
    ``np.lexsort((draws, gid))``, but with one int64 radix-friendly sort instead of two float ones. Draws of
    ``Generator.random`` are multiples of 2**-53, so the group and the draw's top bits fit one int64; when two
    draws of a group share those bits (rare), the exact lexsort decides."""
    if len(gid) < 2:
        return np.arange(len(gid))
    shift = max(int(gid[-1]).bit_length() - 10, 0)  # keep gid << (53 - shift) within 63 bits
    comb = (gid << np.int64(53 - shift)) | ((draws * 2.0**53).astype(np.int64) >> np.int64(shift))
    order = np.argsort(comb, kind="stable")
    if shift and (np.diff(comb[order]) == 0).any():
        return np.lexsort((draws, gid))
    return order


def _group_ids(sorted_groups: np.ndarray) -> np.ndarray:
    """Dense ids 0, 1, ... of the runs of equal values of a sorted array."""
    return np.cumsum(np.r_[False, sorted_groups[1:] != sorted_groups[:-1]]) if len(sorted_groups) else sorted_groups


def _within(groups: np.ndarray, rng: np.random.Generator, by_group: np.ndarray | None = None) -> np.ndarray:
    """A permutation of positions that only exchanges positions of the same group: the k-th position of a
    group (in index order) takes the position with the group's k-th smallest draw of ``rng.random``.
    ``by_group``: ``np.argsort(groups, kind="stable")``, when already known."""
    draws = rng.random(len(groups))
    if by_group is None:
        by_group = np.argsort(groups, kind="stable")
    out = np.empty(len(groups), dtype=np.int64)
    out[by_group] = by_group[_order_within(_group_ids(groups[by_group]), draws[by_group])]
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


class _NullWeights:
    """The null weights of the candidate pairs ``codes`` (as :func:`pair_weights`, 0 for a pair that does not
    co-occur), one draw at a time, for events that are one per message (every null applies). The same draws
    of ``rng`` as :func:`permute` give the same weights as ``_null_weights(codes, *pair_weights(permute(...)))``
    (the reference; a test compares them), computed with far less work:

    * only events of items shared at least twice can co-occur, and every null keeps each item's share count:
      the *slots* (events of such items, grouped by item) are fixed; a draw only decides which event, with
      which time, fills each slot. Within an item, the first share is fixed, so ``swap`` and ``delay`` order an
      item's events by delay alone: a sort of data already grouped by item;
    * only events of accounts in some candidate pair can add to a candidate's weight; the others are dropped;
    * ``item`` moves accounts between the fixed (item, time) slots: no sort at all;
    * each co-occurring pair of events is visited once (``i < j`` in (item, time) order, a compiled loop) and
      looked up among the candidates (a dense account x account table when small, else a binary search
      among the account's candidate partners);
      when an account has several events of one item, a partner counts only if it is the account's first event
      in the window (``prev``, as in ``cooccurrence._account_pair_codes``), for each direction.
    """

    def __init__(self, events: Events, window: float | None, codes: np.ndarray,
                 chunk_pairs: int = DEFAULT_CHUNK_PAIRS) -> None:
        self.ev = events
        self.n_codes = len(codes)
        self.nu = np.int64(max(events.n_users, 1))
        self.window = None if window is None else int(np.floor(window))
        self.chunk_pairs = max(chunk_pairs, 1)
        self.first = _first_share(events)
        self.delay = events.time - self.first[events.key]
        by_key = np.argsort(events.key, kind="stable")
        shared = np.bincount(events.key, minlength=len(events.keys)) >= 2
        self.slots = by_key[shared[events.key[by_key]]]
        self.gid = _group_ids(events.key[self.slots])
        self.candidate = np.zeros(int(self.nu), dtype=bool)
        self.candidate[codes // self.nu] = True
        self.candidate[codes % self.nu] = True
        self.table = None
        # else each account's candidate partners, sorted (rows of a sparse account x account table, both orders)
        a, b = codes // self.nu, codes % self.nu
        src, dst, at = np.r_[a, b], np.r_[b, a], np.r_[np.arange(len(codes)), np.arange(len(codes))]
        by = np.lexsort((dst, src))
        self.row = np.searchsorted(src[by], np.arange(int(self.nu) + 1))
        self.col, self.at = dst[by], at[by]
        if self.nu * self.nu <= _DENSE_PAIRS:  # account x account -> candidate index, -1 if none (both orders)
            self.table = np.full(int(self.nu * self.nu), -1, dtype=np.int32)
            self.table[codes] = np.arange(len(codes))
            self.table[(codes % self.nu) * self.nu + codes // self.nu] = np.arange(len(codes))
        self._by_user: np.ndarray | None = None
        self._slot_of: np.ndarray | None = None
        self._item: tuple | None = None

    def draw(self, rng: np.random.Generator, method: str) -> np.ndarray:
        """The candidate pairs' weights under one draw of ``method`` (float, aligned with ``codes``)."""
        ev = self.ev
        if method == "item":
            return self._item_draw(rng)
        if method == "swap":  # event i takes the item of event perm[i]: it fills slot k if slots[k] == perm[i]
            if self._slot_of is None:
                self._slot_of = np.full(len(ev), -1, dtype=np.int64)
                self._slot_of[self.slots] = np.arange(len(self.slots))
            user, delay = _kernels().fill(rng.permutation(len(ev)), self._slot_of, ev.user, self.delay,
                                          len(self.slots))
            return self._count_grouped(user, delay)
        if method == "delay":
            if self._by_user is None:
                self._by_user = np.argsort(ev.user, kind="stable")
            return self._count_grouped(ev.user[self.slots],
                                       self.delay[_within(ev.user, rng, self._by_user)[self.slots]])
        return self._count_grouped(ev.user[self.slots], permute_times(ev, rng, method)[self.slots])

    def _count_grouped(self, user: np.ndarray, time: np.ndarray) -> np.ndarray:
        """Weights when the slot ``s`` is filled by an event of account ``user[s]`` at ``time[s]`` (any origin
        within an item)."""
        keep = self.candidate[user]
        user, time, gid = user[keep], time[keep], self.gid[keep]
        if self.window is None:
            return self._count(gid, gid, user, None)
        t0 = int(time.min()) if len(time) else 0
        span = (int(time.max()) - t0 if len(time) else 0) + 2 * self.window + 1
        comb = gid * span + (time - t0)
        order = np.argsort(comb, kind="stable")  # grouped already: only each item's events are reordered
        return self._count(comb[order], gid, user[order], None)

    def _item_draw(self, rng: np.random.Generator) -> np.ndarray:
        ev = self.ev
        if self._item is None:  # what the item null never changes: the (item, time) order of the slots
            comb, _ = self._sorted_slots()  # some account with several events of an item?
            self._item = (comb, bool(_kernels().repeats(self.gid, ev.user[self.slots], int(self.nu))))
        comb, repeats = self._item
        draws = rng.random(len(ev))  # the draws of _within(ev.key, rng)
        # event slots[k] takes the time of event source[k]: its account fills that slot
        source = self.slots[_order_within(self.gid, draws[self.slots])]
        account = ev.user.copy()
        account[source] = ev.user[self.slots]
        user = account[self._sorted_slots()[1]]
        keep = self.candidate[user]
        return self._count(comb[keep], self.gid[keep], user[keep], repeats)

    def _sorted_slots(self) -> tuple[np.ndarray, np.ndarray]:
        """The observed slots' sort key in (item, time) order, and the events in that order."""
        if not hasattr(self, "_sorted"):
            if self.window is None:  # the item alone
                self._sorted = (self.gid, self.slots)
                return self._sorted
            t = self.ev.time[self.slots]
            t0 = int(t.min()) if len(t) else 0
            comb = self.gid * ((int(t.max()) - t0 if len(t) else 0) + 2 * self.window + 1) + (t - t0)
            order = np.argsort(comb, kind="stable")
            self._sorted = (comb[order], self.slots[order])
        return self._sorted

    def _count(self, comb: np.ndarray, gid: np.ndarray, user: np.ndarray, repeats: bool | None) -> np.ndarray:
        """Candidate weights of events in (item, time) order: ``comb`` their sort key, ``gid`` their item
        (sorted), ``user`` their accounts. ``repeats``: whether an account can have several events of one item
        (``None``: find out)."""
        kernel = _kernels().count
        table = self.table if self.table is not None else np.zeros(0, dtype=np.int32)
        counts = kernel(comb, gid, user, np.int64(self.window or 0), table, self.row, self.col, self.at, self.nu,
                        self.n_codes, repeats is None or repeats)
        return counts.astype(float)


@functools.cache
def _kernels() -> SimpleNamespace:
    """The compiled loops of :class:`_NullWeights` (numba; integer arithmetic and copies only, so the same
    results on every CPU): ``count``, the pair count of ``_count``; ``fill``, the slots' accounts and delays
    under a ``swap`` draw; ``repeats``, whether an account has several events of one item. Compiled on first
    use and cached on disk beside this module."""
    import numba

    @numba.njit(cache=True, nogil=True)
    def fill(perm, slot_of, user, delay, n_slots):  # noqa: ANN001, ANN202
        out_user = np.empty(n_slots, dtype=user.dtype)
        out_delay = np.empty(n_slots, dtype=delay.dtype)
        for i in range(len(perm)):
            k = slot_of[perm[i]]
            if k >= 0:
                out_user[k] = user[i]
                out_delay[k] = delay[i]
        return out_user, out_delay

    @numba.njit(cache=True, nogil=True)
    def count(comb, gid, user, w, table, row, col, pos, nu, nc, repeats):  # noqa: ANN001, ANN202
        n = len(comb)
        # prev[i]: the sort key of the previous event of the same account and item (-inf if none): a partner j
        # of event i is its account's first in i's window iff that previous event is before the window
        low = np.iinfo(np.int64).min
        prev = np.full(n, low, dtype=np.int64)
        found = False
        if repeats:
            last_gid = np.full(nu, -1, dtype=np.int64)
            last_comb = np.zeros(nu, dtype=np.int64)
            for i in range(n):
                u = user[i]
                if last_gid[u] == gid[i]:
                    prev[i] = last_comb[u]
                    found = True
                last_gid[u] = gid[i]
                last_comb[u] = comb[i]
        counts = np.zeros(2 * nc if found else nc, dtype=np.int64)
        dense = len(table) > 0
        hi = 0
        for i in range(n):
            lim = comb[i] + w
            if hi <= i:
                hi = i + 1
            while hi < n and comb[hi] <= lim:
                hi += 1
            ui = user[i]
            for j in range(i + 1, hi):
                uj = user[j]
                if dense:
                    at = table[ui * nu + uj]
                    if at < 0:
                        continue
                else:  # a binary search among the candidate partners of ui
                    lo, up = row[ui], row[ui + 1]
                    while lo < up:
                        mid = (lo + up) // 2
                        if col[mid] < uj:
                            lo = mid + 1
                        else:
                            up = mid
                    if lo == row[ui + 1] or col[lo] != uj:  # not a candidate pair (never an account with itself)
                        continue
                    at = pos[lo]
                if not found:  # each account has one event per item: both directions count every pair
                    counts[at] += 1
                    continue
                side = 1 if ui > uj else 0  # slot 2 * pair + 1 counts the events of the larger account code
                if prev[j] < comb[i] - w:  # event i, partner account uj (first of uj in i's window)
                    counts[2 * at + side] += 1
                if prev[i] < comb[j] - w:  # event j, partner account ui
                    counts[2 * at + 1 - side] += 1
        if found:
            return np.minimum(counts[0::2], counts[1::2])
        return counts

    @numba.njit(cache=True, nogil=True)
    def repeats(gid, user, nu):  # noqa: ANN001, ANN202
        last = np.full(nu, -1, dtype=np.int64)  # the last item of each account so far (gid non-decreasing)
        for i in range(len(gid)):
            if last[user[i]] == gid[i]:
                return True
            last[user[i]] = gid[i]
        return False

    return SimpleNamespace(count=count, fill=fill, repeats=repeats)


def warmup() -> dict[str, int]:
    """Compile :func:`_kernels` into numba's disk cache (``make install``), so that no report compiles them: every
    kernel on small random events, each account with one event per item and with several (the two ways ``count``
    runs), under the ``swap`` and ``item`` nulls. Returns each kernel's number of compiled signatures."""
    from .cooccurrence import make_events

    rng = np.random.default_rng(0)
    for repeat in (False, True):
        n = 60
        users = pd.Series([f"u{i}" for i in rng.integers(0, 6, n)])
        keys = pd.Series([f"k{k}" for k in (rng.integers(0, 4, n) if repeat else np.arange(n) // 3)])
        times = pd.Series(pd.Timestamp("2020-01-01", tz="UTC") + pd.to_timedelta(rng.integers(0, 30, n) * 60, "s"))
        ev = make_events(users, pd.Series([str(i) for i in range(n)]), keys, times)
        codes, weight = pair_weights(ev, 600)
        nu = ev.n_users
        edges = pd.DataFrame({"source": ev.users[codes // nu], "target": ev.users[codes % nu], "weight": weight})
        for method in ("swap", "item"):
            edge_significance(ev, edges, 600, 2, method)
    return {name: len(k.signatures) for name, k in vars(_kernels()).items()}


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


def _null_weights(codes: np.ndarray, c: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The weights ``w`` of pairs ``c`` (sorted) at the candidate pairs ``codes``, 0 where absent."""
    if not len(c):
        return np.zeros(len(codes))
    i = np.minimum(np.searchsorted(c, codes), len(c) - 1)
    return np.where(c[i] == codes, w[i], 0).astype(float)


PARALLEL_EVENTS = 1_000_000  # from this many events in all, significance jobs run in worker processes


def workers_for(n_events: int) -> int:
    """Worker processes for significance jobs on ``n_events`` events in all: one per CPU when there are
    ``PARALLEL_EVENTS`` or more, else 1: in this process (starting workers costs more than it saves)."""
    return max(len(os.sched_getaffinity(0)), 1) if n_events >= PARALLEL_EVENTS else 1  # the CPUs this may use


def _null_sums(events: Events, window: float | None, codes: np.ndarray, observed: np.ndarray,
               n_permutations: int, method: str, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Over ``n_permutations`` draws of ``method`` (generator seeded with ``seed``), per candidate pair
    ``codes``: how many null weights reach the ``observed`` one, their sum and their sum of squares."""
    rng = np.random.default_rng(seed)
    ge = np.zeros(len(codes))
    s1 = np.zeros(len(codes))
    s2 = np.zeros(len(codes))
    fast = _NullWeights(events, window, codes) if _one_event_per_message(events) else None
    for _ in range(n_permutations):
        if fast is not None:
            null = fast.draw(rng, method)
        else:
            null = _null_weights(codes, *pair_weights(permute(events, rng, method), window))
        ge += null >= observed
        s1 += null
        s2 += null * null
    return ge, s1, s2


class _Prepared:
    """What :func:`edge_significance` needs of the events besides the draws: the candidate pairs, their
    observed weights and the edges' positions among them, and the events with placeholders for the ids
    (only their number is used), small enough to send to a worker process."""

    def __init__(self, events: Events, edges: pd.DataFrame, window: float | None) -> None:
        self.window = window
        self.out = edges[["source", "target", "weight"]].reset_index(drop=True).copy()
        self.codes, self.observed = pair_weights(events, window)
        nu = np.int64(max(events.n_users, 1))
        a = np.searchsorted(events.users, self.out["source"].to_numpy(object))
        b = np.searchsorted(events.users, self.out["target"].to_numpy(object))
        want = np.minimum(a, b) * nu + np.maximum(a, b)
        self.at = np.searchsorted(self.codes, want)
        if not self.out.empty and (not (self.at < len(self.codes)).all()
                                   or not np.array_equal(self.codes[self.at], want)):
            raise ValueError("edges that do not co-occur in these events: compute them with the same events and "
                             "window")
        ids = [np.zeros(len(x), dtype=np.int8) for x in (events.users, events.msgs, events.keys)]
        self.events = Events(events.user, events.msg, events.key, events.time, ids[0], ids[1], events.msg_user,
                             ids[2])

    def table(self, sums: tuple[np.ndarray, np.ndarray, np.ndarray], n_permutations: int,
              alpha: float) -> pd.DataFrame:
        out, at = self.out, self.at
        if out.empty:
            return out.assign(null_mean=[], null_std=[], z=[], p_value=[], q_value=[], significant=[],
                              candidate_pairs=[])
        ge, s1, s2 = sums
        p_all = (1 + ge) / (1 + n_permutations)
        q_all = bh_adjust(p_all)
        obs = out["weight"].to_numpy(float)
        mean = s1[at] / n_permutations
        std = np.sqrt(np.maximum(s2[at] / n_permutations - mean * mean, 0.0))
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(std > 0, (obs - mean) / std, np.where(obs > mean, np.inf, 0.0))
        q = q_all[at]
        return out.assign(null_mean=mean, null_std=std, z=z, p_value=p_all[at], q_value=q,
                          significant=q <= alpha, candidate_pairs=len(self.codes))

    def sums(self, n_permutations: int, method: str, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return _null_sums(self.events, self.window, self.codes, self.observed, n_permutations, method, seed)


def _check(method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"unknown null model {method!r}; use one of {', '.join(METHODS)}")


def edge_significance(events: Events, edges: pd.DataFrame, window: float | None,
                      n_permutations: int = 100, method: str = "swap", seed: int = 2020,
                      alpha: float = 0.05) -> pd.DataFrame:
    """``edges`` (undirected ``source, target, weight`` from :func:`.co_network` on ``events`` with the same
    ``window``) plus ``null_mean, null_std, z, p_value``, ``q_value`` (Benjamini-Hochberg over all
    ``candidate_pairs``: the pairs that co-occur at least once) and ``significant`` (``q_value <= alpha``)."""
    return significance_tables([(prepare(events, edges, window), method)], n_permutations, seed, alpha)[0]


def _sums_of(job: tuple[_Prepared, str], n_permutations: int, seed: int) -> tuple[np.ndarray, ...]:
    prep, method = job
    return prep.sums(n_permutations, method, seed)


def significance_tables(jobs: list[tuple[_Prepared, str]], n_permutations: int = 100, seed: int = 2020,
                        alpha: float = 0.05, workers: int = 1) -> list[pd.DataFrame]:
    """:func:`edge_significance` of each (:func:`prepare`-d events and edges, null) job, in order. With
    ``workers > 1`` the draws run in that many worker processes, longest jobs first; each job has its own
    generator seeded with ``seed``, as in :func:`edge_significance`, so the tables do not depend on the workers.
    """
    for _, m in jobs:
        _check(m)
    todo = [i for i, (prep, _) in enumerate(jobs) if not prep.out.empty]
    sums: dict[int, tuple[np.ndarray, ...]] = {}
    if workers > 1 and len(todo) > 1:
        # longest first: a swap draw permutes all the events (at 37M about 2x an item draw), then by events
        todo.sort(key=lambda i: (jobs[i][1] != "swap", -len(jobs[i][0].events)))
        ctx = multiprocessing.get_context("spawn")  # not fork: the caller (a notebook kernel) runs threads
        with concurrent.futures.ProcessPoolExecutor(min(workers, len(todo)), mp_context=ctx) as pool:
            futures = {i: pool.submit(_sums_of, jobs[i], n_permutations, seed) for i in todo}
            sums = {i: f.result() for i, f in futures.items()}
    else:
        sums = {i: _sums_of(jobs[i], n_permutations, seed) for i in todo}
    empty = (np.zeros(0), np.zeros(0), np.zeros(0))
    return [prep.table(sums.get(i, empty), n_permutations, alpha) for i, (prep, _) in enumerate(jobs)]


def prepare(events: Events, edges: pd.DataFrame, window: float | None) -> _Prepared:
    """The candidate pairs of ``events`` and ``edges``' places among them, for :func:`significance_tables`
    (it keeps no account, message or item ids: the events can be dropped)."""
    return _Prepared(events, edges, window)
