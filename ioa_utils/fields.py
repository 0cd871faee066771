"""Strict parsers for the typed columns of archive files (string Arrow arrays in, typed arrays out).

Every parser either returns a typed array, counting each repair it made in ``flags`` (e.g.
``flags["UTC offset converted"] += 3``), or raises :class:`FieldError` with the index of the first bad
value. The reader turns a ``FieldError`` into an ``ArchiveError`` naming file, record and column, and
prefixes the flag names with ``"<kind>.<column>: "`` for the load report. Nothing is dropped or changed
silently. The common, well-formed case is checked with Arrow kernels; Python only runs on rare values.

Per column class (see also data/README.md, "Field parsing"):

- ids: ASCII letters, digits and ``+/=._-`` (hashed ids are base64/hex, others decimal; float-written
  references such as ``1.198473762313818e+18`` pass and are flagged lossy by the reader). Surrounding white
  space is stripped (counted); anything else (internal white space, other characters) is an error.
- counts: ASCII decimal integers of 64 bits. ``12.0`` (written by a float column) is read as 12 (counted); a
  negative count, which Twitter never reports, becomes null (counted) rather than failing a whole release;
  overflow or any other text (``1.5``, ``1e3``, ``0x10``, white space) is an error.
- latitude/longitude: a finite number within [-90, 90] / [-180, 180], ``absent`` or empty; else an error.
- booleans: true/false in any letter case, or empty; else an error.
- tweet_time: ``YYYY-MM-DD HH:MM`` UTC. Seconds (``:SS``) are dropped (counted); an explicit offset
  (``Z``, ``UTC``, ``+05``, ``+0500``, ``+05:00``, optionally after a space) is converted to UTC (counted);
  anything else, including impossible dates such as Feb 30, is an error.
- account_creation_date: ``YYYY-MM-DD``; anything else is an error.
- lists: a Python list literal of strings (``[]``, ``['a', 'b']``, ``["it's"]``), or empty for none.
  Surrounding white space is stripped (counted); a bare string, set, dict, tuple, number, nested list,
  unquoted items, invalid escapes or anything ``ast.literal_eval`` rejects is an error.
"""

from __future__ import annotations

import ast
import warnings
from collections import Counter

import pyarrow as pa
import pyarrow.compute as pc

ID_PATTERN = r"^[A-Za-z0-9+/=._-]*$"
# Longest list field handed to ast.literal_eval (a tweet's hashtags/urls/mentions are far shorter); the
# parser also bounds nesting itself (SyntaxError), and every exception it can raise is caught.
MAX_LIST_CHARS = 100_000
COORDINATE_RANGE = {"latitude": 90.0, "longitude": 180.0}

_TIME_RE = r"^(?P<base>\d{4}-\d{2}-\d{2} \d{2}:\d{2})(?P<sec>:\d{2})?(?: ?(?P<off>Z|UTC|[+-]\d{2}(?::?\d{2})?))?$"
_STR_NULL = pa.scalar(None, pa.string())
_LIST = pa.list_(pa.string())
_UTC = pa.timestamp("s", tz="UTC")


class FieldError(ValueError):
    """A value of the wrong shape: ``index`` of the first bad value in the array, and what is wrong."""

    def __init__(self, index: int, problem: str):
        self.index, self.problem = index, problem
        super().__init__(f"value {index}: {problem}")


def _n(mask: pa.Array) -> int:
    return int(pc.sum(pc.cast(mask, pa.int64())).as_py() or 0)


def _first(mask: pa.Array) -> int:
    return int(pc.index(pc.fill_null(mask, False), True).as_py())


def _all(mask: pa.Array) -> bool:
    return pc.all(pc.fill_null(mask, False)).as_py() is not False


def _show(v: str, width: int = 80) -> str:
    return repr(v if len(v) <= width else v[:width] + "…")


def empty_to_null(arr: pa.Array, also: tuple[str, ...] = ()) -> pa.Array:
    mask = pc.equal(arr, "")
    for token in also:
        mask = pc.or_(mask, pc.equal(arr, token))
    return pc.if_else(mask, _STR_NULL, arr)


# --- ids ----------------------------------------------------------------------------------------------


def parse_id(arr: pa.Array, flags: Counter) -> pa.Array:
    """Ids as strings, empty -> null; see the module docstring for what an id may hold."""
    dec = pc.ascii_is_decimal(arr)  # most tweet ids; false for ""
    if not _all(dec):
        rest = pc.unique(pc.filter(arr, pc.invert(dec)))  # hashed user ids repeat: check each once
        if not _all(pc.match_substring_regex(rest, ID_PATTERN)):
            trimmed = pc.utf8_trim_whitespace(arr)
            bad = pc.invert(pc.match_substring_regex(trimmed, ID_PATTERN))
            if pc.any(bad).as_py():
                i = _first(bad)
                raise FieldError(i, f"{_show(arr[i].as_py())} is not an id (letters, digits and +/=._- only)")
            flags["surrounding white space stripped"] += _n(pc.not_equal(trimmed, arr))
            arr = trimmed
    return empty_to_null(arr)


# --- numbers and booleans -------------------------------------------------------------------------------


def parse_count(arr: pa.Array, flags: Counter) -> pa.Array:
    """Non-negative 64-bit counts; empty -> null."""
    s = empty_to_null(arr)
    if not _all(pc.or_kleene(pc.ascii_is_decimal(s), pc.is_null(s))):  # Arrow's cast alone also takes '0x1f'
        bad = pc.invert(pc.fill_null(pc.match_substring_regex(s, r"^-?[0-9]+(\.0*)?$"), True))
        if pc.any(bad).as_py():
            i = _first(bad)
            raise FieldError(i, f"{_show(s[i].as_py())} is not a whole number")
        whole = pc.fill_null(pc.match_substring(s, "."), False)  # "12.0", written by a float column
        if pc.any(whole).as_py():
            flags["float-written whole number read as integer"] += _n(whole)
            s = pc.if_else(whole, pc.replace_substring_regex(s, r"\.0*$", ""), s)
    try:
        out = pc.cast(s, pa.int64())
    except pa.ArrowInvalid:
        i = _first_bad_cast(s, pa.int64())
        raise FieldError(i, f"{_show(s[i].as_py())} is out of range for a 64-bit integer") from None
    low = pc.min(out).as_py()
    if low is not None and low < 0:
        neg = pc.less(out, 0)
        flags["negative count set to null"] += _n(neg)
        out = pc.if_else(neg, pa.scalar(None, pa.int64()), out)
    return out


def parse_coordinate(arr: pa.Array, flags: Counter, name: str) -> pa.Array:
    """Latitude/longitude in degrees; ``absent`` or empty -> null."""
    s = empty_to_null(arr, also=("absent",))
    limit = COORDINATE_RANGE[name]
    try:
        out = pc.cast(s, pa.float64())
    except pa.ArrowInvalid:
        out = None
    if out is not None:
        ok = pc.and_(pc.is_finite(out), pc.less_equal(pc.abs(out), limit))
        if _all(pc.or_kleene(ok, pc.is_null(out))):
            return out
    for i, v in enumerate(s.to_pylist()):
        if v is None:
            continue
        try:
            x = pc.cast(pa.array([v]), pa.float64())[0].as_py()
        except pa.ArrowInvalid:
            raise FieldError(i, f"{_show(v)} is not a number or 'absent'") from None
        if not abs(x) <= limit:  # also NaN
            raise FieldError(i, f"{_show(v)} is not a {name} (a finite number within ±{limit:g})")
    raise AssertionError("unreachable")


def parse_bool(arr: pa.Array, flags: Counter) -> pa.Array:
    """true/false in any letter case; empty -> null."""
    low = pc.utf8_lower(arr)
    is_true, is_false, empty = pc.equal(low, "true"), pc.equal(low, "false"), pc.equal(low, "")
    bad = pc.invert(pc.or_(pc.or_(is_true, is_false), empty))
    if pc.any(bad).as_py():
        i = _first(bad)
        raise FieldError(i, f"{_show(arr[i].as_py())} is not true/false")
    return pc.if_else(empty, pa.scalar(None, pa.bool_()), is_true)


# --- times ----------------------------------------------------------------------------------------------


def _first_bad_cast(s: pa.Array, typ: pa.DataType) -> int:
    """Index of the first value of ``s`` that Arrow cannot cast to ``typ`` (rare path, Python)."""
    for i, v in enumerate(s.to_pylist()):
        if v is not None:
            try:
                pc.cast(pa.array([v]), typ)
            except pa.ArrowInvalid:
                return i
    raise AssertionError("unreachable: the cast of the whole array failed")


def parse_date(arr: pa.Array, flags: Counter) -> pa.Array:
    """``YYYY-MM-DD``; empty -> null. Arrow's ISO-8601 cast is strict: fixed widths, real dates only."""
    s = empty_to_null(arr)
    try:
        return pc.cast(s, pa.date32())
    except pa.ArrowInvalid:
        i = _first_bad_cast(s, pa.date32())
        raise FieldError(i, f"{_show(s[i].as_py())} is not a date in the form YYYY-MM-DD") from None


def parse_minute_time(arr: pa.Array, flags: Counter) -> pa.Array:
    """``YYYY-MM-DD HH:MM`` UTC (timestamp[s, UTC]); seconds dropped and offsets converted, both counted."""
    s = empty_to_null(arr)
    # Arrow's ISO-8601 cast takes fixed-width fields and real dates/times only; of its forms, 16 characters
    # without a 'T' is exactly 'YYYY-MM-DD HH:MM'.
    if _all(pc.or_kleene(pc.equal(pc.binary_length(s), 16), pc.is_null(s))) and \
            not pc.any(pc.match_substring(s, "T")).as_py():
        try:
            return pc.cast(pc.cast(s, pa.timestamp("s")), _UTC)  # naive -> UTC relabels, no shift
        except pa.ArrowInvalid:
            pass
    return pc.cast(_time_variants(s, flags), _UTC)


def _time_variants(s: pa.Array, flags: Counter) -> pa.Array:
    """The rare path, still vectorised (a whole release may carry seconds or offsets)."""
    bad_time = "is not a time in the form YYYY-MM-DD HH:MM (optionally with :SS and a UTC offset such as +0500 or Z)"
    parts = pc.extract_regex(s, _TIME_RE)  # null where the value has no accepted shape
    unmatched = pc.and_(pc.is_null(parts), pc.is_valid(s))
    if pc.any(unmatched).as_py():
        i = _first(unmatched)
        raise FieldError(i, f"{_show(s[i].as_py())} {bad_time}")
    base, sec, off = (pc.struct_field(parts, k) for k in ("base", "sec", "off"))
    try:
        parsed = pc.cast(base, pa.timestamp("s"))
    except pa.ArrowInvalid:  # right shape, impossible date or time (Feb 30, 24:00)
        i = _first_bad_cast(base, pa.timestamp("s"))
        raise FieldError(i, f"{_show(s[i].as_py())} {bad_time}") from None
    seconds = pc.cast(pc.if_else(pc.equal(sec, ""), "0", pc.utf8_slice_codeunits(sec, 1, 3)), pa.int64())
    digits = pc.replace_substring(pc.if_else(pc.is_in(off, pa.array(["Z", "UTC"])), "+0000", off), ":", "")
    hh = pc.cast(pc.if_else(pc.equal(off, ""), "0", pc.utf8_slice_codeunits(digits, 1, 3)), pa.int64())
    mm = pc.cast(pc.if_else(pc.greater(pc.utf8_length(digits), 3), pc.utf8_slice_codeunits(digits, 3, 5), "0"),
                 pa.int64())
    ok = pc.and_(pc.less(seconds, 60), pc.and_(pc.less(hh, 24), pc.less(mm, 60)))
    bad = pc.and_(pc.invert(pc.fill_null(ok, False)), pc.is_valid(s))
    if pc.any(bad).as_py():
        i = _first(bad)
        raise FieldError(i, f"{_show(s[i].as_py())} {bad_time}")
    flags["seconds dropped (minute precision)"] += _n(pc.not_equal(sec, ""))
    flags["UTC offset converted to UTC"] += _n(pc.not_equal(off, ""))
    sign = pc.if_else(pc.starts_with(off, "-"), -1, 1)
    offset = pc.multiply(sign, pc.add(pc.multiply(hh, 3600), pc.multiply(mm, 60)))
    return pc.subtract(parsed, pc.cast(pc.fill_null(offset, 0), pa.duration("s")))


# --- lists ----------------------------------------------------------------------------------------------


def parse_repr_lists(arr: pa.Array, flags: Counter | None = None) -> pa.Array:
    """Python list literals of strings (``['a', 'b']``; ``[]`` or empty for none) -> list<string>.

    Each distinct value is parsed once (lists repeat: ``[]`` above all). Fast path, all Arrow: a value
    ``['…']`` with no double quote, backslash or control character whose single quotes are exactly those
    of its ``', '`` separators splits on them, which is what ``ast.literal_eval`` would return. Any other
    value goes through ``ast.literal_eval`` and must give a list of ``str``.
    """
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    flags = Counter() if flags is None else flags
    enc = pc.dictionary_encode(pc.fill_null(arr, ""))
    s, idx = enc.dictionary, enc.indices
    none = pc.or_(pc.equal(s, ""), pc.equal(s, "[]"))
    parts = pc.split_pattern(pc.utf8_slice_codeunits(s, 2, -2), "', '")
    framed = pc.and_(pc.starts_with(s, "['"), pc.ends_with(s, "']"))
    clean = pc.invert(pc.match_substring_regex(s, r'["\\\x00-\x1f]'))
    quotes_ok = pc.equal(pc.count_substring(s, "'"), pc.multiply(pc.list_value_length(parts), 2))
    simple = pc.or_(none, pc.and_(framed, pc.and_(clean, quotes_ok)))
    fast = pc.if_else(none, pa.scalar([], _LIST), parts)
    if not _all(simple):
        values = fast.to_pylist()
        stripped: list[int] = []
        for k in pc.indices_nonzero(pc.invert(simple)).to_pylist():
            v = s[k].as_py()
            try:
                values[k] = _literal_list(v)
            except ValueError as exc:
                raise FieldError(_first(pc.equal(idx, k)), f"{_show(v)} {exc}") from None
            if v != v.strip():
                stripped.append(k)
        fast = pa.array(values, _LIST)
        if stripped:
            flags["surrounding white space stripped"] += _n(pc.is_in(idx, pa.array(stripped, idx.type)))
    return pc.take(fast, idx)


def _literal_list(v: str) -> list[str]:
    text = v.strip()
    if text == "":
        return []
    if len(text) > MAX_LIST_CHARS:
        raise ValueError(f"is longer than {MAX_LIST_CHARS:,} characters, too long for a list field")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # an invalid escape such as '\\c' warns (a SyntaxError to come)
            parsed = ast.literal_eval(text)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError, Warning):
        raise ValueError("is not a Python list literal of strings (e.g. ['a', 'b'])") from None
    if not isinstance(parsed, list):
        name = type(parsed).__name__
        kind = "a set (its order would depend on the hash seed)" if isinstance(parsed, set | frozenset) else \
            f"{'an' if name[0] in 'aeiou' else 'a'} {name}"
        raise ValueError(f"is {kind}, not a list of strings")
    if not all(type(x) is str for x in parsed):
        raise ValueError("is a list whose items are not all strings")
    return parsed
