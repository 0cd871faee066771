"""What the interactive pages read: daily counts and topic tables aggregated by DuckDB over the stage outputs
(the processed tweets, the topics stage's ``topics.parquet``), so a release of tens of millions of tweets is
never loaded into memory."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import store
from ..paths import processed_dir

MEMORY_LIMIT = "2GB"  # DuckDB's own memory for the aggregations; it spills beyond it
THREADS = 2


def _query(sql: str, params: list | None = None) -> pd.DataFrame:
    import duckdb

    con = duckdb.connect()
    try:
        con.execute(f"SET threads = {THREADS}; SET memory_limit = '{MEMORY_LIMIT}'; SET enable_progress_bar = false")
        return con.execute(sql, params or []).df()
    finally:
        con.close()


def topics_file(release: str, work_dir: str | Path) -> Path | None:
    """The topics stage's per-tweet assignments, when that stage has run."""
    path = processed_dir(release, work_dir) / "topics.parquet"
    return path if path.is_file() else None


def _tweets_glob(release: str, work_dir: str | Path) -> str:
    path = store.table_path(release, "tweets", work_dir=work_dir)
    return str(path / "*.parquet") if path.is_dir() else str(path)


def daily(release: str, work_dir: str | Path) -> pd.DataFrame:
    """Tweets per UTC day: columns day, tweets."""
    return _query("SELECT CAST(tweet_time AS DATE) AS day, count(*) AS tweets FROM read_parquet(?) "
                  "GROUP BY day ORDER BY day", [_tweets_glob(release, work_dir)])


def daily_topics(release: str, work_dir: str | Path, top: int) -> pd.DataFrame:
    """Tweets per UTC day of the ``top`` largest topics (outliers excluded): columns day, topic, topic_label,
    tweets. Empty when the topics stage has not run."""
    path = topics_file(release, work_dir)
    if path is None:
        return pd.DataFrame(columns=["day", "topic", "topic_label", "tweets"])
    return _query("WITH t AS (SELECT * FROM read_parquet(?) WHERE topic >= 0), "
                  "big AS (SELECT topic FROM t GROUP BY topic ORDER BY count(*) DESC, topic LIMIT ?) "
                  "SELECT CAST(tweet_time AS DATE) AS day, topic, any_value(topic_label) AS topic_label, "
                  "count(*) AS tweets FROM t WHERE topic IN (SELECT topic FROM big) "
                  "GROUP BY day, topic ORDER BY topic, day", [str(path), int(top)])


def weekly_topics(release: str, work_dir: str | Path, group: str | None = None) -> pd.DataFrame:
    """Tweets per week and topic (outliers excluded), optionally of one script group: columns week, topic,
    topic_label, tweets."""
    path = topics_file(release, work_dir)
    if path is None:
        return pd.DataFrame(columns=["week", "topic", "topic_label", "tweets"])
    where = "topic >= 0" + (" AND \"group\" = ?" if group else "")
    return _query(f"SELECT week, topic, any_value(topic_label) AS topic_label, count(*) AS tweets "
                  f"FROM read_parquet(?) WHERE {where} GROUP BY week, topic ORDER BY topic, week",
                  [str(path), *([group] if group else [])])


def topic_sizes(release: str, work_dir: str | Path) -> pd.DataFrame:
    """Tweets and accounts per topic (outliers included, as topic -1): columns topic, topic_label, group,
    tweets, accounts."""
    path = topics_file(release, work_dir)
    if path is None:
        return pd.DataFrame(columns=["topic", "topic_label", "group", "tweets", "accounts"])
    return _query("SELECT topic, any_value(topic_label) AS topic_label, string_agg(DISTINCT \"group\", '+' "
                  "ORDER BY \"group\") AS \"group\", count(*) AS tweets, count(DISTINCT userid) AS accounts "
                  "FROM read_parquet(?) WHERE topic IS NOT NULL GROUP BY topic ORDER BY tweets DESC, topic",
                  [str(path)])
