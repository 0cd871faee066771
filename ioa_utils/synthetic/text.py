"""Tweet texts from topic templates: phrases + slot words + shared fillers + hashtags, URLs, mentions.

Vectorised: all random numbers of a call are drawn at once, every text is the concatenation of pieces
picked by index from a per-language string pool, joined by Arrow. List columns (hashtags, urls, mentions)
are carried as the Python reprs the official files hold (``"['a', 'b']"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .ids import external_userid
from .lexicon_campaign import CAMPAIGN_TOPICS
from .lexicon_common import FILLERS, JOINERS, ORGANIC_TOPICS, Topic
from .model import blank, objects, take_strings

TOPICS: dict[tuple[str, str], Topic] = {**CAMPAIGN_TOPICS, **ORGANIC_TOPICS}
_B62 = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", dtype=np.uint8)
_LOWER = np.arange(256, dtype=np.uint8)
_LOWER[ord("A"):ord("Z") + 1] += 32
MAX_TAGS = 4  # hashtags per tweet: 0..len(p_tags)-1


def one_item_reprs(items: np.ndarray) -> np.ndarray:
    """``repr([item])`` element-wise."""
    return objects([f"[{x!r}]" for x in items])


@cache
def mention_repr(handle: str) -> str:
    """The ``user_mentions`` repr of a mention of an account outside the release."""
    return repr([external_userid(handle)])


def prepend_item(items: np.ndarray, lists: np.ndarray) -> np.ndarray:
    """``repr([item] + list)`` for reprs of lists of strings, element-wise."""
    out = [f"[{i!r}, {x[1:]}" if x != "[]" else f"[{i!r}]" for i, x in zip(items, lists, strict=True)]
    return objects(out)


def append_item(lists: np.ndarray, items: np.ndarray) -> np.ndarray:
    """``repr(list + [item])`` for reprs of lists of strings, element-wise."""
    out = [f"{x[:-1]}, {i!r}]" if x != "[]" else f"[{i!r}]" for x, i in zip(lists, items, strict=True)]
    return objects(out)


@dataclass
class Texts:
    text: pa.Array  # one entry per tweet
    hashtags: np.ndarray  # object arrays of list reprs
    urls: np.ndarray
    mentions: np.ndarray  # numeric user ids, as in the real files

    def take(self, idx: np.ndarray) -> Texts:
        return Texts(take_strings(self.text, idx), self.hashtags[idx], self.urls[idx], self.mentions[idx])

    @staticmethod
    def gather(parts: list[tuple[np.ndarray, Texts]]) -> Texts:
        """Texts from parts, each given with the rows it fills (together 0..n-1 exactly once)."""
        if not parts:
            return Texts(pa.array([], type=pa.string()), blank(0), blank(0), blank(0))
        if len(parts) == 1:
            return parts[0][1]
        order = np.argsort(np.concatenate([rows for rows, _ in parts]), kind="stable")
        texts = [t for _, t in parts]
        return Texts(pa.concat_arrays([t.text for t in texts]), np.concatenate([t.hashtags for t in texts]),
                     np.concatenate([t.urls for t in texts]), np.concatenate([t.mentions for t in texts])).take(order)


class _Lexicon:
    """The topics of one language as index tables into one string pool (entry 0 is "")."""

    def __init__(self, lang: str) -> None:
        self.pool: list[str] = [""]
        self._ids: dict[str, int] = {"": 0}
        self.topics = {narr: k for k, narr in enumerate(narr for narr, lg in TOPICS if lg == lang)}
        topics = [TOPICS[(narr, lang)] for narr in self.topics]
        self.phrases = np.array([[self._id(s) for s in self._segments(p)] for t in topics for p in t.phrases])
        self.slots = np.array([p.count("{w}") for t in topics for p in t.phrases])
        self.n_phrases, self.phrase_off = self._table([len(t.phrases) for t in topics])
        self.words = np.array([self._id(w) for t in topics for w in t.words])
        self.n_words, self.word_off = self._table([len(t.words) for t in topics])
        self.n_hashtags, _ = self._table([len(t.hashtags) for t in topics])
        _, self.tag_off = self._table([len(t.hashtags) * MAX_TAGS for t in topics])
        combos = [(t.hashtags, s, k) for t in topics for s in range(len(t.hashtags)) for k in range(MAX_TAGS)]
        tags = [[h[(s + j) % len(h)] for j in range(min(k, len(h)))] for h, s, k in combos]
        self.tag_text = np.array([self._id(" " + " ".join("#" + x for x in tg) if tg else "") for tg in tags])
        self.tag_repr = objects([repr(tg) for tg in tags])
        openers, closers = FILLERS[lang]
        self.openers = np.array([self._id(s) for s in openers])
        self.closers = np.array([self._id(s) for s in closers])
        self.joiners = np.array([self._id(s) for s in JOINERS[lang]])
        self.arrow_pool = pa.array(self.pool, type=pa.string())

    @staticmethod
    def _segments(phrase: str) -> tuple[str, str, str]:
        """The text around the (at most two) ``{w}`` slots."""
        parts = phrase.split("{w}")
        if len(parts) > 3:
            raise ValueError(f"at most two slots per phrase: {phrase!r}")
        before, between, after, *_ = parts + ["", ""]
        return before, between, after

    @staticmethod
    def _table(sizes: list[int]) -> tuple[np.ndarray, np.ndarray]:
        n = np.array(sizes, dtype=np.int64)
        return n, np.concatenate([[0], np.cumsum(n)[:-1]]).astype(np.int64)

    def _id(self, s: str) -> int:
        if s not in self._ids:
            self._ids[s] = len(self.pool)
            self.pool.append(s)
        return self._ids[s]


@cache
def _lexicon(lang: str) -> _Lexicon:
    return _Lexicon(lang)


def _pick(u: np.ndarray, n: np.ndarray | int) -> np.ndarray:
    """``int(u * n)`` element-wise (the same float product as ``seq[int(u * len(seq))]``)."""
    return (u * n).astype(np.int64)


def _codes(u1: np.ndarray, u2: np.ndarray) -> np.ndarray:
    """10-character t.co codes, as bytes rows (least significant base-62 digit first, 5 per draw)."""
    out = np.empty((len(u1), 10), dtype=np.uint8)
    for half, u in enumerate((u1, u2)):
        x = (u * 62**5).astype(np.int64)
        for d in range(5):
            x, r = np.divmod(x, 62)
            out[:, half * 5 + d] = _B62[r]
    return out


def _ascii(rows: np.ndarray) -> np.ndarray:
    """Rows of ASCII bytes as strings."""
    width = rows.shape[1]
    return objects(np.ascontiguousarray(rows).view(f"S{width}").ravel().astype(f"U{width}"))


def _phrase_pieces(lex: _Lexicon, topic: np.ndarray, u_phrase: np.ndarray, u_w1: np.ndarray,
                   u_w2: np.ndarray) -> list[np.ndarray]:
    """Pool indices of seg0, word, seg1, word, seg2 of one phrase per row."""
    row = lex.phrase_off[topic] + _pick(u_phrase, lex.n_phrases[topic])
    seg = lex.phrases[row]
    word_n, word_off = lex.n_words[topic], lex.word_off[topic]
    w1 = np.where(lex.slots[row] >= 1, lex.words[word_off + _pick(u_w1, word_n)], 0)
    w2 = np.where(lex.slots[row] >= 2, lex.words[word_off + _pick(u_w2, word_n)], 0)
    return [seg[:, 0], w1, seg[:, 1], w2, seg[:, 2]]


def render(rng: np.random.Generator, narratives: np.ndarray, lang: str, *, domains: tuple[str, ...],
           handles: tuple[str, ...], p_url: float = 0.15, p_mention: float = 0.08,
           p_tags: tuple[float, ...] = (0.35, 0.4, 0.2, 0.05), p_two: float = 0.45) -> Texts:
    """One text per narrative, all in language ``lang``."""
    if len(p_tags) > MAX_TAGS:
        raise ValueError(f"at most {MAX_TAGS} hashtag-count probabilities")
    n = len(narratives)
    lex = _lexicon(lang)
    u = rng.random((n, 16))
    cum_tags = np.cumsum(p_tags)
    n_tags = np.searchsorted(cum_tags, u[:, 7] * cum_tags[-1], side="right")
    topic = np.array([lex.topics[x] for x in narratives], dtype=np.int64)
    two = u[:, 0] < p_two
    first = _phrase_pieces(lex, topic, u[:, 1], u[:, 2], u[:, 3])
    second = [np.where(two, p, 0) for p in _phrase_pieces(lex, topic, u[:, 5], u[:, 6], u[:, 13])]
    joiner = np.where(two, lex.joiners[_pick(u[:, 4], len(lex.joiners))], 0)
    tag_row = (lex.tag_off[topic] + _pick(u[:, 8], lex.n_hashtags[topic]) * MAX_TAGS
               + np.minimum(n_tags, lex.n_hashtags[topic]))
    pieces = [lex.openers[_pick(u[:, 14], len(lex.openers))], *first, joiner, *second,
              lex.closers[_pick(u[:, 15], len(lex.closers))], lex.tag_text[tag_row]]
    cols = [lex.arrow_pool.take(pa.array(p)) for p in pieces]
    mentions, urls = blank(n, "[]"), blank(n, "[]")
    if handles:
        has = np.flatnonzero(u[:, 12] < p_mention)
        hs = np.array(handles, dtype=object)[_pick(u[has, 11], len(handles))]
        mentions[has] = [mention_repr(h) for h in hs]
        cols.append(_sparse(n, has, " @" + hs))
    if domains:
        has = np.flatnonzero(u[:, 9] < p_url)
        code = _codes(u[has, 10], u[has, 11])
        dom = np.array(domains, dtype=object)[_pick(u[has, 10], len(domains))]
        number = _pick(u[has, 9], 1e6).astype(str).astype(object)
        urls[has] = one_item_reprs("https://" + dom + "/" + _ascii(_LOWER[code[:, :6]]) + number)
        cols.append(_sparse(n, has, " https://t.co/" + _ascii(code)))
    return Texts(pc.binary_join_element_wise(*cols, ""), lex.tag_repr[tag_row], urls, mentions)


def _sparse(n: int, idx: np.ndarray, values: np.ndarray) -> pa.Array:
    """A string column of ``n`` rows, ``values`` at ``idx`` and "" elsewhere."""
    col = blank(n)
    col[idx] = values
    return pa.array(col, type=pa.string())
