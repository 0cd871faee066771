"""Stage 2: typed interim tables -> normalized analysis tables.

Each interim tweet partition becomes one processed partition (a pure function of the partition plus the
small users table), so the stage maps over partitions as-is on a distributed engine. Output, under
``data/processed/<release>/``: ``tweets/`` (``schema.PROCESSED_TWEETS_SCHEMA``), exploded ``hashtags/``,
``urls/``, ``mentions/`` (one row per tweet and item) and ``accounts.parquet`` (one row per account:
profile fields plus activity aggregates).
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import progress, schema
from .store import partitions

RT_PREFIX = r"^RT @(?P<name>[^\s:]+):?\s*"
URL = r"https?://\S+"
MENTION = r"@[\w+/=]+"
# White space to collapse into one space: ``\s+`` -> " " without replacing the runs that already are one space
# (a replacement per word cost 4x the scan)
SPACE_RUNS = r"\s\s+|[^\S ]"
EXPLODED = {"hashtags": "hashtag", "urls": "url", "user_mentions": "mention"}
EXPLODED_TABLE = {"hashtags": "hashtags", "urls": "urls", "user_mentions": "mentions"}


def normalize_text(text: pa.Array) -> pa.Array:
    """Lower-case text without the RT prefix, URLs and @mentions, white space collapsed."""
    t = pc.replace_substring_regex(text, r"^(?:RT @[^\s:]+:?\s*)+", "")  # nested "RT @a: RT @b:" too
    t = pc.replace_substring_regex(t, URL, " ")
    t = pc.replace_substring_regex(t, MENTION, " ")
    t = pc.utf8_lower(t)
    t = pc.replace_substring_regex(t, SPACE_RUNS, " ")
    return pc.utf8_trim_whitespace(t)


def tweet_kind(t: pa.Table) -> pa.Array:
    """original / retweet / reply / quote. A retweet wins over everything, a reply over a quote."""
    rt = pc.fill_null(t["is_retweet"], False)
    reply = pc.or_(pc.is_valid(t["in_reply_to_tweetid"]), pc.is_valid(t["in_reply_to_userid"]))
    quote = pc.is_valid(t["quoted_tweet_tweetid"])
    return pc.case_when(
        pc.make_struct(rt, reply, quote, field_names=["rt", "reply", "quote"]),
        "retweet", "reply", "quote", "original",
    )


def domains(urls: pa.Array) -> pa.Array:
    """The host of each URL, lower-cased and without ``www.``, as a list parallel to ``urls``."""
    urls = urls.combine_chunks() if isinstance(urls, pa.ChunkedArray) else urls
    flat = pc.list_flatten(urls)
    host = pc.struct_field(pc.extract_regex(pc.utf8_lower(flat), r"^(?:[a-z][a-z0-9+.-]*://)?(?P<h>[^/:?#\s]+)"), [0])
    host = pc.replace_substring_regex(host, r"^www\.", "")
    return pa.ListArray.from_arrays(urls.offsets, host)


def _lower_list(arr: pa.Array, strip: str = "") -> pa.Array:
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    flat = pc.utf8_lower(pc.list_flatten(arr))
    if strip:
        flat = pc.utf8_ltrim(flat, strip)
    return pa.ListArray.from_arrays(arr.offsets, flat)


def screen_name_index(users: pa.Table) -> tuple[pa.Array, pa.Array]:
    """(lower-cased screen names, userids) for resolving ``RT @name`` to an account of the release."""
    names = pc.utf8_lower(users["user_screen_name"])
    keep = pc.is_valid(names)
    return pc.filter(names, keep).combine_chunks(), pc.filter(users["userid"], keep).combine_chunks()


def clean_partition(t: pa.Table, names: tuple[pa.Array, pa.Array]) -> pa.Table:
    """One interim tweet partition -> one processed partition."""
    kind = tweet_kind(t)
    is_rt = pc.equal(kind, "retweet")
    rt_name = pc.struct_field(pc.extract_regex(t["tweet_text"], RT_PREFIX), [0])
    rt_name = pc.if_else(is_rt, rt_name, pa.scalar(None, pa.string()))
    resolved = pc.take(names[1], pc.index_in(pc.utf8_lower(rt_name), value_set=names[0]))
    rt_userid = pc.if_else(is_rt, pc.coalesce(t["retweet_userid"], resolved), pa.scalar(None, pa.string()))
    lossy = pc.or_(pc.or_(t["in_reply_to_tweetid_is_lossy"], t["quoted_tweet_tweetid_is_lossy"]),
                   t["retweet_tweetid_is_lossy"])
    cols = {
        "tweetid": t["tweetid"],
        "userid": t["userid"],
        "tweet_time": t["tweet_time"],
        "tweet_kind": kind,
        "tweet_language": t["tweet_language"],
        "tweet_text": t["tweet_text"],
        "text_norm": normalize_text(t["tweet_text"]),
        "client": t["tweet_client_name"],
        "rt_screen_name": rt_name,
        "rt_userid": rt_userid,
        "retweet_tweetid": t["retweet_tweetid"],
        "in_reply_to_userid": t["in_reply_to_userid"],
        "in_reply_to_tweetid": t["in_reply_to_tweetid"],
        "quoted_tweet_tweetid": t["quoted_tweet_tweetid"],
        "has_lossy_ref": lossy,
        "hashtags": _lower_list(t["hashtags"], strip="#"),
        "urls": t["urls"],
        "domains": domains(t["urls"]),
        "user_mentions": t["user_mentions"],
    }
    for c in ("like_count", "retweet_count", "quote_count", "reply_count"):
        cols[c] = t[c]
    return pa.table(cols, schema=schema.PROCESSED_TWEETS_SCHEMA)


def explode(tweets: pa.Table, column: str) -> pa.Table:
    """One row per (tweet, item) of a list column, with the tweet's id, account, time and kind."""
    arr = tweets[column].combine_chunks()
    parent = pc.list_parent_indices(arr)
    base = tweets.select(["tweetid", "userid", "tweet_time", "tweet_kind"]).take(parent)
    out = base.append_column(EXPLODED[column], pc.list_flatten(arr))
    if column == "urls":
        out = out.append_column("domain", pc.list_flatten(tweets["domains"].combine_chunks()))
    return out


# --- accounts ---------------------------------------------------------------------------------------

_KIND_COUNTS = [f"n_{k}" for k in schema.TWEET_KINDS]


def partial_activity(p: pa.Table) -> tuple[pa.Table, pa.Table, pa.Table]:
    """Per-account aggregates of one partition (combined across partitions by ``combine_activity``)."""
    kinds = p.select(["userid", "tweet_time", "like_count", "retweet_count"])
    for k, name in zip(schema.TWEET_KINDS, _KIND_COUNTS, strict=True):
        kinds = kinds.append_column(name, pc.cast(pc.equal(p["tweet_kind"], k), pa.int64()))
    agg = kinds.group_by("userid").aggregate(
        [("tweet_time", "count"), ("tweet_time", "min"), ("tweet_time", "max"), ("like_count", "sum"),
         ("retweet_count", "sum")] + [(n, "sum") for n in _KIND_COUNTS]
    )
    lang = p.select(["userid", "tweet_language"]).group_by(["userid", "tweet_language"]).aggregate(
        [("userid", "count")])
    client = p.select(["userid", "client"]).group_by(["userid", "client"]).aggregate([("userid", "count")])
    return agg, lang, client


def _mode(parts: list[pa.Table], key: str) -> pa.Table:
    """The most frequent ``key`` per account (ties broken alphabetically, for determinism)."""
    df = pa.concat_tables(parts).to_pandas()
    df = df.groupby(["userid", key], dropna=False, as_index=False)["userid_count"].sum()
    df = df.sort_values(["userid", "userid_count", key], ascending=[True, False, True], kind="stable")
    top = df.drop_duplicates("userid")[["userid", key]].rename(columns={key: f"main_{key}"})
    return pa.Table.from_pandas(top, preserve_index=False)


def combine_activity(users: pa.Table, parts: list[tuple[pa.Table, pa.Table, pa.Table]]) -> pa.Table:
    """The accounts table: every account of the users file or of the tweets, with its activity."""
    agg = pa.concat_tables([a for a, _, _ in parts]).to_pandas()
    agg = agg.groupby("userid", as_index=False).agg(
        n_tweets=("tweet_time_count", "sum"), first_tweet=("tweet_time_min", "min"),
        last_tweet=("tweet_time_max", "max"), likes_received=("like_count_sum", "sum"),
        retweets_received=("retweet_count_sum", "sum"),
        **{n: (f"{n}_sum", "sum") for n in _KIND_COUNTS},
    )
    u = users.to_pandas().rename(columns={
        "user_screen_name": "screen_name", "user_display_name": "display_name",
        "user_profile_description": "description", "user_reported_location": "location",
        "user_profile_url": "profile_url"})
    u["in_users_file"] = True
    acc = u.merge(agg, on="userid", how="outer")
    acc["in_users_file"] = acc["in_users_file"].fillna(False).astype(bool)
    acc["has_bio"] = acc["description"].fillna("").str.strip().ne("")
    for c in ["n_tweets", *_KIND_COUNTS, "likes_received", "retweets_received"]:
        acc[c] = acc[c].fillna(0).astype("int64")
    for key, i in (("tweet_language", 1), ("client", 2)):
        acc = acc.merge(_mode([p[i] for p in parts], key).to_pandas(), on="userid", how="left")
    return pa.Table.from_pandas(acc.sort_values("userid", kind="stable"), preserve_index=False)


def merge_activity(parts: list[tuple[pa.Table, pa.Table, pa.Table]]) -> tuple[pa.Table, pa.Table, pa.Table]:
    """Merge partial per-account aggregates into one partial of the same shape (keeps memory per account,
    not per partition)."""

    def merge(tables: list[pa.Table], keys: list[str]) -> pa.Table:
        t = pa.concat_tables(tables)
        ops = [(c, "min" if c.endswith("_min") else "max" if c.endswith("_max") else "sum")
               for c in t.column_names if c not in keys]
        merged = t.group_by(keys).aggregate(ops)
        return merged.select([*keys, *(f"{c}_{op}" for c, op in ops)]).rename_columns([*keys, *(c for c, _ in ops)])

    return (merge([a for a, _, _ in parts], ["userid"]),
            merge([lang for _, lang, _ in parts], ["userid", "tweet_language"]),
            merge([cl for _, _, cl in parts], ["userid", "client"]))


def clean_release(interim: Path, out: Path, batch_rows: int = 65_536) -> dict:
    """Write all processed tables of one release from its interim folder; return counts.

    Each interim partition maps to one processed partition per table, streamed batch by batch, so memory
    is bounded by ``batch_rows`` whatever the partition size. ``out`` must be a new or empty folder
    (``stages.ensure_cleaned`` gives it a temp folder and publishes it: see ``stageio``).
    """
    tmp = out
    tmp.mkdir(parents=True, exist_ok=True)
    if any(tmp.iterdir()):
        raise FileExistsError(f"{tmp} is not empty; clean_release writes into a new folder")
    users = pq.read_table(interim / "users.parquet")
    names = screen_name_index(users)
    activity: list[tuple[pa.Table, pa.Table, pa.Table]] = []
    counts = {"tweets": 0, **{EXPLODED_TABLE[c]: 0 for c in EXPLODED}}
    for i, part in enumerate(partitions(interim / "tweets")):
        writers: dict[str, pq.ParquetWriter] = {}
        for batch in pq.ParquetFile(part).iter_batches(batch_size=batch_rows):
            p = clean_partition(pa.Table.from_batches([batch]), names)
            outputs = {"tweets": p, **{table: explode(p, col) for col, table in EXPLODED_TABLE.items()}}
            for table, t in outputs.items():
                if table not in writers:
                    (tmp / table).mkdir(parents=True, exist_ok=True)
                    writers[table] = pq.ParquetWriter(tmp / table / f"part-{i:05d}.parquet", t.schema,
                                                      compression="zstd")
                writers[table].write_table(t)
                counts[table] += t.num_rows
            activity.append(partial_activity(p))
        progress.step(f"partition {i + 1}: {counts['tweets']} tweets so far")
        for w in writers.values():
            w.close()
        activity = [merge_activity(activity)] if activity else []
    _write(combine_activity(users, activity), tmp / "accounts.parquet")
    return counts


def _write(t: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(t, path, compression="zstd")
