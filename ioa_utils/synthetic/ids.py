"""Identifiers: hashed user ids, Twitter snowflake tweet ids, numeric ids of external accounts."""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

import numpy as np

TWEPOCH_MS = 1288834974657  # Twitter snowflake epoch (2010-11-04 01:42:54.657 UTC)
SEQ_BITS = 22
INTERNAL_SEQ = 1 << 21  # sequence numbers below this are release tweets, above it external tweets


def hashed_userid(seed: int, release: str, i: int) -> str:
    """Base64 of a SHA-256, as in the hashed releases; like the real files, some ids lose one or two
    leading characters (44, 43 or 42 characters, always ending with '=')."""
    digest = hashlib.sha256(f"{seed}|{release}|user|{i}".encode()).digest()
    text = base64.b64encode(digest).decode("ascii")
    cut = 0 if digest[-1] < 135 else (1 if digest[-1] < 235 else 2)
    return text[cut:]


def numeric_userid(seed: int, release: str, i: int) -> str:
    """A 19-digit numeric user id (unhashed high-follower accounts)."""
    h = int.from_bytes(hashlib.sha256(f"{seed}|{release}|num|{i}".encode()).digest()[:8], "big")
    return str(10**18 + h % (9 * 10**17))


@lru_cache(maxsize=4096)
def external_userid(handle: str) -> str:
    """A stable 8-10 digit numeric id for an account outside the release."""
    h = int.from_bytes(hashlib.sha256(handle.lower().encode()).digest()[:8], "big")
    return str(10**7 + h % (3 * 10**9))


def snowflake(ms: np.ndarray, seq: np.ndarray) -> np.ndarray:
    """Tweet ids from creation time in ms since the Unix epoch and a sequence number (< 2**22)."""
    ms = np.asarray(ms, dtype=np.int64)
    return ((ms - TWEPOCH_MS) << SEQ_BITS) | (np.asarray(seq, dtype=np.int64) & ((1 << SEQ_BITS) - 1))


class TweetIds:
    """Per-release allocator of unique snowflake ids (internal and external tweets use disjoint
    sequence ranges, so an external reference never collides with a release tweet)."""

    def __init__(self) -> None:
        self._internal = 0
        self._external = 0

    def internal(self, ms: np.ndarray) -> np.ndarray:
        n = len(ms)
        seq = (self._internal + np.arange(n, dtype=np.int64)) % INTERNAL_SEQ
        self._internal += n
        return snowflake(ms, seq)

    def external(self, ms: np.ndarray) -> np.ndarray:
        n = len(ms)
        seq = INTERNAL_SEQ + (self._external + np.arange(n, dtype=np.int64)) % INTERNAL_SEQ
        self._external += n
        return snowflake(ms, seq)
