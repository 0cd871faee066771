"""Multilingual tokenization for topic models.

Chinese, Japanese, Thai, Lao, Khmer and Burmese are written without spaces between words: a word-regex
tokenizer turns a whole run of such text into one token (or, for scripts whose vowels are combining marks,
into fragments), so every tweet becomes its own "word" and topic models put nearly all of them in the outlier
class. Here runs of those scripts go to a word segmenter, and everything else (Latin, Cyrillic, Turkish,
Arabic …) is split into words by a Unicode regex (``jieba.lcut`` on Cyrillic would split it into characters):

- CJK runs of a text without kana (Chinese): ``jieba`` (its bundled dictionary + HMM), as before;
- CJK runs of a text with kana (Japanese), and Thai, Lao, Khmer and Myanmar (Burmese) runs: ICU's word
  break iterator (``icu4py.breakers.WordBreaker``), whose dictionaries cover exactly these languages.

Why ICU through ``icu4py``: one segmenter for five languages, dictionary-based (longest match), so the same
text gives the same words on every machine; its wheels (MIT; ICU under the Unicode licence, about 16 MB,
for Linux x86-64/aarch64, macOS and Windows) bundle ICU 78.3 with its data, so nothing depends on the system's
ICU and nothing is downloaded at run time. PyICU, the older binding, ships no wheels (it needs the system's
ICU headers); the per-language alternatives (pythainlp's newmm for Thai, 22 MB; fugashi + unidic-lite or
sudachipy + sudachidict_core for Japanese, 50-70 MB of dictionaries) would add a package per language and
leave Lao, Khmer and Burmese without a well-kept offline segmenter. ICU's Japanese segmentation is not a
morphological analysis (no lemmas: 発表しました gives 発表 / しま / した), which is enough for a bag of words
whose stop words (``stopwordsiso``'s Japanese list) drop the particles and endings.

Stop words come from ``stopwordsiso`` for every language asked for (it has none for Lao, Khmer or Burmese).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

# CJK unified ideographs (+ extension A, compatibility) and Japanese kana.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff"
_KANA_LETTER = r"(?=[^\W\d_])[\u3040-\u30ff]"  # a kana letter (not ・ ゠ ゛ or a combining mark): Japanese
_KANA = re.compile(_KANA_LETTER)
# Scripts written without spaces between words that ICU segments (their vowels and tones are often combining
# marks, which the word regex would split at): Thai, Lao, Khmer (+ symbols), Myanmar (+ extensions A, B).
_UNSPACED_BLOCKS = {
    "thai": ((0x0E00, 0x0E7F),),
    "lao": ((0x0E80, 0x0EFF),),
    "khmer": ((0x1780, 0x17FF), (0x19E0, 0x19FF)),
    "myanmar": ((0x1000, 0x109F), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F)),
}


def _block_class(blocks: tuple[tuple[int, int], ...], word_chars: bool = False) -> str:
    """The body of a regex character class: the code point ``blocks`` (``word_chars``: only their letters and
    combining marks; their digits and punctuation separate words as any other digit or punctuation does)."""
    if not word_chars:
        return "".join(f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in blocks)
    return "".join(chr(c) for lo, hi in blocks for c in range(lo, hi + 1) if unicodedata.category(chr(c))[0] in "LM")


_UNSPACED = {name: _block_class(blocks) for name, blocks in _UNSPACED_BLOCKS.items()}
_UNSPACED_WORD = {name: _block_class(blocks, word_chars=True) for name, blocks in _UNSPACED_BLOCKS.items()}
# one alternative per segmented script: a maximal run of its (word) characters, named after the script
_RUN = re.compile("|".join(f"(?P<{name}>[{chars}]+)" for name, chars in {"cjk": _CJK, **_UNSPACED_WORD}.items()))
_ANY_RUN = re.compile(f"[{_CJK}{''.join(_UNSPACED_WORD.values())}]")  # one character of any ``_RUN``: cheap to look for
_WORD = re.compile(r"[^\W\d_]{2,}(?:['’][^\W\d_]+)?")  # letters only, >= 2 of them
_CJK_TOKEN = re.compile(f"^[{_CJK}]+$")
SEGMENT_CACHE = 1 << 16  # segmented runs remembered (``_segment``): a few MB
_LETTER = r"[^\W\d_]"  # what ``_WORD`` is made of
# a word ICU found that is kept: characters of its run's script with a letter; >= 2 code points in the
# scripts of _UNSPACED (a lone consonant is a particle, or a repetition mark such as ๆ)
_KEEP = {"japanese": re.compile(f"(?=.*{_LETTER})[{_CJK}]+"),
         **{name: re.compile(f"(?=.*{_LETTER})[{chars}]{{2,}}") for name, chars in _UNSPACED_WORD.items()}}
ICU_LOCALE = {"japanese": "ja", "thai": "th", "lao": "lo", "khmer": "km", "myanmar": "my"}
# one character the tokenizer only ever splits at: not a letter, not an apostrophe (it joins words), not in
# a run of a segmented script (the segmenters see whole runs, whatever their characters)
_SEPARATOR = f"(?![{_CJK}{''.join(_UNSPACED_WORD.values())}'’])[\\W\\d_]"
_SEPARATORS = re.compile(f"(?:{_SEPARATOR})+")
SCRIPT_BITS = 15  # bits of ``_char_tables`` that hold the script (so <= 15 scripts); above them:
LETTER, SEPARATOR, KANA = 16, 32, 64
CHUNK = 1 << 16  # texts per vectorised pass of ``describe`` (bounds its memory)

DEFAULT_STOP_LANGUAGES = ("en", "zh", "ru", "tr", "ar", "de", "es", "fr", "ja", "th")

# Scripts used to split a release into groups that share a vocabulary (see ``script_of``); new ones go last
# (ties between scripts go to the one listed first).
SCRIPTS = {
    "cjk": _CJK,
    "cyrillic": "\u0400-\u04ff",
    "arabic": "\u0600-\u06ff\u0750-\u077f",
    "latin": "a-zA-Z\u00c0-\u024f",
    **_UNSPACED,
}
UNSPACED_GROUPS = ("cjk", *_UNSPACED)  # any character of these scripts decides a text's group
JAPANESE = "japanese"  # the group of ``cjk`` texts with a kana letter


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


@lru_cache(maxsize=1)
def segmenters() -> str:
    """The segmenters and their versions (part of ``Tokenizer``'s repr, so of the embedding-cache key)."""
    from importlib.metadata import version

    import icu4py

    return f"jieba {version('jieba')}, icu {icu4py.icu_version}"


def segment(run: str, script: str) -> list[str]:
    """The words of a run of one segmented script (``cjk``: Chinese, ``japanese``: CJK of a text with kana,
    or a key of ``_UNSPACED``), without digits and punctuation."""
    return list(_segment(run, script))


@lru_cache(maxsize=SEGMENT_CACHE)
def _segment(run: str, script: str) -> tuple[str, ...]:
    """``segment``, remembered: BERTopic tokenizes every fitted text again in its c-TF-IDF documents, twice
    (before and after topic reduction), and segmenting is deterministic."""
    if script == "cjk":
        return tuple(t for t in _jieba().lcut(run, HMM=True) if _CJK_TOKEN.match(t))
    from icu4py.breakers import WordBreaker

    keep = _KEEP[script]
    return tuple(w for w in WordBreaker(run, ICU_LOCALE[script]) if keep.fullmatch(w))


class Tokenizer:
    """Callable ``text -> list[str]`` for scikit-learn vectorizers (pass ``lowercase=False``).

    Runs of CJK, Thai, Lao, Khmer and Myanmar characters are segmented into words (``segment``: CJK runs as
    Japanese when the text has a kana letter, else as Chinese), other text split into letter words of >= 2
    characters; stop words, digits and punctuation are dropped.
    """

    def __init__(self, languages: Iterable[str] = DEFAULT_STOP_LANGUAGES):
        self.languages = tuple(sorted(set(languages)))
        self.stop = stop_words(self.languages)

    def __call__(self, text: str) -> list[str]:
        text = text.lower()
        if not _ANY_RUN.search(text):  # most texts: nothing to segment (what the loop below returns, 3x faster)
            return [t for t in _WORD.findall(text) if t not in self.stop]
        cjk = JAPANESE if _KANA.search(text) else "cjk"
        tokens: list[str] = []
        pos = 0
        for m in _RUN.finditer(text):
            tokens += _WORD.findall(text, pos, m.start())
            tokens += segment(m.group(), cjk if m.lastgroup == "cjk" else str(m.lastgroup))
            pos = m.end()
        tokens += _WORD.findall(text, pos)
        return [t for t in tokens if t not in self.stop]

    def __repr__(self) -> str:  # stable for a given environment: part of the embedding-cache key
        return f"Tokenizer(languages={self.languages}, segmenters={segmenters()!r})"


def token_key(text: str) -> str:
    """``text`` with every run of separators (digits, punctuation, emoji, white space) made one space.

    ``Tokenizer()(token_key(t)) == Tokenizer()(t)`` for every text: a space is a separator wherever a digit
    or an emoji is, and letters, apostrophes and runs of segmented scripts are kept as they are. So texts that
    differ only there ("... 12", "... 😊", "... !!!") have one key and one embedding: they are embedded once.
    """
    return _SEPARATORS.sub(" ", text).strip()


def script_of(texts: pd.Series) -> pd.Series:
    """The script group of each text: ``cjk``, ``japanese``, ``cyrillic``, ``arabic``, ``latin``, ``thai``,
    ``lao``, ``khmer``, ``myanmar`` or ``none``.

    Any character of a script written without spaces (``UNSPACED_GROUPS``) makes a text that script's (the most
    frequent of them): mixed zh/en tweets are Chinese tweets with a hashtag, and so are Thai ones. A ``cjk``
    text with a kana letter is ``japanese``. Other texts take their most frequent script; ties go to the
    script listed first in ``SCRIPTS``.
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
    code = _char_tables()[cps]  # script id (1 + index in SCRIPTS, 0: none) | LETTER | SEPARATOR | KANA
    k = len(SCRIPTS) + 1
    counts = np.bincount(owner.astype(np.int64) * k + (code & SCRIPT_BITS), minlength=n * k).reshape(n, k)[:, 1:]
    names = np.array(list(SCRIPTS), dtype=object)
    group = np.where(counts.max(axis=1) > 0, names[counts.argmax(axis=1)], "none")
    unspaced = [list(SCRIPTS).index(s) for s in UNSPACED_GROUPS]
    group = np.where(counts[:, unspaced].max(axis=1) > 0, names[unspaced][counts[:, unspaced].argmax(axis=1)], group)
    kana = np.bincount(owner[(code & KANA) > 0], minlength=n) > 0
    group = np.where(kana & (group == "cjk"), JAPANESE, group)
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
    ``SEPARATOR`` (``_SEPARATOR``) | ``KANA`` (``_KANA_LETTER``), from Python's ``re`` on the one-character
    strings of all of Unicode."""
    every = "".join(map(chr, range(0x110000)))

    def table(pattern: str) -> np.ndarray:
        out = np.zeros(0x110000, dtype=bool)
        out[[m.start() for m in re.finditer(pattern, every)]] = True
        return out

    code = np.zeros(0x110000, dtype=np.uint8)
    for i, chars in enumerate(SCRIPTS.values(), start=1):  # the ranges do not overlap
        code[table(f"[{chars}]")] = i
    for bit, pattern in ((LETTER, _LETTER), (SEPARATOR, _SEPARATOR), (KANA, _KANA_LETTER)):
        code[table(pattern)] |= bit
    return code
