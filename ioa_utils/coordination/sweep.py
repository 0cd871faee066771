"""How much do the results depend on the window and the weight threshold?"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..ground_truth import GroundTruth
from .cooccurrence import Events, directed_weights, undirected
from .evaluate import nodes_of, score_accounts


def sensitivity_sweep(events: Events, windows: Sequence[float], min_weights: Sequence[int],
                      gt: GroundTruth | None = None, kinds: Sequence[str] | None = None) -> pd.DataFrame:
    """For every (window, min_weight): number of edges and accounts, and -- with ground truth --
    precision, recall, F1 against the planted groups of ``kinds``. The directed weights are computed
    once per window and thresholded for every ``min_weight``."""
    rows = []
    for w in windows:
        d = directed_weights(events, w)
        for m in min_weights:
            e = undirected(d, m)
            row = {"window": w, "min_weight": m, "n_edges": len(e), "n_accounts": len(nodes_of(e))}
            s = score_accounts(nodes_of(e), gt, kinds)
            if s is not None:
                row.update(precision=s["precision"], recall=s["recall"], f1=s["f1"])
            rows.append(row)
    return pd.DataFrame(rows)
