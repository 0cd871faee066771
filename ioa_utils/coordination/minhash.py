"""Near-duplicate text network with a numpy MinHash + LSH (no per-document Python loop).

Texts are token sets (``\\w+`` words of ``text_norm``). A MinHash signature of ``num_perm`` values
estimates the Jaccard similarity of two sets as the share of equal values; LSH bands
(``bands x rows = num_perm``) turn "similar" into "share a band bucket", so candidate pairs come from
the same sorted window join as every other co-activity network (key = band bucket). Candidates are
then kept when their estimated Jaccard is at least ``threshold``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .cooccurrence import Events, iter_event_pairs, to_seconds, undirected
from .networks import check_seconds

_MAX = np.uint64(0xFFFFFFFFFFFFFFFF)


def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """``(bands, rows)`` with ``bands * rows == num_perm`` whose S-curve midpoint
    ``(1/bands)**(1/rows)`` is the largest one not above ``threshold`` (favours recall; the estimated
    Jaccard check removes the extra candidates)."""
    best = (num_perm, 1)
    for rows in range(1, num_perm + 1):
        if num_perm % rows:
            continue
        bands = num_perm // rows
        if (1 / bands) ** (1 / rows) <= threshold:
            best = (bands, rows)
    return best


def token_table(tweets: pd.DataFrame, kinds: Sequence[str] = ("original", "reply", "quote"),
                min_tokens: int = 5) -> pd.DataFrame:
    """``tweetid, userid, tweet_time, token`` (distinct tokens), for texts with at least
    ``min_tokens`` distinct tokens (short texts are near-duplicates of everything)."""
    t = tweets.loc[tweets["tweet_kind"].isin(kinds), ["tweetid", "userid", "tweet_time", "text_norm"]]
    tok = t["text_norm"].fillna("").astype(str).str.findall(r"\w+")
    t = t.assign(token=tok).drop(columns="text_norm").explode("token").dropna(subset=["token"])
    t = t.drop_duplicates(["tweetid", "token"])
    n = t.groupby("tweetid")["token"].transform("size")
    return t[n >= min_tokens]


def signatures(doc: np.ndarray, token_hash: np.ndarray, n_docs: int, num_perm: int, seed: int,
               chunk: int = 200_000) -> np.ndarray:
    """MinHash signatures (``n_docs x num_perm`` uint32) from (doc code, 64-bit token hash) rows,
    with multiply-shift hash functions ``(a * x + b) >> 32`` (``a`` odd, seeded)."""
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**63, num_perm, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, num_perm, dtype=np.uint64)
    sig = np.full((n_docs, num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    order = np.argsort(doc, kind="stable")
    doc, token_hash = doc[order], token_hash[order]
    for s in range(0, len(doc), chunk):
        d, x = doc[s:s + chunk], token_hash[s:s + chunk]
        with np.errstate(over="ignore"):
            h = ((x[:, None] * a[None, :] + b[None, :]) >> np.uint64(32)).astype(np.uint32)
        starts = np.flatnonzero(np.r_[True, d[1:] != d[:-1]])
        m = np.minimum.reduceat(h, starts, axis=0)
        ud = d[starts]
        sig[ud] = np.minimum(sig[ud], m)
    return sig


def doc_signatures(tweets: pd.DataFrame, num_perm: int = 64, min_tokens: int = 5, seed: int = 2020,
                   chunk_docs: int = 100_000) -> tuple[pd.DataFrame, np.ndarray]:
    """The documents of :func:`token_table` (``tweetid, userid, tweet_time``, sorted by tweetid) and their
    MinHash signatures, computed ``chunk_docs`` tweets at a time (a tweet's rows stay in one chunk), so the
    token table of the whole release is never held at once. The hash functions depend only on ``seed``, so
    chunking does not change any signature."""
    t = tweets.loc[tweets["tweet_kind"].isin(("original", "reply", "quote")).to_numpy(),
                   ["tweetid", "userid", "tweet_time", "tweet_kind", "text_norm"]]
    codes, _ = pd.factorize(t["tweetid"], sort=True)
    docs, sigs = [], []
    for lo in range(0, int(codes.max()) + 1 if len(codes) else 0, chunk_docs):
        tok = token_table(t[(codes >= lo) & (codes < lo + chunk_docs)], min_tokens=min_tokens)
        if tok.empty:
            continue
        doc_code, doc_ids = pd.factorize(tok["tweetid"], sort=True)
        hashes = pd.util.hash_array(tok["token"].to_numpy(dtype=object))
        sigs.append(signatures(doc_code.astype(np.int64), hashes, len(doc_ids), num_perm, seed))
        docs.append(tok.drop_duplicates("tweetid").set_index("tweetid").loc[doc_ids, ["userid", "tweet_time"]]
                    .reset_index())
        del tok, hashes
    if not docs:
        return pd.DataFrame(columns=["tweetid", "userid", "tweet_time"]), np.zeros((0, num_perm), np.uint32)
    return pd.concat(docs, ignore_index=True), np.concatenate(sigs)


def near_duplicate(tweets: pd.DataFrame, window: float | None = 3600, threshold: float = 0.8,
                   min_weight: int = 2, num_perm: int = 64, min_tokens: int = 5, seed: int = 2020,
                   chunk_pairs: int = 4_000_000) -> pd.DataFrame:
    """Near-duplicate text network: both accounts posted texts with estimated Jaccard similarity
    (word sets) ``>= threshold`` within ``window`` seconds, ``weight`` times (weight as in
    :func:`.co_network`: min over both directions of distinct own messages matched). Detects
    paraphrased copy-paste (templates with a changed word, added hashtag or emoji) that exact
    co-tweet misses. ``seed`` fixes the hash functions, so results are reproducible. Texts whose every
    LSH band bucket is their own can pair with nothing and are dropped before the window join, which runs
    one band at a time (memory of one band's events, not all bands')."""
    check_seconds("window", window)
    empty = pd.DataFrame({"source": pd.Series([], dtype=object), "target": pd.Series([], dtype=object),
                          "weight": pd.Series([], dtype=np.int64)})
    docs, sig = doc_signatures(tweets, num_perm, min_tokens, seed)
    if docs.empty:
        return empty
    bands, rows = lsh_params(threshold, num_perm)
    mult = np.random.default_rng(seed + 1).integers(1, 2**63, rows, dtype=np.uint64) | np.uint64(1)
    with np.errstate(over="ignore"):
        bucket = np.stack([(sig[:, i * rows:(i + 1) * rows].astype(np.uint64) * mult).sum(axis=1, dtype=np.uint64)
                           + np.uint64(i) * np.uint64(0x9E3779B97F4A7C15) for i in range(bands)], axis=1)
    shared, n_docs = np.unique(bucket, return_counts=True)
    keep = np.isin(bucket, shared[n_docs > 1]).any(axis=1)
    if not keep.any():
        return empty
    docs, sig, bucket = docs[keep].reset_index(drop=True), sig[keep], bucket[keep]
    users, doc_user = np.unique(docs["userid"].to_numpy(object), return_inverse=True)
    doc_user = doc_user.astype(np.int64)
    n, nu = len(docs), np.int64(max(len(users), 1))
    times, msgs = to_seconds(docs["tweet_time"]), docs["tweetid"].to_numpy(object)
    found = []  # distinct (document, partner account) matches, one band at a time: a document's matches in
    for b in range(bands):  # every band are united below, so the result is that of all bands joined at once
        key, keys = pd.factorize(bucket[:, b])
        ev = Events(doc_user, np.arange(n, dtype=np.int64), key.astype(np.int64), times, users, msgs, doc_user,
                    np.asarray(keys))
        for i, j in iter_event_pairs(ev, window, chunk_pairs):
            keep = i != j
            cand = np.unique(i[keep] * np.int64(n) + j[keep])
            mi, mj = cand // n, cand % n
            sim = np.empty(len(mi))
            for s in range(0, len(mi), 200_000):
                sim[s:s + 200_000] = (sig[mi[s:s + 200_000]] == sig[mj[s:s + 200_000]]).mean(axis=1)
            ok = sim >= threshold
            found.append(np.unique(mi[ok] * nu + doc_user[mj[ok]]))
        del ev, key, keys
    mu = np.unique(np.concatenate(found)) if found else np.zeros(0, np.int64)
    pairs, cnt = np.unique(doc_user[mu // nu] * nu + mu % nu, return_counts=True)
    d = pd.DataFrame({"user_1": users[pairs // nu], "user_2": users[pairs % nu], "weight": cnt.astype(np.int64)})
    return undirected(d, min_weight)
