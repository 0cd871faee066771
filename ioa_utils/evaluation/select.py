"""Threshold selection on the development seeds, and the held-out summary (mean ± sd, min-max over seeds).

:func:`choose` sees only the rows of the development seeds it is given (``tests/test_evaluation.py`` checks
that changing every held-out score changes nothing it returns). Criterion, declared in ``protocol``: per swept
detector, the setting with the highest mean F1 over the development seeds and the releases where the
detector's targets are planted (``n_positive > 0``); ties keep the library default, then the first setting in
grid order. :func:`heldout` then reads only the held-out seeds, for the default and the selected setting.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .protocol import GRID, TIE

METRICS = ("precision", "recall", "f1")


def choose(scores: pd.DataFrame, dev_seeds: tuple[int, ...] | list[int]) -> pd.DataFrame:
    """One row per swept detector: its default and selected settings, their mean development F1, how many
    development seeds and releases the mean is over, and whether the selection differs from the default."""
    dev = scores[scores["seed"].isin(list(dev_seeds)) & (scores["n_positive"] > 0)]
    rows = []
    for detector in GRID:
        d = dev[dev["detector"] == detector]
        if d.empty:
            continue
        order = list(dict.fromkeys(d["setting"]))  # grid order (rows are written in grid order)
        mean = d.groupby("setting", sort=False)["f1"].mean().reindex(order)
        default = d.loc[d["is_default"], "setting"].iloc[0]
        best = mean.max()
        tied = [s for s in order if mean[s] >= best - TIE]
        chosen = default if default in tied else tied[0]
        rows.append({"detector": detector, "family": d["family"].iloc[0], "default": default, "selected": chosen,
                     "changed": chosen != default, "dev f1 default": float(mean[default]),
                     "dev f1 selected": float(mean[chosen]), "dev seeds": d["seed"].nunique(),
                     "releases": ", ".join(sorted(d["release"].unique())), "settings tried": len(order)})
    return pd.DataFrame(rows).set_index("detector")


def heldout(scores: pd.DataFrame, chosen: pd.DataFrame, heldout_seeds: tuple[int, ...] | list[int]) -> pd.DataFrame:
    """Per detector, release and threshold ("default", "selected": the same rows when unchanged; unswept
    detectors: "default" only): over the held-out seeds, mean, sd (n - 1), min and max of precision, recall
    and F1, mean false positives, planted positives, and the flag-all and random baselines' mean F1."""
    held = scores[scores["seed"].isin(list(heldout_seeds))]
    parts = []
    for detector, d in held.groupby("detector", sort=False):
        picks = {"default": d[d["is_default"]]}
        if detector in chosen.index:
            picks["selected"] = d[d["setting"] == chosen.at[detector, "selected"]]
        for which, rows in picks.items():
            parts.append(rows.assign(threshold=which))
    sel = pd.concat(parts, ignore_index=True)
    g = sel.groupby(["detector", "release", "threshold"], sort=False)
    out = g.agg(family=("family", "first"), setting=("setting", "first"), seeds=("seed", "nunique"),
                positives=("n_positive", "mean"), flagged=("flagged", "mean"), false_positives=("fp", "mean"))
    for m in METRICS:
        out[f"{m} mean"] = g[m].mean()
        out[f"{m} sd"] = g[m].std(ddof=1)
        out[f"{m} min"] = g[m].min()
        out[f"{m} max"] = g[m].max()
    out["f1 flag-all"] = g["flag_all_f1"].mean()
    out["f1 random"] = g["random_f1"].mean()
    return out


def fmt(mean: float, sd: float, low: float, high: float) -> str:
    """``0.82 ± 0.05 (0.75-0.90)``; "n/a" when undefined (no positives, or nothing scorable flagged)."""
    if np.isnan(mean):
        return "n/a"
    return f"{mean:.2f} ± {0.0 if np.isnan(sd) else sd:.2f} ({low:.2f}-{high:.2f})"


def table(summary: pd.DataFrame, planted: bool = True) -> pd.DataFrame:
    """The held-out results table: one row per detector, release and threshold, the scores as mean ± sd
    (min-max). ``planted``: only releases where the detector's targets are planted (else: only the others,
    where every flag is a false positive)."""
    s = summary[(summary["positives"] > 0) == planted]
    out = pd.DataFrame({"setting": s["setting"], "positives": s["positives"].round(1),
                        "flagged": s["flagged"].round(1), "false positives": s["false_positives"].round(1)})
    for m in METRICS if planted else ():
        out[m] = [fmt(*r) for r in s[[f"{m} mean", f"{m} sd", f"{m} min", f"{m} max"]].to_numpy()]
    if planted:
        out["f1 flag-all"] = s["f1 flag-all"].round(2)
        out["f1 random"] = s["f1 random"].round(2)
    return out


def gains(summary: pd.DataFrame, chosen: pd.DataFrame) -> pd.DataFrame:
    """Per swept detector and release with planted targets: held-out mean F1 at the default and at the selected
    setting, and the difference."""
    s = summary[summary["positives"] > 0].reset_index()
    s = s[s["detector"].isin(chosen.index)]
    w = s.pivot_table(index=["detector", "release"], columns="threshold", values="f1 mean", sort=False)
    w["gain"] = w["selected"] - w["default"]
    return w[["default", "selected", "gain"]]
