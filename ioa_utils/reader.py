"""Stream one official archive CSV into typed Arrow batches.

Columns are matched by header name. Fields are parsed as strings first (ids are never parsed as
numbers) and then typed column by column with Arrow compute kernels, so a file larger than memory is
read in fixed-size blocks. Problems raise :class:`~ioa_utils.errors.ArchiveError` naming the file (and
the data row where it can be found).
"""

from __future__ import annotations

import ast
import codecs
import csv
import io
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from . import schema
from .discover import ArchiveFile
from .errors import ArchiveError

# The CSV parser reads ahead a few dozen blocks (Python bytes when reading from a zip), so the block size,
# not the file size, sets the reader's memory; small blocks are then gathered into larger batches for
# typing and writing, which keeps per-batch overhead low. Measured on 4.8M generated tweets: 8 MB blocks
# typed one by one peaked at 704 MB; 1 MB blocks gathered into 16 MB batches peak far lower (see
# benchmarks/README.md).
BLOCK_SIZE = 1 << 20
BATCH_BYTES = 16 << 20

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
    try:
        with zipfile.ZipFile(f.path) as zf, zf.open(f.member) as fh:
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


def _empty_to_null(arr: pa.Array, also: tuple[str, ...] = ()) -> pa.Array:
    mask = pc.equal(arr, "")
    for token in also:
        mask = pc.or_(mask, pc.equal(arr, token))
    return pc.if_else(mask, pa.scalar(None, pa.string()), arr)


def _typed_int(arr: pa.Array, name: str, f: ArchiveFile, first_row: int) -> pa.Array:
    s = _empty_to_null(arr)
    try:
        return pc.cast(s, pa.int64())
    except pa.ArrowInvalid:
        as_float = pc.cast(s, pa.float64(), safe=False) if _all_numeric(s) else None
        if as_float is not None and pc.all(pc.equal(pc.floor(as_float), as_float)).as_py() in (True, None):
            return pc.cast(as_float, pa.int64())
        bad = _first_bad(s, pa.int64())
        raise ArchiveError(f.path, f"column {name}: {bad[1]!r} is not a whole number", first_row + bad[0]) from None


def _all_numeric(s: pa.Array) -> bool:
    ok = pc.match_substring_regex(s, r"^-?\d+(\.\d+)?([eE][+-]?\d+)?$")
    return bool(pc.all(pc.or_kleene(ok, pc.is_null(s))).as_py() in (True, None))


def _first_bad(s: pa.Array, typ: pa.DataType) -> tuple[int, str]:
    for i, v in enumerate(s.to_pylist()):
        if v is None:
            continue
        try:
            pc.cast(pa.array([v]), typ)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return i, v
    return 0, "?"


def _typed_float(arr: pa.Array, name: str, f: ArchiveFile, first_row: int) -> pa.Array:
    s = _empty_to_null(arr, also=("absent",))
    try:
        return pc.cast(s, pa.float64())
    except pa.ArrowInvalid:
        i, v = _first_bad(s, pa.float64())
        raise ArchiveError(f.path, f"column {name}: {v!r} is not a number or 'absent'", first_row + i) from None


def _typed_bool(arr: pa.Array, name: str, f: ArchiveFile, first_row: int) -> pa.Array:
    low = pc.utf8_lower(arr)
    is_true, is_false = pc.equal(low, "true"), pc.equal(low, "false")
    bad = pc.invert(pc.or_(pc.or_(is_true, is_false), pc.equal(low, "")))
    if pc.any(bad).as_py():
        i = pc.index(bad, True).as_py()
        raise ArchiveError(f.path, f"column {name}: {arr[i].as_py()!r} is not true/false", first_row + i)
    return pc.if_else(pc.equal(low, ""), pa.scalar(None, pa.bool_()), is_true)


def _typed_time(arr: pa.Array, name: str, fmt: str, typ: pa.DataType, f: ArchiveFile, first_row: int) -> pa.Array:
    s = _empty_to_null(arr)
    # Tolerate seconds where a release has them; the archive itself has minute precision.
    parsed = pc.strptime(pc.utf8_slice_codeunits(s, 0, len("2020-01-01 00:00")) if "%H" in fmt else s,
                         format=fmt, unit="s", error_is_null=True)
    bad = pc.and_(pc.is_null(parsed), pc.is_valid(s))
    if pc.any(bad).as_py():
        i = pc.index(bad, True).as_py()
        raise ArchiveError(f.path, f"column {name}: {s[i].as_py()!r} does not match {fmt}", first_row + i)
    if typ == pa.date32():
        return pc.cast(parsed, pa.date32())
    return pc.assume_timezone(parsed, "UTC") if pa.types.is_timestamp(typ) and typ.tz else parsed


def parse_repr_lists(arr: pa.Array) -> pa.Array:
    """Parse Python-repr lists of strings (``['a', 'b']``; ``[]`` or empty for none).

    Fast path: split on the ``', '`` separator when no item contains a quote or backslash; anything
    else (items Python wrote in double quotes, escapes) goes through ``ast.literal_eval``.
    """
    s = pc.fill_null(arr, "")
    s = pc.utf8_trim_whitespace(s)
    simple = pc.invert(pc.match_substring_regex(s, r'"|\\|^\[.*[^\]]$|^[^\[]'))
    simple = pc.or_(simple, pc.equal(s, ""))
    inner = pc.utf8_slice_codeunits(s, 2, -2)  # drop "['" and "']"
    parts = pc.split_pattern(inner, "', '")
    empty = pc.or_(pc.equal(s, "[]"), pc.equal(s, ""))
    fast = pc.if_else(empty, pa.scalar([], pa.list_(pa.string())), parts)
    if pc.all(simple).as_py():
        return fast
    values = fast.to_pylist()
    for i in pc.indices_nonzero(pc.invert(simple)).to_pylist():
        parsed = ast.literal_eval(s[i].as_py())
        values[i] = [str(x) for x in parsed]
    return pa.array(values, pa.list_(pa.string()))


def _lossy(arr: pa.Array) -> pa.Array:
    """True where an id was written as a float (``1.198473762313818e+18``) and lost precision."""
    return pc.fill_null(pc.match_substring_regex(arr, r"[.eE]"), False)


def type_batch(batch: pa.RecordBatch | pa.Table, f: ArchiveFile, first_row: int) -> pa.Table:
    """Turn a batch of string columns into the typed interim schema of its file kind."""
    target = schema.TWEETS_SCHEMA if f.kind == "tweets" else schema.USERS_SCHEMA
    cols: dict[str, pa.Array] = {}
    for name in target.names:
        typ = target.field(name).type
        if name in batch.schema.names:
            raw = batch.column(name)
        elif name == "poll_choices":
            cols[name] = pa.nulls(batch.num_rows, pa.string())
            continue
        else:
            continue  # derived below
        if name in schema.INT_COLUMNS:
            cols[name] = _typed_int(raw, name, f, first_row)
        elif name in schema.FLOAT_COLUMNS:
            cols[name] = _typed_float(raw, name, f, first_row)
        elif name in schema.BOOL_COLUMNS:
            cols[name] = _typed_bool(raw, name, f, first_row)
        elif name in schema.LIST_COLUMNS:
            cols[name] = parse_repr_lists(raw)
        elif name == "tweet_time":
            cols[name] = _typed_time(raw, name, "%Y-%m-%d %H:%M", typ, f, first_row)
        elif name == "account_creation_date":
            cols[name] = _typed_time(raw, name, "%Y-%m-%d", typ, f, first_row)
        else:
            cols[name] = _empty_to_null(raw) if name != "tweet_text" else raw
    if f.kind == "tweets":
        for c in schema.LOSSY_ID_COLUMNS:
            cols[f"{c}_is_lossy"] = _lossy(cols[c])
        cols["source_file"] = pa.array([f.name] * batch.num_rows, pa.string())
        cols["source_row"] = pa.array(range(first_row, first_row + batch.num_rows), pa.int64())
    return pa.Table.from_pydict({n: cols[n] for n in target.names}, schema=target)


# --- streaming --------------------------------------------------------------------------------------


def iter_batches(f: ArchiveFile, block_size: int = BLOCK_SIZE, batch_bytes: int = BATCH_BYTES) -> Iterator[pa.Table]:
    """Typed tables of consecutive rows of one archive CSV, about ``batch_bytes`` of parsed CSV at a time."""
    header = read_header(f)
    validate_header(f, header)
    row = 1  # data rows are numbered from 1, the header not counted
    with open_binary(f) as fh:
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
            pending: list[pa.RecordBatch] = []
            for batch in reader:
                pending.append(batch)
                if sum(b.nbytes for b in pending) >= batch_bytes:
                    yield _typed(pending, f, row)
                    row += sum(b.num_rows for b in pending)
                    pending = []
            if any(b.num_rows for b in pending):
                yield _typed(pending, f, row)
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
            raise diagnose(f, str(exc)) from None
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise ArchiveError(f.path, f"corrupt or truncated zip member {f.member} ({exc})") from exc


def _typed(batches: list[pa.RecordBatch], f: ArchiveFile, first_row: int) -> pa.Table:
    return type_batch(pa.Table.from_batches(batches).combine_chunks(), f, first_row)


def diagnose(f: ArchiveFile, arrow_message: str) -> ArchiveError:
    """Find the row behind a parse failure with Python's csv module (slow, only on the error path)."""
    with open_binary(f) as fh:
        text = io.TextIOWrapper(fh, encoding="utf-8", errors="surrogateescape", newline="")
        reader = csv.reader(text)
        header = next(reader, [])
        try:
            for i, rec in enumerate(reader, start=1):
                if any(_has_surrogate(v) for v in rec):
                    bad = next(v for v in rec if _has_surrogate(v))
                    sample = bad.encode("utf-8", "surrogateescape")[:60]
                    return ArchiveError(f.path, f"bytes that are not UTF-8 (near {sample!r}); "
                                        "re-save the file as UTF-8", i)
                if len(rec) != len(header):
                    return ArchiveError(f.path, f"{len(rec)} fields where the header has {len(header)}"
                                        " (truncated file or unbalanced quotes?)", i)
        except csv.Error as exc:
            return ArchiveError(f.path, f"malformed CSV ({exc})", reader.line_num)
    return ArchiveError(f.path, f"could not be parsed as CSV ({arrow_message})")


def _has_surrogate(v: str) -> bool:
    try:
        codecs.encode(v, "utf-8")
    except UnicodeEncodeError:
        return True
    return False
