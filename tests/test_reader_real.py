"""The reader on real official files (release RNA_0621): counts and format quirks."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from ioa_utils import stages, store
from ioa_utils.discover import discover, release_id
from ioa_utils.reader import iter_batches, read_header


def test_release_ids_from_official_names():
    assert release_id("RNA_0621_tweets_csv_hashed_2019.csv") == ("RNA_0621", "tweets", True, "2019")
    assert release_id("hashed_2021_12_RNA_0621_RNA_0621_users_csv_hashed.csv") == ("RNA_0621", "users", True, None)
    assert release_id("hashed_2020_09_thailand_092020_thailand_092020_tweets_csv_hashed.zip")[0] == "thailand_092020"
    assert release_id("china_052020_tweets_csv_hashed.csv")[:2] == ("china_052020", "tweets")
    assert release_id("iran_201901_1_tweets_csv_unhashed.csv")[2] is False
    assert release_id("IRAhandle_tweets_1.csv") is None


def test_discovers_one_release_with_all_year_shards(real_dir: Path):
    (rel,) = discover(real_dir).releases
    assert rel.release == "RNA_0621"
    assert len(rel.users) == 1
    assert sorted(f.year for f in rel.tweets) == ["2014", "2015", "2016", "2017", "2018", "2019"]


def test_counts_match_a_csv_parser(real_dir: Path, tmp_path: Path):
    (rel,) = discover(real_dir).releases
    report = stages.ensure_loaded(rel, tmp_path)
    # Count records with a CSV parser (tweet_text holds newlines, so line counts would be wrong).
    expected = sum(sum(1 for _ in csv.reader(open(f.path, newline="", encoding="utf-8"))) - 1 for f in rel.tweets)
    assert expected == 4646
    assert report["tweets"] == report["tweets_read"] == 4646
    assert report["users"] == 50
    assert report["tweeting_accounts"] == 25
    assert report["duplicate_tweets_dropped"] == 0
    assert report["first_tweet"].startswith("2014-01-02") and report["last_tweet"].startswith("2019-12-31")
    assert {f["columns"] for f in report["files"] if f["kind"] == "tweets"} == {"30 columns, reply ids new order"}
    assert store.read_arrow("RNA_0621", "tweets", ["tweetid"], layer="interim", work_dir=tmp_path).num_rows == 4646


def _tweets(real_dir: Path) -> pd.DataFrame:
    (rel,) = discover(real_dir).releases
    return pa.concat_tables([t for f in rel.tweets for t in iter_batches(f)]).to_pandas()


def test_quirks_are_typed_correctly(real_dir: Path):
    t = _tweets(real_dir)
    assert t["tweetid"].map(type).eq(str).all()  # ids stay strings
    assert t["userid"].str.len().between(19, 44).all()
    assert t["is_retweet"].dtype == bool and t["is_retweet"].sum() == 1054  # "True"/"False"
    assert t["latitude"].isna().all() and t["longitude"].isna().all()  # literal "absent"
    assert t["tweet_text"].str.contains("\n").any()  # newlines inside quoted fields survive
    assert t["tweet_time"].dt.tz is not None and (t["tweet_time"].dt.second == 0).all()
    rt = t[t["is_retweet"]]
    assert rt["tweet_text"].str.startswith("RT @").all()
    assert rt["retweet_userid"].isna().sum() == 816  # often empty even for retweets
    # hashtags lists are Python reprs; "" in old rows means none
    assert t["hashtags"].map(len).sum() > 0 and t["hashtags"].map(lambda x: all(isinstance(v, str) for v in x)).all()
    row = t[t["tweetid"] == "1207318798174425089"].iloc[0]
    assert list(row["hashtags"]) == ["RCA", "comedy"]


def test_float_written_ids_are_kept_and_flagged_lossy(real_dir: Path):
    t = _tweets(real_dir)
    row = t[t["tweetid"] == "1198490071219032064"].iloc[0]
    assert row["in_reply_to_tweetid"] == "1.198473762313818e+18"  # kept as given, not "repaired"
    assert row["in_reply_to_tweetid_is_lossy"]
    assert int(t["retweet_tweetid_is_lossy"].sum()) == 1054
    assert not t.loc[t["retweet_tweetid"].isna(), "retweet_tweetid_is_lossy"].any()


def test_small_blocks_stream_the_same_rows(real_dir: Path):
    (rel,) = discover(real_dir).releases
    big = [f for f in rel.tweets if f.year == "2019"][0]
    batches = list(iter_batches(big, block_size=64 << 10, batch_bytes=64 << 10))
    assert len(batches) > 10
    small = pa.concat_tables(batches)
    whole = pa.concat_tables(list(iter_batches(big)))
    assert small.equals(whole)
    assert small["source_row"].to_pylist() == list(range(1, 4610))


def test_raw_files_are_not_modified(real_copy: Path, tmp_path: Path):
    before = {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in real_copy.iterdir()}
    stages.prepare(real_copy.parent, tmp_path / "work")
    after = {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in real_copy.iterdir()}
    assert before == after


def test_checksums_match_published_sha256sums(real_dir: Path):
    lines = (real_dir / "rna_0621" / "SHA256SUMS").read_text().split("\n")
    sums = dict(reversed(line.split()) for line in lines if line.strip())
    (rel,) = discover(real_dir).releases
    for p in rel.paths:
        assert hashlib.sha256(p.read_bytes()).hexdigest() == sums[p.name]


def test_header_order_read_by_name(real_dir: Path):
    (rel,) = discover(real_dir).releases
    assert read_header(rel.tweets[-1]).variant == "30 columns, reply ids new order"


@pytest.mark.parametrize("layer", ["interim", "processed"])
def test_cached_stage_is_not_rerun(real_dir: Path, tmp_path: Path, layer: str):
    stages.prepare(real_dir, tmp_path)
    stamp = store.table_path("RNA_0621", "tweets", layer, tmp_path)
    first = sorted(p.stat().st_mtime_ns for p in stamp.iterdir())
    stages.prepare(real_dir, tmp_path)
    assert sorted(p.stat().st_mtime_ns for p in stamp.iterdir()) == first
