"""Small hand-made releases for the case-study tests: tweets with every processed column, and accounts."""

from __future__ import annotations

import pandas as pd


def tweets(rows: list[dict]) -> pd.DataFrame:
    base = {"tweet_kind": "original", "tweet_language": "en", "tweet_text": "", "text_norm": "", "client": "Web",
            "rt_userid": None, "rt_screen_name": None, "retweet_tweetid": None, "in_reply_to_userid": None,
            "has_lossy_ref": False, "hashtags": [], "urls": [], "domains": [], "user_mentions": [], "like_count": 0,
            "retweet_count": 0, "quote_count": 0, "reply_count": 0}
    df = pd.DataFrame([{**base, **r} for r in rows])
    df["tweet_time"] = pd.to_datetime(df["tweet_time"], utc=True)
    return df


def accounts(ids: list[str], **cols) -> pd.DataFrame:
    a = pd.DataFrame({"userid": ids, "display_name": "", "description": "", "follower_count": 10,
                      "following_count": 10, "account_creation_date": pd.Timestamp("2015-01-01").date(),
                      "has_bio": False, "n_tweets": 1, "in_users_file": True})
    for k, v in cols.items():
        a[k] = v
    return a
