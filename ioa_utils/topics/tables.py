"""Aggregates of a release's topic assignments, computed by DuckDB (``store.query``) over the saved Parquet file.

The topics notebook and its findings read counts (tweets per week and topic, per account and topic, per planted
narrative and topic, ...) instead of one row per tweet, so their memory does not grow with the release: the
37M-tweet Turkey release is as cheap to report on as the default archive. Each function also accepts a result
held in memory (``ReleaseTopics`` with a frame, or the assignments frame itself), through the same query.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Union

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from .. import store
from ..ground_truth import GroundTruth
from ..paths import DATA_DIR

if TYPE_CHECKING:  # not imported at run time: model imports BERTopic, which readers of saved topics never need
    from .model import ReleaseTopics

Source = list[Path] | pd.DataFrame
Assignments = Union["ReleaseTopics", pd.DataFrame]
Truth = GroundTruth | pd.DataFrame | None


def source(assignments: Assignments) -> Source:
    """What ``store.query`` reads for ``assignments``: the frame in memory, else the saved Parquet file."""
    if isinstance(assignments, pd.DataFrame):
        return assignments
    if (frame := getattr(assignments, "frame", None)) is not None:
        return frame
    if (file := getattr(assignments, "assignments_file", None)) is None:
        raise ValueError(f"topics of {getattr(assignments, 'release', '?')} hold no assignments")
    return [file]


def truth_source(truth: Truth) -> Source | None:
    """The planted per-tweet table: its Parquet file, or the frame given (None: no ground truth)."""
    if truth is None or isinstance(truth, pd.DataFrame):
        return truth
    return [truth.tweets_file] if truth.tweets_file is not None else truth.read_tweets()


def columns(src: Source) -> list[str]:
    return list(src.columns) if isinstance(src, pd.DataFrame) else pq.read_schema(src[0]).names


def _names(cols: Sequence[str], table: str = "") -> str:
    return ", ".join(f'{table}"{c}"' for c in cols)


def counts(assignments: Assignments, by: Sequence[str], where: str = "") -> pd.DataFrame:
    """Tweets (``n``) per combination of the ``by`` columns, sorted by them (nulls last); ``where``: an SQL filter
    on the assignments (e.g. ``topic >= 0``)."""
    cols = _names(by)
    return store.query(f"SELECT {cols}, count(*) AS n FROM a {'WHERE ' + where if where else ''} "
                       f"GROUP BY ALL ORDER BY {cols}", {"a": source(assignments)})


def planted(assignments: Assignments, truth: Truth) -> pd.DataFrame | None:
    """Tweets (``n``) per (script ``group``, ``topic``, ``topic_label``, planted ``narrative``): the assignments
    joined with the ground truth's per-tweet table on ``tweetid`` (tweets in both only; columns the assignments lack
    are left out). None without ground truth."""
    if (t := truth_source(truth)) is None:
        return None
    a = source(assignments)
    by = [c for c in ("group", "topic", "topic_label") if c in columns(a)]
    return store.query(f"SELECT {_names(by, 'a.')}, t.narrative, count(*) AS n FROM a JOIN t USING (tweetid) "
                       f"GROUP BY ALL ORDER BY {_names(by, 'a.')}, t.narrative", {"a": a, "t": t})


def planted_sample(assignments: Assignments, truth: Truth, size: int, seed: int) -> pd.DataFrame | None:
    """``tweetid, topic, narrative`` of the assigned tweets with a planted narrative, in the assignments' order; when
    there are more than ``size``, the ones ``DataFrame.sample(size, random_state=seed)`` would draw from that table,
    drawn without holding it: the same positions, chosen by NumPy's legacy generator, then fetched by DuckDB.
    None without ground truth or when no tweet has a planted narrative."""
    if (t := truth_source(truth)) is None:
        return None
    tables = {"a": source(assignments), "t": t}
    joined = "FROM a JOIN t USING (tweetid) WHERE t.narrative IS NOT NULL AND CAST(t.narrative AS VARCHAR) <> ''"
    both = f"SELECT a.tweetid, a.topic, t.narrative, row_number() OVER (ORDER BY a.ord) - 1 AS pos {joined}"
    n = int(store.query(f"SELECT count(*) AS n {joined}", tables)["n"].iloc[0])
    if n == 0:
        return None
    if n <= size:
        return store.query(f"SELECT tweetid, topic, narrative FROM ({both}) ORDER BY pos", tables)
    pos = np.sort(np.random.RandomState(seed).choice(n, size=size, replace=False).astype(np.int64))
    chosen = pd.DataFrame({"pos": pos})
    return store.query(f"SELECT b.tweetid, b.topic, b.narrative FROM ({both}) b SEMI JOIN chosen USING (pos) "
                       "ORDER BY b.pos", {**tables, "chosen": chosen})


def evidence_counts(assignments: Assignments, column: str, release: str, work_dir: str | Path = DATA_DIR,
                    tweets: pd.DataFrame | None = None) -> pd.DataFrame | None:
    """Per (script ``group``, ``topic``) of the assignments, how many of their tweets carry each ``value`` of
    ``column`` (``n``): a column of the assignments themselves (``userid``: the posting account), else a list column
    of the processed tweets (a value listed twice counts twice, as ``explode`` would). ``tweets``: those tweets in
    memory (``tweetid`` and ``column``) instead of the processed partitions. None when neither has ``column``."""
    a = source(assignments)
    if column in columns(a):
        return store.query(f'SELECT "group", topic, "{column}" AS value, count(*) AS n FROM a '
                           f'WHERE "{column}" IS NOT NULL GROUP BY ALL ORDER BY 1, 2, 3', {"a": a})
    tw = tweets if tweets is not None else store.partitions(store.table_path(release, "tweets", work_dir=work_dir))
    if column not in columns(tw):
        return None
    return store.query(f"""SELECT a."group", a.topic, e.value, count(*) AS n
                           FROM a JOIN (SELECT tweetid, unnest("{column}") AS value FROM tw) e USING (tweetid)
                           WHERE e.value IS NOT NULL GROUP BY ALL ORDER BY 1, 2, 3""", {"a": a, "tw": tw})


# --- the notebook's tables ------------------------------------------------------------------------------

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
