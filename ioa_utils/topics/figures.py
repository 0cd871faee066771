"""The topics notebook's figures (seaborn heat maps), drawn from the tables of ``tables``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .. import fonts

if TYPE_CHECKING:
    from matplotlib.figure import Figure


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
