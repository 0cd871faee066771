"""Link topics across script groups through language-independent evidence carried by the tweets.

One model per script group cannot put a Chinese and an English tweet about the same narrative in one
topic: their words never co-occur. The tweets still carry evidence that does not depend on the script,
above all their hashtags (campaigns tag Chinese tweets ``#hongkongpolice`` as well as ``#香港``). Each
topic gets an *evidence profile*: the number of its tweets (retweets included, outliers excluded) that
carry each value of the evidence columns (``hashtags`` by default; any list column of the processed
tweets, e.g. ``domains`` or ``user_mentions``, can be added, values prefixed by the column so they never
collide). Profiles are weighted like documents in TF-IDF — topics are the documents, evidence values the
terms, sublinear tf ``1 + log(count)``, smoothed idf ``1 + log((1 + n_topics) / (1 + df))`` — and
L2-normalised, so the similarity of two topics is the cosine of their profiles (0: nothing shared,
1: same values in the same proportions). A value every topic carries weighs least; one shared by exactly
two topics weighs most.

Two topics of *different* script groups are linked when their cosine is at least ``threshold`` and each
is the other's most similar topic in the other's group (mutual nearest neighbours, ties to the smaller
id). So a topic links to at most one topic per other group, and a generic hashtag shared with many
topics cannot chain several narratives together. Linked topics (connected components) become one topic.
Topics of the same group are never merged here (the text model already separated them).

Measured on the default synthetic releases (see notebooks/03_topics.ipynb): posting accounts, retweeting
accounts, mentions and domains are shared by all campaign topics of a release (the same accounts push
every narrative) and so do not tell narratives apart; hashtags do. Hence the default evidence.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse

DEFAULT_EVIDENCE = ("hashtags",)


def evidence_profiles(frame: pd.DataFrame, topic: np.ndarray, evidence: Sequence[str] = DEFAULT_EVIDENCE,
                      ids: Sequence[int] | None = None) -> tuple[np.ndarray, sparse.csr_matrix]:
    """(sorted topic ids, L2-normalised TF-IDF evidence matrix with one row per topic).

    ``ids``: the topics to profile (default: every id >= 0 in ``topic``); tweets of other topics are ignored.
    """
    topic = np.asarray(topic, dtype=np.int64)
    ids = np.unique(topic[topic >= 0] if ids is None else np.asarray(ids, dtype=np.int64))
    parts = []
    for col in evidence:
        if col not in frame.columns:
            continue
        s = pd.Series(frame[col].to_numpy(), index=topic).loc[lambda x: x.index.isin(ids)].explode().dropna()
        parts.append(pd.DataFrame({"topic": s.index.to_numpy(), "column": col, "value": s.to_numpy(),
                                   "n": np.ones(len(s), dtype=np.int64)}))
    return profiles_from_counts(ids, pd.concat(parts, ignore_index=True) if parts else None)


def profiles_from_counts(ids: np.ndarray, raw: pd.DataFrame | None) -> tuple[np.ndarray, sparse.csr_matrix]:
    """``evidence_profiles`` from counts of raw evidence values: ``raw`` has columns topic, column (evidence
    column name), value (as stored) and n (tweets of the topic carrying it); rows may repeat a pair."""
    ids = np.asarray(ids, dtype=np.int64)
    if raw is None or raw.empty or ids.size == 0:
        return ids, sparse.csr_matrix((ids.size, 0))
    raw = raw[np.isin(raw["topic"].to_numpy(), ids)]
    value = raw["value"].astype(str).str.strip().str.lower()
    keep = (value != "").to_numpy()
    long = pd.DataFrame({"topic": raw["topic"].to_numpy()[keep],
                         "value": (raw["column"].astype(str) + ":" + value).to_numpy()[keep],
                         "n": raw["n"].to_numpy(dtype=np.int64)[keep]})
    if long.empty:
        return ids, sparse.csr_matrix((ids.size, 0))
    counts = long.groupby(["topic", "value"], sort=True)["n"].sum()
    values = np.unique(counts.index.get_level_values("value").to_numpy())
    rows = np.searchsorted(ids, counts.index.get_level_values("topic").to_numpy())
    cols = np.searchsorted(values, counts.index.get_level_values("value").to_numpy())
    tf = sparse.csr_matrix((1.0 + np.log(counts.to_numpy(dtype=np.float64)), (rows, cols)),
                           shape=(ids.size, values.size))
    df = np.bincount(cols, minlength=values.size)
    idf = 1.0 + np.log((1.0 + ids.size) / (1.0 + df))
    w = tf @ sparse.diags(idf)
    norm = np.sqrt(np.asarray(w.multiply(w).sum(axis=1)).ravel())
    norm[norm == 0] = 1.0
    return ids, sparse.csr_matrix(sparse.diags(1.0 / norm) @ w)


def cross_group_links(ids: np.ndarray, groups: Sequence[str], sim: np.ndarray, threshold: float
                      ) -> list[tuple[int, int, float]]:
    """Mutual-nearest-neighbour pairs ``(topic a, topic b, cosine)`` of different groups, cosine >= threshold."""
    groups = np.asarray(groups, dtype=object)
    best: dict[tuple[int, str], int] = {}  # (row, other group) -> best row of that group
    for i in range(ids.size):
        for g in sorted(set(groups) - {groups[i]}):
            cand = np.flatnonzero(groups == g)
            best[(i, g)] = int(cand[np.argmax(sim[i, cand])])  # argmax: first (smallest id) on ties
    links = []
    for (i, _g), j in sorted(best.items()):
        if i < j and best.get((j, groups[i])) == i and sim[i, j] >= threshold:
            links.append((int(ids[i]), int(ids[j]), round(float(sim[i, j]), 4)))
    return links


def link_topics(frame: pd.DataFrame, topic: np.ndarray, group_of: dict[int, str], threshold: float | None,
                evidence: Sequence[str] = DEFAULT_EVIDENCE) -> tuple[dict[int, int], list[tuple[int, int, float]]]:
    """Merge cross-script topics with similar evidence profiles.

    ``frame`` has one row per tweet (same order as ``topic``), ``group_of`` maps every topic id -> its
    script group.
    Returns ``(mapping old id -> new id for every topic id >= 0, links)``; new ids are 0..k-1 in the order
    of each component's smallest old id, so without links the mapping is the identity on 0..n-1 topics.
    """
    return link_profiles(*evidence_profiles(frame, topic, evidence, ids=sorted(group_of)), group_of, threshold)


def link_profiles(ids: np.ndarray, prof: sparse.csr_matrix, group_of: dict[int, str], threshold: float | None
                  ) -> tuple[dict[int, int], list[tuple[int, int, float]]]:
    """``link_topics`` from evidence profiles (``evidence_profiles`` or ``profiles_from_counts``)."""
    links: list[tuple[int, int, float]] = []
    if threshold is not None and ids.size > 1 and prof.shape[1] > 0 and len(set(group_of.values())) > 1:
        sim = (prof @ prof.T).toarray()
        links = cross_group_links(ids, [group_of[int(t)] for t in ids], sim, threshold)
    root = {int(t): int(t) for t in ids}

    def find(x: int) -> int:
        while root[x] != x:
            x = root[x]
        return x

    for a, b, _ in links:
        ra, rb = find(a), find(b)
        root[max(ra, rb)] = min(ra, rb)
    comps = {int(t): find(int(t)) for t in ids}
    new_id = {r: k for k, r in enumerate(sorted(set(comps.values())))}
    return {t: new_id[r] for t, r in comps.items()}, links
