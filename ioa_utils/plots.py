"""Figures shared by the notebooks (seaborn on matplotlib, Agg backend friendly)."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from . import fonts

sns.set_theme(style="whitegrid", context="notebook")
fonts.register()  # after set_theme, which resets the font family: CJK glyphs in every figure


def volume_over_time(df: pd.DataFrame, x: str, hue: str, title: str, y: str = "tweets", log: bool = True):
    """Line chart of tweet counts over time, one line per ``hue`` value."""
    fig, ax = plt.subplots(figsize=(10, 3.8))
    sns.lineplot(data=df, x=x, y=y, hue=hue, marker="o", markersize=3, ax=ax)
    if log:
        ax.set_yscale("log")
    ax.set(title=title, xlabel="", ylabel=f"{y} (log scale)" if log else y)
    concise_dates(ax)
    fig.tight_layout()
    return fig


def concise_dates(ax, maxticks: int = 6) -> None:
    """Few, compact date labels on the x axis (a multi-year daily axis is unreadable otherwise)."""
    locator = mdates.AutoDateLocator(minticks=3, maxticks=maxticks)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def stacked_shares(shares: pd.DataFrame, title: str, xlabel: str = "share of tweets"):
    """Horizontal stacked bars: one bar per row of ``shares`` (values summing to 1)."""
    fig, ax = plt.subplots(figsize=(9, 0.6 * len(shares) + 1.4))
    shares.plot.barh(stacked=True, ax=ax, colormap="tab10", width=0.7)
    ax.set(title=title, xlabel=xlabel, ylabel="", xlim=(0, 1))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=len(shares.columns), frameon=False)
    fig.tight_layout()
    return fig


def facet_lines(df: pd.DataFrame, x: str, y: str, hue: str, col: str, title: str):
    """One small panel per ``col`` value, lines by ``hue``."""
    g = sns.relplot(data=df, x=x, y=y, hue=hue, col=col, kind="line", height=2.8, aspect=1.4,
                    facet_kws={"sharey": False, "sharex": False})
    g.set_titles("{col_name}")
    g.set_axis_labels("", y)
    for ax in g.axes.flat:
        concise_dates(ax)
    g.figure.suptitle(title, y=1.04)
    return g.figure


def show(fig) -> None:
    """Display a figure exactly once and release it.

    The inline backend would also display every open figure after the cell; how often depends on the
    kernel's setup (papermill and nbval differ), so figures are shown explicitly and closed.
    """
    from IPython.display import display

    display(fig)
    plt.close(fig)
