"""Near-duplicate text network with a numpy MinHash + LSH (no per-document Python loop).

Texts are token sets (``\\w+`` words of ``text_norm``). A MinHash signature of ``num_perm`` values
estimates the Jaccard similarity of two sets as the share of equal values; LSH bands
(``bands x rows = num_perm``) turn "similar" into "share a band bucket", so candidate pairs come from
the same sorted window join as every other co-activity network (key = band bucket). Candidates are
then kept when their estimated Jaccard is at least ``threshold``.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Sequence
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .cooccurrence import Events, _arrow, _codes, _sorted_counts, iter_event_pairs, to_seconds, undirected
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


def _hash_functions(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**63, num_perm, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, num_perm, dtype=np.uint64)
    return a, b


def _apply(x: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The ``num_perm`` multiply-shift hashes ``(a * x + b) >> 32`` of 64-bit token hashes ``x``."""
    with np.errstate(over="ignore"):
        return ((x[:, None] * a[None, :] + b[None, :]) >> np.uint64(32)).astype(np.uint32)


def signatures(doc: np.ndarray, token_hash: np.ndarray, n_docs: int, num_perm: int, seed: int,
               chunk: int = 200_000) -> np.ndarray:
    """MinHash signatures (``n_docs x num_perm`` uint32) from (doc code, 64-bit token hash) rows,
    with multiply-shift hash functions ``(a * x + b) >> 32`` (``a`` odd, seeded). Each distinct token is
    hashed once; a document's signature is the minimum over its tokens' rows."""
    token, vocab = pd.factorize(token_hash)
    return coded_signatures(doc, token.astype(np.int64), np.asarray(vocab, np.uint64), n_docs, num_perm, seed, chunk)


def coded_signatures(doc: np.ndarray, token: np.ndarray, vocab_hash: np.ndarray, n_docs: int, num_perm: int,
                     seed: int, chunk: int = 200_000) -> np.ndarray:
    """:func:`signatures` from token codes into ``vocab_hash`` (the 64-bit hash of each distinct token). The
    minimum is taken one hash function at a time over the rows sorted by document (``chunk`` is kept for
    the signature only: the result does not depend on it)."""
    a, b = _hash_functions(num_perm, seed)
    hashed = np.ascontiguousarray(_apply(vocab_hash, a, b).T)  # num_perm x vocabulary
    sig = np.full((num_perm, n_docs), np.iinfo(np.uint32).max, dtype=np.uint32)
    if len(doc):
        if np.any(doc[1:] < doc[:-1]):
            order = np.argsort(doc, kind="stable")
            doc, token = doc[order], token[order]
        starts = np.flatnonzero(np.r_[True, doc[1:] != doc[:-1]])
        ud = doc[starts]
        for j in range(num_perm):
            sig[j, ud] = np.minimum.reduceat(hashed[j][token], starts)
    return np.ascontiguousarray(sig.T)


_NOT_WORD = r"[^\p{L}\p{N}_]+"  # RE2: what Python's ``\w`` excludes, for the Unicode version both know


def _code_point_strings() -> tuple[np.ndarray, pa.Array]:
    """Every code point but the surrogates, and an Arrow string array of each as a one-character string (its
    UTF-8 bytes encoded by numpy, one block per encoded length: no Python string per code point)."""
    blocks = [(0, 0x80), (0x80, 0x800), (0x800, 0xD800), (0xE000, 0x10000), (0x10000, sys.maxunicode + 1)]
    codes, data, width = [], [], []
    for lo, hi in blocks:
        c = np.arange(lo, hi, dtype=np.int32)
        w = 1 if hi <= 0x80 else 2 if hi <= 0x800 else 3 if hi <= 0x10000 else 4
        out = np.empty((len(c), w), np.uint8)  # byte k holds bits 6 * (w - 1 - k) and up
        out[:, 0] = (c >> 6 * (w - 1)) | (0, 0, 0xC0, 0xE0, 0xF0)[w]
        for k in range(1, w):
            out[:, k] = 0x80 | ((c >> 6 * (w - 1 - k)) & 0x3F)
        codes.append(c)
        data.append(out.ravel())
        width.append(np.full(len(c), w, np.int32))
    offsets = np.r_[0, np.cumsum(np.concatenate(width))].astype(np.int32)
    arr = pa.StringArray.from_buffers(len(offsets) - 1, pa.py_buffer(offsets), pa.py_buffer(np.concatenate(data)))
    return np.concatenate(codes).astype(np.int64), arr


@cache
def _newer_word_characters() -> str | None:
    """An RE2 character class of the code points RE2 counts as word characters but Python's ``re`` does not:
    letters of Unicode versions newer than Python's (texts holding one are split by Python, not Arrow). Only
    code points unassigned in Python's Unicode database (category ``Cn``) qualify. RE2 tests every code point at
    once; Python's ``re`` and ``unicodedata`` only RE2's word characters."""
    codes, arr = _code_point_strings()
    is_word = pc.match_substring_regex(arr, r"^[\p{L}\p{N}_]$")
    re2_word = codes[is_word.to_numpy(zero_copy_only=False)]
    text = "".join(arr.filter(is_word).to_pylist())  # one character each: a match's position is its index
    not_python_word = re2_word[[m.start() for m in re.finditer(r"\W", text)]]
    codes = [int(c) for c in not_python_word if unicodedata.category(chr(c)) == "Cn"]
    if not codes:
        return None
    ranges, start, prev = [], codes[0], codes[0]
    for c in codes[1:] + [-1]:
        if c != prev + 1:
            ranges.append(f"\\x{{{start:X}}}" + (f"-\\x{{{prev:X}}}" if prev > start else ""))
            start = c
        prev = c
    return "[" + "".join(ranges) + "]"


def word_tokens(texts: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    r"""``(row, token)`` for every word (``re.findall(r"\w+")``, Python's Unicode word characters) of each text
    (missing texts have none): split by Arrow's RE2 kernels, with Python only for texts holding a code point
    the two regex engines classify differently."""
    arr = pa.array(texts.fillna("").astype(str).to_numpy(object), pa.string())
    newer = _newer_word_characters()
    python = (np.zeros(len(arr), bool) if newer is None
              else pc.match_substring_regex(arr, newer).to_numpy(zero_copy_only=False))
    split = pc.split_pattern_regex(pc.if_else(pa.array(python), "", arr), _NOT_WORD)
    rows = pc.list_parent_indices(split).to_numpy()
    tokens = pc.list_flatten(split).to_numpy(zero_copy_only=False)
    keep = tokens != ""
    rows, tokens = rows[keep], tokens[keep]
    if python.any():
        extra = [(i, w) for i in np.flatnonzero(python) for w in re.findall(r"\w+", arr[int(i)].as_py())]
        rows = np.r_[rows, np.array([i for i, _ in extra], dtype=rows.dtype)]
        tokens = np.r_[tokens, np.array([w for _, w in extra], dtype=object)]
    return rows.astype(np.int64), tokens.astype(object)


def _arrow_word_tokens(texts: pa.Array) -> tuple[np.ndarray, np.ndarray, pa.Array]:
    """:func:`word_tokens` of an Arrow string array (nulls have no words), tokens dictionary-encoded by Arrow:
    ``(row, token code, distinct tokens)``; no Python string is made but for the distinct tokens' hashing."""
    arr = pc.fill_null(texts, "")
    newer = _newer_word_characters()
    python = (np.zeros(len(arr), bool) if newer is None
              else pc.match_substring_regex(arr, newer).to_numpy(zero_copy_only=False))
    split = pc.split_pattern_regex(pc.if_else(pa.array(python), "", arr), _NOT_WORD)
    rows = pc.list_parent_indices(split).to_numpy()
    tokens = pc.list_flatten(split)
    keep = pc.not_equal(tokens, "")
    rows, tokens = rows[keep.to_numpy(zero_copy_only=False)], tokens.filter(keep)
    if python.any():
        extra = [(i, w) for i in np.flatnonzero(python) for w in re.findall(r"\w+", arr[int(i)].as_py())]
        rows = np.r_[rows, np.array([i for i, _ in extra], dtype=rows.dtype)]
        tokens = pa.concat_arrays([tokens.cast(pa.string()), pa.array([w for _, w in extra], pa.string())])
    enc = pc.dictionary_encode(tokens)
    return rows.astype(np.int64), enc.indices.to_numpy(zero_copy_only=False).astype(np.int64), enc.dictionary


def doc_signatures(tweets: pd.DataFrame, num_perm: int = 64, min_tokens: int = 5, seed: int = 2020,
                   chunk_docs: int = 100_000) -> tuple[pd.DataFrame, np.ndarray]:
    """The documents of :func:`token_table` (``tweetid, userid, tweet_time``, sorted by tweetid) and their
    MinHash signatures, computed ``chunk_docs`` tweets at a time (a tweet's rows stay in one chunk), so the
    tokens of the whole release are never held at once. The hash functions depend only on ``seed``, so
    chunking does not change any signature. Words are split and coded by Arrow; each distinct word of a
    chunk is hashed once (``pd.util.hash_array``)."""
    t = tweets.loc[tweets["tweet_kind"].isin(("original", "reply", "quote")).to_numpy(),
                   ["tweetid", "userid", "tweet_time", "text_norm"]].reset_index(drop=True)
    codes, _ = _codes(t["tweetid"], sort=True)  # tweetid order
    by_doc = np.argsort(codes, kind="stable")  # rows of a tweet together, first appearance first
    codes = codes[by_doc]
    text = _arrow(t["text_norm"])
    text = (pa.chunked_array([pa.array(t["text_norm"].to_numpy(object), pa.string())]) if text is None
            else text).combine_chunks()
    docs, sigs = [], []
    n_codes = int(codes[-1]) + 1 if len(codes) else 0
    bounds = np.searchsorted(codes, np.arange(0, n_codes + chunk_docs, chunk_docs))
    for lo, (a, b) in zip(range(0, n_codes, chunk_docs), zip(bounds[:-1], bounds[1:], strict=True), strict=True):
        rows_here = by_doc[a:b]
        row, tok_code, vocab = _arrow_word_tokens(text.take(pa.array(rows_here)))
        if not len(row):
            continue
        nv = np.int64(max(len(vocab), 1))
        pair = np.sort((codes[a:b][row] - lo) * nv + tok_code)
        pair = pair[np.r_[True, pair[1:] != pair[:-1]]]  # distinct (doc, token)
        doc_of, tok_of = pair // nv, pair % nv
        enough = np.bincount(doc_of, minlength=chunk_docs) >= min_tokens
        keep = enough[doc_of]
        if not keep.any():
            continue
        kept = np.flatnonzero(enough)
        new_code = np.full(len(enough), -1, np.int64)
        new_code[kept] = np.arange(len(kept))
        hashes = pd.util.hash_array(np.asarray(vocab.to_numpy(zero_copy_only=False), dtype=object))
        sigs.append(coded_signatures(new_code[doc_of[keep]], tok_of[keep], hashes, len(kept), num_perm, seed))
        first = np.r_[0, np.flatnonzero(codes[a + 1:b] != codes[a:b - 1]) + 1]  # first row of each tweet
        first = first[enough[codes[a:b][first] - lo]]
        docs.append(t.iloc[by_doc[a:b][first], :3].reset_index(drop=True))
    if not docs:
        return pd.DataFrame(columns=["tweetid", "userid", "tweet_time"]), np.zeros((0, num_perm), np.uint32)
    return pd.concat(docs, ignore_index=True), np.concatenate(sigs)


def _distinct(x: np.ndarray) -> np.ndarray:
    """Sorted distinct values (by sorting: faster than ``np.unique``'s hash table on these codes)."""
    x = np.sort(x)
    return x[np.r_[True, x[1:] != x[:-1]]] if len(x) else x


def similar_matches(i: np.ndarray, j: np.ndarray, sig: np.ndarray, doc_user: np.ndarray, nu: np.int64,
                    threshold: float) -> np.ndarray:
    """Of co-occurring documents ``(i, j)`` (rows of ``sig``), the distinct ``document * nu + partner account``
    codes where the estimated Jaccard similarity of their signatures is ``>= threshold`` (a document never pairs
    with itself)."""
    keep = i != j
    n = np.int64(len(sig))
    cand = _distinct(i[keep] * n + j[keep])
    mi, mj = cand // n, cand % n
    sim = np.empty(len(mi))
    for s in range(0, len(mi), 200_000):
        sim[s:s + 200_000] = (sig[mi[s:s + 200_000]] == sig[mj[s:s + 200_000]]).mean(axis=1)
    ok = sim >= threshold
    return _distinct(mi[ok] * nu + doc_user[mj[ok]])


def _repeated(x: np.ndarray) -> np.ndarray:
    """Whether each value of ``x`` occurs more than once."""
    order = np.argsort(x, kind="stable")
    s = x[order]
    eq = s[1:] == s[:-1]
    dup = np.zeros(len(x), bool)
    dup[1:] |= eq
    dup[:-1] |= eq
    out = np.empty(len(x), bool)
    out[order] = dup
    return out


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
    keep = _repeated(bucket.ravel()).reshape(bucket.shape).any(axis=1)
    if not keep.any():
        return empty
    docs, sig, bucket = docs[keep].reset_index(drop=True), sig[keep], bucket[keep]
    doc_user, users = _codes(docs["userid"], sort=True)  # sorted userids, as np.unique
    nu = np.int64(max(len(users), 1))
    times, msgs = to_seconds(docs["tweet_time"]), docs["tweetid"].to_numpy(object)
    found = []  # distinct (document, partner account) matches, one band at a time: a document's matches in
    for b in range(bands):  # every band are united below, so the result is that of all bands joined at once
        key, keys = pd.factorize(bucket[:, b])
        shared = np.flatnonzero(np.bincount(key)[key] > 1)  # a bucket of one document pairs it with itself only
        if not len(shared):
            continue
        ev = Events(doc_user[shared], np.arange(len(shared), dtype=np.int64), key[shared].astype(np.int64),
                    times[shared], users, msgs[shared], doc_user[shared], np.asarray(keys))
        for i, j in iter_event_pairs(ev, window, chunk_pairs):
            found.append(similar_matches(shared[i], shared[j], sig, doc_user, nu, threshold))
        del ev, key, keys
    mu = _distinct(np.concatenate(found)) if found else np.zeros(0, np.int64)
    pairs, cnt = _sorted_counts(doc_user[mu // nu] * nu + mu % nu)
    d = pd.DataFrame({"user_1": users[pairs // nu], "user_2": users[pairs % nu], "weight": cnt.astype(np.int64)})
    return undirected(d, min_weight)
