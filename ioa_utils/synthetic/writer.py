"""Writing files exactly like the official ones: every field quoted, '\\n' line ends, UTF-8; tweets as
plain CSV or zip archives (fixed timestamps, so bytes are reproducible), optionally one shard per year;
ground truth as Parquet."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import IO, Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from .. import schema
from ..ground_truth import ACCOUNTS_SUFFIX, TWEETS_SUFFIX
from .model import Accounts, Part
from .releases import ReleaseSpec

ZIP_DATE = (2020, 6, 11, 0, 0, 0)
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


class _Shard:
    """One tweets file being streamed (plain CSV or a zip archive holding one CSV)."""

    def __init__(self, path: Path, zipped: bool, columns: tuple[str, ...], zip64: bool) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        if zipped:
            self._zip = zipfile.ZipFile(path.with_suffix(".zip"), "w", compression=zipfile.ZIP_DEFLATED)
            info = zipfile.ZipInfo(path.name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            self._raw = self._zip.open(info, "w", force_zip64=zip64)
            self.stream: IO[str] = io.TextIOWrapper(self._raw, encoding="utf-8", newline="", write_through=False)
            self.path = path.with_suffix(".zip")
        else:
            self.stream = open(path, "w", encoding="utf-8", newline="")
        self.writer = _csv_writer(self.stream)
        self.writer.writerow(columns)

    def close(self) -> None:
        self.stream.close()
        if self._zip is not None:
            self._zip.close()


class TweetSink:
    """Streams parts into the release's tweets file(s)."""

    def __init__(self, folder: Path, spec: ReleaseSpec, accounts: Accounts, zip64: bool = False) -> None:
        self.folder, self.spec, self.zip64 = folder, spec, zip64
        self.user_rows = [a.row() for a in accounts.items]
        self.shards: dict[int | None, _Shard] = {}
        true, false = spec.booleans
        self._bool = np.array([false, true], dtype=object)

    def _shard(self, year: int | None) -> _Shard:
        if year not in self.shards:
            self.shards[year] = _Shard(self.folder / self.spec.tweets_name(year), self.spec.zipped,
                                       self.spec.columns, self.zip64)
        return self.shards[year]

    def write(self, part: Part) -> None:
        if not len(part):
            return
        times = np.datetime_as_string(part.ts.astype("datetime64[s]"), unit="m")
        users = [self.user_rows[u] for u in part.uidx]
        user_cols = dict(zip(schema.USER_COLUMNS, zip(*users, strict=True), strict=True))
        n = len(part)
        cols: dict[str, Any] = {
            **user_cols,
            "tweetid": [str(x) for x in part.tid],
            "tweet_language": part.lang,
            "tweet_text": part.text,
            "tweet_time": [t.replace("T", " ") for t in times],
            "tweet_client_name": part.client,
            "in_reply_to_userid": part.reply_uid,
            "in_reply_to_tweetid": part.reply_tid,
            "quoted_tweet_tweetid": part.quote_tid,
            "is_retweet": self._bool[part.is_rt.astype(np.int64)],
            "retweet_userid": part.rt_uid,
            "retweet_tweetid": part.rt_tid,
            "latitude": ["absent"] * n,
            "longitude": ["absent"] * n,
            "quote_count": part.quotes.astype(str),
            "reply_count": part.replies.astype(str),
            "like_count": part.likes.astype(str),
            "retweet_count": part.rts.astype(str),
            "hashtags": [repr(x) for x in part.hashtags],
            "urls": [repr(x) for x in part.urls],
            "user_mentions": [repr(x) for x in part.mentions],
            "poll_choices": [""] * n,
        }
        rows = list(zip(*(cols[c] for c in self.spec.columns), strict=True))
        if not self.spec.by_year:
            self._shard(None).writer.writerows(rows)
            return
        years = part.ts.astype("datetime64[s]").astype("datetime64[Y]").astype(np.int64) + 1970
        for year in np.unique(years):
            idx = np.flatnonzero(years == year)
            self._shard(int(year)).writer.writerows(rows[i] for i in idx)

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
        self.accounts_path = folder / f"{release}{ACCOUNTS_SUFFIX}"
        self.tweets_path = folder / f"{release}{TWEETS_SUFFIX}"
        self._writer = pq.ParquetWriter(self.tweets_path, self.SCHEMA)
        self._buf: list[pa.Table] = []
        self._n = 0

    def write(self, part: Part) -> None:
        userids = [self.accounts[u].userid for u in part.uidx]
        self._buf.append(pa.table({"tweetid": [str(x) for x in part.tid], "userid": userids,
                                   "narrative": list(part.narrative), "planted": list(part.planted)},
                                  schema=self.SCHEMA))
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
