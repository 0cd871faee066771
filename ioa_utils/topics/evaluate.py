"""Compare fitted topics with the narratives planted in a synthetic release."""

from __future__ import annotations

import pandas as pd
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score


def with_narratives(assignments: pd.DataFrame, truth_tweets: pd.DataFrame | None) -> pd.DataFrame | None:
    """``tweetid, topic, narrative`` of the assigned tweets that carry a planted narrative; None without ground
    truth or when none does."""
    if truth_tweets is None:
        return None
    both = assignments[["tweetid", "topic"]].merge(truth_tweets[["tweetid", "narrative"]], on="tweetid")
    both = both[both["narrative"].notna() & (both["narrative"].astype(str) != "")]
    return None if both.empty else both


def agreement(assignments: pd.DataFrame, truth_tweets: pd.DataFrame | None) -> dict[str, float | int] | None:
    """NMI and adjusted Rand index of topics vs planted ``narrative`` (outliers = one more cluster).

    Returns ``None`` when there is no ground truth (real releases). ``outlier_share`` is the share of
    evaluated tweets in topic -1.
    """
    both = with_narratives(assignments, truth_tweets)
    if both is None:
        return None
    topic, narrative = both["topic"].to_numpy(), both["narrative"].astype(str).to_numpy()
    return {
        "n_tweets": int(len(both)),
        "n_narratives": int(pd.unique(narrative).size),
        "n_topics": int(pd.unique(topic[topic >= 0]).size),
        "outlier_share": round(float((topic < 0).mean()), 4),
        "nmi": round(float(normalized_mutual_info_score(narrative, topic)), 4),
        "ari": round(float(adjusted_rand_score(narrative, topic)), 4),
    }


def narrative_crosstab(assignments: pd.DataFrame, truth_tweets: pd.DataFrame) -> pd.DataFrame:
    """Tweets per (planted narrative, fitted topic label)."""
    both = assignments[["tweetid", "topic", "topic_label"]].merge(truth_tweets[["tweetid", "narrative"]], on="tweetid")
    tab = pd.crosstab(both["narrative"], both["topic"])
    labels = both.drop_duplicates("topic").set_index("topic")["topic_label"]
    tab.columns = [labels[t] for t in tab.columns]
    return tab
