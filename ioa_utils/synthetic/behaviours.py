"""Tweet-generating behaviours. Each *unit* generates all tweets of a set of accounts that depend on
each other (a group and its retweets), so a release is streamed unit by unit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .ids import external_userid
from .model import Ctx, Part
from .text import Texts, render
from .timegen import DAY, diurnal, month_days, to_ms, uniform_days

ORGANIC = ("organic_food", "organic_sport", "organic_weather", "organic_tech")
EMOJI = ("😊", "😂", "👍", "🙏", "🔥", "😅", "❤️", "👀", "🤔", "🎉", "☕", "🌧️")


@dataclass(frozen=True)
class Style:
    """Release-specific settings the behaviours need."""

    key: str
    domains: tuple[str, ...]
    handles: dict[str, tuple[str, ...]]  # language -> external accounts that campaign tweets mention/retweet
    control_handles: dict[str, tuple[str, ...]]
    months: dict[str, dict[str, float]]  # narrative -> month weights ('YYYY-MM' -> weight)
    hours: Callable[[np.ndarray, np.random.Generator], np.ndarray]  # campaign time of day
    organic_start: str
    organic_end: str
    utc_offset: int  # local time of organic accounts
    campaign_client: str
    p_url: float = 0.15


# --- helpers ------------------------------------------------------------------------------------------

def counts(rng: np.random.Generator, n: int, mean: float, sigma: float) -> np.ndarray:
    """Heavy-tailed per-account tweet counts (log-normal with the given mean), at least 1."""
    x = rng.lognormal(np.log(mean) - sigma**2 / 2, sigma, n)
    return np.maximum(1, np.round(x)).astype(np.int64)


def choose(rng: np.random.Generator, mix: dict[str, float], n: int) -> list[str]:
    keys = list(mix)
    w = np.array([mix[k] for k in keys], dtype=float)
    return [keys[i] for i in rng.choice(len(keys), size=n, p=w / w.sum())]


def campaign_times(st: Style, rng: np.random.Generator, narrs: list[str]) -> np.ndarray:
    """Campaign timing: the narrative's monthly profile and the campaign's working hours."""
    arr = np.array(narrs, dtype=object)
    days = np.zeros(len(narrs), dtype=np.int64)
    for narr in sorted(set(narrs)):
        mask = arr == narr
        days[mask] = month_days(st.months[narr], rng, int(mask.sum()))
    return st.hours(days, rng)


def organic_times(st: Style, rng: np.random.Generator, n: int) -> np.ndarray:
    return diurnal(uniform_days(st.organic_start, st.organic_end, rng, n), rng, st.utc_offset)


def after_creation(ctx: Ctx, rng: np.random.Generator, uidx: np.ndarray, ts: np.ndarray) -> np.ndarray:
    """Move tweets dated before their account's creation to its first weeks."""
    created = np.array([ctx.accounts[u].created_day for u in uidx], dtype=np.int64) * DAY
    late = created + DAY + rng.integers(0, 60 * DAY, size=len(ts))
    return np.where(ts < created + DAY, late, ts)


def langs_for(ctx: Ctx, rng: np.random.Generator, uidx: np.ndarray, alt: dict[str, str],
              p_alt: float = 0.1) -> list[str]:
    """Each account's main language, switching to ``alt[lang]`` for a share of tweets."""
    flip = rng.random(len(uidx)) < p_alt
    out = []
    for u, f in zip(uidx, flip, strict=True):
        lang = ctx.accounts[u].lang
        out.append(alt.get(lang, lang) if f else lang)
    return out


def engagement(rng: np.random.Generator, part: Part, level: str) -> None:
    """Like/retweet/reply/quote counts: campaign content barely engages, organic a bit more."""
    n = len(part)
    if n == 0:
        return
    p, a, cap = {"campaign": ((0.10, 0.05, 0.02, 0.005), 2.6, 50),
                 "official": ((0.35, 0.15, 0.08, 0.02), 2.2, 500),
                 "organic": ((0.55, 0.25, 0.15, 0.04), 2.0, 2000)}[level]
    r = rng.random((n, 4))
    z = np.minimum(rng.zipf(a, (n, 4)), cap)
    vals = np.where(r < np.array(p), z, 0)
    part.likes += vals[:, 0]
    part.rts += vals[:, 1]
    part.replies += vals[:, 2]
    part.quotes += vals[:, 3]


def make_texts(ctx: Ctx, st: Style, rng: np.random.Generator, narrs: list[str], langs: list[str], *,
           dedupe: bool = False, url: bool = True, mention: bool = True) -> Texts:
    handles = st.control_handles if dedupe else st.handles
    # One render call per language keeps the handle pools language-specific.
    out = Texts([""] * len(narrs), [[]] * len(narrs), [[]] * len(narrs), [[]] * len(narrs))
    arr = np.array(langs, dtype=object)
    for lang in sorted(set(langs)):
        idx = np.flatnonzero(arr == lang)
        t = render(rng, [narrs[i] for i in idx], [lang] * len(idx),
                   domains=st.domains if url and not dedupe else (), handles=handles.get(lang, ()) if mention else (),
                   p_url=st.p_url)
        for k, i in enumerate(idx):
            out.text[i], out.hashtags[i] = t.text[k], t.hashtags[k]
            out.urls[i], out.mentions[i] = t.urls[k], t.mentions[k]
    if dedupe:  # organic accounts never post the exact same text
        for i, s in enumerate(out.text):
            k = 0
            while s in ctx.seen_control_texts:
                s = f"{out.text[i]} {EMOJI[(i + k) % len(EMOJI)]}" if k < len(EMOJI) else f"{out.text[i]} {k}"
                k += 1
            ctx.seen_control_texts.add(s)
            out.text[i] = s
    return out


# --- building blocks ----------------------------------------------------------------------------------

def originals(ctx: Ctx, st: Style, rng: np.random.Generator, uidx: np.ndarray, ts: np.ndarray, narrs: list[str],
              langs: list[str], *, planted: str = "", level: str = "campaign", reply_frac: float = 0.0,
              quote_frac: float = 0.0, clients: list[str] | None = None, dedupe: bool = False,
              texts: Texts | None = None) -> Part:
    """Original tweets (some turned into replies or quotes of tweets outside the release)."""
    n = len(uidx)
    t = texts if texts is not None else make_texts(ctx, st, rng, narrs, langs, dedupe=dedupe)
    ms = to_ms(ts, rng)
    tid = ctx.ids.internal(ms)
    if clients is None:
        clients = [ctx.accounts[u].client for u in uidx]
    part = Part.new(uidx, ts, tid, text=list(t.text), lang=list(langs), client=clients,
                    hashtags=[list(x) for x in t.hashtags], urls=[list(x) for x in t.urls],
                    mentions=[list(x) for x in t.mentions], narrative=list(narrs), planted=planted)
    engagement(rng, part, level)
    r = rng.random((n, 4))
    pools = st.control_handles if dedupe else st.handles
    for i in np.flatnonzero(r[:, 0] < reply_frac):
        pool = pools.get(langs[i]) or pools["en"]
        h = pool[int(r[i, 2] * len(pool))]
        uid = external_userid(h)
        part.text[i] = f"@{h} {part.text[i]}"
        part.reply_uid[i] = uid
        part.reply_tid[i] = str(ctx.ids.external(ms[i:i + 1] - 60_000 - int(r[i, 3] * 6 * 3600_000))[0])
        part.mentions[i] = [uid] + part.mentions[i]
    for i in np.flatnonzero((r[:, 1] < quote_frac) & (r[:, 0] >= reply_frac)):
        pool = pools.get(langs[i]) or pools["en"]
        h = pool[int(r[i, 2] * len(pool))]
        qid = ctx.ids.external(ms[i:i + 1] - 120_000 - int(r[i, 3] * 12 * 3600_000))[0]
        part.quote_tid[i] = str(qid)
        part.text[i] = f"{part.text[i]} https://t.co/{qid % 10**10:010d}"
        part.urls[i] = part.urls[i] + [f"https://twitter.com/{h}/status/{qid}"]
    return part


def retweets(ctx: Ctx, rng: np.random.Generator, uidx: np.ndarray, src: Part, j: np.ndarray, ts: np.ndarray,
             planted: str, p_no_uid: float = 0.4) -> Part:
    """Retweets of release tweets ``src[j]``: 'RT @<screen name as in the users file>: <text>'."""
    authors = [ctx.accounts[u] for u in src.uidx[j]]
    text = [f"RT @{a.screen}: {src.text[k]}" for a, k in zip(authors, j, strict=True)]
    part = Part.new(uidx, ts, ctx.ids.internal(to_ms(ts, rng)), text=text, lang=list(src.lang[j]),
                    client=[ctx.accounts[u].client for u in uidx], hashtags=list(src.hashtags[j]),
                    urls=list(src.urls[j]),
                    mentions=[[a.userid] + src.mentions[k] for a, k in zip(authors, j, strict=True)],
                    narrative=list(src.narrative[j]), planted=planted, is_rt=True)
    part.rt_tid[:] = [str(x) for x in src.tid[j]]
    no_uid = rng.random(len(j)) < p_no_uid  # real quirk: retweet_userid often empty
    part.rt_uid[:] = ["" if e else a.userid for e, a in zip(no_uid, authors, strict=True)]
    return part


def external_retweets(ctx: Ctx, st: Style, rng: np.random.Generator, uidx: np.ndarray, ts: np.ndarray,
                      narrs: list[str], langs: list[str], *, handles: dict[str, tuple[str, ...]], planted: str = "",
                      dedupe: bool = False, shared: np.ndarray | None = None, clients: list[str] | None = None,
                      p_no_uid: float = 0.4, max_delay: int = 2 * DAY) -> Part:
    """Retweets of tweets outside the release. Rows with equal ``shared`` key retweet the same tweet
    (a burst); otherwise every row retweets its own tweet."""
    n = len(uidx)
    key = np.arange(n) if shared is None else shared
    first = {}
    for i, k in enumerate(key):
        first.setdefault(int(k), i)
    heads = np.array(sorted(first.values()), dtype=np.int64)
    t = make_texts(ctx, st, rng, [narrs[i] for i in heads], [langs[i] for i in heads], dedupe=dedupe, mention=False)
    head_of = {int(key[h]): m for m, h in enumerate(heads)}
    r = rng.random(len(heads))
    pools = [handles.get(langs[h]) or handles["en"] for h in heads]
    hs = [p[int(x * len(p))] for p, x in zip(pools, r, strict=True)]
    src_ts = np.array([ts[h] for h in heads]) - rng.integers(60, max_delay, size=len(heads))
    src_tid = ctx.ids.external(to_ms(src_ts, rng))
    m = [head_of[int(k)] for k in key]
    part = Part.new(uidx, ts, ctx.ids.internal(to_ms(ts, rng)),
                    text=[f"RT @{hs[x]}: {t.text[x]}" for x in m], lang=list(langs),
                    client=clients or [ctx.accounts[u].client for u in uidx], hashtags=[list(t.hashtags[x]) for x in m],
                    urls=[list(t.urls[x]) for x in m], mentions=[[external_userid(hs[x])] for x in m],
                    narrative=list(narrs), planted=planted, is_rt=True)
    part.rt_tid[:] = [str(src_tid[x]) for x in m]
    no_uid = rng.random(n) < p_no_uid
    part.rt_uid[:] = ["" if e else external_userid(hs[x]) for e, x in zip(no_uid, m, strict=True)]
    return part
