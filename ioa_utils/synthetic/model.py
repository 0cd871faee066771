"""In-memory pieces of a release: accounts and batches of tweets (``Part``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields

import numpy as np
import pyarrow as pa

from .ids import TweetIds, hashed_userid, numeric_userid
from .unique import UniqueTexts

HASH_FOLLOWER_LIMIT = 5000  # accounts below this many followers have hashed ids and names


@dataclass
class Account:
    userid: str
    display: str
    screen: str
    location: str
    description: str
    url: str
    followers: int
    following: int
    created_day: int  # days since the Unix epoch
    account_language: str
    role: str
    group: str = ""
    group_kind: str = ""
    is_control: bool = False
    lang: str = "en"  # main tweet language
    client: str = "Twitter Web App"

    def row(self) -> tuple[str, ...]:
        """The users-file fields (also repeated on every tweet row), in ``USER_COLUMNS`` order."""
        created = str(np.datetime64(self.created_day, "D"))
        return (self.userid, self.display, self.screen, self.location, self.description, self.url,
                str(self.followers), str(self.following), created, self.account_language)


@dataclass
class Accounts:
    """The accounts of one release, with the id/name rule of hashed releases."""

    seed: int
    release: str
    items: list[Account] = field(default_factory=list)
    _names_used: dict[str, int] = field(default_factory=dict)

    def add(self, *, followers: int, name: tuple[str, str] | None = None, **kw: object) -> int:
        """Add an account; ``name`` (display, screen) is used only if it has >= 5000 followers."""
        i = len(self.items)
        if followers >= HASH_FOLLOWER_LIMIT and name is not None:
            display, screen = name
            k = self._names_used.get(screen, 0)
            self._names_used[screen] = k + 1
            screen = screen if k == 0 else f"{screen}{k}"
            userid = numeric_userid(self.seed, self.release, i)
        else:
            userid = hashed_userid(self.seed, self.release, i)
            display = screen = userid
        self.items.append(Account(userid=userid, display=display, screen=screen, followers=followers,
                                  **kw))  # type: ignore[arg-type]
        return i

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> Account:
        return self.items[i]


def objects(values: Sequence[str] | np.ndarray) -> np.ndarray:
    """A new 1-D object array holding ``values``."""
    if isinstance(values, np.ndarray):
        return values.astype(object)
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr


def blank(n: int, value: str = "") -> np.ndarray:
    """An object array of ``n`` copies of ``value``."""
    arr = np.empty(n, dtype=object)
    arr[:] = value
    return arr


Strings = Sequence[str] | np.ndarray


def arrow_strings(values: Strings | pa.Array) -> pa.Array:
    return values if isinstance(values, pa.Array) else pa.array(objects(values), type=pa.string())


def take_strings(values: pa.Array, idx: np.ndarray) -> pa.Array:
    return values.take(pa.array(np.asarray(idx, dtype=np.int64)))


@dataclass
class Part:
    """A batch of tweets (column arrays). String columns are object arrays; list columns (hashtags, urls,
    mentions) hold the lists' Python reprs, as written in the files; ``text``, the bulk of the bytes, is an Arrow
    string array."""

    uidx: np.ndarray  # account index
    ts: np.ndarray  # seconds since epoch
    tid: np.ndarray  # int64 tweet id
    text: pa.Array
    lang: np.ndarray
    client: np.ndarray
    reply_uid: np.ndarray
    reply_tid: np.ndarray
    quote_tid: np.ndarray
    rt_uid: np.ndarray
    rt_tid: np.ndarray
    is_rt: np.ndarray  # bool
    hashtags: np.ndarray
    urls: np.ndarray
    mentions: np.ndarray
    likes: np.ndarray
    rts: np.ndarray
    replies: np.ndarray
    quotes: np.ndarray
    narrative: np.ndarray
    planted: np.ndarray

    def __len__(self) -> int:
        return len(self.tid)

    @staticmethod
    def new(uidx: np.ndarray, ts: np.ndarray, tid: np.ndarray, *, text: Strings | pa.Array, lang: Strings,
            client: Strings, hashtags: Strings, urls: Strings, mentions: Strings, narrative: Strings,
            planted: str | Strings, is_rt: bool = False) -> Part:
        n = len(tid)
        zeros = np.zeros(n, dtype=np.int64)
        return Part(uidx=np.asarray(uidx, dtype=np.int64), ts=np.asarray(ts, dtype=np.int64),
                    tid=np.asarray(tid, dtype=np.int64), text=arrow_strings(text), lang=objects(lang),
                    client=objects(client), reply_uid=blank(n), reply_tid=blank(n), quote_tid=blank(n),
                    rt_uid=blank(n), rt_tid=blank(n), is_rt=np.full(n, is_rt), hashtags=objects(hashtags),
                    urls=objects(urls), mentions=objects(mentions), likes=zeros.copy(), rts=zeros.copy(),
                    replies=zeros.copy(), quotes=zeros.copy(), narrative=objects(narrative),
                    planted=blank(n, planted) if isinstance(planted, str) else objects(planted))

    def take(self, idx: np.ndarray) -> Part:
        return Part(**{f.name: take_strings(self.text, idx) if f.name == "text" else getattr(self, f.name)[idx]
                       for f in fields(self)})

    @staticmethod
    def concat(parts: list[Part]) -> Part:
        parts = [p for p in parts if len(p)]
        if not parts:
            return Part.new(np.zeros(0), np.zeros(0), np.zeros(0), text=[], lang=[], client=[], hashtags=[],
                            urls=[], mentions=[], narrative=[], planted=[])
        return Part(**{f.name: pa.concat_arrays([p.text for p in parts]) if f.name == "text"
                       else np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(Part)})


@dataclass
class Ctx:
    """What unit generators share within a release (account attributes also as arrays, by account index)."""

    key: str  # "china" | "russia" | "turkey"
    accounts: Accounts
    ids: TweetIds
    control_texts: UniqueTexts = field(default_factory=UniqueTexts)
    userid: np.ndarray = field(init=False)
    screen: np.ndarray = field(init=False)
    lang: np.ndarray = field(init=False)
    client: np.ndarray = field(init=False)
    created_day: np.ndarray = field(init=False)
    rt_prefix: pa.Array = field(init=False)  # "RT @<screen name>: "

    def __post_init__(self) -> None:
        items = self.accounts.items
        for name in ("userid", "screen", "lang", "client"):
            setattr(self, name, objects([getattr(a, name) for a in items]))
        self.rt_prefix = pa.array([f"RT @{a.screen}: " for a in items], type=pa.string())
        self.created_day = np.array([a.created_day for a in items], dtype=np.int64)
