"""Scoring detected coordination against the planted ground truth of synthetic releases.

Positives are members of planted groups (optionally only of some ``group_kind``), negatives are the
organic control accounts; other campaign accounts (not in a planted group) are left out of the
account scores. Every function returns ``None`` when there is no ground truth (real releases).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

from ..ground_truth import GroundTruth

Z95 = 1.959963984540054  # two-sided 95% normal quantile


def positives_negatives(gt: GroundTruth, kinds: Sequence[str] | None) -> tuple[set[str], set[str]]:
    """Members of the planted groups of ``kinds`` (any when None) and the control accounts."""
    a = gt.accounts
    grouped = a["group"].fillna("") != ""
    if kinds is not None:
        grouped &= a["group_kind"].isin(kinds)
    return set(a.loc[grouped, "userid"]), set(a.loc[a["is_control"].astype(bool), "userid"])


def nodes_of(edges: pd.DataFrame) -> set[str]:
    """Accounts with at least one edge."""
    return set(edges["source"]) | set(edges["target"])


def wilson_interval(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a proportion ``k / n`` (Wilson, 1927): unlike ``p ± z·se`` it stays inside
    [0, 1] and is honest for small ``n`` (6 of 6 found: 0.61 to 1). ``(nan, nan)`` when ``n == 0``."""
    if n == 0:
        return float("nan"), float("nan")
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return float(max(0.0, centre - half)), float(min(1.0, centre + half))


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0


def score_accounts(flagged: Iterable[str], gt: GroundTruth | None,
                   kinds: Sequence[str] | None = None) -> dict | None:
    """Precision, recall, F1 of ``flagged`` accounts vs planted group members (of ``kinds``), with
    control accounts as negatives; Wilson 95% intervals of precision and recall (``*_low``, ``*_high``);
    and two baselines on the same scored accounts: flagging every one (``flag_all_*``) and flagging as
    many as the detector at random (``random_*``, expected values)."""
    if gt is None:
        return None
    return score_sets(flagged, *positives_negatives(gt, kinds))


def score_sets(flagged: Iterable[str], pos: set[str], neg: set[str]) -> dict:
    """:func:`score_accounts` with its positives and negatives given (callers scoring many account sets against
    the same ground truth compute them once)."""
    flagged = set(flagged)
    tp, fp, fn = len(flagged & pos), len(flagged & neg), len(pos - flagged)
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    f1 = 2 * precision * recall / (precision + recall) if tp else (0.0 if pos else float("nan"))
    p_low, p_high = wilson_interval(tp, tp + fp)
    r_low, r_high = wilson_interval(tp, tp + fn)
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn,
            "n_positive": len(pos), "n_negative": len(neg), "precision_low": p_low, "precision_high": p_high,
            "recall_low": r_low, "recall_high": r_high, **baselines(len(pos), len(neg), tp + fp)}


def baselines(n_positive: int, n_negative: int, n_flagged: int) -> dict[str, float]:
    """What a detector without skill scores on the same accounts: flag all of them (precision = prevalence,
    recall 1), or flag ``n_flagged`` of them at random (expected precision = prevalence, expected recall =
    ``n_flagged / (n_positive + n_negative)``). A detector is informative only where it beats both."""
    n = n_positive + n_negative
    if n == 0 or n_positive == 0:
        nan = float("nan")
        return {"flag_all_precision": nan, "flag_all_f1": nan, "random_precision": nan, "random_recall": nan,
                "random_f1": nan}
    prevalence = n_positive / n
    rand_recall = min(n_flagged, n) / n
    return {"flag_all_precision": prevalence, "flag_all_f1": _f1(prevalence, 1.0),
            "random_precision": prevalence, "random_recall": rand_recall, "random_f1": _f1(prevalence, rand_recall)}


def score_communities(labels: pd.Series, gt: GroundTruth | None, kinds: Sequence[str] | None = None) -> float | None:
    """Adjusted Rand index between detected communities (``userid -> community``) and planted groups,
    over planted members (of ``kinds``) and controls (NaN if the release has no such group). Accounts
    without a community and controls each count as their own singleton, so missed members and
    swept-in controls both lower the score."""
    if gt is None:
        return None
    pos, neg = positives_negatives(gt, kinds)
    if not pos:
        return float("nan")
    a = gt.accounts.set_index("userid")
    users = sorted(pos | neg)
    truth = [a.at[u, "group"] if u in pos else f"_single_{u}" for u in users]
    pred = [f"c{labels[u]}" if u in labels.index else f"_single_{u}" for u in users]
    return float(adjusted_rand_score(truth, pred))


def score_table(networks: dict[str, pd.DataFrame], gt: GroundTruth | None,
                kinds: dict[str, Sequence[str] | None] | None = None,
                communities: dict[str, pd.Series] | None = None) -> pd.DataFrame | None:
    """One row per trace: precision/recall/F1 of its accounts (vs the planted kinds it targets, from
    ``kinds``; all groups when absent) and the ARI of its communities."""
    if gt is None:
        return None
    rows = []
    for trace, edges in networks.items():
        target = (kinds or {}).get(trace)
        s = score_accounts(nodes_of(edges), gt, target)
        ari = score_communities(communities[trace], gt, target) if communities and trace in communities else np.nan
        rows.append({"trace": trace, "target": "all" if target is None else "+".join(target), **s, "ari": ari})
    return pd.DataFrame(rows)
