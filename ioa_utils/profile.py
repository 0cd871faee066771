"""Per-release summary tables shown by the notebooks and the report's headline table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.compute as pc

from . import store
from .paths import DATA_DIR
from .stages import load_report
from .timebins import partial, period_start


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
    kinds = store.read_arrow(release, "tweets", ["tweet_kind"], work_dir=work_dir)["tweet_kind"]
    counts = {d["values"]: d["counts"] for d in pc.value_counts(kinds).to_pylist()}
    total = sum(counts.values())
    return pd.Series({k: counts.get(k, 0) / total for k in ("original", "retweet", "reply", "quote")})


def clean_table(releases: list[str], work_dir: str | Path = DATA_DIR) -> pd.DataFrame:
    """One row per release from the processed tables: activity mix, languages, clients, accounts."""
    rows = []
    for rel in releases:
        acc = store.read(rel, "accounts", work_dir=work_dir)
        tw = store.read(rel, "tweets", ["tweet_language", "client", "tweet_time"], work_dir=work_dir)
        shares = kind_shares(rel, work_dir)
        langs = tw["tweet_language"].fillna("unknown").value_counts(normalize=True).head(3)
        clients = tw["client"].fillna("unknown").value_counts(normalize=True).head(2)
        rows.append({
            "release": rel,
            "tweets": len(tw),
            **{f"% {k}": round(100 * v, 1) for k, v in shares.items()},
            "top languages": ", ".join(f"{k} {100 * v:.0f}%" for k, v in langs.items()),
            "top clients": ", ".join(f"{k} {100 * v:.0f}%" for k, v in clients.items()),
            "% accounts without bio": round(100 * (~acc["has_bio"]).mean(), 1),
            "median followers": acc["follower_count"].median(),
        })
    return pd.DataFrame(rows).set_index("release")


def weekly_volume(release: str, work_dir: str | Path = DATA_DIR) -> pd.DataFrame:
    """Tweets per ISO week and tweet kind; ``partial``: the release starts or ends inside the week."""
    tw = store.read(release, "tweets", ["tweet_time", "tweet_kind"], work_dir=work_dir)
    tw["week"] = period_start(tw["tweet_time"], "W")
    out = tw.groupby(["week", "tweet_kind"]).size().rename("tweets").reset_index()
    return out.assign(partial=partial(out["week"], tw["tweet_time"].min(), tw["tweet_time"].max(), "W").to_numpy())


def monthly_volume(releases: list[str], work_dir: str | Path = DATA_DIR) -> pd.DataFrame:
    """Tweets per calendar month and release; ``partial``: the release starts or ends inside the month."""
    frames = []
    for rel in releases:
        t = store.read(rel, "tweets", ["tweet_time"], work_dir=work_dir)["tweet_time"]
        m = period_start(t, "M").value_counts().sort_index()
        frames.append(pd.DataFrame({"release": rel, "month": m.index, "tweets": m.to_numpy(),
                                    "partial": partial(pd.Series(m.index), t.min(), t.max(), "M").to_numpy()}))
    return pd.concat(frames, ignore_index=True)


def top_items(release: str, table: str, column: str, n: int = 10, work_dir: str | Path = DATA_DIR) -> pd.Series:
    """Most frequent values of an exploded table (hashtags/hashtag, urls/domain, mentions/mention),
    counted over original tweets and retweets alike; ties broken alphabetically."""
    v = store.read(release, table, [column], work_dir=work_dir)[column]
    counts = v.value_counts()
    return counts.rename_axis(column).reset_index().sort_values(
        ["count", column], ascending=[False, True], kind="stable").head(n).set_index(column)["count"]


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


def normalization_examples(release: str, n: int = 3, work_dir: str | Path = DATA_DIR) -> pd.DataFrame:
    """A few retweets with URLs or mentions, before and after text normalization (lowest tweet ids)."""
    t = store.read(release, "tweets", ["tweetid", "tweet_kind", "tweet_text", "text_norm"], work_dir=work_dir)
    has_noise = t["tweet_text"].str.contains(r"https?://|@\w", regex=True)
    pick = t[(t["tweet_kind"] == "retweet") & has_noise].sort_values("tweetid").head(n)
    return pick[["tweet_text", "text_norm"]].reset_index(drop=True)


def processed_counts(releases: list[str], work_dir: str | Path = DATA_DIR) -> pd.DataFrame:
    """Rows in each processed table, one row per release."""
    from .stages import ensure_cleaned

    return pd.DataFrame({rel: ensure_cleaned(rel, work_dir) for rel in releases}).T.rename_axis("release")


def weekly_volume_table(releases: list[str], work_dir: str | Path = DATA_DIR) -> pd.DataFrame:
    """Tweets per week and kind, all releases stacked."""
    return pd.concat([weekly_volume(rel, work_dir).assign(release=rel) for rel in releases], ignore_index=True)
