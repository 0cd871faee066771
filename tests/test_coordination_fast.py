"""The vectorised paths of the coordination engine give exactly what the plain Python versions give:
Arrow text preprocessing vs the toolkit's ``message_preprocessor``, Arrow/int64 coding vs
``pd.factorize``, and the one-event-per-message pair counting vs a brute-force join."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from ioa_utils import coordination as co
from ioa_utils.coordination.cooccurrence import _as_int64, _codes, _one_event_per_message
from ioa_utils.coordination.toolkit import (
    _MENTION,
    _REGEX_SPACE,
    _lower_differs,
    toolkit_preprocess,
    toolkit_preprocess_arrow,
)

ALL = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
TRICKY = list("aB @#:/.xZ\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2003\u2028\u202f\u3000") + [
    "İ", "Σ", "ς", "中", "文", "É", "ß", "\u1c89", "\U00010d50", "ǅ", "ῼ", "\u0345", "Ω", "ﬃ", "😀", "ⅷ"]


def random_texts(n: int, seed: int = 0) -> list[str]:
    rng = np.random.default_rng(seed)
    out = ["".join(rng.choice(TRICKY, rng.integers(0, 16))) for _ in range(n)]
    return out + ["", " ", "   ", "@", "@ ", " @a b ", "ΣΑΣ", "ΑΣ b", "a\x1cb", "@x\x1cy z", "RT @u: Hi  there\n"]


def test_space_classes_match_the_modules():
    regex = pytest.importorskip("regex")  # the toolkit's regex engine
    space = {c for c in ALL if regex.match(r"\s", c)}
    assert {c for c in ALL if _MENTION.fullmatch("@" + c)} == set(ALL) - space
    assert {c for c in ALL if c.isspace()} - space == set("\x1c\x1d\x1e\x1f")
    assert space == set(_REGEX_SPACE.replace("\u2000-\u200a", "")) | {chr(c) for c in range(0x2000, 0x200B)}
    # Arrow splits on exactly Python's str.split() whitespace
    n = pc.list_value_length(pc.utf8_split_whitespace(pa.array(["a" + c + "b" for c in ALL]))).to_numpy()
    assert {c for c, k in zip(ALL, n, strict=True) if k == 2} == {c for c in ALL if c.isspace()}


def test_lower_differs_covers_every_code_point_arrow_lowers_differently():
    low = pc.utf8_lower(pa.array(ALL)).to_pylist()
    bad = [c for c, a in zip(ALL, low, strict=True) if a != c.lower()]
    flagged = pc.match_substring_regex(pa.array(bad), _lower_differs()).to_pylist()
    assert all(flagged) and "İ" in bad


def test_arrow_preprocessing_equals_the_toolkits():
    similarity = pytest.importorskip("coordination_network_toolkit.similarity")
    texts = random_texts(20_000)
    expected = [similarity.message_preprocessor(x) for x in texts]
    assert [toolkit_preprocess(x) for x in texts] == expected
    arr = pa.chunked_array([pa.array(texts[:7000], pa.large_string()), pa.array(texts[7000:], pa.large_string())])
    assert toolkit_preprocess_arrow(arr, batch=999).to_pylist() == expected
    # a mask, nulls (as fillna("")) and a sliced, plain-string array
    keep = np.arange(len(texts)) % 3 != 0
    with_null = pa.array([None, *texts], pa.string()).slice(1)
    got = toolkit_preprocess_arrow(with_null, keep).to_pylist()
    assert got == [e for e, k in zip(expected, keep, strict=True) if k]
    assert toolkit_preprocess_arrow(pa.array([None, "A  @b c"])).to_pylist() == ["", "a c"]


def test_int64_fast_path_only_for_canonical_integers():
    def ints(values):
        return _as_int64(pa.chunked_array([pa.array(values, pa.large_string())]))

    assert ints(["1", "10", "999999999999999999", "1000000000000000000", "-5", "0"]).tolist() == [
        1, 10, 999999999999999999, 10**18, -5, 0]
    for bad in (["007"], ["+7"], ["-0"], ["1 "], ["00"], ["1", "x"], ["1e3"], ["12345678901234567890123"], [None]):
        assert ints(bad) is None


@pytest.mark.parametrize("values", [["b", "a", "10", "9", "c", None], ["5", "30", "4", "100"]])
@pytest.mark.parametrize("sort", [False, True])
def test_arrow_codes_equal_pandas_factorize(values, sort):
    rng = np.random.default_rng(1)
    vals = rng.choice(np.array(values, dtype=object), 3000)
    chunked = pa.chunked_array([pa.array(vals[i:i + 700].tolist(), pa.large_string()) for i in range(0, 3000, 700)])
    codes, uniques = _codes(pd.Series(pd.array(chunked, dtype="str")), sort)
    ref_codes, ref_uniques = pd.factorize(pd.Series(vals, dtype=object), sort=sort)
    assert codes.tolist() == ref_codes.tolist()
    assert list(uniques) == list(ref_uniques)


@pytest.mark.parametrize("window", [0, 120, None])
def test_multi_key_messages_use_the_exact_message_path(window):
    # a message with several keys (URLs of one tweet) counts once per partner account
    rng = np.random.default_rng(3)
    n = 900
    t0 = pd.Timestamp("2020-01-01", tz="UTC")
    df = pd.DataFrame({"u": rng.integers(0, 25, n).astype(str), "m": rng.integers(0, 400, n).astype(str),
                       "k": rng.integers(0, 20, n).astype(str),
                       "t": t0 + pd.to_timedelta(rng.integers(0, 30, n) * 60, unit="s")})
    df = df.drop_duplicates("m").merge(df[["m", "k"]], on="m", suffixes=("_x", "")).drop(columns="k_x")
    df["u"], df["t"] = df.groupby("m")["u"].transform("first"), df.groupby("m")["t"].transform("first")
    ev = co.make_events(df["u"], df["m"], df["k"], df["t"])
    assert not _one_event_per_message(ev)
    got = co.directed_weights(ev, window, chunk_pairs=64)
    m = df.merge(df, on="k")
    if window is not None:
        m = m[(m["t_x"] - m["t_y"]).abs() <= pd.Timedelta(seconds=window)]
    brute = m.groupby(["u_x", "u_y"])["m_x"].nunique()
    assert {(a, b): w for a, b, w in got.itertuples(index=False)} == brute.to_dict()


def test_object_columns_give_the_same_networks_as_arrow_columns():
    from test_coordination_toolkit import random_tweets

    t = random_tweets(1500, seed=4)
    obj = t.astype({c: object for c in ("tweetid", "userid", "tweet_text", "retweet_tweetid", "tweet_kind")})
    for fn in (co.co_retweet, co.co_tweet):
        a = fn(t, window=120, min_weight=1, toolkit=True, directed=True, loops=True)
        b = fn(obj, window=120, min_weight=1, toolkit=True, directed=True, loops=True)
        rows = [list(x.itertuples(index=False, name=None)) for x in (a, b)]
        assert len(a) > 20 and rows[0] == rows[1]  # same edges, weights and order
