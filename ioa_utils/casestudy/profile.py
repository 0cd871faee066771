"""The profile every case study opens with: who, how much, when, in what language, from which client,
how many followers, how much engagement, posting hours in the attributed country's time zone, and what
was shared. Data first (:func:`profile` returns DataFrames), figures from the data (``fig_*``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from ..schema import TWEET_KINDS
from ..timebins import partial
from .base import CaseData, _sql_str

OFFICE_HOURS = (9, 18)  # local time, weekdays; an hour h counts when start <= h < end
FOLLOWER_BINS = [-1, 0, 10, 100, 1000, 5000, 10**12]
FOLLOWER_LABELS = ["0", "1-10", "11-100", "101-1,000", "1,001-5,000", "> 5,000"]
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


@dataclass
class Profile:
    release: str
    timezone: str
    summary: pd.Series  # headline numbers (strings and numbers), one entry per statistic
    kinds: pd.Series  # share of original / retweet / reply / quote
    languages: pd.Series  # share of tweets per language (top 8 + other)
    clients: pd.Series  # share of tweets per client (top 8 + other)
    creation: pd.DataFrame  # accounts created per month
    volume: pd.DataFrame  # tweets per month and kind
    followers: pd.DataFrame  # accounts per follower bin
    hours: pd.DataFrame  # tweets per local weekday x hour
    engagement: pd.DataFrame  # mean likes / retweets / replies / quotes per tweet, by kind
    top: pd.DataFrame  # top hashtags, mentions, URLs, domains as "item (count)"


def _top_share(counts: pd.Series, n: int = 8) -> pd.Series:
    """Shares of the ``n`` most frequent values (ties alphabetical) plus "other", from value counts."""
    counts = counts.rename("count").rename_axis("value").reset_index().sort_values(
        ["count", "value"], ascending=[False, True], kind="stable").set_index("value")["count"]
    top = counts.head(n)
    if len(counts) > n:
        top = pd.concat([top, pd.Series({"other": counts.iloc[n:].sum()})])
    return (top / top.sum()).rename("share")


def _zone(timezone: str) -> str:
    """``timezone`` as a SQL string literal, after checking it is an IANA zone."""
    ZoneInfo(timezone)
    return "'" + timezone + "'"


def local_sql(timezone: str, column: str = "tweet_time") -> str:
    """SQL expression: the local wall-clock time of ``column`` (a UTC timestamp) in ``timezone``."""
    return f"timezone({_zone(timezone)}, {column})"


def office_sql(timezone: str, hours: tuple[int, int] = OFFICE_HOURS, column: str = "tweet_time") -> str:
    """SQL expression: a weekday and ``hours[0] <= hour < hours[1]`` in ``timezone``."""
    local = local_sql(timezone, column)
    return f"(isodow({local}) <= 5 AND hour({local}) >= {int(hours[0])} AND hour({local}) < {int(hours[1])})"


def _fmt_share(s: pd.Series, n: int = 3) -> str:
    return ", ".join(f"{k} {100 * v:.0f}%" for k, v in s.drop("other", errors="ignore").head(n).items())


_TIMES = "_profile_times"  # temp table of :func:`_timed_counts`
# label -> (list column of the tweets, the clean stage's exploded table of it, that table's item column)
TOP_ITEMS = {"hashtags": ("hashtags", "hashtags", "hashtag"), "mentions": ("user_mentions", "mentions", "mention"),
             "URLs": ("urls", "urls", "url"), "domains": ("domains", "urls", "domain")}


def _top_items(data: CaseData, n: int) -> pd.DataFrame:
    """The ``n`` most frequent hashtags, mentions, URLs and domains (original tweets and retweets alike;
    ties alphabetical) as ``item (count)``. Counted from the clean stage's exploded tables when the release is
    on disk (one flat column: unnesting the list columns of every tweet costs 8 times the CPU at 37M tweets),
    else by unnesting the tweets' lists."""
    out = {}
    for label, (column, table, item) in TOP_ITEMS.items():
        files = data.item_files.get(table)
        source = (f"SELECT {item} AS item FROM read_parquet([{', '.join(_sql_str(f) for f in files)}])" if files
                  else f"SELECT unnest({column}) AS item FROM tweets")
        top = data.query(f"SELECT item, count(*) AS n FROM ({source}) WHERE item IS NOT NULL GROUP BY item "
                         f"ORDER BY n DESC, item LIMIT {int(n)}")
        out[label] = pd.Series([f"{k} ({v})" for k, v in zip(top["item"], top["n"], strict=True)], dtype=object)
    return pd.DataFrame(out).rename_axis("rank").rename(index=lambda i: i + 1).fillna("")


def _counts(data: CaseData, expr: str) -> pd.Series:
    c = data.query(f"SELECT {expr} AS value, count(*) AS n FROM tweets GROUP BY ALL")
    return c.set_index("value")["n"]


def _timed_counts(data: CaseData, tz: str, kinds: list[Any]) -> tuple[pd.DataFrame, pd.DataFrame, tuple[Any, Any]]:
    """Tweets per month and kind (UTC), tweets per local weekday x hour (with ``office``: inside
    :data:`OFFICE_HOURS`), and the first and last tweet time. One scan counts the tweets of each ``kinds`` value
    (the release's ``tweet_kind`` values, null included) per distinct timestamp: at most one row per minute of the
    release's span (archive timestamps have minute precision), whatever its size. The time-zone conversions then
    run once per row of that table instead of once per tweet, and the month is taken from the UTC epoch without a
    time-zone lookup."""
    con = data.connection()
    cols = [f"k{i}" for i in range(len(kinds))]
    lits = ["NULL::VARCHAR" if pd.isna(k) else _sql_str(k) for k in kinds]
    counts = "".join(f", count(*) FILTER (WHERE tweet_kind {'IS NULL' if pd.isna(k) else '= ' + lit}) AS {c}"
                     for k, lit, c in zip(kinds, lits, cols, strict=True))
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_TIMES} AS SELECT tweet_time, count(*) AS n{counts} FROM tweets "
                "GROUP BY tweet_time")
    try:
        sums = "".join(f", sum({c})::BIGINT AS {c}" for c in cols)
        by_kind = " UNION ALL ".join([f"SELECT month, {lit} AS tweet_kind, {c} AS tweets FROM m"
                                      for lit, c in zip(lits, cols, strict=True)]
                                     or ["SELECT month, NULL::VARCHAR AS tweet_kind, n AS tweets FROM m"])  # no tweets
        volume = data.query(f"WITH m AS (SELECT date_trunc('month', make_timestamp(epoch_us(tweet_time))) AS month, "
                            f"sum(n)::BIGINT AS n{sums} FROM {_TIMES} GROUP BY ALL) "
                            f"SELECT * FROM ({by_kind}) WHERE tweets > 0 ORDER BY month, tweet_kind")
        local = local_sql(tz)
        cells = data.query(f"SELECT isodow({local}) - 1 AS weekday, hour({local}) AS hour, {office_sql(tz)} AS office, "
                           f"sum(n)::BIGINT AS n FROM {_TIMES} GROUP BY ALL")
        span = data.query(f"SELECT min(tweet_time) AS first, max(tweet_time) AS last FROM {_TIMES}").iloc[0]
    finally:
        con.execute(f"DROP TABLE IF EXISTS {_TIMES}")
    return volume, cells, (span["first"], span["last"])


def profile(data: CaseData, work_dir: str | Path | None = None, n_top: int = 10) -> Profile:
    """Summary statistics of one release (``data`` from :func:`ioa_utils.casestudy.load`); posting
    hours in ``data.timezone``. Aggregated in SQL over the tweets; ``work_dir`` is ignored (kept so
    existing calls still run: ``data`` knows where its tables are)."""
    acc, tz = data.accounts, data.timezone
    eng_cols = ["like_count", "retweet_count", "reply_count", "quote_count"]
    by_kind = data.query(f"SELECT tweet_kind, count(*) AS n, {', '.join(f'avg({c}) AS {c}' for c in eng_cols)} "
                         "FROM tweets GROUP BY tweet_kind").set_index("tweet_kind")
    n = int(by_kind["n"].sum())
    kinds = pd.Series({k: (by_kind["n"].get(k, 0) / n if n else np.nan) for k in TWEET_KINDS})
    volume, cells, span = _timed_counts(data, tz, list(by_kind.index))
    volume["month"] = volume["month"].astype("datetime64[ns]")
    hours = (cells.pivot(index="weekday", columns="hour", values="n").reindex(index=range(7), columns=range(24))
             .fillna(0).astype("int64").rename(index=dict(enumerate(WEEKDAYS)))
             .rename_axis(index="weekday", columns="hour"))
    # avg(office::INT) over the tweets, from the cells: int / int, as DuckDB's average of an INTEGER
    timed = cells["office"].notna()
    office = cells.loc[timed & cells["office"].eq(True), "n"].sum() / cells.loc[timed, "n"].sum() if n else np.nan
    # two queries: beside other aggregates, count(DISTINCT) makes DuckDB materialise the scanned columns of every
    # tweet in a CTE (EXPLAIN ANALYZE; 3 times the CPU at 37M, and the memory)
    totals = data.query("SELECT avg(like_count) FILTER (WHERE tweet_kind <> 'retweet') AS likes, "
                        "avg(retweet_count) FILTER (WHERE tweet_kind <> 'retweet') AS retweets FROM tweets").iloc[0]
    users = int(data.query("SELECT count(DISTINCT userid) AS users FROM tweets").iloc[0]["users"])
    first, last = span
    if n:  # months the release starts or ends inside (figures draw them dashed)
        volume["partial"] = partial(volume["month"], first, last, "M").to_numpy()
    created = pd.to_datetime(acc["account_creation_date"]).dt.to_period("M").dt.start_time
    creation = created.value_counts().sort_index().rename("accounts").rename_axis("month").reset_index()
    fbin = pd.cut(acc["follower_count"], FOLLOWER_BINS, labels=FOLLOWER_LABELS)
    followers = fbin.value_counts().reindex(FOLLOWER_LABELS).rename("accounts").rename_axis("followers").to_frame()
    engagement = by_kind[eng_cols].round(3).reindex(["original", "reply", "quote", "retweet"]).dropna(how="all")
    engagement.index.name = "tweet_kind"
    languages = _top_share(_counts(data, "coalesce(tweet_language, 'unknown')"))
    clients = _top_share(_counts(data, "coalesce(client, 'unknown')"))
    tweeting = acc[acc["n_tweets"] > 0]
    summary = pd.Series({
        "accounts (users file)": int(acc["in_users_file"].sum()),
        "tweeting accounts": users,
        "tweets": n,
        "first tweet": pd.Timestamp(first).strftime("%Y-%m-%d") if n else "",
        "last tweet": pd.Timestamp(last).strftime("%Y-%m-%d") if n else "",
        "% retweets": round(100 * kinds["retweet"], 1),
        "% replies": round(100 * kinds["reply"], 1),
        "% quotes": round(100 * kinds["quote"], 1),
        "languages": _fmt_share(languages),
        "clients": _fmt_share(clients, 2),
        "accounts created (median)": str(pd.to_datetime(acc["account_creation_date"]).median().date()),
        "median followers": float(acc["follower_count"].median()),
        "% accounts with 0 followers": round(100 * (acc["follower_count"] == 0).mean(), 1),
        "% accounts without bio": round(100 * (~acc["has_bio"]).mean(), 1),
        "likes per own tweet": round(float(totals["likes"]), 2) if pd.notna(totals["likes"]) else np.nan,
        "retweets per own tweet": round(float(totals["retweets"]), 2) if pd.notna(totals["retweets"]) else np.nan,
        f"% tweets weekdays {OFFICE_HOURS[0]}-{OFFICE_HOURS[1]} h ({tz})":
            round(100 * float(office), 1) if n else np.nan,
        "tweets per tweeting account (median)": float(tweeting["n_tweets"].median()) if len(tweeting) else 0.0,
    }, dtype=object, name=data.release)
    return Profile(data.release, tz, summary, kinds, languages, clients, creation, volume, followers, hours,
                   engagement, _top_items(data, n_top))
