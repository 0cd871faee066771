"""Figures shared by the notebooks (seaborn on matplotlib, Agg backend friendly)."""

from __future__ import annotations

import textwrap

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from . import fonts

sns.set_theme(style="whitegrid", context="notebook")
fonts.register()  # after set_theme, which resets the font family: CJK glyphs in every figure


PERIOD_NAMES = {"M": "month", "W": "week", "D": "day"}
MAX_TICK_LABELS = 24  # tick labels per axis before they are thinned out


def volume_over_time(df: pd.DataFrame, x: str, hue: str, title: str, y: str = "tweets", log: bool = True,
                     freq: str = "M"):
    """Line chart of tweet counts over time, one line per ``hue`` value; periods a release covers only
    partly (bool column ``partial``, when present) are drawn dashed and shaded. A linear axis starts at 0."""
    fig, ax = plt.subplots(figsize=(10, 3.8))
    period_lines(ax, df, x, y, hue, freq=freq)
    if log:
        ax.set_yscale("log")
    else:
        ax.set_ylim(bottom=0)
    ax.set(title=title, xlabel="", ylabel=f"{y} (log scale)" if log else y)
    concise_dates(ax)
    fig.tight_layout()
    return fig


def period_lines(ax, df: pd.DataFrame, x: str, y: str, hue: str | None = None, order: list | None = None,
                 freq: str = "M", partial: str = "partial", legend: bool = True, markersize: float = 3) -> None:
    """One line of ``y`` over the period starts ``x`` per ``hue`` value. Rows whose bool column ``partial``
    is true (a period the data cover only partly, see :func:`ioa_utils.timebins.partial`) are joined by
    dashed segments with hollow markers and their periods shaded, and the legend says so: a release's
    short last month must not read as a collapse."""
    names = [None] if hue is None else (order or list(dict.fromkeys(df[hue])))
    colors = sns.color_palette(n_colors=max(len(names), 1))
    spans: set[pd.Timestamp] = set()
    for name, color in zip(names, colors, strict=True):
        g = (df if name is None else df[df[hue] == name]).sort_values(x)
        xs, ys = pd.to_datetime(g[x]).to_numpy(), g[y].to_numpy(float)
        part = g[partial].to_numpy(bool) if partial in g else np.zeros(len(g), bool)
        ax.plot(xs, np.where(part, np.nan, ys), color=color, marker="o", markersize=markersize, lw=1.5,
                label=None if name is None else str(name))
        for i in range(len(xs) - 1):
            if part[i] or part[i + 1]:
                ax.plot(xs[i:i + 2], ys[i:i + 2], color=color, ls="--", lw=1.2)
        ax.plot(xs[part], ys[part], ls="", marker="o", markersize=markersize + 1, mfc="white", color=color)
        spans.update(pd.to_datetime(g[x])[part])
    for start in sorted(spans):
        ax.axvspan(start, pd.Period(start, freq).end_time, color="grey", alpha=0.15, lw=0)
    if not legend:
        return
    handles, labels = ax.get_legend_handles_labels()
    if spans:
        h, lab = partial_legend_entry(freq)
        handles.append(h)
        labels.append(lab)
    if handles:
        ax.legend(handles, labels, title=hue, fontsize=8, title_fontsize=9)


def partial_legend_entry(freq: str = "M") -> tuple[tuple, str]:
    """The legend handle and label :func:`period_lines` uses for partly covered periods."""
    return ((Patch(color="grey", alpha=0.15), Line2D([], [], color="grey", ls="--")),
            f"partial {PERIOD_NAMES.get(freq, 'period')} (the release starts or ends inside it)")


def rotate_labels(ax, axis: str = "x", rotation: float = 30) -> None:
    """Rotate an axis's tick labels (x labels anchored at their right end, so they stay under their tick)."""
    ax.tick_params(axis=axis, labelrotation=rotation)
    if axis == "x" and rotation:
        for lab in ax.get_xticklabels():
            lab.set_horizontalalignment("right")
            lab.set_rotation_mode("anchor")


def thin_labels(ax, axis: str = "x", max_labels: int = MAX_TICK_LABELS) -> None:
    """Keep every k-th tick (and its label) so that at most ``max_labels`` remain: for categorical axes
    (heat-map columns) that have one tick per category."""
    ticks = ax.get_xticks() if axis == "x" else ax.get_yticks()
    labels = [t.get_text() for t in (ax.get_xticklabels() if axis == "x" else ax.get_yticklabels())]
    if len(ticks) <= max_labels:
        return
    step = int(np.ceil(len(ticks) / max_labels))
    keep = slice(0, None, step)
    if axis == "x":
        ax.set_xticks(ticks[keep], labels[keep])
    else:
        ax.set_yticks(ticks[keep], labels[keep])


def heatmap_labels(ax, max_xlabels: int = MAX_TICK_LABELS, xrotation: float = 45) -> None:
    """Readable heat-map axes: row labels horizontal (rotated ones overlap on short rows), at most
    ``max_xlabels`` column labels, rotated, and no grid lines drawn over the cells."""
    ax.grid(False)
    ax.tick_params(axis="y", labelrotation=0)
    thin_labels(ax, "x", max_xlabels)
    rotate_labels(ax, "x", xrotation)


def log_if_wide(ax, axis: str, values, decades: float = 2.0) -> bool:
    """Log scale on ``axis`` only when positive ``values`` span at least ``decades`` orders of magnitude
    (a 6-node network's degrees do not); returns whether it was set."""
    v = np.asarray(values, float)
    v = v[v > 0]
    wide = len(v) > 0 and np.log10(v.max() / v.min()) >= decades
    if wide:
        (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
    return bool(wide)


def concise_dates(ax, maxticks: int = 6) -> None:
    """Few, compact date labels on the x axis (a multi-year daily axis is unreadable otherwise)."""
    locator = mdates.AutoDateLocator(minticks=3, maxticks=maxticks)
    locator.intervald[mdates.MONTHLY] = [1, 2, 3, 4, 6, 12]  # two years or so with few ticks: yearly on months
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


def facet_lines(df: pd.DataFrame, x: str, y: str, hue: str, col: str, title: str, freq: str = "W"):
    """One small panel per ``col`` value, lines by ``hue`` (same colours in every panel), y from 0; periods
    a panel's data cover only partly (bool column ``partial``, when present) dashed and shaded."""
    panels = list(dict.fromkeys(df[col]))
    order = list(dict.fromkeys(df[hue]))
    width = 3.9 * len(panels) + 2.4
    fig, axes = plt.subplots(1, len(panels), figsize=(width, 3.1), squeeze=False)
    for ax, name in zip(axes[0], panels, strict=True):
        period_lines(ax, df[df[col] == name], x, y, hue, order=order, freq=freq, legend=False, markersize=0)
        ax.set(title=str(name), xlabel="", ylabel=y if ax is axes[0][0] else "")
        ax.set_ylim(bottom=0)
        concise_dates(ax, maxticks=4)
    handles = [Line2D([], [], color=c, lw=1.5) for c in sns.color_palette(n_colors=len(order))]
    labels = [str(h) for h in order]
    if "partial" in df and df["partial"].any():
        h, lab = partial_legend_entry(freq)
        handles.append(h)
        labels.append(textwrap.fill(lab, 22))
    legend_share = 2.2 / width  # the legend's column, right of the panels
    fig.legend(handles, labels, title=hue, loc="center left", bbox_to_anchor=(1 - legend_share, 0.5), frameon=False,
               fontsize=8)
    fig.suptitle(title)
    fig.tight_layout(rect=(0, 0, 1 - legend_share, 1))
    return fig


def show(fig) -> None:
    """Display a figure exactly once and release it.

    The inline backend would also display every open figure after the cell; how often depends on the
    kernel's setup (papermill and nbval differ), so figures are shown explicitly and closed.
    """
    from IPython.display import display

    display(fig)
    plt.close(fig)
