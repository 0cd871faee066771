"""Every case-study figure (seaborn; display them with ``plots.show``): a release's profile, its findings, and the
comparison of releases (notebook 08 and the report's index). Shared styling is in ``ioa_utils.plots``."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.lines import Line2D

from .. import plots
from ..timebins import partial
from .base import CaseData, Finding
from .compare import Results
from .profile import OFFICE_HOURS, Profile

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


# --- a release's profile ------------------------------------------------------------------------------

def fig_timelines(p: Profile):
    """Accounts created per month (top) and tweets per month by kind (bottom)."""
    fig, (a1, a2) = plt.subplots(2, 1, figsize=(10, 5.5))
    a1.bar(p.creation["month"], p.creation["accounts"], width=25, color="tab:gray")
    a1.set(title=f"{p.release}: accounts created per month", ylabel="accounts")
    plots.period_lines(a2, p.volume, "month", "tweets", "tweet_kind",
                       order=[k for k in ("original", "retweet", "reply", "quote") if k in set(p.volume["tweet_kind"])])
    a2.set(title="tweets per month", xlabel="", ylabel="tweets")
    a2.set_ylim(bottom=0)
    for ax in (a1, a2):
        plots.concise_dates(ax, maxticks=10)
    fig.tight_layout()
    return fig


def fig_accounts(p: Profile):
    """Follower distribution (accounts per bin) and the activity mix (languages, clients)."""
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.6))
    sns.barplot(x=p.followers.index.astype(str), y=p.followers["accounts"].to_numpy(), color="tab:blue", ax=axes[0])
    axes[0].set(title="followers per account", xlabel="followers", ylabel="accounts")
    plots.rotate_labels(axes[0], "x", 35)
    for ax, s, t in ((axes[1], p.languages, "tweet language"), (axes[2], p.clients, "client")):
        sns.barplot(x=s.to_numpy(), y=[str(i)[:24] for i in s.index], color="tab:orange", ax=ax)
        ax.set(title=t, xlabel="share of tweets", ylabel="")
    fig.tight_layout()
    return fig


def fig_hours(p: Profile):
    """Tweets per local weekday and hour (heat map), with the office-hours box."""
    fig, ax = plt.subplots(figsize=(10, 3.2))
    sns.heatmap(p.hours, cmap="viridis", ax=ax, cbar_kws={"label": "tweets"})
    plots.heatmap_labels(ax, xrotation=0)
    lo, hi = OFFICE_HOURS
    ax.add_patch(plt.Rectangle((lo, 0), hi - lo, 5, fill=False, edgecolor="white", lw=2))
    ax.set(title=f"{p.release}: posting hours in {p.timezone} (box: weekdays {lo}-{hi} h)", xlabel="local hour",
           ylabel="")
    fig.tight_layout()
    return fig


# --- releases compared ---------------------------------------------------------------------------------

def fig_volume(profiles: dict[str, Profile]):
    """Tweets per month, one line per release (log scale)."""
    df = pd.concat([p.volume.groupby("month").agg(tweets=("tweets", "sum"),
                                                  **({"partial": ("partial", "any")} if "partial" in p.volume else {}))
                    .reset_index().assign(release=r) for r, p in profiles.items()], ignore_index=True)
    return plots.volume_over_time(df, "month", "release", "tweets per month")


def fig_release_hours(profiles: dict[str, Profile]):
    """Share of tweets per local hour of day, one line per release (each in its own time zone)."""
    df = pd.concat([(p.hours.sum(axis=0) / max(p.hours.to_numpy().sum(), 1)).rename("share").reset_index()
                    .assign(release=f"{r} ({p.timezone})") for r, p in profiles.items()], ignore_index=True)
    fig, ax = plt.subplots(figsize=(10, 3.4))
    sns.lineplot(data=df, x="hour", y="share", hue="release", marker="o", markersize=3, ax=ax)
    ax.axvspan(9, 18, color="grey", alpha=0.15)
    ax.set(title="posting hours in each attributed time zone (shaded: 9-18 h)", xlabel="local hour",
           ylabel="share of tweets", xticks=range(0, 24, 3))
    ax.set_ylim(bottom=0)
    fig.tight_layout()
    return fig


def fig_mix(profiles: dict[str, Profile]):
    """Tweet kinds and follower distribution per release."""
    kinds = pd.DataFrame({r: p.kinds for r, p in profiles.items()}).T
    foll = pd.DataFrame({r: p.followers["accounts"] / p.followers["accounts"].sum() for r, p in profiles.items()}).T
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 0.5 * len(profiles) + 2.2))
    kinds.plot.barh(stacked=True, ax=a1, colormap="tab10", width=0.7)
    a1.set(title="tweet kinds", xlabel="share of tweets", xlim=(0, 1))
    foll.plot.barh(stacked=True, ax=a2, colormap="viridis", width=0.7)
    a2.set(title="followers per account", xlabel="share of accounts", xlim=(0, 1), yticklabels=[])
    for ax in (a1, a2):
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=3, frameon=False, fontsize=8)
    fig.tight_layout()
    return fig


def fig_tactics(data: dict[str, Results]):
    """Share of each release's accounts each detector flags (blank: not applicable)."""
    share = pd.DataFrame({r: {k: (f.n_accounts / max(d.n_accounts, 1) if f.applicable else float("nan"))
                              for k, f in d.findings.items()} for r, d in data.items()})
    fig, ax = plt.subplots(figsize=(2.2 * len(share.columns) + 3, 5))
    sns.heatmap(share, annot=True, fmt=".2f", cmap="rocket_r", vmin=0, vmax=1, ax=ax,
                cbar_kws={"label": "share of accounts flagged"})
    ax.set(title="share of accounts each detector flags", xlabel="", ylabel="")
    plots.heatmap_labels(ax, xrotation=0)
    fig.tight_layout()
    return fig
