"""Stage 1: raw archive files of one release -> typed interim Parquet.

Output, under ``data/interim/<release>/``:
``users.parquet``, ``tweets/part-NNNNN.parquet`` (one or more partitions per source file, in file order)
and ``load_report.json`` (files, counts, data-quality flags). Raw files are only ever opened for reading.
``load_release`` writes into a new folder; ``stages.ensure_loaded`` gives it a temp folder and publishes it
(lock, verification, stamp, atomic swap: see ``stageio``).

Memory is bounded whatever the release size: CSVs are streamed in blocks, and duplicate tweet ids are
found by spilling ``(tweetid, partition, row)`` to hash buckets on disk and de-duplicating one bucket at a
time (the same shuffle a distributed engine would do).
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

from . import progress, schema
from .discover import ArchiveFile, Release
from .errors import ArchiveError
from .reader import iter_batches, read_header

PART_ROWS = 250_000
N_BUCKETS = 32
_BUCKET_SCHEMA = pa.schema([("tweetid", pa.string()), ("part", pa.int32()), ("row", pa.int64())])


@dataclass
class _TweetStats:
    """Streaming accumulators for the load report."""

    rows: int = 0
    first: pd.Timestamp | None = None
    last: pd.Timestamp | None = None
    retweets: int = 0
    retweets_without_userid: int = 0
    lossy: Counter = field(default_factory=Counter)
    users: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)
    flags: Counter = field(default_factory=Counter)  # repairs made by the reader's field parsers, by name

    def add(self, t: pa.Table) -> None:
        self.rows += t.num_rows
        mm = pc.min_max(t["tweet_time"]).as_py()
        if mm["min"] is not None:
            self.first = min(filter(None, [self.first, pd.Timestamp(mm["min"])]))
            self.last = max(filter(None, [self.last, pd.Timestamp(mm["max"])]))
        rt = pc.fill_null(t["is_retweet"], False)
        self.retweets += pc.sum(rt).as_py() or 0
        self.retweets_without_userid += pc.sum(pc.and_(rt, pc.is_null(t["retweet_userid"]))).as_py() or 0
        for c in schema.LOSSY_ID_COLUMNS:
            self.lossy[c] += pc.sum(t[f"{c}_is_lossy"]).as_py() or 0
        for col, counter in (("userid", self.users), ("tweet_language", self.languages)):
            vc = pc.value_counts(pc.fill_null(t[col], "")).to_pylist()
            counter.update({d["values"]: d["counts"] for d in vc})


class _PartWriter:
    """Streams tweet batches into Parquet partitions and spills their ids to hash buckets.

    Each batch is written as it arrives (one row group per batch), so memory is bounded by the reader's
    block size, not by the partition or file size.
    """

    def __init__(self, folder: Path, n_buckets: int, part_rows: int):
        self.folder, self.part_rows = folder, part_rows
        self.n = 0  # partitions closed so far
        self.rows_in_part = 0
        self.writer: pq.ParquetWriter | None = None
        (folder / "tweets").mkdir(parents=True)
        (folder / "_buckets").mkdir()
        self.buckets = [
            ipc.new_stream(str(folder / "_buckets" / f"{b:03d}.arrow"), _BUCKET_SCHEMA) for b in range(n_buckets)
        ]

    def part_path(self, i: int) -> Path:
        return self.folder / "tweets" / f"part-{i:05d}.parquet"

    def write(self, table: pa.Table) -> None:
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.part_path(self.n), table.schema, compression="zstd")
        self.writer.write_table(table)
        ids = table["tweetid"].to_numpy(zero_copy_only=False)
        bucket = pd.util.hash_array(ids.astype(object)) % len(self.buckets)
        rows = np.arange(self.rows_in_part, self.rows_in_part + len(ids), dtype=np.int64)
        frame = pa.table({"tweetid": table["tweetid"], "part": pa.array(np.full(len(ids), self.n, np.int32)),
                          "row": pa.array(rows)}, schema=_BUCKET_SCHEMA)
        order = np.argsort(bucket, kind="stable")
        sorted_frame, sorted_bucket = frame.take(order), bucket[order]
        bounds = np.searchsorted(sorted_bucket, np.arange(len(self.buckets) + 1))
        for b in np.unique(sorted_bucket):
            self.buckets[b].write_table(sorted_frame.slice(bounds[b], bounds[b + 1] - bounds[b]))
        self.rows_in_part += len(ids)
        if self.rows_in_part >= self.part_rows:
            self.close_part()

    def close_part(self) -> None:
        """End the current partition (partitions never span two source files)."""
        if self.writer is not None:
            self.writer.close()
            self.writer, self.rows_in_part = None, 0
            self.n += 1

    def deduplicate(self) -> tuple[int, list[str]]:
        """Drop every repeat of a tweet id after its first occurrence; return (count, examples)."""
        self.close_part()
        for w in self.buckets:
            w.close()
        drops: dict[int, list[int]] = {}
        examples: list[str] = []
        n_dropped = 0
        for path in sorted((self.folder / "_buckets").glob("*.arrow")):
            with pa.memory_map(str(path)) as src:
                df = ipc.open_stream(src).read_all().to_pandas()
            if df.empty:
                continue
            dup = df.sort_values(["part", "row"], kind="stable").duplicated("tweetid", keep="first")
            if dup.any():
                d = df.loc[dup[dup].index]
                n_dropped += len(d)
                examples.extend(d["tweetid"].head(max(0, 5 - len(examples))).tolist())
                for part, rows in d.groupby("part")["row"]:
                    drops.setdefault(int(part), []).extend(rows.tolist())
        shutil.rmtree(self.folder / "_buckets")
        for part, rows in drops.items():
            path, tmp = self.part_path(part), self.part_path(part).with_suffix(".tmp")
            src = pq.ParquetFile(path)
            drop = np.sort(np.asarray(rows, dtype=np.int64))
            with pq.ParquetWriter(tmp, src.schema_arrow, compression="zstd") as out:
                start = 0
                for batch in src.iter_batches(batch_size=65_536):
                    idx = np.arange(start, start + batch.num_rows)
                    out.write_batch(batch.filter(pa.array(~np.isin(idx, drop))))
                    start += batch.num_rows
            tmp.replace(path)
        return n_dropped, sorted(examples)


def _load_users(files: list[ArchiveFile], flags: Counter | None = None) -> tuple[pa.Table, int, dict[str, int]]:
    """All users files of a release, de-duplicated by userid (they are small: one row per account)."""
    per_file = {f.key: list(iter_batches(f, flags=flags)) for f in files}
    rows = {name: sum(t.num_rows for t in ts) for name, ts in per_file.items()}
    tables = [t for ts in per_file.values() for t in ts]
    if not tables:
        return schema.USERS_SCHEMA.empty_table(), 0, rows
    users = pa.concat_tables(tables).to_pandas()
    before = len(users)
    users = users.drop_duplicates("userid", keep="first")
    return pa.Table.from_pandas(users, schema=schema.USERS_SCHEMA, preserve_index=False), before - len(users), rows


def load_release(release: Release, out: Path, part_rows: int = PART_ROWS, n_buckets: int = N_BUCKETS) -> dict:
    """Read every file of ``release`` into typed Parquet under ``out``, a new or empty folder."""
    tmp = out  # the stage's temp folder
    tmp.mkdir(parents=True, exist_ok=True)
    if any(tmp.iterdir()):
        raise FileExistsError(f"{tmp} is not empty; load_release writes into a new folder")
    users, dup_users, user_rows = _load_users(release.users, flags=(user_flags := Counter()))
    pq.write_table(users, tmp / "users.parquet", compression="zstd")

    writer, stats, file_reports = _PartWriter(tmp, n_buckets, part_rows), _TweetStats(), []
    for f in release.tweets:
        header = read_header(f)
        rows = 0
        for batch in iter_batches(f, flags=stats.flags):
            stats.add(batch)
            rows += batch.num_rows
            writer.write(batch)
        writer.close_part()
        file_reports.append({"file": f.name, "kind": "tweets", "rows": rows, "columns": header.variant})
        progress.step(f"read {f.name} ({rows} tweets)")
    for f in release.users:
        variant = read_header(f).variant
        file_reports.append({"file": f.name, "kind": "users", "rows": user_rows[f.key], "columns": variant})
    if stats.rows == 0:
        raise ArchiveError(release.tweets[0].path, f"release {release.release} has no tweets (only headers)")
    n_dup, dup_examples = writer.deduplicate()

    known = set(users.column("userid").to_pylist())
    report = {
        "release": release.release,
        "files": file_reports,
        "users": users.num_rows,
        "duplicate_users_dropped": dup_users,
        "tweets_read": stats.rows,
        "duplicate_tweets_dropped": n_dup,
        "duplicate_tweet_examples": dup_examples,
        "tweets": stats.rows - n_dup,
        "tweeting_accounts": len(stats.users),
        "tweets_from_unlisted_accounts": sum(n for u, n in stats.users.items() if u not in known),
        "first_tweet": stats.first.isoformat() if stats.first is not None else None,
        "last_tweet": stats.last.isoformat() if stats.last is not None else None,
        "retweets": stats.retweets,
        "retweets_without_retweet_userid": stats.retweets_without_userid,
        "lossy_float_ids": dict(stats.lossy),
        "data_quality_flags": dict(sorted((user_flags + stats.flags).items())),
        "languages": dict(stats.languages.most_common(10)),
        "partitions": writer.n,
    }
    (tmp / "load_report.json").write_text(json.dumps(report, indent=2, sort_keys=True))
    return report
