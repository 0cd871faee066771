"""Stream one official archive CSV into typed Arrow batches.

Columns are matched by header name. Fields are parsed as strings first (ids are never parsed as
numbers) and then typed column by column with Arrow compute kernels, so a file larger than memory is
read in fixed-size blocks. Problems raise :class:`~ioa_utils.errors.ArchiveError` naming the file and,
where they can be found, the record (data row, header not counted) and column. Field parsing is strict
(:mod:`ioa_utils.fields`): a value is either typed as written, repaired and counted in ``flags``, or refused.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import IO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from . import fields, schema
from .discover import ArchiveFile
from .errors import ArchiveError
from .fields import parse_repr_lists  # noqa: F401  (re-exported: part of the reader API)

# The CSV parser reads ahead a few dozen blocks (Python bytes when reading from a zip), so the block size,
# not the file size, sets the reader's memory; small blocks are then gathered into larger batches for
# typing and writing, which keeps per-batch overhead low. Measured on 4.8M generated tweets: 8 MB blocks
# typed one by one peaked at 704 MB; 1 MB blocks gathered into 16 MB batches peak far lower (see
# benchmarks/README.md).
BLOCK_SIZE = 1 << 20
BATCH_BYTES = 16 << 20
_MAX_FIELD = (1 << 31) - 1  # the largest csv.field_size_limit every platform accepts

# Headers of well-known CSVs that are *not* the official archive, to say what a file is instead.
_FOREIGN = {
    frozenset({"external_author_id", "author", "content"}): "FiveThirtyEight's IRA tweets dataset",
    frozenset({"id", "text", "created_at"}): "a Twitter API export",
}


@dataclass(frozen=True)
class Header:
    columns: tuple[str, ...]

    @property
    def variant(self) -> str:
        """A short description of the column layout, e.g. '31 columns, reply ids old order'."""
        if "in_reply_to_tweetid" not in self.columns:
            return f"{len(self.columns)} columns"
        old = self.columns.index("in_reply_to_tweetid") < self.columns.index("in_reply_to_userid")
        return f"{len(self.columns)} columns, reply ids {'old' if old else 'new'} order"


@contextmanager
def open_binary(f: ArchiveFile) -> Iterator[IO[bytes]]:
    """The raw bytes of an archive CSV, read-only, from disk or from inside a zip."""
    if f.member is None:
        with open(f.path, "rb") as fh:
            yield fh
        return
    try:  # by directory position when known: a zip may hold several members of the same name
        with zipfile.ZipFile(f.path) as zf, zf.open(f.member if f.index is None else zf.infolist()[f.index]) as fh:
            yield fh
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise ArchiveError(f.path, f"corrupt or truncated zip member {f.member} ({exc})") from exc


def read_header(f: ArchiveFile) -> Header:
    with open_binary(f) as fh:
        first = fh.readline()
        if not first.strip():
            raise ArchiveError(f.path, "empty file (no header row)" + (f" in member {f.member}" if f.member else ""))
        try:
            line = first.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ArchiveError(f.path, f"header is not UTF-8 ({exc})") from exc
    return Header(tuple(next(csv.reader([line]))))


def validate_header(f: ArchiveFile, header: Header) -> None:
    """Check the columns against the official layout of this file's kind."""
    expected = schema.TWEET_COLUMNS if f.kind == "tweets" else schema.USER_COLUMNS
    optional = schema.OPTIONAL_TWEET_COLUMNS if f.kind == "tweets" else ()
    cols = set(header.columns)
    missing = [c for c in expected if c not in cols]
    unknown = [c for c in header.columns if c not in expected and c not in optional]
    if missing:
        what = next((name for sig, name in _FOREIGN.items() if sig <= cols), None)
        hint = f"; this looks like {what}, not an official archive file" if what else ""
        raise ArchiveError(
            f.path,
            f"not an official {f.kind} file: missing required column(s) {', '.join(missing)}"
            f" (found {len(header.columns)}: {', '.join(header.columns[:8])}{'…' if len(header.columns) > 8 else ''})"
            + hint,
        )
    if unknown:
        raise ArchiveError(f.path, f"unknown column(s) {', '.join(unknown)} in a {f.kind} file")
    if len(cols) != len(header.columns):
        raise ArchiveError(f.path, "duplicate column names in header")


# --- typing -----------------------------------------------------------------------------------------

# Strict field parsers, one per column class (see ioa_utils/fields.py for what each accepts and repairs).
_PARSERS: dict[str, Callable[[pa.Array, Counter], pa.Array]] = {
    **{c: fields.parse_count for c in schema.INT_COLUMNS},
    **{c: partial(fields.parse_coordinate, name=c) for c in schema.FLOAT_COLUMNS},
    **{c: fields.parse_bool for c in schema.BOOL_COLUMNS},
    **{c: fields.parse_repr_lists for c in schema.LIST_COLUMNS},
    **{c: fields.parse_id for c in schema.ID_COLUMNS},
    "tweet_time": fields.parse_minute_time,
    "account_creation_date": fields.parse_date,
}


def _lossy(arr: pa.Array) -> pa.Array:
    """True where an id was written as a float (``1.198473762313818e+18``) and lost precision."""
    return pc.fill_null(pc.match_substring_regex(arr, r"[.eE]"), False)


def type_batch(batch: pa.RecordBatch | pa.Table, f: ArchiveFile, first_row: int,
               flags: Counter | None = None) -> pa.Table:
    """Turn a batch of string columns into the typed interim schema of its file kind.

    ``first_row`` is the record number of the batch's first row. A value of the wrong shape raises
    ``ArchiveError`` naming file, record and column; repairs are counted in ``flags`` under
    ``"<kind>.<column>: <repair>"``.
    """
    target = schema.TWEETS_SCHEMA if f.kind == "tweets" else schema.USERS_SCHEMA
    cols: dict[str, pa.Array] = {}
    for name in target.names:
        if name in batch.schema.names:
            raw = batch.column(name)
        elif name == "poll_choices":
            cols[name] = pa.nulls(batch.num_rows, pa.string())
            continue
        else:
            continue  # derived below
        parse = _PARSERS.get(name)
        if parse is None:
            cols[name] = fields.empty_to_null(raw) if name != "tweet_text" else raw
            continue
        found: Counter = Counter()
        try:
            cols[name] = parse(raw, found)
        except fields.FieldError as exc:
            raise ArchiveError(f.path, exc.problem, first_row + exc.index, column=name) from None
        if flags is not None:
            flags.update({f"{f.kind}.{name}: {what}": n for what, n in found.items() if n})
    if f.kind == "tweets":
        for c in schema.LOSSY_ID_COLUMNS:
            cols[f"{c}_is_lossy"] = _lossy(cols[c])
        cols["source_file"] = pa.array([f.name] * batch.num_rows, pa.string())
        cols["source_row"] = pa.array(range(first_row, first_row + batch.num_rows), pa.int64())
    return pa.Table.from_pydict({n: cols[n] for n in target.names}, schema=target)


# --- streaming --------------------------------------------------------------------------------------


def iter_batches(f: ArchiveFile, block_size: int = BLOCK_SIZE, batch_bytes: int = BATCH_BYTES,
                 flags: Counter | None = None) -> Iterator[pa.Table]:
    """Typed tables of consecutive rows of one archive CSV, about ``batch_bytes`` of parsed CSV at a time.

    Repairs made while typing are counted in ``flags`` (see :func:`type_batch`).
    """
    header = read_header(f)
    validate_header(f, header)
    row = 1  # record numbers: data rows from 1, the header not counted (a record may span several lines)
    with open_binary(f) as fh:
        pending: list[pa.RecordBatch] = []
        for batch in _csv_batches(f, fh, header, block_size):
            pending.append(batch)
            if sum(b.nbytes for b in pending) >= batch_bytes:
                yield _typed(pending, f, row, flags)
                row += sum(b.num_rows for b in pending)
                pending = []
        if any(b.num_rows for b in pending):
            yield _typed(pending, f, row, flags)


def _csv_batches(f: ArchiveFile, fh: IO[bytes], header: Header, block_size: int) -> Iterator[pa.RecordBatch]:
    """Record batches of string columns; only CSV, encoding and zip failures are reported here (as CSV
    problems), so an error raised while typing a batch is never mistaken for one."""
    try:
        reader = pacsv.open_csv(
            fh,
            read_options=pacsv.ReadOptions(block_size=block_size, use_threads=True),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in header.columns},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                return
            yield batch
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise diagnose(f, str(exc)) from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise ArchiveError(f.path, f"corrupt or truncated zip member {f.member} ({exc})") from exc


def _typed(batches: list[pa.RecordBatch], f: ArchiveFile, first_row: int, flags: Counter | None) -> pa.Table:
    return type_batch(pa.Table.from_batches(batches).combine_chunks(), f, first_row, flags)


def diagnose(f: ArchiveFile, arrow_message: str) -> ArchiveError:
    """Find the record behind a parse failure with Python's csv module (slow, only on the error path).

    Records are counted as the Arrow reader counts them: data rows from 1, blank lines skipped, a quoted
    field with newlines inside one record (not ``csv.reader.line_num``, which counts physical lines).
    """
    limit = csv.field_size_limit(_MAX_FIELD)  # Arrow has no field size limit; csv's default is 128 KiB
    try:
        return _diagnose(f, arrow_message)
    finally:
        csv.field_size_limit(limit)


def _diagnose(f: ArchiveFile, arrow_message: str) -> ArchiveError:
    with open_binary(f) as fh:
        text = io.TextIOWrapper(fh, encoding="utf-8", errors="surrogateescape", newline="")
        reader = csv.reader(text)
        header = next(reader, [])
        record = 0
        try:
            for rec in reader:
                if not rec:
                    continue  # a blank line, which Arrow skips too
                record += 1
                if any(_has_surrogate(v) for v in rec):
                    bad = next(v for v in rec if _has_surrogate(v))
                    sample = bad.encode("utf-8", "surrogateescape")[:60]
                    return ArchiveError(f.path, f"bytes that are not UTF-8 (near {sample!r}); "
                                        "re-save the file as UTF-8", record)
                if len(rec) != len(header):
                    return ArchiveError(f.path, f"{len(rec)} fields where the header has {len(header)}"
                                        " (truncated file or unbalanced quotes?)", record)
        except csv.Error as exc:
            return ArchiveError(f.path, f"malformed CSV ({exc})", record + 1)
    return ArchiveError(f.path, f"could not be parsed as CSV ({arrow_message})")


def _has_surrogate(v: str) -> bool:
    try:
        codecs.encode(v, "utf-8")
    except UnicodeEncodeError:
        return True
    return False
