"""Keeping the texts of organic accounts unique within a release, in bounded memory.

The rule: a text already used gets a suffix, the first unused of `` <emoji>`` (the twelve emoji, starting at
one that depends on the text's position in its batch), then `` 12``, `` 13``, ... Texts are remembered as
64-bit BLAKE2b digests (a collision, about 1 in 10^12 at a million texts, would only add a suffix), kept in
a sorted array (8 bytes each) plus a set of the most recent ones.
"""

from __future__ import annotations

import hashlib

import numpy as np

EMOJI = ("😊", "😂", "👍", "🙏", "🔥", "😅", "❤️", "👀", "🤔", "🎉", "☕", "🌧️")
MERGE_AT = 1 << 18  # recent digests moved into the sorted array beyond this many


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=8).digest()


def _as_ints(digests: list[bytes] | set[bytes]) -> np.ndarray:
    return np.frombuffer(b"".join(digests), dtype="<u8")


class UniqueTexts:
    def __init__(self) -> None:
        self._sorted = np.empty(0, dtype=np.uint64)
        self._recent: set[bytes] = set()
        # digest of a text whose emoji variants are all used -> first numeric suffix that may be free
        self._next_number: dict[bytes, int] = {}

    def __len__(self) -> int:
        return len(self._sorted) + len(self._recent)

    def make_unique(self, texts: np.ndarray) -> np.ndarray:
        """The texts, each replaced by its first unused variant if already used (and all marked as used)."""
        out = texts.copy()
        digests = [_digest(s) for s in texts]
        old = self._in_sorted(_as_ints(digests))
        for i, (text, h, is_old) in enumerate(zip(texts, digests, old, strict=True)):
            if is_old or h in self._recent:
                out[i] = self._variant(text, h, i)
            else:
                self._recent.add(h)
        if len(self._recent) >= MERGE_AT:  # only between batches: ``old`` must stay valid within one
            self._merge()
        return out

    def _merge(self) -> None:
        """Move the recent digests into the sorted array (one new array: no sort of the whole)."""
        new = np.sort(_as_ints(self._recent))  # never in the sorted array: only unused texts are added
        self._sorted = np.insert(self._sorted, np.searchsorted(self._sorted, new), new)
        self._recent.clear()

    def _in_sorted(self, digests: np.ndarray) -> np.ndarray:
        if not len(self._sorted):
            return np.zeros(len(digests), dtype=bool)
        pos = np.minimum(np.searchsorted(self._sorted, digests), len(self._sorted) - 1)
        return self._sorted[pos] == digests

    def _used(self, h: bytes) -> bool:
        return h in self._recent or bool(self._in_sorted(_as_ints([h]))[0])

    def _take(self, text: str) -> bool:
        """Mark ``text`` used; False if it already was."""
        h = _digest(text)
        if self._used(h):
            return False
        self._recent.add(h)
        return True

    def _variant(self, text: str, h: bytes, i: int) -> str:
        if h not in self._next_number:
            for k in range(len(EMOJI)):
                candidate = f"{text} {EMOJI[(i + k) % len(EMOJI)]}"
                if self._take(candidate):
                    return candidate
            self._next_number[h] = len(EMOJI)
        k = self._next_number[h]
        while not self._take(f"{text} {k}"):
            k += 1
        self._next_number[h] = k + 1
        return f"{text} {k}"
