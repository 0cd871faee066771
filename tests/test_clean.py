"""Cleaning: text normalization, tweet kinds, domains, retweeted-account resolution, account table."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet  # noqa: F401  (pa.parquet)

from ioa_utils import stages, store
from ioa_utils.clean import SPACE_RUNS, domains, normalize_text


def test_normalize_text():
    got = normalize_text(pa.array([
        "RT @some_one: Hello   World https://t.co/abc @friend!",
        "RT @a: RT @b_2: nested",
        "Plain\ntext  with #Tag",
        "RT @XLuAeMR7VsDe6+IGXU0ngtEbcNsOmjZc=: hashed name",
        "Не RT в середине: rt @x",
    ])).to_pylist()
    assert got == ["hello world !", "nested", "plain text with #tag", "hashed name", "не rt в середине: rt"]


def test_white_space_collapses_as_one_replacement_per_run():
    r"""normalize_text's white space step (runs that are not one space) equals ``\s+`` -> " " on any mix."""
    import random
    import re

    import pyarrow.compute as pc

    rng = random.Random(7)
    chars = [" ", "\t", "\n", "\r", "\f", "\v", "\u00a0", "\u3000", "a", "б", "香", "#"]
    texts = ["".join(rng.choice(chars) for _ in range(rng.randrange(0, 12))) for _ in range(3000)] + [None]
    arr = pa.array(texts, pa.string())
    want = pc.replace_substring_regex(arr, r"\s+", " ").to_pylist()
    assert pc.replace_substring_regex(arr, SPACE_RUNS, " ").to_pylist() == want
    assert [None if t is None else re.sub(r"[ \t\n\r\f]+", " ", t) for t in texts] == want  # RE2's \s


def test_domains_keep_list_shape():
    urls = pa.array([["https://www.Example.com/a?b=1", "http://bit.ly/x"], [], ["ftp://files.org:21/x"]])
    assert domains(urls).to_pylist() == [["example.com", "bit.ly"], [], ["files.org"]]


def test_processed_tables_on_real_release(real_dir: Path, tmp_path: Path):
    stages.prepare(real_dir, tmp_path)
    t = store.read("RNA_0621", "tweets", work_dir=tmp_path)
    assert len(t) == 4646 and t["tweetid"].is_unique
    kinds = t["tweet_kind"].value_counts().to_dict()
    assert kinds == {"original": 2190, "retweet": 1054, "reply": 909, "quote": 493}
    rts = t[t["tweet_kind"] == "retweet"]
    assert rts["rt_screen_name"].notna().all()
    assert not rts["text_norm"].str.startswith("rt @").any()
    assert t.loc[t["tweet_kind"] != "retweet", "rt_userid"].isna().all()
    # retweets of accounts in the release get their account even where retweet_userid is empty
    acc = store.read("RNA_0621", "accounts", work_dir=tmp_path)
    by_name = dict(zip(acc["screen_name"].str.lower(), acc["userid"], strict=True))
    inside = rts[rts["rt_screen_name"].str.lower().isin(by_name)]
    assert (inside["rt_userid"] == inside["rt_screen_name"].str.lower().map(by_name)).all()
    assert t["has_lossy_ref"].sum() > 0
    tags = store.read("RNA_0621", "hashtags", work_dir=tmp_path)
    assert len(tags) == t["hashtags"].map(len).sum()
    assert (tags["hashtag"] == tags["hashtag"].str.lower()).all()
    urls = store.read("RNA_0621", "urls", work_dir=tmp_path)
    assert urls["domain"].notna().all() and "twitter.com" in set(urls["domain"])


def test_accounts_table(real_dir: Path, tmp_path: Path):
    stages.prepare(real_dir, tmp_path)
    acc = store.read("RNA_0621", "accounts", work_dir=tmp_path)
    assert len(acc) == 50 and acc["userid"].is_unique and acc["in_users_file"].all()
    assert acc["n_tweets"].sum() == 4646
    assert (acc[["n_original", "n_retweet", "n_reply", "n_quote"]].sum(axis=1) == acc["n_tweets"]).all()
    assert (acc["n_tweets"] > 0).sum() == 25
    active = acc[acc["n_tweets"] > 0]
    assert active["first_tweet"].notna().all() and (active["first_tweet"] <= active["last_tweet"]).all()
    assert active["main_tweet_language"].notna().all()


def test_batch_size_does_not_change_results(real_dir: Path, tmp_path: Path):
    from ioa_utils.clean import clean_release
    from ioa_utils.paths import interim_dir

    stages.prepare(real_dir, tmp_path)
    src = interim_dir("RNA_0621", tmp_path)
    small, big = tmp_path / "small", tmp_path / "big"
    assert clean_release(src, small, batch_rows=300) == clean_release(src, big)
    for table in ("tweets", "hashtags", "urls", "mentions", "accounts.parquet"):
        a = pa.parquet.read_table(small / table).to_pandas()
        b = pa.parquet.read_table(big / table).to_pandas()
        assert a.equals(b), table
