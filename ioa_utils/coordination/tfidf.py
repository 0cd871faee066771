"""TF-IDF weighted account x trace projection with cosine similarity (Pacheco et al., ICWSM 2021).

Each account is a vector over traces (retweeted tweets, hashtags, URLs, texts ... -- the ``key`` of an
event table), counts weighted by TF-IDF so that rare shared traces count more than popular ones; two
accounts are linked with the cosine similarity of their vectors. Time is ignored: this finds accounts
with the same *repertoire*, an alternative to counting co-occurrences in a window.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer

from .cooccurrence import Events


def account_trace_matrix(events: Events, min_traces: int = 3) -> tuple[sp.csr_matrix, np.ndarray]:
    """Sparse accounts x traces count matrix for accounts with at least ``min_traces`` events, and
    the userids of its rows."""
    return count_matrix(events.user, events.key, np.ones(len(events), dtype=np.float64), events.users,
                        len(events.keys), min_traces)


def count_matrix(user: np.ndarray, key: np.ndarray, count: np.ndarray, users: np.ndarray, n_keys: int,
                 min_traces: int = 3) -> tuple[sp.csr_matrix, np.ndarray]:
    """:func:`account_trace_matrix` from (account code, trace code, count) rows (repeated cells are added)."""
    m = sp.csr_matrix((np.asarray(count, dtype=np.float64), (user, key)), shape=(len(users), n_keys))
    rows = np.flatnonzero(np.asarray(m.sum(axis=1)).ravel() >= min_traces)
    return m[rows], users[rows]


def tfidf_network(events: Events, threshold: float = 0.7, min_traces: int = 3) -> pd.DataFrame:
    """Undirected edges ``source, target, weight`` with ``weight`` = cosine similarity of the
    accounts' TF-IDF trace vectors, kept when ``>= threshold``. Computed as the sparse product
    ``X @ X.T`` of the L2-normalised matrix (never a dense account x account matrix)."""
    return tfidf_edges(*account_trace_matrix(events, min_traces), threshold)


def tfidf_edges(x: sp.csr_matrix, users: np.ndarray, threshold: float = 0.7) -> pd.DataFrame:
    """:func:`tfidf_network` from an account x trace count matrix and its rows' userids."""
    if x.shape[0] < 2:
        return pd.DataFrame({"source": [], "target": [], "weight": []})
    x = TfidfTransformer(sublinear_tf=True).fit_transform(x)
    s = sp.triu(x @ x.T, k=1).tocoo()
    keep = s.data >= threshold - 1e-12
    e = pd.DataFrame({"source": users[s.row[keep]], "target": users[s.col[keep]],
                      "weight": np.round(s.data[keep], 6)})
    return e.sort_values(["source", "target"], ignore_index=True)
