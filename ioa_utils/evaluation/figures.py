"""The evaluation notebook's figure: held-out F1 per detector and release, default vs selected thresholds."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd


def heldout_f1(summary: pd.DataFrame):
    """Held-out mean F1 ± sd (bars: default and selected thresholds) per detector, one panel per release, with
    the flag-all (x) and random (+) baselines; only detector-release pairs with planted targets."""
    s = summary[summary["positives"] > 0].reset_index()
    releases = list(dict.fromkeys(s["release"]))
    fig, axes = plt.subplots(1, len(releases), figsize=(5.2 * len(releases), 6.5), sharex=True, squeeze=False)
    for ax, rel in zip(axes[0], releases, strict=True):
        r = s[s["release"] == rel]
        dets = list(dict.fromkeys(r["detector"]))
        y = np.arange(len(dets))
        for k, (which, colour) in enumerate((("default", "tab:blue"), ("selected", "tab:orange"))):
            w = r[r["threshold"] == which].set_index("detector").reindex(dets)
            ax.barh(y + (k - 0.5) * 0.38, w["f1 mean"], 0.38, xerr=w["f1 sd"].fillna(0), color=colour, label=which,
                    error_kw={"elinewidth": 1, "capsize": 2})
        base = r[r["threshold"] == "default"].set_index("detector").reindex(dets)
        ax.scatter(base["f1 flag-all"], y, marker="x", color="black", zorder=3, label="flag all")
        ax.scatter(base["f1 random"], y, marker="+", color="grey", s=60, zorder=3, label="random")
        ax.set_yticks(y, dets, fontsize=8)
        ax.invert_yaxis()
        ax.set(title=rel, xlabel="held-out F1 (mean ± sd over seeds)", xlim=(0, 1.05))
    axes[0][0].legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig
