"""Per-release summary tables shown by the notebooks and the report's headline table.

The tables of tweets are aggregated by DuckDB over the processed partitions (``store.query``: only the columns a
table needs, a memory limit, spilling to disk), never read into pandas whole: at 37M tweets the text columns alone
exceed the machine's memory."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from . import store
from .paths import DATA_DIR
from .stages import load_report
from .timebins import partial


def _value_counts(counts: pd.DataFrame, column: str) -> pd.Series:
    """``Series.value_counts(normalize=True)`` of a column from its per-value counts in order of first appearance
    (the order pandas counts in before it sorts), so ties come out as pandas puts them."""
    c = pd.Series(counts["n"].to_numpy(), index=pd.Index(counts[column].to_numpy(object), name=column), name="n")
    return (c / c.sum()).sort_values(ascending=False).rename("proportion")


def load_table(releases: list[str], work_dir: str | Path = DATA_DIR) -> pd.DataFrame:
    """One row per release as read from the raw files: files, counts, dates, data-quality flags."""
    rows = []
    for rel in releases:
        r = load_report(rel, work_dir)
        tweet_files = [f for f in r["files"] if f["kind"] == "tweets"]
        lossy = sum(r["lossy_float_ids"].values())
        flags = []
        if r["duplicate_tweets_dropped"]:
            flags.append(f"{r['duplicate_tweets_dropped']} duplicate tweet ids dropped")
        if r["duplicate_users_dropped"]:
            flags.append(f"{r['duplicate_users_dropped']} duplicate users dropped")
        if lossy:
            flags.append(f"{lossy} float-written (lossy) tweet-id references")
        if r["tweets_from_unlisted_accounts"]:
            flags.append(f"{r['tweets_from_unlisted_accounts']} tweets by accounts missing from the users file")
        if r["retweets_without_retweet_userid"]:
            flags.append(f"{r['retweets_without_retweet_userid']} of {r['retweets']} retweets lack retweet_userid")
        flags.extend(f"{n} × {what}" for what, n in r.get("data_quality_flags", {}).items())  # reader repairs
        rows.append({
            "release": rel,
            "files": len(r["files"]),
            "users": r["users"],
            "tweets": r["tweets"],
            "tweeting accounts": r["tweeting_accounts"],
            "first tweet": r["first_tweet"][:10] if r["first_tweet"] else None,
            "last tweet": r["last_tweet"][:10] if r["last_tweet"] else None,
            "columns": "; ".join(sorted({f["columns"] for f in tweet_files})),
            "data-quality flags": "; ".join(flags) or "none",
        })
    return pd.DataFrame(rows).set_index("release")


def kind_shares(release: str, work_dir: str | Path = DATA_DIR) -> pd.Series:
    """Share of original tweets, retweets, replies and quotes."""
    c = store.query("SELECT tweet_kind, count(*) AS n FROM tweets WHERE tweet_kind IS NOT NULL GROUP BY 1",
                    store.tweet_files(release, work_dir))
    counts = dict(zip(c["tweet_kind"], c["n"].astype(int), strict=True))
    total = sum(counts.values())
    return pd.Series({k: counts.get(k, 0) / total for k in ("original", "retweet", "reply", "quote")})


def clean_table(releases: list[str], work_dir: str | Path = DATA_DIR) -> pd.DataFrame:
    """One row per release from the processed tables: activity mix, languages, clients, accounts."""
    rows = []
    for rel in releases:
        acc = store.read(rel, "accounts", work_dir=work_dir)
        mix = {}
        for col in ("tweet_language", "client"):
            mix[col] = _value_counts(store.query(
                f"SELECT coalesce({col}, 'unknown') AS {col}, count(*) AS n FROM tweets GROUP BY 1 ORDER BY min(ord)",
                store.tweet_files(rel, work_dir)), col)
        n_tweets = int(store.query("SELECT count(*) AS n FROM tweets", store.tweet_files(rel, work_dir))["n"].iloc[0])
        shares = kind_shares(rel, work_dir)
        langs, clients = mix["tweet_language"].head(3), mix["client"].head(2)
        rows.append({
            "release": rel,
            "tweets": n_tweets,
            **{f"% {k}": round(100 * v, 1) for k, v in shares.items()},
            "top languages": ", ".join(f"{k} {100 * v:.0f}%" for k, v in langs.items()),
            "top clients": ", ".join(f"{k} {100 * v:.0f}%" for k, v in clients.items()),
            "% accounts without bio": round(100 * (~acc["has_bio"]).mean(), 1),
            "median followers": acc["follower_count"].median(),
        })
    return pd.DataFrame(rows).set_index("release")


def _span(release: str, work_dir: str | Path) -> tuple[pd.Timestamp, pd.Timestamp]:
    t = store.query("SELECT min(tweet_time) AS a, max(tweet_time) AS b FROM tweets",
                    store.tweet_files(release, work_dir))
    return pd.Timestamp(t["a"].iloc[0]), pd.Timestamp(t["b"].iloc[0])


def _per_period(release: str, unit: str, by: str, work_dir: str | Path) -> pd.DataFrame:
    """Tweets per calendar ``unit`` (DuckDB's ``date_trunc``: ISO weeks start on Monday, as pandas' weeks ending
    Sunday) and ``by`` columns, as naive UTC period starts (``timebins.period_start``), sorted."""
    keys = ", ".join(["period", *by.split()]) if by else "period"
    out = store.query(f"SELECT CAST(date_trunc('{unit}', tweet_time) AS TIMESTAMP) AS period{', ' + by if by else ''}, "
                      f"count(*) AS tweets FROM tweets WHERE tweet_time IS NOT NULL "
                      f"{'AND ' + by + ' IS NOT NULL ' if by else ''}GROUP BY ALL ORDER BY {keys}",
                      store.tweet_files(release, work_dir))
    out["tweets"] = out["tweets"].astype("int64")
    return out


def weekly_volume(release: str, work_dir: str | Path = DATA_DIR) -> pd.DataFrame:
    """Tweets per ISO week and tweet kind; ``partial``: the release starts or ends inside the week."""
    out = _per_period(release, "week", "tweet_kind", work_dir).rename(columns={"period": "week"})
    first, last = _span(release, work_dir)
    return out.assign(partial=partial(out["week"], first, last, "W").to_numpy())


def monthly_volume(releases: list[str], work_dir: str | Path = DATA_DIR) -> pd.DataFrame:
    """Tweets per calendar month and release; ``partial``: the release starts or ends inside the month."""
    frames = []
    for rel in releases:
        m = _per_period(rel, "month", "", work_dir)
        first, last = _span(rel, work_dir)
        frames.append(pd.DataFrame({"release": rel, "month": m["period"].to_numpy(), "tweets": m["tweets"].to_numpy(),
                                    "partial": partial(m["period"], first, last, "M").to_numpy()}))
    return pd.concat(frames, ignore_index=True)


def top_items(release: str, table: str, column: str, n: int = 10, work_dir: str | Path = DATA_DIR) -> pd.Series:
    """Most frequent values of an exploded table (hashtags/hashtag, urls/domain, mentions/mention),
    counted over original tweets and retweets alike; ties broken alphabetically."""
    files = store.partitions(store.table_path(release, table, work_dir=work_dir))
    top = store.query(f"SELECT {column}, count(*) AS count FROM t WHERE {column} IS NOT NULL GROUP BY 1 "
                      f"ORDER BY count DESC, {column} LIMIT {int(n)}", {"t": files})
    return pd.Series(top["count"].to_numpy("int64"), index=pd.Index(top[column].to_numpy(object), name=column),
                     name="count")


def file_table(releases: list[str], work_dir: str | Path = DATA_DIR) -> pd.DataFrame:
    """One row per raw file read: rows and column layout, as recorded by the load stage."""
    rows = [{"release": rel, **f} for rel in releases for f in load_report(rel, work_dir)["files"]]
    return pd.DataFrame(rows).set_index(["release", "file"])


def kind_share_table(releases: list[str], work_dir: str | Path = DATA_DIR) -> pd.DataFrame:
    """Share of each tweet kind, one row per release."""
    return pd.DataFrame({rel: kind_shares(rel, work_dir) for rel in releases}).T


def top_items_table(releases: list[str], table: str, column: str, n: int = 8,
                    work_dir: str | Path = DATA_DIR) -> pd.DataFrame:
    """The ``n`` most frequent items per release, as ``item (count)`` strings, one column per release."""
    out = {}
    for rel in releases:
        top = top_items(rel, table, column, n, work_dir)
        out[rel] = pd.Series([f"{k} ({v})" for k, v in top.items()], dtype=object)
    return pd.DataFrame(out).rename_axis("rank").rename(index=lambda i: i + 1).fillna("")


NOISE = re.compile(r"https?://|@\w")  # a URL or a mention: what text normalization removes


def normalization_examples(release: str, n: int = 3, work_dir: str | Path = DATA_DIR) -> pd.DataFrame:
    r"""A few retweets with URLs or mentions, before and after text normalization (lowest tweet ids). DuckDB
    narrows the rows to retweets holding ``http`` or ``@`` in tweet id order; Python's regex (``\w`` is Unicode,
    unlike DuckDB's) picks from them, a batch at a time."""
    picked: list[pd.DataFrame] = []
    batch, offset = max(64, 16 * n), 0
    while sum(len(p) for p in picked) < n:
        t = store.query(f"SELECT tweetid, tweet_text, text_norm FROM tweets WHERE tweet_kind = 'retweet' "
                        f"AND (contains(tweet_text, 'http') OR contains(tweet_text, '@')) "
                        f"ORDER BY tweetid LIMIT {batch} OFFSET {offset}", store.tweet_files(release, work_dir))
        picked.append(t[t["tweet_text"].map(lambda x: bool(NOISE.search(x)))])
        if len(t) < batch:
            break
        offset += batch
    pick = pd.concat(picked, ignore_index=True).head(n)
    return pick[["tweet_text", "text_norm"]].reset_index(drop=True)


def processed_counts(releases: list[str], work_dir: str | Path = DATA_DIR) -> pd.DataFrame:
    """Rows in each processed table, one row per release."""
    from .stages import ensure_cleaned

    return pd.DataFrame({rel: ensure_cleaned(rel, work_dir) for rel in releases}).T.rename_axis("release")


def weekly_volume_table(releases: list[str], work_dir: str | Path = DATA_DIR) -> pd.DataFrame:
    """Tweets per week and kind, all releases stacked."""
    return pd.concat([weekly_volume(rel, work_dir).assign(release=rel) for rel in releases], ignore_index=True)
