"""Tweet-generating behaviours. Each *unit* generates all tweets of a set of accounts that depend on
each other (a group and its retweets), so a release is streamed unit by unit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .ids import external_userid
from .lexicon_common import OPPOSITION
from .model import Ctx, Part, Strings, arrow_strings, blank, objects, take_strings
from .text import Texts, append_item, mention_repr, prepend_item, render
from .timegen import DAY, diurnal, month_days, to_ms, uniform_days

ORGANIC = ("organic_food", "organic_sport", "organic_weather", "organic_tech")
# Organic accounts' topics: everyday ones plus politics against the campaigns' line (``lexicon_common.OPPOSITION``),
# each account with its own mix (Dirichlet with these weights). Politics is a minority of ordinary users' tweets,
# concentrated in a few accounts: Pew Research Center (2019, "National politics on Twitter: Small share of U.S.
# adults produce majority of tweets") found about 13% of U.S. adults' tweets were about national politics; a weight
# of 0.45 against 0.8 for each everyday topic gives a mean share of 12%, most accounts well below it.
ORGANIC_TOPIC_MIX = ((*ORGANIC, OPPOSITION), (0.8, 0.8, 0.8, 0.8, 0.45))

# --- delays of planted coordination ---------------------------------------------------------------------------
# Reaction delays online are heavy-tailed and close to log-normal (Doerr, Blenn & Van Mieghem 2013, "Lognormal
# infection times of online information spread", PLoS ONE 8(5): e64349). The medians and sigmas below are
# assumptions (no published delay distribution of a state-backed network was found), set without reference to
# the detectors' windows (coordination/traces.py: tests/test_generator_independence.py checks they differ), so
# part of the planted coordination falls outside them and a detector's recall can be below 1.
CO_TWEET_OFFSET = (90.0, 1.0)  # median s, sigma: when each co-tweeting member posts, after the planned time
RING_DELAY = (240.0, 1.0)  # a ring member's retweet of a fellow member's tweet, after the tweet
BURST_OFFSET = (180.0, 1.0)  # a paid retweet, after its burst started


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


def choose(rng: np.random.Generator, mix: dict[str, float], n: int) -> np.ndarray:
    keys = list(mix)
    w = np.array([mix[k] for k in keys], dtype=float)
    return objects(keys)[rng.choice(len(keys), size=n, p=w / w.sum())]


def lognormal_delays(rng: np.random.Generator, n: int, median_sigma: tuple[float, float]) -> np.ndarray:
    """``n`` whole-second delays (at least 1 s) from a log-normal with the given median and sigma."""
    median, sigma = median_sigma
    return np.maximum(1, rng.lognormal(np.log(median), sigma, n)).astype(np.int64)


def campaign_times(st: Style, rng: np.random.Generator, narrs: Strings) -> np.ndarray:
    """Campaign timing: the narrative's monthly profile and the campaign's working hours."""
    arr = objects(narrs)
    days = np.zeros(len(narrs), dtype=np.int64)
    for narr in sorted(set(arr)):
        mask = arr == narr
        days[mask] = month_days(st.months[narr], rng, int(mask.sum()))
    return st.hours(days, rng)


def organic_times(st: Style, rng: np.random.Generator, n: int) -> np.ndarray:
    return diurnal(uniform_days(st.organic_start, st.organic_end, rng, n), rng, st.utc_offset)


def after_creation(ctx: Ctx, rng: np.random.Generator, uidx: np.ndarray, ts: np.ndarray) -> np.ndarray:
    """Move tweets dated before their account's creation to its first weeks."""
    created = ctx.created_day[np.asarray(uidx, dtype=np.int64)] * DAY
    late = created + DAY + rng.integers(0, 60 * DAY, size=len(ts))
    return np.where(ts < created + DAY, late, ts)


def langs_for(ctx: Ctx, rng: np.random.Generator, uidx: np.ndarray, alt: dict[str, str],
              p_alt: float | np.ndarray = 0.1) -> np.ndarray:
    """Each account's main language, switching to ``alt[lang]`` for a share of tweets (``p_alt``: one share,
    or one per tweet)."""
    flip = rng.random(len(uidx)) < p_alt
    main = ctx.lang[np.asarray(uidx, dtype=np.int64)]
    other = main.copy()
    for lang in set(main) & set(alt):
        other[main == lang] = alt[lang]
    return np.where(flip, other, main)


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


def make_texts(ctx: Ctx, st: Style, rng: np.random.Generator, narrs: Strings, langs: Strings, *,
               dedupe: bool = False, url: bool = True, mention: bool = True) -> Texts:
    handles = st.control_handles if dedupe else st.handles
    narrs, langs = objects(narrs), objects(langs)
    parts = []
    # One render call per language keeps the handle pools language-specific.
    for lang in sorted(set(langs)):
        idx = np.flatnonzero(langs == lang)
        parts.append((idx, render(rng, narrs[idx], lang, domains=st.domains if url and not dedupe else (),
                                  handles=handles.get(lang, ()) if mention else (), p_url=st.p_url)))
    out = Texts.gather(parts)
    if dedupe:  # organic accounts never post the exact same text
        out.text = arrow_strings(ctx.control_texts.make_unique(out.text.to_numpy(zero_copy_only=False)))
    return out


# --- building blocks ----------------------------------------------------------------------------------

def _handles(pools: dict[str, tuple[str, ...]], langs: np.ndarray, u: np.ndarray) -> np.ndarray:
    """One handle per row from the pool of its language (English if none): ``pool[int(u * len(pool))]``."""
    out = blank(len(langs))
    for lang in set(langs):
        rows = np.flatnonzero(langs == lang)
        pool = pools.get(lang) or pools["en"]
        out[rows] = objects(pool)[(u[rows] * len(pool)).astype(np.int64)]
    return out


def _strings_at(values: pa.Array, rows: np.ndarray) -> np.ndarray:
    return take_strings(values, rows).to_numpy(zero_copy_only=False)


def _replace(values: pa.Array, rows: np.ndarray, new: np.ndarray) -> pa.Array:
    """``values`` with ``new`` at ``rows`` (ascending)."""
    mask = np.zeros(len(values), dtype=bool)
    mask[rows] = True
    return pc.replace_with_mask(values, pa.array(mask), arrow_strings(new))


def _str(ids: np.ndarray) -> np.ndarray:
    return ids.astype(str).astype(object)


def originals(ctx: Ctx, st: Style, rng: np.random.Generator, uidx: np.ndarray, ts: np.ndarray, narrs: Strings,
              langs: Strings, *, planted: str = "", level: str = "campaign", reply_frac: float = 0.0,
              quote_frac: float = 0.0, clients: Strings | None = None, dedupe: bool = False,
              texts: Texts | None = None) -> Part:
    """Original tweets (some turned into replies or quotes of tweets outside the release)."""
    n = len(uidx)
    langs = objects(langs)
    t = texts if texts is not None else make_texts(ctx, st, rng, narrs, langs, dedupe=dedupe)
    ms = to_ms(ts, rng)
    tid = ctx.ids.internal(ms)
    if clients is None:
        clients = ctx.client[np.asarray(uidx, dtype=np.int64)]
    part = Part.new(uidx, ts, tid, text=t.text, lang=langs, client=clients, hashtags=t.hashtags, urls=t.urls,
                    mentions=t.mentions, narrative=narrs, planted=planted)
    engagement(rng, part, level)
    r = rng.random((n, 4))
    pools = st.control_handles if dedupe else st.handles
    rep = np.flatnonzero(r[:, 0] < reply_frac)
    if len(rep):
        h = _handles(pools, langs[rep], r[rep, 2])
        uid = objects([external_userid(x) for x in h])
        part.text = _replace(part.text, rep, "@" + h + " " + _strings_at(part.text, rep))
        part.reply_uid[rep] = uid
        part.reply_tid[rep] = _str(ctx.ids.external(ms[rep] - 60_000 - (r[rep, 3] * 6 * 3600_000).astype(np.int64)))
        part.mentions[rep] = prepend_item(uid, part.mentions[rep])
    quo = np.flatnonzero((r[:, 1] < quote_frac) & (r[:, 0] >= reply_frac))
    if len(quo):
        h = _handles(pools, langs[quo], r[quo, 2])
        qid = ctx.ids.external(ms[quo] - 120_000 - (r[quo, 3] * 12 * 3600_000).astype(np.int64))
        part.quote_tid[quo] = _str(qid)
        link = objects([f" https://t.co/{q % 10**10:010d}" for q in qid])
        part.text = _replace(part.text, quo, _strings_at(part.text, quo) + link)
        part.urls[quo] = append_item(part.urls[quo], "https://twitter.com/" + h + "/status/" + _str(qid))
    return part


def retweets(ctx: Ctx, rng: np.random.Generator, uidx: np.ndarray, src: Part, j: np.ndarray, ts: np.ndarray,
             planted: str, p_no_uid: float = 0.4) -> Part:
    """Retweets of release tweets ``src[j]``: 'RT @<screen name as in the users file>: <text>'."""
    authors = src.uidx[j]
    text = pc.binary_join_element_wise(take_strings(ctx.rt_prefix, authors), take_strings(src.text, j), "")
    part = Part.new(uidx, ts, ctx.ids.internal(to_ms(ts, rng)), text=text, lang=src.lang[j],
                    client=ctx.client[np.asarray(uidx, dtype=np.int64)], hashtags=src.hashtags[j], urls=src.urls[j],
                    mentions=prepend_item(ctx.userid[authors], src.mentions[j]), narrative=src.narrative[j],
                    planted=planted, is_rt=True)
    part.rt_tid[:] = _str(src.tid[j])
    no_uid = rng.random(len(j)) < p_no_uid  # real quirk: retweet_userid often empty
    part.rt_uid[:] = np.where(no_uid, "", ctx.userid[authors])
    return part


def _first_rows(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first row of each distinct key (in row order), and for every row the position of its key's first
    row among them."""
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty(len(first), dtype=np.int64)
    rank[order] = np.arange(len(first))
    return first[order], rank[inverse.ravel()]


def external_retweets(ctx: Ctx, st: Style, rng: np.random.Generator, uidx: np.ndarray, ts: np.ndarray,
                      narrs: Strings, langs: Strings, *, handles: dict[str, tuple[str, ...]], planted: str = "",
                      dedupe: bool = False, shared: np.ndarray | None = None, clients: Strings | None = None,
                      p_no_uid: float = 0.4, max_delay: int = 2 * DAY, src_ts: np.ndarray | None = None) -> Part:
    """Retweets of tweets outside the release. Rows with equal ``shared`` key retweet the same tweet
    (a burst); otherwise every row retweets its own tweet. The retweeted tweets were posted up to ``max_delay``
    before the first row retweeting them, or at ``src_ts[key]`` (``shared`` keys index it)."""
    n = len(uidx)
    narrs, langs = objects(narrs), objects(langs)
    heads, m = _first_rows(np.arange(n) if shared is None else np.asarray(shared))
    t = make_texts(ctx, st, rng, narrs[heads], langs[heads], dedupe=dedupe, mention=False)
    hs = _handles(handles, langs[heads], rng.random(len(heads)))
    before = np.asarray(ts, dtype=np.int64)[heads] - rng.integers(60, max_delay, size=len(heads))
    src = before if src_ts is None else np.asarray(src_ts, dtype=np.int64)[np.asarray(shared)[heads]]
    src_tid = ctx.ids.external(to_ms(src, rng))
    ext_uid = objects([external_userid(h) for h in hs])
    if clients is None or not len(clients):
        clients = ctx.client[np.asarray(uidx, dtype=np.int64)]
    text = take_strings(pc.binary_join_element_wise(arrow_strings("RT @" + hs + ": "), t.text, ""), m)
    part = Part.new(uidx, ts, ctx.ids.internal(to_ms(ts, rng)), text=text, lang=langs,
                    client=clients, hashtags=t.hashtags[m], urls=t.urls[m],
                    mentions=objects([mention_repr(h) for h in hs])[m], narrative=narrs, planted=planted,
                    is_rt=True)
    part.rt_tid[:] = _str(src_tid)[m]
    no_uid = rng.random(n) < p_no_uid
    part.rt_uid[:] = np.where(no_uid, "", ext_uid[m])
    return part
