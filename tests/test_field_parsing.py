"""Strict field parsing (issue 8): every typed column either reads a value as written, repairs it and counts
the repair in the load report's data-quality flags, or refuses it with file, record number and column.

Damaged files are built from the real RNA_0621 fixture (copied to tmp). Records are numbered like data rows
(header not counted) and the fixture's tweet texts hold newlines, so record numbers differ from line numbers.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import io
import json
import os
import random
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pytest
from archive_csv import read_rows, write_rows

from ioa_utils import schema, stages, store
from ioa_utils.discover import discover
from ioa_utils.errors import ArchiveError
from ioa_utils.fields import FieldError, parse_repr_lists
from ioa_utils.paths import PROJECT_ROOT
from ioa_utils.reader import iter_batches

SHARD = "RNA_0621_tweets_csv_hashed_2014.csv"  # 18 tweets; the text of record 3 spans two lines
BIG = "RNA_0621_tweets_csv_hashed_2019.csv"  # 4,609 tweets, many texts span several lines
USERS = "hashed_2021_12_RNA_0621_RNA_0621_users_csv_hashed.csv"
K = 10  # the record damaged in most tests (the times test uses records K to K + 8)


def _damaged(folder: Path, name: str, column: str, values: dict[int, str]) -> Path:
    """Set ``column`` of the given records (numbered from 1) of file ``name`` in ``folder``."""
    header, rows = read_rows(folder / name)
    for rec, v in values.items():
        rows[rec - 1][header.index(column)] = v
    write_rows(folder / name, header, rows)
    return folder / name


def _read(folder: Path, name: str, flags: Counter | None = None, **kw) -> pa.Table:
    (f,) = [f for rel in discover(folder.parent).releases for f in rel.tweets + rel.users if f.name == name]
    return pa.concat_tables(list(iter_batches(f, flags=flags, **kw)))


def _refused(folder: Path, name: str, column: str, value: str, rec: int = K) -> ArchiveError:
    _damaged(folder, name, column, {rec: value})
    with pytest.raises(ArchiveError) as err:
        _read(folder, name)
    e = err.value
    assert (e.path.name, e.row, e.column) == (name, rec, column), str(e)
    assert f"{name}, data row {rec}: column {column}: " in str(e)
    assert "could not be parsed as CSV" not in str(e)
    return e


@pytest.mark.parametrize(("name", "rec"), [(SHARD, K), (BIG, 4000)])
def test_damaged_record_is_not_on_its_line_number(real_dir: Path, name: str, rec: int):
    """Guards the tests below: the damaged record does not start on line ``rec + 1`` (header = line 1)."""
    text = (real_dir / "rna_0621" / name).read_text(encoding="utf-8")
    header, rows = read_rows(real_dir / "rna_0621" / name)
    line = text[: text.index(f'"{rows[rec - 1][0]}"')].count("\n") + 1
    assert line > rec + 1


# --- lists ------------------------------------------------------------------------------------------------

BAD_LISTS = {
    "bare string": "abc",
    "quoted string": "'abc'",
    "set": "{'a', 'b'}",
    "dict": "{'a': 'b'}",
    "tuple": "('a', 'b')",
    "int": "7",
    "float": "1.5",
    "nested list": "[['a'], 'b']",
    "deep nesting": "[" * 5000 + "]" * 5000,
    "deep nesting with items": "[" * 150 + "'a'" + "]" * 150,
    "non-string items": "[1, 2]",
    "bytes items": "[b'a']",
    "None item": "[None]",
    "unbalanced bracket": "['a', 'b'",
    "unbalanced quote": "['a, 'b']",
    "unquoted items": "[abc, def]",
    "stray quote inside item": "['a'b']",
    "separator-like quote": "[', 'a']",
    "two lists": "['a'] ['b']",
    "expression": "['a'] + ['b']",
    "call": "list('ab')",
    "raw newline in item": "['a\nb']",
    "too long": "[" + "'x', " * 30_000 + "]",
}


@pytest.mark.parametrize("column", schema.LIST_COLUMNS)
@pytest.mark.parametrize("kind", list(BAD_LISTS))
def test_list_fields_refuse_anything_but_a_list_of_strings(real_copy: Path, column: str, kind: str):
    e = _refused(real_copy, SHARD, column, BAD_LISTS[kind])
    if kind == "set":
        assert "hash seed" in e.problem


GOOD_LISTS = {
    "": [], "[]": [], "['a']": ["a"], "['a', 'b']": ["a", "b"], "['']": [""],
    "[\"it's\"]": ["it's"], "['a\\\\b']": ["a\\b"], "['x\\'y']": ["x'y"], "['tab\\there']": ["tab\there"],
    "['a','b']": ["a", "b"], "['a', 'b',]": ["a", "b"], '["a", "b"]': ["a", "b"], "['Kılıçdaroğlu', '#x']":
    ["Kılıçdaroğlu", "#x"], "['a, b']": ["a, b"], "[\"a', 'b\"]": ["a', 'b"],
}


def test_list_fields_read_python_list_literals():
    got = parse_repr_lists(pa.array(list(GOOD_LISTS)), flags := Counter()).to_pylist()
    assert got == list(GOOD_LISTS.values())
    assert not flags


def _random_item(rng: random.Random) -> str:
    alphabet = "ab c,'\"\\[]\n\t#/:é👍"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))


def test_lists_round_trip_and_never_diverge_from_literal_eval():
    """The whole class, not examples: any repr of a list of strings reads back exactly; any mutation of one
    either reads as ``ast.literal_eval`` reads it (a list of strings) or is refused; never anything else."""
    rng = random.Random(8)
    lists = [[_random_item(rng) for _ in range(rng.randint(0, 4))] for _ in range(3000)]
    assert parse_repr_lists(pa.array([repr(x) for x in lists])).to_pylist() == lists
    mutated = []
    for x in lists[:1500]:
        r = list(repr(x))
        for _ in range(rng.randint(1, 3)):
            op, i = rng.randrange(3), rng.randrange(len(r) + 1)
            if op == 0:
                r.insert(i, rng.choice("'\"[], \\{}()1"))
            elif r and op == 1:
                del r[min(i, len(r) - 1)]
            elif r:
                r[min(i, len(r) - 1)] = rng.choice("'\"[], \\")
        mutated.append("".join(r))
    refused = 0
    for v in mutated:  # one by one, so that a refusal of one value does not hide the others
        try:
            (got,) = parse_repr_lists(pa.array([v])).to_pylist()
        except FieldError:
            refused += 1
            continue
        expected = ast.literal_eval(v.strip()) if v.strip() else []
        assert isinstance(expected, list) and all(type(s) is str for s in expected), v
        assert got == expected, v
    assert 0 < refused < len(mutated)


def test_list_with_surrounding_white_space_is_read_and_counted(real_copy: Path):
    _damaged(real_copy, SHARD, "hashtags", {K: "  ['a', 'b'] ", K + 1: "['a', 'b'] "})
    t = _read(real_copy, SHARD, flags := Counter())
    assert t["hashtags"][K - 1].as_py() == ["a", "b"] and t["hashtags"][K].as_py() == ["a", "b"]
    assert flags == {"tweets.hashtags: surrounding white space stripped": 2}


def test_hash_seed_does_not_change_the_output(real_dir: Path, tmp_path: Path):
    """The interim Parquet files and load report are byte-identical under two PYTHONHASHSEED values."""
    code = ("import sys; from ioa_utils import stages; from ioa_utils.discover import discover; "
            "(rel,) = discover(sys.argv[1]).releases; stages.ensure_loaded(rel, sys.argv[2])")
    digests = []
    for seed in ("1", "4242"):
        work = tmp_path / f"seed{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", code, str(real_dir), str(work)], check=True, env=env, cwd=PROJECT_ROOT)
        out = store.table_path("RNA_0621", "tweets", "interim", work).parent
        files = sorted(p for p in out.rglob("*") if p.suffix == ".parquet" or p.name == "load_report.json")
        assert any(p.suffix == ".parquet" for p in files)
        digests.append({str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files})
    assert digests[0] == digests[1]


# --- times ------------------------------------------------------------------------------------------------

GOOD_TIMES = {  # value -> (UTC time, flags)
    "2019-06-01 10:20": ("2019-06-01 10:20", ()),
    "2019-06-01 10:20:59": ("2019-06-01 10:20", ("seconds",)),
    "2019-06-01 10:20 +0500": ("2019-06-01 05:20", ("offset",)),
    "2019-06-01 10:20+05:00": ("2019-06-01 05:20", ("offset",)),
    "2019-06-01 01:20+05": ("2019-05-31 20:20", ("offset",)),
    "2019-06-01 23:50 -0330": ("2019-06-02 03:20", ("offset",)),
    "2019-06-01 10:20Z": ("2019-06-01 10:20", ("offset",)),
    "2019-06-01 10:20 UTC": ("2019-06-01 10:20", ("offset",)),
    "2019-06-01 10:20:30 +05:30": ("2019-06-01 04:50", ("seconds", "offset")),
}
FLAG = {"seconds": "tweets.tweet_time: seconds dropped (minute precision)",
        "offset": "tweets.tweet_time: UTC offset converted to UTC"}


def test_tweet_time_variants_are_converted_and_counted(real_copy: Path):
    values = dict(enumerate(GOOD_TIMES, start=K))
    _damaged(real_copy, SHARD, "tweet_time", values)
    t = _read(real_copy, SHARD, flags := Counter())
    for rec, v in values.items():
        got = t["tweet_time"][rec - 1].as_py()
        assert got.strftime("%Y-%m-%d %H:%M") == GOOD_TIMES[v][0] and got.second == 0, v
    assert flags == Counter(FLAG[k] for _, ks in GOOD_TIMES.values() for k in ks)


@pytest.mark.parametrize("value", [
    "2019-06-01 10:20x", "2019-06-01 10:20 junk", "2019-06-01 10:20 +0500 x", "2019-06-01T10:20", "2019-6-1 10:20",
    "2019-06-01 9:20", " 2019-06-01 10:20", "2019-06-01 10:20 ", "2019-06-01  10:20", "2019/06/01 10:20",
    "2019-06-01", "2019-06-01 10", "2019-06-01 10:20:5", "2019-06-01 10:20:61", "2019-06-01 10:20:30.5",
    "2019-02-29 10:20", "2019-04-31 10:20", "2019-06-01 24:00", "2019-06-01 10:60", "2019-06-01 10:20 +2500",
    "2019-06-01 10:20 +05:75", "2019-06-01 10:20 +5", "2019-06-01 10:20 EST", "1559384400", "10:20 2019-06-01",
])
def test_tweet_time_refuses_other_forms(real_copy: Path, value: str):
    _refused(real_copy, SHARD, "tweet_time", value)


@pytest.mark.parametrize("value", ["2013-7-1", "2013-07-01 00:00", "2013-02-30", "01/07/2013", " 2013-07-01",
                                   "2013-07-01x", "20130701"])
@pytest.mark.parametrize("name", [SHARD, USERS])
def test_account_creation_date_refuses_other_forms(real_copy: Path, value: str, name: str):
    _refused(real_copy, name, "account_creation_date", value, rec=7)


# --- numbers and booleans -------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1.5", "1e3", "abc", " 12", "12 ", "+5", "0x10", "1,000", "١٢",
                                   "9223372036854775808", "-9223372036854775809", "99999999999999999999.0"])
@pytest.mark.parametrize("column", schema.INT_COLUMNS)
def test_counts_refuse_non_integers_and_overflow(real_copy: Path, column: str, value: str):
    e = _refused(real_copy, SHARD, column, value)
    if re.fullmatch(r"-?[0-9]+", value):
        assert "out of range for a 64-bit integer" in e.problem


@pytest.mark.parametrize("column", schema.INT_COLUMNS)
def test_negative_and_float_written_counts_are_repaired_and_counted(real_copy: Path, column: str):
    big = "9223372036854775807"
    _damaged(real_copy, SHARD, column, {K: "-1", K + 1: "-250", K + 2: "12.0", K + 3: "7.", K + 4: big})
    t = _read(real_copy, SHARD, flags := Counter())
    assert t[column].to_pylist()[K - 1: K + 4] == [None, None, 12, 7, 9223372036854775807]
    assert flags == {f"tweets.{column}: negative count set to null": 2,
                     f"tweets.{column}: float-written whole number read as integer": 2}


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "1e400", "91", "-90.5", "Absent", "none", "1,5",
                                   " 1.5", "1.5 "])
@pytest.mark.parametrize("column", schema.FLOAT_COLUMNS)
def test_coordinates_refuse_non_numbers_and_out_of_range(real_copy: Path, column: str, value: str):
    if column == "longitude" and value in ("91", "-90.5"):
        value = "180.5" if value == "91" else "-181"
    _refused(real_copy, SHARD, column, value)


def test_coordinates_in_range_are_read(real_copy: Path):
    _damaged(real_copy, SHARD, "latitude", {K: "-90", K + 1: "45.5", K + 2: ""})
    _damaged(real_copy, SHARD, "longitude", {K: "180", K + 1: "-12.25", K + 2: "absent"})
    t = _read(real_copy, SHARD)
    assert t["latitude"].to_pylist()[K - 1: K + 2] == [-90.0, 45.5, None]
    assert t["longitude"].to_pylist()[K - 1: K + 2] == [180.0, -12.25, None]


@pytest.mark.parametrize("value", ["yes", "1", "0", " True", "True ", "t", "truee"])
def test_booleans_refuse_other_words(real_copy: Path, value: str):
    _refused(real_copy, SHARD, "is_retweet", value)


# --- ids --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["12 34", "ab\tcd", "ab,cd", "abc;", "'123'", "é123", "12\n34", "[123]"])
@pytest.mark.parametrize("column", schema.ID_COLUMNS)
def test_ids_refuse_inner_white_space_and_foreign_characters(real_copy: Path, column: str, value: str):
    _refused(real_copy, SHARD, column, value)


def test_users_file_ids_refused_too(real_copy: Path):
    _refused(real_copy, USERS, "userid", "abc def", rec=7)


@pytest.mark.parametrize("column", schema.ID_COLUMNS)
def test_ids_with_surrounding_white_space_are_stripped_and_counted(real_copy: Path, column: str):
    _damaged(real_copy, SHARD, column, {K: " 123 ", K + 1: "\tFDAi+Kscc=", K + 2: "4.6e+17 "})
    t = _read(real_copy, SHARD, flags := Counter())
    assert t[column].to_pylist()[K - 1: K + 2] == ["123", "FDAi+Kscc=", "4.6e+17"]
    assert flags == {f"tweets.{column}: surrounding white space stripped": 3}
    if column in schema.LOSSY_ID_COLUMNS:
        assert t[f"{column}_is_lossy"].to_pylist()[K - 1: K + 2] == [False, False, True]


# --- record numbers ----------------------------------------------------------------------------------------


def test_record_numbers_hold_across_batches(real_copy: Path):
    rec = 4000  # far into the shard: many batches of 64 KiB, many multi-line texts before it
    _damaged(real_copy, BIG, "like_count", {rec: "12.5"})
    with pytest.raises(ArchiveError) as err:
        _read(real_copy, BIG, block_size=64 << 10, batch_bytes=64 << 10)
    assert (err.value.row, err.value.column) == (rec, "like_count")


def test_parse_errors_and_type_errors_count_records_alike(real_copy: Path):
    """Blank lines (skipped by the reader), multi-line texts and a field over csv's 128 KiB limit before the
    damaged record: the CSV diagnosis and the typing step give the same record numbers."""
    header, rows = read_rows(real_copy / BIG)
    rows[9][header.index("tweet_text")] = "long " * 40_000  # 200 KB, valid CSV
    rows[K - 1][header.index("is_retweet")] = "maybe"
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    w.writerows([header, *rows[:5]])
    buf.write("\n\n")  # blank lines are not records
    w.writerows(rows[5:])
    (real_copy / BIG).write_text(buf.getvalue(), encoding="utf-8")
    with pytest.raises(ArchiveError, match="'maybe' is not true/false") as err:
        _read(real_copy, BIG)
    assert err.value.row == K
    rows[K - 1] = rows[K - 1][:-3]  # now also a ragged record: found by the CSV diagnosis
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    w.writerows([header, *rows[:5]])
    buf.write("\n\n")
    w.writerows(rows[5:])
    (real_copy / BIG).write_text(buf.getvalue(), encoding="utf-8")
    with pytest.raises(ArchiveError, match="27 fields where the header has 30") as err:
        _read(real_copy, BIG)
    assert err.value.row == K


# --- the load report ----------------------------------------------------------------------------------------


def test_repairs_reach_the_load_report(real_copy: Path, tmp_path: Path):
    _damaged(real_copy, SHARD, "tweet_time", {K: "2019-06-01 10:20 +0500", K + 1: "2019-06-01 10:20:07"})
    _damaged(real_copy, SHARD, "like_count", {K: "-1"})
    _damaged(real_copy, SHARD, "retweet_count", {K: "3.0"})
    tweetid = read_rows(real_copy / SHARD)[1][K + 1][0]
    _damaged(real_copy, SHARD, "tweetid", {K + 2: f" {tweetid} "})
    userid = read_rows(real_copy / USERS)[1][2][0]
    _damaged(real_copy, USERS, "userid", {3: f"{userid}  "})
    (rel,) = discover(real_copy.parent).releases
    report = stages.ensure_loaded(rel, tmp_path / "work")
    assert report["data_quality_flags"] == {
        "tweets.like_count: negative count set to null": 1,
        "tweets.retweet_count: float-written whole number read as integer": 1,
        "tweets.tweet_time: UTC offset converted to UTC": 1,
        "tweets.tweet_time: seconds dropped (minute precision)": 1,
        "tweets.tweetid: surrounding white space stripped": 1,
        "users.userid: surrounding white space stripped": 1,
    }
    saved = json.loads(next((tmp_path / "work").rglob("load_report.json")).read_text())
    assert saved["data_quality_flags"] == report["data_quality_flags"]
    t = store.read("RNA_0621", "tweets", ["tweetid", "tweet_time", "like_count"], layer="interim",
                   work_dir=tmp_path / "work")
    assert tweetid in set(t["tweetid"]) and " " not in "".join(t["tweetid"])
    assert t["like_count"].isna().sum() == 1


def test_clean_fixture_has_no_flags(real_dir: Path, tmp_path: Path):
    (rel,) = discover(real_dir).releases
    assert stages.ensure_loaded(rel, tmp_path)["data_quality_flags"] == {}
