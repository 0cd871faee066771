"""Figures of the case-study findings (seaborn; display them with ``plots.show``)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.lines import Line2D

from .. import plots
from ..timebins import partial
from .base import CaseData, Finding

_NOT_NARRATIVE = ("all tweets", "promotion share", "attack share", "other")


def fig_narratives(f: Finding, title: str = ""):
    """Tweets per month for each narrative of a narrative finding (``narratives``, ``party messaging``,
    ``cheerleading``); a share table (``cheerleading``) is drawn as shares."""
    t = f.table.drop(columns=[c for c in _NOT_NARRATIVE if c in f.table.columns])
    share = bool((f.table.drop(columns=[c for c in ("all tweets",) if c in f.table.columns]) <= 1).all().all())
    df = _with_partial(t.reset_index().melt(id_vars="month", var_name="narrative", value_name="value"), f)
    fig, ax = plt.subplots(figsize=(10, 3.6))
    plots.period_lines(ax, df, "month", "value", "narrative")
    ax.set(title=title or f"{f.name} per month", xlabel="", ylabel="share of tweets" if share else "tweets")
    ax.set_ylim(bottom=0)  # shares and counts from 0: a truncated axis inflates month-to-month noise
    plots.concise_dates(ax, maxticks=10)
    fig.tight_layout()
    return fig


def _with_partial(df: pd.DataFrame, f: Finding) -> pd.DataFrame:
    """``df`` (a ``month`` column) plus ``partial`` when the finding's table knows the release's time span
    (``table.attrs["span"]``, set by the monthly detectors)."""
    span = f.table.attrs.get("span") if f.table is not None else None
    return df if span is None else df.assign(partial=partial(df["month"], *span, "M").to_numpy())


def fig_shares(f: Finding, columns: list[str], title: str = ""):
    """Selected share columns of a finding's monthly table (e.g. promotion vs attack)."""
    df = _with_partial(f.table[columns].reset_index().melt(id_vars="month", var_name="series", value_name="share"), f)
    fig, ax = plt.subplots(figsize=(10, 3.4))
    plots.period_lines(ax, df, "month", "share", "series")
    ax.set(title=title or f.name, xlabel="", ylabel="share of the month's tweets", ylim=(0, 1))
    plots.concise_dates(ax, maxticks=10)
    fig.tight_layout()
    return fig


def fig_distribution(table: pd.DataFrame, column: str, threshold: float | None = None, title: str = "",
                     log: bool = False):
    """Histogram of a per-account measure, with the detector's threshold as a dashed line."""
    fig, ax = plt.subplots(figsize=(8, 3.2))
    sns.histplot(table[column].dropna(), bins=30, ax=ax, color="tab:blue", log_scale=(log, False))
    if threshold is not None:
        ax.axvline(threshold, ls="--", color="tab:red")
    ax.set(title=title or column, xlabel=column, ylabel="accounts")
    fig.tight_layout()
    return fig


def fig_switches(data: CaseData, f: Finding, n: int = 4, column: str = "tweet_language"):
    """Tweets per month by ``column`` for the first ``n`` flagged accounts of the compromised-account
    detector (the dashed line is the detected switch)."""
    users = f.flagged[:n]
    if not users:
        fig, ax = plt.subplots(figsize=(6, 1.2))
        ax.text(0.5, 0.5, "no account flagged", ha="center", va="center")
        ax.axis("off")
        return fig
    from .turkey import switch_series

    df = switch_series(data, f, n, column)
    df["partial"] = partial(df["month"], *data.span(), "M").to_numpy()  # the release's first and last months
    values = sorted(df[column].dropna().unique())  # one colour per value in every panel, one legend
    fig, axes = plt.subplots(len(users), 1, figsize=(10, 1.6 * len(users) + 1.2), sharex=True, squeeze=False,
                             layout="constrained")
    switch = f.accounts.set_index("userid")["switch_month"]
    legend: dict[str, object] = {}
    for ax, u in zip(axes[:, 0], users, strict=True):
        plots.period_lines(ax, df[df["userid"] == u], "month", "tweets", column, order=values, markersize=2,
                           legend=False)
        ax.axvline(pd.Timestamp(switch[u] + "-01"), ls="--", color="grey")
        ax.set(title=f"account {u[:10]}…", xlabel="", ylabel="tweets", ylim=(0, None))
        legend.update(zip(*reversed(ax.get_legend_handles_labels()), strict=True))
    if df["partial"].any():
        handle, label = plots.partial_legend_entry("M")
        legend[label] = handle
    legend["detected switch"] = Line2D([], [], ls="--", color="grey")
    fig.legend(list(legend.values()), list(legend), title=column, loc="outside lower center", ncols=len(legend),
               fontsize=8, title_fontsize=9, frameon=False)
    plots.concise_dates(axes[-1, 0], maxticks=10)
    fig.suptitle(f"{f.name}: tweets per month by {column}")
    return fig
