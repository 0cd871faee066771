"""Compare fitted topics with the narratives planted in a synthetic release.

Everything here reads ``tables.planted``: tweets per (script group, topic, topic label, planted narrative), made by
DuckDB, never one row per tweet. NMI and the adjusted Rand index are computed from that contingency table exactly
as scikit-learn computes them from the labels (Vinh et al., 2010; Hubert and Arabie, 1985): the same integer
contingency matrix in the same (sorted) label order, so the scores are equal to the last bit.
"""

from __future__ import annotations

from math import log

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.metrics import mutual_info_score


def with_narratives(planted: pd.DataFrame | None) -> pd.DataFrame | None:
    """The rows of ``planted`` whose narrative is set (None without ground truth or when none is)."""
    if planted is None:
        return None
    keep = planted[planted["narrative"].notna() & (planted["narrative"].astype(str) != "")]
    return None if keep.empty else keep


def contingency(labels_true: np.ndarray, labels_pred: np.ndarray, n: np.ndarray) -> sparse.csr_matrix:
    """scikit-learn's ``contingency_matrix(labels_true, labels_pred, sparse=True)`` from weighted label pairs."""
    classes, ci = np.unique(labels_true, return_inverse=True)
    clusters, ki = np.unique(labels_pred, return_inverse=True)
    c = sparse.coo_matrix((np.asarray(n, dtype=np.int64), (ci, ki)), shape=(classes.size, clusters.size),
                          dtype=np.int64).tocsr()
    c.sum_duplicates()
    return c


def _entropy(counts: np.ndarray) -> float:
    pi = counts.astype(np.float64)
    if pi.size == 1:
        return 0.0
    pi_sum = np.sum(pi)
    return float(-np.sum((pi / pi_sum) * (np.log(pi) - log(pi_sum))))


def nmi(c: sparse.csr_matrix) -> float:
    """``normalized_mutual_info_score`` (arithmetic mean) from a contingency matrix."""
    if c.shape[0] == c.shape[1] == 1 or c.shape[0] == c.shape[1] == 0:
        return 1.0
    mi = mutual_info_score(None, None, contingency=c)
    if mi == 0:
        return 0.0
    h_true, h_pred = _entropy(np.ravel(c.sum(axis=1))), _entropy(np.ravel(c.sum(axis=0)))
    return float(mi / np.mean([h_true, h_pred]))


def ari(c: sparse.csr_matrix) -> float:
    """``adjusted_rand_score`` from a contingency matrix (its pair confusion matrix, in integers)."""
    n_samples = int(c.sum())
    n_c, n_k = np.ravel(c.sum(axis=1)), np.ravel(c.sum(axis=0))
    sum_squares = int((c.data.astype(np.int64) ** 2).sum())
    tp = sum_squares - n_samples
    fp = int(c.dot(n_k).sum()) - sum_squares
    fn = int(c.transpose().dot(n_c).sum()) - sum_squares
    tn = n_samples ** 2 - fp - fn - sum_squares
    if fn == 0 and fp == 0:
        return 1.0
    return 2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))


def scores(narrative: np.ndarray, topic: np.ndarray, n: np.ndarray | None = None) -> tuple[float, float]:
    """(NMI, ARI) of ``topic`` against ``narrative``, each pair weighted by ``n`` tweets (default one)."""
    c = contingency(np.asarray(narrative).astype(str), np.asarray(topic), np.ones(len(topic)) if n is None else n)
    return nmi(c), ari(c)


def agreement(planted: pd.DataFrame | None, topic: str = "topic") -> dict[str, float | int] | None:
    """NMI and adjusted Rand index of topics vs planted ``narrative`` (outliers = one more cluster), from
    ``tables.planted``; ``topic``: the column of topic ids to score (e.g. the topics before linking).

    Returns ``None`` when there is no ground truth (real releases). ``outlier_share`` is the share of
    evaluated tweets in topic -1.
    """
    both = with_narratives(planted)
    if both is None:
        return None
    t, n = both[topic].to_numpy(), both["n"].to_numpy(np.int64)
    nmi_, ari_ = scores(both["narrative"].to_numpy(), t, n)
    return {
        "n_tweets": int(n.sum()),
        "n_narratives": int(both["narrative"].astype(str).nunique()),
        "n_topics": int(pd.unique(t[t >= 0]).size),
        "outlier_share": round(float(n[t < 0].sum() / n.sum()), 4),
        "nmi": round(nmi_, 4),
        "ari": round(ari_, 4),
    }


def narrative_crosstab(planted: pd.DataFrame) -> pd.DataFrame:
    """Tweets per (planted narrative, fitted topic label), from ``tables.planted``."""
    tab = planted.groupby(["narrative", "topic"])["n"].sum().unstack("topic", fill_value=0)
    tab.columns.name, tab.index.name = "topic", "narrative"
    labels = planted.drop_duplicates("topic").set_index("topic")["topic_label"]
    tab.columns = [labels[t] for t in tab.columns]
    return tab
