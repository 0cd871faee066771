"""Bridge to ``coordination_network_toolkit`` (QUT DMRC), the reference implementation, and its emulation.

This module never imports the toolkit (a test/benchmark dependency only); it converts a processed
tweets table into the toolkit's input rows, so tests and benchmarks can feed both tools the same data,
and it reproduces the toolkit's inputs exactly (``toolkit=True`` of ``co_retweet`` / ``co_tweet``): its
``repost_id`` and its text preprocessor, vectorised with Arrow. The analysis never uses this mode.

Definitions compared (toolkit 1.5.2, ``compute_networks.py``):

* both use an inclusive window ``|t1 - t2| <= time_window`` and the directed weight
  ``count(distinct e_1.message_id)`` grouped by ``(user_1, user_2)``, including self-loops
  (``graph.py`` drops them on export unless ``loops=True``) and ``having weight >= min_edge_weight``
  per direction. ``co_network(..., directed=True, loops=True)`` returns exactly that table.
* co-retweet: the toolkit keys on ``repost_id``; we use ``retweet_tweetid`` and, by default, fall back
  to (retweeted account, normalised text) when the id is missing or was mangled by float export;
  ``toolkit=True`` disables the fallback.
* co-tweet: the toolkit compares every row without ``repost_id`` (originals, replies, quotes) after
  lower-casing, stripping ``@mentions`` and collapsing whitespace -- URLs and any literal "RT" stay, and
  empty texts (a tweet that was only a mention) all match each other. By default we compare
  ``text_norm`` (also without URLs and RT prefix) and skip empty texts; ``toolkit=True`` reproduces
  the toolkit (``toolkit_preprocess`` of ``tweet_text``).
* our default undirected edges take ``min(w(u->v), w(v->u))``; the toolkit keeps both directions.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .cooccurrence import Events, _arrow, _series, _subset, make_events, to_seconds


def toolkit_rows(tweets: pd.DataFrame) -> Iterator[tuple]:
    """Rows for ``coordination_network_toolkit.preprocess.preprocess_data``: ``(message_id, user_id,
    username, repost_id, reply_id, message, timestamp, urls)``. ``repost_id`` is the
    ``retweet_tweetid`` of retweets, timestamps are epoch seconds."""
    repost = tweets["retweet_tweetid"].where(tweets["tweet_kind"] == "retweet")
    cols = zip(tweets["tweetid"], tweets["userid"], tweets["userid"], repost.fillna(""),
               tweets["in_reply_to_tweetid"].fillna(""), tweets["tweet_text"].fillna(""),
               to_seconds(tweets["tweet_time"]), tweets["urls"], strict=True)
    for mid, uid, name, rep, rid, text, ts, urls in cols:
        yield (mid, uid, name, rep or None, rid or None, text, int(ts), list(urls) if urls is not None else [])


def write_toolkit_csv(tweets: pd.DataFrame, path: str) -> None:
    """The same rows as the toolkit's CSV input format (``compute_networks preprocess --format csv``)."""
    rows = pd.DataFrame(list(toolkit_rows(tweets)), columns=["message_id", "user_id", "username", "repost_id",
                                                             "reply_id", "message", "timestamp", "urls"])
    rows["urls"] = rows["urls"].map(" ".join)
    rows.to_csv(path, index=False)


# The toolkit's mention pattern ``@.*?(?=(?:\s|$))`` (module ``regex``) removes "@" and everything up to
# the next whitespace character of *that* module's ``\s``: Python's whitespace except \x1c-\x1f (which
# the ``re`` module's ``\s`` includes). Spelled out for ``re`` and for Arrow (RE2); tests check the set.
_REGEX_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_MENTION = re.compile("@[^" + _REGEX_SPACE + "]*")
_MENTION_RE2 = "@[^" + "".join(c if c == "-" else f"\\x{{{ord(c):x}}}" for c in _REGEX_SPACE) + "]*"


def toolkit_preprocess(text: str) -> str:
    """``coordination_network_toolkit.similarity.message_preprocessor`` re-implemented: lower-case,
    strip ``@mentions``, collapse whitespace. URLs and the ``RT @x:`` prefix are kept."""
    return " ".join(_MENTION.sub("", text.lower()).split())


@functools.cache
def _lower_differs() -> str:
    """An RE2 character class of the code points whose Arrow ``utf8_lower`` (simple case mapping, the
    Unicode version of Arrow's utf8proc) differs from Python's ``str.lower`` (full mapping, Python's
    Unicode version), plus capital sigma (Python lower-cases it by context). Computed once, on all
    code points, in C (about 0.1 s)."""
    cps = np.r_[np.arange(0xD800), np.arange(0xE000, 0x110000)].astype(np.uint32)
    cps = cps[(cps != 0x130) & (cps != 0x3A3)]  # İ -> "i̇" (two code points), Σ -> σ or ς
    text = cps.tobytes().decode("utf-32-le")
    py = np.frombuffer(text.lower().encode("utf-32-le"), dtype=np.uint32)
    ar = np.frombuffer(pc.utf8_lower(pa.array([text]))[0].as_py().encode("utf-32-le"), dtype=np.uint32)
    if len(py) == len(cps) == len(ar):
        bad = cps[py != ar]
    else:  # some mapping is not one code point to one: compare code point by code point
        low = pc.utf8_lower(pa.array([chr(c) for c in cps])).to_pylist()
        bad = np.array([c for c, a in zip(cps.tolist(), low, strict=True) if chr(c).lower() != a], dtype=np.uint32)
    return "[" + "".join(f"\\x{{{c:x}}}" for c in [0x130, 0x3A3, *bad.tolist()]) + "]"


# whitespace as Python's str.split() (and Arrow's utf8_split_whitespace) knows it, as an RE2 class body
_SPACE_RE2 = "".join(f"\\x{{{ord(c):x}}}" if c != "-" else c for c in _REGEX_SPACE + "\x1c-\x1f")
# a text whose whitespace " ".join(x.split()) would change: a run, an edge, anything but a plain space
_UNTIDY_RE2 = (f"^[{_SPACE_RE2}]|[{_SPACE_RE2}]$|[{_SPACE_RE2}][{_SPACE_RE2}]|"
               f"[{_SPACE_RE2.replace(chr(92) + 'x{20}', '')}]")


def _rows_with_byte(arr: pa.Array, byte: int) -> np.ndarray:
    """Boolean mask of the strings of ``arr`` holding ``byte`` (a memchr-speed scan of the data buffer;
    Arrow's ``match_substring`` is several times slower)."""
    off_type = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offsets = np.frombuffer(arr.buffers()[1], dtype=off_type)[arr.offset:arr.offset + len(arr) + 1]
    mask = np.zeros(len(arr), dtype=bool)
    if len(arr) == 0 or arr.buffers()[2] is None:
        return mask
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8)
    pos = np.flatnonzero(data[offsets[0]:offsets[-1]] == byte) + offsets[0]
    mask[np.searchsorted(offsets, pos, side="right") - 1] = True
    return mask


def _replace_rows(values: pa.Array, mask: np.ndarray, fn) -> pa.Array:
    """``values`` with the rows where ``mask`` holds replaced by ``fn`` of those rows."""
    if not mask.any():
        return values
    m = pa.array(mask)
    return pc.replace_with_mask(values, m, fn(values.filter(m)))


def toolkit_preprocess_arrow(texts: pa.ChunkedArray | pa.Array, keep: np.ndarray | None = None,
                             batch: int = 1 << 17) -> pa.ChunkedArray:
    """:func:`toolkit_preprocess` of every string of an Arrow array (of the rows where ``keep`` holds,
    if given), vectorised; nulls become empty texts, as ``fillna("")``.

    Lower-casing, mention stripping (only texts with an "@") and whitespace splitting (only texts
    whose whitespace is not already single inner spaces) run as Arrow kernels; Arrow's whitespace
    is exactly Python's ``str.split()`` whitespace (checked by the tests). Texts holding a code point
    that Arrow lower-cases differently from Python (see :func:`_lower_differs`; rare) are redone in
    Python, so the result always equals the toolkit's. Works ``batch`` rows at a time, so the
    intermediate copies stay small next to the result."""
    chunks = texts.chunks if isinstance(texts, pa.ChunkedArray) else [texts]
    out, start = [], 0
    for chunk in chunks:
        for a in range(0, len(chunk), batch):
            part = chunk.slice(a, batch)
            if keep is not None:
                part = part.filter(pa.array(keep[start + a:start + a + len(part)]))
            out.append(_preprocess_batch(part.fill_null("")))
        start += len(chunk)
    return pa.chunked_array(out, type=texts.type)


def _preprocess_batch(texts: pa.Array) -> pa.Array:
    sep = pa.scalar(" ", texts.type)
    out = pc.utf8_lower(texts)
    out = _replace_rows(out, _rows_with_byte(out, ord("@")),
                        lambda x: pc.replace_substring_regex(x, _MENTION_RE2, ""))
    out = _replace_rows(out, pc.match_substring_regex(out, _UNTIDY_RE2).fill_null(False).to_numpy(zero_copy_only=False),
                        lambda x: pc.binary_join(pc.utf8_split_whitespace(pc.utf8_trim_whitespace(x)), sep))
    odd = np.zeros(len(texts), dtype=bool)
    non_ascii = pc.invert(pc.string_is_ascii(texts)).fill_null(False)
    if pc.any(non_ascii).as_py():
        idx = pc.indices_nonzero(non_ascii).to_numpy()
        odd[idx] = pc.match_substring_regex(texts.take(idx), _lower_differs()).to_numpy(zero_copy_only=False)
    if not odd.any():
        return out
    redo = [None if v is None else toolkit_preprocess(v) for v in texts.filter(pa.array(odd)).to_pylist()]
    return pc.replace_with_mask(out, pa.array(odd), pa.array(redo, texts.type))


def toolkit_repost(tweets: pd.DataFrame) -> pd.Series:
    """The toolkit's ``repost_id`` as :func:`.toolkit.toolkit_rows` feeds it: ``retweet_tweetid`` of
    retweets, missing for other rows and for empty ids (the toolkit stores ``repost_id or None``)."""
    rep = tweets["retweet_tweetid"].where(tweets["tweet_kind"] == "retweet")
    return rep.where(rep != "")


def toolkit_co_tweet_events(tweets: pd.DataFrame) -> Events:
    """The toolkit's co-tweet input as events: every row without the toolkit's ``repost_id`` (see
    :func:`toolkit_rows`), text = :func:`toolkit_preprocess` of the published ``tweet_text`` (URLs kept,
    mentions stripped; vectorised with Arrow), empty texts included."""
    keep = toolkit_repost(tweets).isna().to_numpy()
    text = _arrow(tweets["tweet_text"])
    if text is None:  # not Arrow-backed: same thing, one Python call per distinct text
        codes, texts = pd.factorize(tweets["tweet_text"][keep].fillna(""))
        key = pd.Series(np.array([toolkit_preprocess(x) for x in texts], dtype=object)[codes])
    else:
        key = pd.Series(pd.array(toolkit_preprocess_arrow(text, keep), dtype="str"), copy=False)
    return make_events(_subset(_series(tweets["userid"]), keep), _subset(_series(tweets["tweetid"]), keep), key,
                       tweets["tweet_time"][keep])
