"""The official file format of Twitter's information-operations archive, and our typed tables.

Everything that names a column lives here, so the reader, the generator and the cleaning stage agree.
Columns are always matched by header name, never by position: releases differ in column order
(``in_reply_to_tweetid`` / ``in_reply_to_userid`` swapped between older and newer releases) and in
column count (``poll_choices`` only in some releases).
"""

from __future__ import annotations

import pyarrow as pa

# --- raw (official) files ---------------------------------------------------------------------------

USER_COLUMNS: tuple[str, ...] = (
    "userid",
    "user_display_name",
    "user_screen_name",
    "user_reported_location",
    "user_profile_description",
    "user_profile_url",
    "follower_count",
    "following_count",
    "account_creation_date",
    "account_language",
)

# Newer releases (2020-09 onwards, e.g. RNA_0621): in_reply_to_userid before in_reply_to_tweetid.
TWEET_COLUMNS: tuple[str, ...] = (
    "tweetid",
    *USER_COLUMNS,  # tweets files repeat the account's profile, in the users file's order
    "tweet_language",
    "tweet_text",
    "tweet_time",
    "tweet_client_name",
    "in_reply_to_userid",
    "in_reply_to_tweetid",
    "quoted_tweet_tweetid",
    "is_retweet",
    "retweet_userid",
    "retweet_tweetid",
    "latitude",
    "longitude",
    "quote_count",
    "reply_count",
    "like_count",
    "retweet_count",
    "hashtags",
    "urls",
    "user_mentions",
)
OPTIONAL_TWEET_COLUMNS: tuple[str, ...] = ("poll_choices",)

# Older releases (up to mid 2020) order the reply columns the other way round.
TWEET_COLUMNS_OLD_ORDER: tuple[str, ...] = tuple(
    {"in_reply_to_userid": "in_reply_to_tweetid", "in_reply_to_tweetid": "in_reply_to_userid"}.get(c, c)
    for c in TWEET_COLUMNS
)

ID_COLUMNS = ("tweetid", "userid", "in_reply_to_userid", "in_reply_to_tweetid", "quoted_tweet_tweetid",
              "retweet_userid", "retweet_tweetid")
# Tweet-id references that 2021 releases wrote as floats (1.198473762313818e+18), losing precision.
LOSSY_ID_COLUMNS = ("in_reply_to_tweetid", "quoted_tweet_tweetid", "retweet_tweetid")
INT_COLUMNS = ("follower_count", "following_count", "quote_count", "reply_count", "like_count", "retweet_count")
FLOAT_COLUMNS = ("latitude", "longitude")
BOOL_COLUMNS = ("is_retweet",)
LIST_COLUMNS = ("hashtags", "urls", "user_mentions")

# --- interim tables (typed copy of the raw files, one Parquet dataset per release) -----------------

_STR = pa.string()

USERS_SCHEMA = pa.schema(
    [(c, _STR) for c in USER_COLUMNS[:6]]
    + [
        ("follower_count", pa.int64()),
        ("following_count", pa.int64()),
        ("account_creation_date", pa.date32()),
        ("account_language", _STR),
    ]
)

_TWEET_TYPES: dict[str, pa.DataType] = {c: _STR for c in TWEET_COLUMNS}
_TWEET_TYPES.update({c: pa.int64() for c in INT_COLUMNS})
_TWEET_TYPES.update({c: pa.float64() for c in FLOAT_COLUMNS})
_TWEET_TYPES.update({c: pa.bool_() for c in BOOL_COLUMNS})
_TWEET_TYPES.update({c: pa.list_(_STR) for c in LIST_COLUMNS})
_TWEET_TYPES["account_creation_date"] = pa.date32()
_TWEET_TYPES["tweet_time"] = pa.timestamp("s", tz="UTC")

TWEETS_SCHEMA = pa.schema(
    [(c, _TWEET_TYPES[c]) for c in TWEET_COLUMNS]
    + [("poll_choices", _STR)]
    + [(f"{c}_is_lossy", pa.bool_()) for c in LOSSY_ID_COLUMNS]
    + [("source_file", _STR), ("source_row", pa.int64())]
)

# --- processed tables (written by the cleaning stage; the contract for all analysis notebooks) -----

TWEET_KINDS = ("original", "retweet", "reply", "quote")

PROCESSED_TWEETS_SCHEMA = pa.schema(
    [
        ("tweetid", _STR),
        ("userid", _STR),
        ("tweet_time", pa.timestamp("s", tz="UTC")),
        ("tweet_kind", _STR),  # one of TWEET_KINDS
        ("tweet_language", _STR),
        ("tweet_text", _STR),  # as published
        ("text_norm", _STR),  # lower-cased, no RT prefix, URLs, mentions; whitespace collapsed
        ("client", _STR),
        ("rt_screen_name", _STR),  # from the "RT @name:" prefix of retweets
        ("rt_userid", _STR),  # retweet_userid, else resolved through rt_screen_name; null if unknown
        ("retweet_tweetid", _STR),
        ("in_reply_to_userid", _STR),
        ("in_reply_to_tweetid", _STR),
        ("quoted_tweet_tweetid", _STR),
        ("has_lossy_ref", pa.bool_()),  # a referenced tweet id was written as a float and lost precision
        ("hashtags", pa.list_(_STR)),  # lower-cased, without '#'
        ("urls", pa.list_(_STR)),
        ("domains", pa.list_(_STR)),  # registrable-looking host of each URL, without 'www.'
        ("user_mentions", pa.list_(_STR)),
        ("like_count", pa.int64()),
        ("retweet_count", pa.int64()),
        ("quote_count", pa.int64()),
        ("reply_count", pa.int64()),
    ]
)
