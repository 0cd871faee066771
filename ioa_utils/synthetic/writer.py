"""Writing files exactly like the official ones: every field quoted, '\\n' line ends, UTF-8; tweets as
plain CSV or zip archives (fixed timestamps, so bytes are reproducible), optionally one shard per year;
ground truth as Parquet."""

from __future__ import annotations

import csv
import zipfile
from functools import cache
from pathlib import Path
from typing import IO, Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .. import schema
from ..ground_truth import ACCOUNTS_SUFFIX, TWEETS_SUFFIX
from .model import Accounts, Part
from .releases import ReleaseSpec

ZIP_DATE = (2020, 6, 11, 0, 0, 0)
DAY_TABLE = (0, 47_481)  # 1970-01-01 to 2099-12-31: dates of tweets, formatted once
GT_ROWS_PER_GROUP = 500_000


def _csv_writer(stream: IO[str]) -> Any:
    return csv.writer(stream, quoting=csv.QUOTE_ALL, lineterminator="\n")


def write_users(folder: Path, spec: ReleaseSpec, accounts: Accounts) -> Path:
    path = folder / spec.users_file
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = _csv_writer(f)
        w.writerow(schema.USER_COLUMNS)
        w.writerows(a.row() for a in accounts.items)
    return path


def _csv_options() -> pacsv.WriteOptions:
    return pacsv.WriteOptions(quoting_style="all_valid", batch_size=8192)  # = csv.QUOTE_ALL, "\n" line ends


class _Shard:
    """One tweets file being streamed (plain CSV or a zip archive holding one CSV)."""

    def __init__(self, path: Path, zipped: bool, schema_: pa.Schema, zip64: bool, level: int | None) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        if zipped:
            self._zip = zipfile.ZipFile(path.with_suffix(".zip"), "w", compression=zipfile.ZIP_DEFLATED,
                                        compresslevel=level)
            info = zipfile.ZipInfo(path.name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            # ZipFile.open(ZipInfo) ignores the archive's compresslevel: the level goes on the member itself
            setattr(info, "compress_level" if hasattr(info, "compress_level") else "_compresslevel", level)
            info.external_attr = 0o644 << 16
            self._stream: IO[bytes] = self._zip.open(info, "w", force_zip64=zip64)
            self.path = path.with_suffix(".zip")
        else:
            self._stream = open(path, "wb")
        self.writer = pacsv.CSVWriter(self._stream, schema_, write_options=_csv_options())

    def close(self) -> None:
        self.writer.close()
        self._stream.close()
        if self._zip is not None:
            self._zip.close()


def _strings(values: np.ndarray) -> pa.Array:
    return pa.array(values, type=pa.string())


def _ints(values: np.ndarray) -> pa.Array:
    return pa.array(values, type=pa.int64()).cast(pa.string())


_HHMM = np.frombuffer("".join(f"{h:02d}:{m:02d}" for h in range(24) for m in range(60)).encode(),
                      dtype=np.uint8).reshape(1440, 5)


@cache
def _day_rows(first: int, last: int) -> np.ndarray:
    """'YYYY-MM-DD ' of days ``first`` to ``last`` (since the epoch), as rows of 11 bytes."""
    span = np.arange(first, last + 1).astype("datetime64[D]")
    return np.frombuffer("".join(f"{d} " for d in np.datetime_as_string(span)).encode(), dtype=np.uint8).reshape(-1, 11)


def _minutes(ts: np.ndarray) -> pa.Array:
    """'YYYY-MM-DD HH:MM' of epoch seconds (fixed-width ASCII rows gathered from day and minute tables)."""
    days, minute = np.divmod(np.asarray(ts, dtype=np.int64) // 60, 1440)
    first, last = DAY_TABLE if days.min() >= DAY_TABLE[0] and days.max() <= DAY_TABLE[1] else (days.min(), days.max())
    rows = np.empty((len(ts), 16), dtype=np.uint8)
    rows[:, :11] = _day_rows(int(first), int(last))[days - first]
    rows[:, 11:] = _HHMM[minute]
    offsets = np.arange(0, 16 * (len(ts) + 1), 16, dtype=np.int32)
    return pa.Array.from_buffers(pa.string(), len(ts), [None, pa.py_buffer(offsets), pa.py_buffer(rows)])


class TweetSink:
    """Streams parts into the release's tweets file(s)."""

    def __init__(self, folder: Path, spec: ReleaseSpec, accounts: Accounts, zip64: bool = False,
                 level: int | None = None) -> None:
        self.folder, self.spec, self.zip64, self.level = folder, spec, zip64, level
        rows = [a.row() for a in accounts.items]
        self.user_cols = {c: pa.array([r[k] for r in rows], type=pa.string())
                          for k, c in enumerate(schema.USER_COLUMNS)}
        self.schema = pa.schema([(c, pa.string()) for c in spec.columns])
        self.shards: dict[int | None, _Shard] = {}
        true, false = spec.booleans
        self._bool = pa.array([false, true], type=pa.string())
        self._const = pa.array(["absent", ""], type=pa.string())

    def _shard(self, year: int | None) -> _Shard:
        if year not in self.shards:
            self.shards[year] = _Shard(self.folder / self.spec.tweets_name(year), self.spec.zipped, self.schema,
                                       self.zip64, self.level)
        return self.shards[year]

    def table(self, part: Part) -> pa.Table:
        """The part's rows in the release's columns, all strings as written."""
        n = len(part)
        users = pa.array(part.uidx, type=pa.int64())
        absent, empty = (self._const.take(pa.array(np.full(n, k, dtype=np.int8))) for k in (0, 1))
        cols: dict[str, pa.Array] = {
            **{c: arr.take(users) for c, arr in self.user_cols.items()},
            "tweetid": _ints(part.tid),
            "tweet_language": _strings(part.lang),
            "tweet_text": part.text,
            "tweet_time": _minutes(part.ts),
            "tweet_client_name": _strings(part.client),
            "in_reply_to_userid": _strings(part.reply_uid),
            "in_reply_to_tweetid": _strings(part.reply_tid),
            "quoted_tweet_tweetid": _strings(part.quote_tid),
            "is_retweet": self._bool.take(pa.array(part.is_rt.astype(np.int8))),
            "retweet_userid": _strings(part.rt_uid),
            "retweet_tweetid": _strings(part.rt_tid),
            "latitude": absent,
            "longitude": absent,
            "quote_count": _ints(part.quotes),
            "reply_count": _ints(part.replies),
            "like_count": _ints(part.likes),
            "retweet_count": _ints(part.rts),
            "hashtags": _strings(part.hashtags),
            "urls": _strings(part.urls),
            "user_mentions": _strings(part.mentions),
            "poll_choices": empty,
        }
        return pa.Table.from_arrays([cols[c] for c in self.spec.columns], schema=self.schema)

    def write(self, part: Part) -> None:
        if not len(part):
            return
        if not self.spec.by_year:
            self._shard(None).writer.write_table(self.table(part))
            return
        years = part.ts.astype("datetime64[s]").astype("datetime64[Y]").astype(np.int64) + 1970
        order = np.argsort(years, kind="stable")  # each year's rows keep their order
        years, table = years[order], self.table(part.take(order))
        bounds = np.flatnonzero(np.diff(years)) + 1
        for start, end in zip(np.r_[0, bounds], np.r_[bounds, len(years)], strict=True):
            self._shard(int(years[start])).writer.write_table(table.slice(start, end - start))

    def close(self) -> list[Path]:
        for s in self.shards.values():
            s.close()
        return [self.shards[k].path for k in sorted(self.shards, key=lambda y: -1 if y is None else y)]


class GroundTruthSink:
    """The planted ground truth, in the layout documented in ``ioa_utils.ground_truth``."""

    SCHEMA = pa.schema([("tweetid", pa.string()), ("userid", pa.string()), ("narrative", pa.string()),
                        ("planted", pa.string())])

    def __init__(self, folder: Path, release: str, accounts: Accounts) -> None:
        self.accounts = accounts
        self._userids = pa.array([a.userid for a in accounts.items], type=pa.string())
        self.accounts_path = folder / f"{release}{ACCOUNTS_SUFFIX}"
        self.tweets_path = folder / f"{release}{TWEETS_SUFFIX}"
        self._writer = pq.ParquetWriter(self.tweets_path, self.SCHEMA)
        self._buf: list[pa.Table] = []
        self._n = 0

    def write(self, part: Part) -> None:
        userids = self._userids.take(pa.array(part.uidx, type=pa.int64()))
        self._buf.append(pa.Table.from_arrays([_ints(part.tid), userids, _strings(part.narrative),
                                               _strings(part.planted)], schema=self.SCHEMA))
        self._n += len(part)
        if self._n >= GT_ROWS_PER_GROUP:
            self._flush()

    def _flush(self) -> None:
        if self._buf:
            self._writer.write_table(pa.concat_tables(self._buf), row_group_size=GT_ROWS_PER_GROUP * 2)
        self._buf, self._n = [], 0

    def close(self) -> list[Path]:
        self._flush()
        self._writer.close()
        items = self.accounts.items
        table = pa.table({"userid": [a.userid for a in items], "role": [a.role for a in items],
                          "group": [a.group for a in items], "group_kind": [a.group_kind for a in items],
                          "is_control": [a.is_control for a in items]})
        pq.write_table(table, self.accounts_path)
        return [self.accounts_path, self.tweets_path]
