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


def script_of(texts: pd.Series) -> pd.Series:
    """The dominant script of each text (``cjk``, ``cyrillic``, ``arabic``, ``latin`` or ``none``).

    Any CJK character makes a text ``cjk`` (mixed zh/en tweets are Chinese tweets with a hashtag).
    """
    texts = texts.fillna("").astype(str)
    counts = pd.DataFrame({name: texts.str.count(f"[{chars}]") for name, chars in SCRIPTS.items()})
    out = counts.idxmax(axis=1).where(counts.max(axis=1) > 0, "none")
    return out.where(counts["cjk"] == 0, "cjk").astype(str)


def has_letters(texts: pd.Series) -> np.ndarray:
    """True where a text contains at least one letter (empty / emoji-only tweets have none)."""
    return texts.fillna("").str.contains(r"[^\W\d_]", regex=True).to_numpy(dtype=bool)
