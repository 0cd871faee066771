"""Tables and seaborn figures about fitted topics."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .. import fonts

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .model import GroupModel

OUTLIER_LABEL = "-1_outliers"


def topic_label(topic: int, words: list[str], n: int = 3) -> str:
    """Short label from the top c-TF-IDF words, BERTopic style: ``3_word_word_word``."""
    return OUTLIER_LABEL if topic < 0 else f"{topic}_" + "_".join(words[:n])


def topic_table(groups: dict[str, GroupModel], assignments: pd.DataFrame | None, tweets: pd.DataFrame | None = None,
                sizes: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per topic: id, script group(s), sizes, top words, label and 3 representative tweets.

    A topic merged across script groups (``link.py``) lists its groups as ``cjk+latin`` and its group-model
    topics in ``members`` (``cjk:0 latin:2``); ``local_topic`` is then that of its first member, the top
    words are each member's in turn, the label takes the first two words of each member and the
    representative tweets alternate between members. ``sizes``: ``topic_sizes`` computed elsewhere (the
    out-of-core stage), instead of from ``assignments``.
    """
    members: dict[int, list[tuple[str, int, int, list[str], list[str]]]] = {}
    n_outlier_fit = 0
    for name, gm in groups.items():
        model = gm.model
        reps = model.get_representative_docs() or {}
        for local, count in sorted(model.topic_sizes_.items()):
            if local < 0:
                n_outlier_fit += int(count)
                continue
            words = [w for w, _ in model.get_topic(local) if w]
            topic = gm.topic_map.get(int(local), int(local) + gm.offset)
            members.setdefault(topic, []).append((name, int(local), int(count), words, list(reps.get(local, []))))
    rows = []
    for topic, parts in sorted(members.items()):
        words = [w for p in parts for w in p[3]]
        label_words = words if len(parts) == 1 else [w for p in parts for w in p[3][:2]]
        docs = [d for i in range(3) for p in parts for d in p[4][i:i + 1]][:3] + [""] * 3
        rows.append({"topic": topic, "group": "+".join(p[0] for p in parts), "local_topic": parts[0][1],
                     "members": " ".join(f"{p[0]}:{p[1]}" for p in parts), "n_fit_texts": sum(p[2] for p in parts),
                     "top_words": " ".join(words), "label": topic_label(topic, label_words, max(3, len(label_words))),
                     "rep_1": docs[0], "rep_2": docs[1], "rep_3": docs[2]})
    rows.append({"topic": -1, "group": "", "local_topic": -1, "members": "", "n_fit_texts": n_outlier_fit,
                 "top_words": "", "label": OUTLIER_LABEL, "rep_1": "", "rep_2": "", "rep_3": ""})
    table = pd.DataFrame(rows).sort_values("topic", kind="stable").reset_index(drop=True)
    table = table.join(topic_sizes(assignments) if sizes is None else sizes, on="topic")
    table[["n_tweets", "n_accounts"]] = table[["n_tweets", "n_accounts"]].fillna(0).astype(np.int64)
    cols = ["topic", "label", "group", "local_topic", "members", "n_tweets", "n_accounts", "n_fit_texts",
            "top_words", "rep_1", "rep_2", "rep_3"]
    return table[cols]


def topic_sizes(assignments: pd.DataFrame) -> pd.DataFrame:
    """Tweets and distinct accounts per topic (index: topic; columns n_tweets, n_accounts)."""
    return assignments.groupby("topic").agg(n_tweets=("tweetid", "size"), n_accounts=("userid", "nunique"))


def outlier_shares(counts: pd.DataFrame) -> dict[str, dict[str, float | int]]:
    """Per script group: tweets, outliers (topic -1) and their share, from one row per tweet (columns ``group``
    and ``topic``) or per group (``group``, ``tweets``, ``outliers``: counts made elsewhere, e.g. by DuckDB).

    The share tells where the models fail: a script without word segmentation, or a group too small to model
    (``none``: tweets without letters), is mostly outliers.
    """
    if "tweets" not in counts.columns:
        counts = (counts.assign(outliers=counts["topic"] < 0).groupby("group", sort=True)
                  .agg(tweets=("topic", "size"), outliers=("outliers", "sum")).reset_index())
    return {str(g): {"tweets": int(n), "outliers": int(k), "outlier_share": round(int(k) / int(n), 4)}
            for g, n, k in sorted(zip(counts["group"], counts["tweets"], counts["outliers"], strict=True)) if n}


def topics_over_time(assignments: pd.DataFrame, include_outliers: bool = False) -> pd.DataFrame:
    """Weekly tweet counts per topic (long format: week, topic, topic_label, n_tweets)."""
    a = assignments if include_outliers else assignments[assignments["topic"] >= 0]
    out = a.groupby(["week", "topic", "topic_label"]).size().rename("n_tweets").reset_index()
    return out.sort_values(["week", "topic"], kind="stable").reset_index(drop=True)


def share_by(assignments: pd.DataFrame, by: str, include_outliers: bool = True) -> pd.DataFrame:
    """Share of each topic within each value of column ``by`` (rows sum to 1)."""
    a = assignments if include_outliers else assignments[assignments["topic"] >= 0]
    tab = pd.crosstab(a[by], a["topic"], normalize="index")
    labels = a.drop_duplicates("topic").set_index("topic")["topic_label"]
    tab.columns = [labels[t] for t in tab.columns]
    return tab.sort_index()


def account_roles(accounts_truth: pd.DataFrame | None, tweets: pd.DataFrame) -> pd.Series:
    """``userid -> role``: the planted role on synthetic data; on real data (no ground truth) the
    account's dominant tweet kind (``mostly_retweet`` …), which is always available."""
    if accounts_truth is not None:
        return accounts_truth.set_index("userid")["role"].astype(str)
    kinds = tweets.groupby(["userid", "tweet_kind"]).size().rename("n").reset_index()
    kinds = kinds.sort_values(["userid", "n", "tweet_kind"], ascending=[True, False, True], kind="stable")
    return ("mostly_" + kinds.drop_duplicates("userid").set_index("userid")["tweet_kind"]).rename("role")


def top_values(series: pd.Series, n: int = 8, other: str = "other") -> pd.Series:
    """Keep the ``n`` most frequent values, fold the rest into ``other`` (for readable figures)."""
    keep = series.value_counts().sort_index().sort_values(ascending=False, kind="stable").index[:n]
    return series.where(series.isin(keep), other)


def with_column(assignments: pd.DataFrame, mapping: pd.Series, name: str, missing: str = "unknown") -> pd.DataFrame:
    """``assignments`` plus column ``name`` = ``mapping[userid]`` (e.g. the account role)."""
    return assignments.assign(**{name: assignments["userid"].map(mapping).fillna(missing).astype(str)})


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
