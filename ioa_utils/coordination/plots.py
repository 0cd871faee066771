"""Figures for the networks notebook (matplotlib; seeded layouts, so drawings are reproducible)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd

from .. import plots
from ..timebins import partial, period_start
from .groups import to_graph


def draw_components(edges: pd.DataFrame, node_color: pd.Series | None = None, n: int = 4, seed: int = 2020,
                    title: str = "") -> plt.Figure:
    """The ``n`` largest connected components side by side (spring layout, fixed seed), nodes coloured
    by ``node_color`` (e.g. role) when given."""
    g = to_graph(edges)
    comps = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))[:n]
    fig, axes = plt.subplots(1, max(len(comps), 1), figsize=(3.2 * max(len(comps), 1), 3.2), squeeze=False)
    drawn = sorted({u for c in comps for u in c})
    cats = sorted({str(node_color.get(u, "unknown")) for u in drawn}) if node_color is not None else []
    cmap = plt.get_cmap("tab10")
    for ax, comp in zip(axes[0], comps, strict=False):
        # a graph of its own with nodes and edges in sorted order: a subgraph view of a small component iterates a
        # set of account ids (order set by PYTHONHASHSEED), and the spring layout follows the node order
        sub = nx.Graph()
        sub.add_nodes_from(comp)
        sub.add_weighted_edges_from(sorted((min(u, v), max(u, v), d.get("weight", 1))
                                           for u, v, d in g.subgraph(comp).edges(data=True)))
        pos = nx.spring_layout(sub, seed=seed, weight="weight")
        nodes = sorted(sub.nodes)
        if node_color is not None:
            colors = [cmap(cats.index(str(node_color.get(u, "unknown"))) % 10) for u in nodes]
        else:
            colors = ["tab:blue"] * len(nodes)
        nx.draw_networkx_edges(sub, pos, ax=ax, alpha=0.3, width=0.6)
        nx.draw_networkx_nodes(sub, pos, nodelist=nodes, node_color=colors, node_size=25, ax=ax)
        ax.set_title(f"{len(comp)} accounts", fontsize=9)
        ax.set_axis_off()
    for c in cats:
        axes[0][0].scatter([], [], color=cmap(cats.index(c) % 10), label=c, s=20)
    if cats:
        fig.legend(loc="lower center", ncol=min(len(cats), 6), fontsize=8, frameon=False)
    fig.suptitle(title)
    fig.tight_layout(rect=(0, 0.08 if cats else 0, 1, 1))
    return fig


def degree_weight_distributions(networks: dict[str, pd.DataFrame], title: str = "") -> plt.Figure:
    """Degrees and edge weights of several networks as rank plots (value of the k-th largest node / edge
    against k, one point each): readable for 6-node networks, where a log-log CCDF is a few steps. An axis
    is logarithmic only when its values span two orders of magnitude."""
    from ..plots import log_if_wide

    fig, (a, b) = plt.subplots(1, 2, figsize=(9, 4.4))
    values: dict = {a: [], b: []}
    for name, e in networks.items():
        if e.empty:
            continue
        deg = pd.concat([e["source"], e["target"]]).value_counts().to_numpy()
        w = e["weight"].to_numpy(float)
        for ax, x, what in ((a, deg, "accounts"), (b, w, "edges")):
            xs = np.sort(x)[::-1]
            ranks = np.arange(1, len(xs) + 1)
            ax.plot(ranks, xs, marker="o" if len(xs) <= 60 else "", markersize=3, lw=1.2,
                    label=f"{name} ({len(xs)} {what})")
            values[ax].append((ranks, xs))
    for ax, lab, unit in ((a, "degree", "account"), (b, "edge weight", "edge")):
        if values[ax]:
            log_if_wide(ax, "x", np.concatenate([r for r, _ in values[ax]]))
            if not log_if_wide(ax, "y", np.concatenate([v for _, v in values[ax]])):
                ax.set_ylim(bottom=0)
            ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, frameon=False)
        ax.set_xlabel(f"rank ({unit}s, largest first)")
        ax.set_ylabel(lab)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def coordination_over_time(evidence: pd.DataFrame, freq: str = "W", title: str = "",
                           span: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> plt.Figure:
    """Number of coordinated tweet pairs per period and trace (from the edge evidence tables), zero in the
    periods between the first and last pair where none occurred. With the release's ``span`` (first and last
    tweet, :func:`ioa_utils.store.time_span`), the periods the release covers only partly are dashed and
    shaded: a short last week must not read as the end of the campaign."""
    fig, ax = plt.subplots(figsize=(9, 3.2))
    if not evidence.empty:
        t = evidence.assign(period=period_start(evidence["time_source"], freq))
        c = t.groupby(["period", "trace"]).size().unstack(fill_value=0)
        c = c.reindex(pd.period_range(c.index.min(), c.index.max(), freq=freq).start_time, fill_value=0)
        df = c.rename_axis("period").reset_index().melt(id_vars="period", var_name="trace", value_name="pairs")
        if span is not None:
            df["partial"] = partial(df["period"], *span, freq).to_numpy()
        plots.period_lines(ax, df, "period", "pairs", "trace", freq=freq, markersize=2)
    ax.set_ylabel("co-occurring tweet pairs")
    ax.set_ylim(bottom=0)
    ax.set_title(title)
    plots.concise_dates(ax)
    fig.tight_layout()
    return fig


def sweep_figure(sweep: pd.DataFrame, title: str = "") -> plt.Figure:
    """Accounts flagged (and F1 if available) against the window, one line per weight threshold."""
    has_f1 = "f1" in sweep
    fig, axes = plt.subplots(1, 2 if has_f1 else 1, figsize=(9 if has_f1 else 4.5, 3.2), squeeze=False)
    for m, s in sweep.groupby("min_weight"):
        axes[0][0].plot(s["window"], s["n_accounts"], marker="o", label=f"min weight {m}")
        if has_f1:
            axes[0][1].plot(s["window"], s["f1"], marker="o", label=f"min weight {m}")
    axes[0][0].set_ylabel("accounts flagged")
    if has_f1:
        axes[0][1].set_ylabel("F1 vs planted groups")
        axes[0][1].set_ylim(0, 1.02)
    for ax in axes[0]:
        ax.set_xscale("symlog", linthresh=60)
        ax.set_xlim(0, sweep["window"].max() * 1.5)
        ax.set_xlabel("window (s)")
    axes[0][0].legend(fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    return fig
