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


def _positives_negatives(gt: GroundTruth, kinds: Sequence[str] | None) -> tuple[set[str], set[str]]:
    a = gt.accounts
    grouped = a["group"].fillna("") != ""
    if kinds is not None:
        grouped &= a["group_kind"].isin(kinds)
    return set(a.loc[grouped, "userid"]), set(a.loc[a["is_control"].astype(bool), "userid"])


def nodes_of(edges: pd.DataFrame) -> set[str]:
    """Accounts with at least one edge."""
    return set(edges["source"]) | set(edges["target"])


def score_accounts(flagged: Iterable[str], gt: GroundTruth | None,
                   kinds: Sequence[str] | None = None) -> dict | None:
    """Precision, recall, F1 of ``flagged`` accounts vs planted group members (of ``kinds``), with
    control accounts as negatives."""
    if gt is None:
        return None
    pos, neg = _positives_negatives(gt, kinds)
    flagged = set(flagged)
    tp, fp, fn = len(flagged & pos), len(flagged & neg), len(pos - flagged)
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    f1 = 2 * precision * recall / (precision + recall) if tp else (0.0 if pos else float("nan"))
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn,
            "n_positive": len(pos), "n_negative": len(neg)}


def score_communities(labels: pd.Series, gt: GroundTruth | None, kinds: Sequence[str] | None = None) -> float | None:
    """Adjusted Rand index between detected communities (``userid -> community``) and planted groups,
    over planted members (of ``kinds``) and controls (NaN if the release has no such group). Accounts
    without a community and controls each count as their own singleton, so missed members and
    swept-in controls both lower the score."""
    if gt is None:
        return None
    pos, neg = _positives_negatives(gt, kinds)
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
