"""What the topics stage records about its topics: the topic table (sizes, top words, labels, representative
tweets) and outlier shares. Imported by the stage (``model``, ``scale``); the reading side's tables and figures are
in ``tables`` and ``figures``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
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
