"""Tables (DuckDB counts of the assignments, ``tables``) and seaborn figures about fitted topics."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .. import fonts
from .tables import Assignments, counts

if TYPE_CHECKING:
    from matplotlib.figure import Figure

def topics_over_time(assignments: Assignments, include_outliers: bool = False) -> pd.DataFrame:
    """Weekly tweet counts per topic (long format: week, topic, topic_label, n_tweets)."""
    out = counts(assignments, ["week", "topic", "topic_label"], "" if include_outliers else "topic >= 0")
    return out.rename(columns={"n": "n_tweets"})


def share_by(assignments: Assignments, by: str, include_outliers: bool = True, mapping: pd.Series | None = None,
             missing: str = "unknown", top: int | None = None, other: str = "other") -> pd.DataFrame:
    """Share of each topic within each value of column ``by`` (rows sum to 1; tweets where ``by`` is null are left
    out). ``mapping``: ``by`` is instead ``mapping[userid]`` (e.g. the account role; ``missing`` where it has no
    entry). ``top``: only the ``top`` most frequent values of ``by`` (nulls as ``missing``), the rest as ``other``."""
    where = "" if include_outliers else "topic >= 0"
    key = "userid" if mapping is not None else by
    n = counts(assignments, [key, "topic", "topic_label"], where)
    if mapping is not None:
        n[by] = n["userid"].map(mapping).fillna(missing).astype(str)
    if top is not None:
        n[by] = n[by].fillna(missing)
        total = n.groupby(by)["n"].sum().sort_index().sort_values(ascending=False, kind="stable")
        n[by] = n[by].where(n[by].isin(total.index[:top]), other)
    n = n[n[by].notna()]
    tab = n.groupby([by, "topic"])["n"].sum().unstack("topic", fill_value=0)
    tab = tab.div(tab.sum(axis=1), axis=0)
    labels = n.drop_duplicates("topic").set_index("topic")["topic_label"]
    tab.columns = [labels[t] for t in tab.columns]
    return tab.sort_index()


def account_roles(accounts_truth: pd.DataFrame | None, assignments: Assignments) -> pd.Series:
    """``userid -> role``: the planted role on synthetic data; on real data (no ground truth) the
    account's dominant tweet kind (``mostly_retweet`` …), which is always available."""
    if accounts_truth is not None:
        return accounts_truth.set_index("userid")["role"].astype(str)
    kinds = counts(assignments, ["userid", "tweet_kind"])
    kinds = kinds.sort_values(["userid", "n", "tweet_kind"], ascending=[True, False, True], kind="stable")
    return ("mostly_" + kinds.drop_duplicates("userid").set_index("userid")["tweet_kind"]).rename("role")


# --- figures ---------------------------------------------------------------------------------------

def _short(labels, width: int = 32) -> list[str]:
    """Figure labels, truncated (CJK words included: ``fonts.register`` gives matplotlib a font for them)."""
    return [s if len(s) <= width else s[: width - 1] + "…" for s in map(str, labels)]


def plot_over_time(over_time: pd.DataFrame, title: str, top: int = 12) -> Figure:
    """Heatmap: weekly tweets of the ``top`` largest topics."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    fonts.register()
    biggest = over_time.groupby("topic_label")["n_tweets"].sum().sort_values(ascending=False, kind="stable")
    wide = over_time[over_time["topic_label"].isin(biggest.index[:top])].pivot_table(
        index="topic_label", columns="week", values="n_tweets", aggfunc="sum", fill_value=0)
    wide = wide.loc[[t for t in biggest.index[:top] if t in wide.index]]
    fig, ax = plt.subplots(figsize=(10, 0.4 * len(wide) + 1.8))
    from ..plots import heatmap_labels

    sns.heatmap(wide, cmap="rocket_r", ax=ax, cbar_kws={"label": "tweets"}, yticklabels=_short(wide.index),
                xticklabels=[f"{pd.Timestamp(w):%Y-%m-%d}" for w in wide.columns])
    ax.set(title=title, xlabel="week", ylabel="")
    ax.tick_params(axis="x", labelsize=7)
    heatmap_labels(ax, max_xlabels=20)
    fig.tight_layout()
    return fig


def plot_share(share: pd.DataFrame, title: str, top: int = 12) -> Figure:
    """Heatmap of topic shares (rows: groups such as roles, languages, clients)."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    fonts.register()
    cols = share.sum().sort_values(ascending=False, kind="stable").index[:top]
    data = share[cols]
    fig, ax = plt.subplots(figsize=(10, 0.45 * len(data) + 2.6))
    sns.heatmap(data, cmap="mako_r", vmin=0, vmax=1, ax=ax, annot=len(data) * len(cols) <= 150, fmt=".2f",
                annot_kws={"size": 7}, xticklabels=_short(cols, 24), cbar_kws={"label": "share of tweets"})
    from ..plots import heatmap_labels

    ax.set(title=title, xlabel="", ylabel="")
    ax.tick_params(axis="x", labelsize=7)
    heatmap_labels(ax, xrotation=50)
    fig.tight_layout()
    return fig
