"""In-memory pieces of a release: accounts and batches of tweets (``Part``)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

from .ids import TweetIds, hashed_userid, numeric_userid

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


def _obj(values: list | None = None, n: int = 0) -> np.ndarray:
    """An object array of strings or lists (``n`` empty strings when ``values`` is None)."""
    if values is None:
        values = [""] * n
    arr = np.empty(len(values), dtype=object)
    if values and isinstance(values[0], list):
        for j, v in enumerate(values):
            arr[j] = v
    else:
        arr[:] = values
    return arr


@dataclass
class Part:
    """A batch of tweets (column arrays). String columns are object arrays; list columns hold lists."""

    uidx: np.ndarray  # account index
    ts: np.ndarray  # seconds since epoch
    tid: np.ndarray  # int64 tweet id
    text: np.ndarray
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
    def new(uidx: np.ndarray, ts: np.ndarray, tid: np.ndarray, *, text: list[str], lang: list[str],
            client: list[str], hashtags: list[list[str]], urls: list[list[str]], mentions: list[list[str]],
            narrative: list[str], planted: str | list[str], is_rt: bool = False) -> Part:
        n = len(tid)
        zeros = np.zeros(n, dtype=np.int64)
        planted_list = [planted] * n if isinstance(planted, str) else list(planted)
        return Part(uidx=np.asarray(uidx, dtype=np.int64), ts=np.asarray(ts, dtype=np.int64),
                    tid=np.asarray(tid, dtype=np.int64), text=_obj(text), lang=_obj(lang), client=_obj(client),
                    reply_uid=_obj(n=n), reply_tid=_obj(n=n), quote_tid=_obj(n=n), rt_uid=_obj(n=n),
                    rt_tid=_obj(n=n), is_rt=np.full(n, is_rt), hashtags=_obj(hashtags), urls=_obj(urls),
                    mentions=_obj(mentions), likes=zeros.copy(), rts=zeros.copy(), replies=zeros.copy(),
                    quotes=zeros.copy(), narrative=_obj(narrative), planted=_obj(planted_list))

    def take(self, idx: np.ndarray) -> Part:
        return Part(**{f.name: getattr(self, f.name)[idx] for f in fields(self)})

    @staticmethod
    def concat(parts: list[Part]) -> Part:
        parts = [p for p in parts if len(p)]
        if not parts:
            return Part.new(np.zeros(0), np.zeros(0), np.zeros(0), text=[], lang=[], client=[], hashtags=[],
                            urls=[], mentions=[], narrative=[], planted=[])
        return Part(**{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(Part)})


@dataclass
class Ctx:
    """What unit generators share within a release."""

    key: str  # "china" | "russia" | "turkey"
    accounts: Accounts
    ids: TweetIds
    seen_control_texts: set[str] = field(default_factory=set)
