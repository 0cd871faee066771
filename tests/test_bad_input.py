"""Bad input gets a clear error naming the file and the problem; odd-but-valid input is read right."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from archive_csv import read_rows, write_rows

from ioa_utils import stages, store
from ioa_utils.discover import discover
from ioa_utils.errors import ArchiveError
from ioa_utils.reader import parse_repr_lists
from ioa_utils.schema import TWEET_COLUMNS, TWEET_COLUMNS_OLD_ORDER

SHARD = "RNA_0621_tweets_csv_hashed_2018.csv"  # 13 tweets


def _load(folder: Path, tmp_path: Path) -> dict:
    (rel,) = discover(folder).releases
    return stages.ensure_loaded(rel, tmp_path / "work")


def _only(real_copy: Path, keep: str) -> Path:
    for p in real_copy.iterdir():
        if "tweets" in p.name and p.name != keep:
            p.unlink()
    return real_copy


def test_corrupt_zip_names_the_file(tmp_path: Path):
    bad = tmp_path / "raw" / "x_052020_tweets_csv_hashed.zip"
    bad.parent.mkdir()
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(ArchiveError, match=r"x_052020_tweets_csv_hashed\.zip.*not a readable zip"):
        discover(bad.parent)


def _zip_2019(real_copy: Path) -> tuple[Path, Path]:
    """Keep only the 2019 tweets shard, zipped as Twitter often shipped it: (folder, zip)."""
    folder = _only(real_copy, "RNA_0621_tweets_csv_hashed_2019.csv")
    src = folder / "RNA_0621_tweets_csv_hashed_2019.csv"
    z = folder / "RNA_0621_tweets_csv_hashed_2019.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(src, src.name)
    src.unlink()
    return folder, z


def test_truncated_zip_names_the_file(real_copy: Path, tmp_path: Path):
    folder, z = _zip_2019(real_copy)
    data = z.read_bytes()
    z.write_bytes(data[: len(data) // 2])  # a download cut in half
    with pytest.raises(ArchiveError, match=r"RNA_0621_tweets_csv_hashed_2019\.zip.*(zip|truncated)"):
        discover(folder)


def test_zip_with_damaged_member_names_the_file(real_copy: Path, tmp_path: Path):
    folder, z = _zip_2019(real_copy)
    data = bytearray(z.read_bytes())
    for i in range(200, 400):  # flip bytes inside the compressed stream, keep the directory intact
        data[i] ^= 0xFF
    z.write_bytes(bytes(data))
    with pytest.raises(ArchiveError, match=r"RNA_0621_tweets_csv_hashed_2019\.zip.*corrupt"):
        _load(folder, tmp_path)


def test_missing_columns_are_named(real_copy: Path, tmp_path: Path):
    header, rows = read_rows(real_copy / SHARD)
    drop = [header.index("tweet_text"), header.index("tweet_time")]
    write_rows(real_copy / SHARD, [h for i, h in enumerate(header) if i not in drop],
           [[v for i, v in enumerate(r) if i not in drop] for r in rows])
    with pytest.raises(ArchiveError, match=rf"{SHARD}.*missing required column\(s\) tweet_text, tweet_time"):
        _load(real_copy, tmp_path)


def test_unknown_columns_are_named(real_copy: Path, tmp_path: Path):
    header, rows = read_rows(real_copy / SHARD)
    write_rows(real_copy / SHARD, [*header, "sentiment"], [[*r, "0.5"] for r in rows])
    with pytest.raises(ArchiveError, match=rf"{SHARD}.*unknown column\(s\) sentiment"):
        _load(real_copy, tmp_path)


FIVETHIRTYEIGHT = ["external_author_id", "author", "content", "region", "language", "publish_date",
                   "harvested_date", "following", "followers", "updates", "post_type", "account_type"]


def test_another_schema_under_an_archive_name(real_copy: Path, tmp_path: Path):
    write_rows(real_copy / SHARD, FIVETHIRTYEIGHT, [["906000000", "10_GOP", "hello", "US", "English", "10/1/2017 19:58",
                                                  "10/1/2017 19:59", "1052", "9636", "253", "", "RightTroll"]])
    with pytest.raises(ArchiveError, match="FiveThirtyEight"):
        _load(real_copy, tmp_path)


def test_a_folder_of_non_archive_csvs(tmp_path: Path):
    folder = tmp_path / "ira"
    folder.mkdir()
    write_rows(folder / "IRAhandle_tweets_1.csv", FIVETHIRTYEIGHT, [])
    with pytest.raises(FileNotFoundError, match=r"no information-operations archive files.*IRAhandle_tweets_1\.csv"):
        discover(folder)


def test_empty_file(real_copy: Path, tmp_path: Path):
    (real_copy / SHARD).write_bytes(b"")
    with pytest.raises(ArchiveError, match=rf"{SHARD}.*empty file"):
        _load(real_copy, tmp_path)


def test_undecodable_bytes_name_file_and_row(real_copy: Path, tmp_path: Path):
    header, rows = read_rows(real_copy / SHARD)
    rows[6][header.index("tweet_text")] = "Café au lait"
    buf = io.StringIO()
    csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows([header, *rows])
    data = buf.getvalue().encode("utf-8").replace("Café".encode(), "Café".encode("latin-1"))
    (real_copy / SHARD).write_bytes(data)
    with pytest.raises(ArchiveError, match=rf"{SHARD}, data row 7: bytes that are not UTF-8") as err:
        _load(real_copy, tmp_path)
    assert err.value.row == 7


def test_ragged_row_names_file_and_row(real_copy: Path, tmp_path: Path):
    header, rows = read_rows(real_copy / SHARD)
    rows[3] = rows[3][:-2]
    write_rows(real_copy / SHARD, header, rows)
    with pytest.raises(ArchiveError, match=rf"{SHARD}, data row 4: 28 fields where the header has 30"):
        _load(real_copy, tmp_path)


def test_bad_values_name_column_and_row(real_copy: Path, tmp_path: Path):
    header, rows = read_rows(real_copy / SHARD)
    rows[1][header.index("is_retweet")] = "maybe"
    write_rows(real_copy / SHARD, header, rows)
    with pytest.raises(ArchiveError, match=rf"{SHARD}, data row 2: column is_retweet: 'maybe' is not true/false"):
        _load(real_copy, tmp_path)


def test_duplicate_tweet_ids_are_dropped_and_counted(real_copy: Path, tmp_path: Path):
    header, rows = read_rows(real_copy / SHARD)
    write_rows(real_copy / "RNA_0621_tweets_csv_hashed_2020.csv", header, rows[:4])  # 4 repeats in another shard
    report = _load(real_copy, tmp_path)
    assert report["tweets_read"] == 4646 + 4
    assert report["duplicate_tweets_dropped"] == 4
    assert report["tweets"] == 4646
    assert report["duplicate_tweet_examples"] == sorted(r[0] for r in rows[:4])
    ids = store.read("RNA_0621", "tweets", ["tweetid", "source_file"], layer="interim", work_dir=tmp_path / "work")
    assert ids["tweetid"].is_unique
    kept = ids[ids["tweetid"].isin([r[0] for r in rows[:4]])]
    assert (kept["source_file"] == SHARD).all()  # the first occurrence is kept


def test_old_column_order_and_31_columns_and_lowercase_booleans(real_copy: Path, tmp_path: Path):
    header, rows = read_rows(real_copy / SHARD)
    assert tuple(header) == TWEET_COLUMNS
    recs = [dict(zip(header, r, strict=True)) for r in rows]
    new_header = [*TWEET_COLUMNS_OLD_ORDER, "poll_choices"]
    for r in recs:
        r["is_retweet"] = r["is_retweet"].lower()
        r["poll_choices"] = ""
    write_rows(real_copy / SHARD, new_header, [[r[h] for h in new_header] for r in recs])
    _load(real_copy, tmp_path)
    t = store.read("RNA_0621", "tweets", layer="interim", work_dir=tmp_path / "work")
    t = t[t["source_file"] == SHARD].set_index("tweetid")
    assert t.loc["1042332696624750593", "is_retweet"]
    assert t["in_reply_to_userid"].notna().sum() == sum(bool(r["in_reply_to_userid"]) for r in recs)
    for r in recs:  # the reply columns land in the right place whatever their order in the file
        for col in ("in_reply_to_userid", "in_reply_to_tweetid"):
            got = t.loc[r["tweetid"], col]
            assert (got if isinstance(got, str) else "") == r[col]


def test_repr_lists_with_quotes_and_escapes():
    import pyarrow as pa

    arr = pa.array(["[]", "", "['a', 'b']", "[\"it's\", 'x']", "['back\\\\slash']", "['#tag']"])
    assert parse_repr_lists(arr).to_pylist() == [[], [], ["a", "b"], ["it's", "x"], ["back\\slash"], ["#tag"]]


def test_release_without_tweets(real_copy: Path):
    for p in real_copy.glob("*tweets*"):
        p.unlink()
    with pytest.raises(ArchiveError, match="users file but no tweets file"):
        discover(real_copy)


def test_header_only_release_is_an_error(real_copy: Path, tmp_path: Path):
    for p in real_copy.glob("*tweets*"):
        if p.name != "RNA_0621_tweets_csv_hashed_2016.csv":  # header only
            p.unlink()
    with pytest.raises(ArchiveError, match="has no tweets"):
        _load(real_copy, tmp_path)


def test_synthetic_generation_never_overwrites_real_data(real_copy: Path):
    with pytest.raises(FileExistsError, match="not generated here"):
        stages.ensure_synthetic(real_copy.parent)
    assert pd.Series([p.name for p in real_copy.iterdir()]).str.contains("synth").sum() == 0
