"""Multilingual tokenization for topic models.

Chinese has no spaces: a word-regex tokenizer turns a whole Chinese tweet into one token, so every
Chinese tweet becomes its own "word" and topic models put nearly all of them in the outlier class.
Here only runs of CJK characters go to ``jieba``; everything else (Latin, Cyrillic, Turkish, Arabic …)
is split into words by a Unicode regex (``jieba.lcut`` on Cyrillic would split it into characters).
Stop words come from ``stopwordsiso`` for every language asked for.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

# CJK unified ideographs (+ extension A, compatibility) and Japanese kana.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_WORD = re.compile(r"[^\W\d_]{2,}(?:['’][^\W\d_]+)?")  # letters only, >= 2 of them
_CJK_TOKEN = re.compile(f"^[{_CJK}]+$")
_LETTER = r"[^\W\d_]"  # what ``_WORD`` is made of
# one character the tokenizer only ever splits at: not a letter, not an apostrophe (it joins words), not in
# the CJK ranges (jieba sees whole CJK runs, whatever their characters)
_SEPARATOR = f"(?![{_CJK}'’])[\\W\\d_]"
_SEPARATORS = re.compile(f"(?:{_SEPARATOR})+")
LETTER, SEPARATOR = 8, 16  # bits of ``_char_tables`` (below them: the script)
CHUNK = 1 << 16  # texts per vectorised pass of ``describe`` (bounds its memory)

DEFAULT_STOP_LANGUAGES = ("en", "zh", "ru", "tr", "ar", "de", "es", "fr", "ja")

# Scripts used to split a release into groups that share a vocabulary (see ``script_of``).
SCRIPTS = {
    "cjk": _CJK,
    "cyrillic": "\u0400-\u04ff",
    "arabic": "\u0600-\u06ff\u0750-\u077f",
    "latin": "a-zA-Z\u00c0-\u024f",
}


@lru_cache(maxsize=1)
def _jieba():  # imported lazily; its logger would print "Building prefix dict ..." on stderr
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


@lru_cache(maxsize=8)
def stop_words(languages: tuple[str, ...] = DEFAULT_STOP_LANGUAGES) -> frozenset[str]:
    """Union of the ``stopwordsiso`` lists of ``languages`` (unknown codes are skipped), lower-cased."""
    import stopwordsiso

    words: set[str] = set()
    for lang in languages:
        if stopwordsiso.has_lang(lang):
            words |= {w.lower() for w in stopwordsiso.stopwords(lang)}
    return frozenset(words)


class Tokenizer:
    """Callable ``text -> list[str]`` for scikit-learn vectorizers (pass ``lowercase=False``).

    CJK runs are segmented with jieba, other text split into letter words of >= 2 characters;
    stop words, digits and punctuation are dropped.
    """

    def __init__(self, languages: Iterable[str] = DEFAULT_STOP_LANGUAGES):
        self.languages = tuple(sorted(set(languages)))
        self.stop = stop_words(self.languages)

    def __call__(self, text: str) -> list[str]:
        text = text.lower()
        tokens: list[str] = []
        pos = 0
        for m in _CJK_RUN.finditer(text):
            tokens += _WORD.findall(text, pos, m.start())
            tokens += [t for t in _jieba().lcut(m.group(), HMM=True) if _CJK_TOKEN.match(t)]
            pos = m.end()
        tokens += _WORD.findall(text, pos)
        return [t for t in tokens if t not in self.stop]

    def __repr__(self) -> str:  # stable: part of the embedding-cache key
        return f"Tokenizer(languages={self.languages})"


def token_key(text: str) -> str:
    """``text`` with every run of separators (digits, punctuation, emoji, white space) made one space.

    ``Tokenizer()(token_key(t)) == Tokenizer()(t)`` for every text: a space is a separator wherever a digit
    or an emoji is, and letters, apostrophes and CJK runs are kept as they are. So texts that differ only
    there ("... 12", "... 😊", "... !!!") have one key and one embedding: they are embedded once.
    """
    return _SEPARATORS.sub(" ", text).strip()


def script_of(texts: pd.Series) -> pd.Series:
    """The dominant script of each text (``cjk``, ``cyrillic``, ``arabic``, ``latin`` or ``none``).

    Any CJK character makes a text ``cjk`` (mixed zh/en tweets are Chinese tweets with a hashtag); ties go to
    the script listed first in ``SCRIPTS``.
    """
    return pd.Series(describe(texts.fillna("").astype(str).tolist())[0], index=texts.index, dtype=str)


def has_letters(texts: pd.Series) -> np.ndarray:
    """True where a text contains at least one letter (empty / emoji-only tweets have none)."""
    return describe(texts.fillna("").astype(str).tolist())[1]


def describe(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(``script_of``, ``has_letters``, ``token_key``) of each text, vectorised over code points with numpy.

    The character classes are Python's ``re`` classes evaluated once per code point (``_char_tables``), so
    the results are those of the regular expressions, without a Python call per text and class.
    """
    scripts, letters, keys = [], [], []
    for start in range(0, len(texts), CHUNK):
        group, has, key = _describe(texts[start:start + CHUNK])
        scripts.append(group), letters.append(has), keys.append(key)
    if not scripts:
        return np.zeros(0, dtype=object), np.zeros(0, dtype=bool), np.zeros(0, dtype=object)
    return np.concatenate(scripts), np.concatenate(letters), np.concatenate(keys)


def _describe(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = len(texts)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    cps = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype="<u4")
    owner = np.repeat(np.arange(n, dtype=np.int32), lengths)
    code = _char_tables()[cps]  # script id (1 + index in SCRIPTS, 0: none) | LETTER | SEPARATOR
    k = len(SCRIPTS) + 1
    counts = np.bincount(owner.astype(np.int64) * k + (code & 7), minlength=n * k).reshape(n, k)[:, 1:]
    names = np.array(list(SCRIPTS), dtype=object)
    group = np.where(counts.max(axis=1) > 0, names[counts.argmax(axis=1)], "none")
    group = np.where(counts[:, 0] > 0, "cjk", group)  # SCRIPTS starts with cjk
    has = np.bincount(owner[(code & LETTER) > 0], minlength=n) > 0
    # token keys: a separator run becomes one space, except where it starts or ends its text (strip)
    sep = (code & SEPARATOR) > 0
    first = np.zeros(len(cps), dtype=bool)
    first[np.cumsum(lengths)[:-1][lengths[1:] > 0]] = True  # first code point of each non-empty text
    if len(cps):
        first[0] = True
    run_start = sep & ~first & ~np.concatenate(([True], sep[:-1]))
    kept = np.flatnonzero(~sep)  # the last kept code point of each text (-1: none); owner is sorted
    last = np.searchsorted(owner[kept], np.arange(n), side="right") - 1
    last_kept = np.where(last >= 0, np.append(kept, -1)[last], -1)
    last_kept = np.where(owner[np.maximum(last_kept, 0)] == np.arange(n), last_kept, -1) if len(cps) else last_kept
    keep = ~sep | (run_start & (np.arange(len(cps)) < last_kept[owner]))
    out = np.where(sep, np.uint32(32), cps)[keep]
    joined = out.astype("<u4").tobytes().decode("utf-32-le", "surrogatepass")
    ends = np.cumsum(np.bincount(owner[keep], minlength=n))
    keys = np.array([joined[a:b] for a, b in zip(np.concatenate(([0], ends[:-1])).tolist(), ends.tolist(),
                                                      strict=True)], dtype=object)
    return group.astype(object), has, keys


@lru_cache(maxsize=1)
def _char_tables() -> np.ndarray:
    """Per code point: its script (1 + index in ``SCRIPTS``, 0 for none) | ``LETTER`` (``_LETTER``) |
    ``SEPARATOR`` (``_SEPARATOR``), from Python's ``re`` on the one-character strings of all of Unicode."""
    every = "".join(map(chr, range(0x110000)))

    def table(pattern: str) -> np.ndarray:
        out = np.zeros(0x110000, dtype=bool)
        out[[m.start() for m in re.finditer(pattern, every)]] = True
        return out

    code = np.zeros(0x110000, dtype=np.uint8)
    for i, chars in enumerate(SCRIPTS.values(), start=1):  # the ranges do not overlap
        code[table(f"[{chars}]")] = i
    return code | np.where(table(_LETTER), LETTER, 0).astype(np.uint8) | np.where(table(_SEPARATOR), SEPARATOR,
                                                                                 0).astype(np.uint8)
