"""Units: all tweets of one set of interdependent accounts (a planted group, or a chunk of solo
accounts). Each takes ``(ctx, style, rng)`` plus its parameters and returns one ``Part``."""

from __future__ import annotations

import numpy as np
import pyarrow.compute as pc

from .behaviours import (
    BURST_OFFSET,
    CO_TWEET_OFFSET,
    ORGANIC,
    ORGANIC_TOPIC_MIX,
    RING_DELAY,
    Style,
    after_creation,
    campaign_times,
    choose,
    counts,
    external_retweets,
    langs_for,
    lognormal_delays,
    make_texts,
    organic_times,
    originals,
    retweets,
)
from .model import Ctx, Part, arrow_strings, objects
from .text import Texts, one_item_reprs
from .timegen import DAY, diurnal, month_days, uniform_days, work_hours

CLIENTS = ("Twitter for Android", "Twitter for iPhone", "Twitter Web App", "Twitter Web Client", "Twitter for iPad")
CLIENT_W = np.array([0.38, 0.30, 0.20, 0.08, 0.04])


def _split(n: int, counts_: np.ndarray, rng: np.random.Generator, p: float) -> tuple[np.ndarray, np.ndarray]:
    a = rng.binomial(counts_, p)
    return a, counts_ - a


def solo(ctx: Ctx, st: Style, rng: np.random.Generator, *, members: list[int], mix: dict[str, float],
         mean: float, sigma: float = 1.0, p_rt: float = 0.1, alt: dict[str, str] | None = None,
         level: str = "campaign", reply_frac: float = 0.04, quote_frac: float = 0.01) -> Part:
    """Campaign accounts posting on their own: originals plus retweets of friendly outside accounts."""
    m = np.array(members, dtype=np.int64)
    n_rt, n_own = _split(len(m), counts(rng, len(m), mean, sigma), rng, p_rt)
    u = np.repeat(m, n_own)
    narrs = choose(rng, mix, len(u))
    langs = langs_for(ctx, rng, u, alt or {})
    ts = after_creation(ctx, rng, u, campaign_times(st, rng, narrs))
    own = originals(ctx, st, rng, u, ts, narrs, langs, level=level, reply_frac=reply_frac, quote_frac=quote_frac)
    u = np.repeat(m, n_rt)
    narrs = choose(rng, mix, len(u))
    langs = langs_for(ctx, rng, u, alt or {})
    ts = after_creation(ctx, rng, u, campaign_times(st, rng, narrs))
    rts = external_retweets(ctx, st, rng, u, ts, narrs, langs, handles=st.handles)
    return Part.concat([own, rts])


def amplification(ctx: Ctx, st: Style, rng: np.random.Generator, *, core: list[int], amps: list[int],
                  mix: dict[str, float], core_mean: float, amp_mean: float, p_amp_rt: float = 0.8,
                  alt: dict[str, str] | None = None) -> Part:
    """A few core accounts post; their amplifiers mostly retweet them within minutes to hours."""
    c = np.array(core, dtype=np.int64)
    u = np.repeat(c, counts(rng, len(c), core_mean, 1.0))
    narrs = choose(rng, mix, len(u))
    langs = langs_for(ctx, rng, u, alt or {})
    orig = originals(ctx, st, rng, u, after_creation(ctx, rng, u, campaign_times(st, rng, narrs)), narrs, langs,
                     reply_frac=0.03, quote_frac=0.01)
    a = np.array(amps, dtype=np.int64)
    n_rt, n_own = _split(len(a), counts(rng, len(a), amp_mean, 1.1), rng, p_amp_rt)
    ru = np.repeat(a, n_rt)
    pop = rng.pareto(1.2, len(orig)) + 0.05  # a few core tweets get most of the amplification
    j = rng.choice(len(orig), size=len(ru), p=pop / pop.sum())
    _, keep = np.unique(ru * (len(orig) + 1) + j, return_index=True)  # nobody retweets a tweet twice
    keep.sort()
    ru, j = ru[keep], j[keep]
    delay = np.clip(rng.lognormal(np.log(900), 1.1, len(j)), 60, 5 * 3600).astype(np.int64)
    rt = retweets(ctx, rng, ru, orig, j, orig.ts[j] + delay, planted="amplification")
    hit = np.bincount(j, minlength=len(orig))
    orig.rts += hit
    orig.planted[hit > 0] = "amplification"
    ou = np.repeat(a, n_own)
    narrs = choose(rng, mix, len(ou))
    langs = langs_for(ctx, rng, ou, alt or {})
    own = originals(ctx, st, rng, ou, after_creation(ctx, rng, ou, campaign_times(st, rng, narrs)), narrs, langs)
    return Part.concat([orig, rt, own])


def co_tweet(ctx: Ctx, st: Style, rng: np.random.Generator, *, members: list[int], mix: dict[str, float],
             n_texts: int, own_mean: float, min_size: int = 5,
             alt: dict[str, str] | None = None, start_day: int | None = None, end_day: int | None = None) -> Part:
    """Members post the identical text minutes apart (``CO_TWEET_OFFSET``), for many different texts."""
    m = np.array(members, dtype=np.int64)
    narrs = choose(rng, mix, n_texts)
    langs = langs_for(ctx, rng, np.full(n_texts, m[0]), alt or {})
    if start_day is not None and end_day is not None:
        t0 = st.hours(rng.integers(start_day, end_day, size=n_texts), rng)
    else:
        t0 = campaign_times(st, rng, narrs)
    sizes = rng.integers(min(min_size, len(m)), min(10, len(m)) + 1, size=n_texts)
    order = np.argsort(rng.random((n_texts, len(m))), axis=1)
    rows = np.repeat(np.arange(n_texts), sizes)
    who = np.concatenate([m[order[k, :s]] for k, s in enumerate(sizes)])
    ts = t0[rows] + lognormal_delays(rng, len(rows), CO_TWEET_OFFSET)
    t = make_texts(ctx, st, rng, narrs, langs)  # one text per co-tweet, posted by several members
    co = originals(ctx, st, rng, who, ts, narrs[rows], langs[rows], planted="co_tweet", texts=t.take(rows))
    u = np.repeat(m, counts(rng, len(m), own_mean, 0.8))
    narrs2 = choose(rng, mix, len(u))
    langs2 = langs_for(ctx, rng, u, alt or {})
    if start_day is not None and end_day is not None:
        ts2 = st.hours(rng.integers(start_day, end_day, size=len(u)), rng)
    else:
        ts2 = after_creation(ctx, rng, u, campaign_times(st, rng, narrs2))
    own = originals(ctx, st, rng, u, ts2, narrs2, langs2, reply_frac=0.03)
    return Part.concat([co, own])


def ring(ctx: Ctx, st: Style, rng: np.random.Generator, *, members: list[int], mix: dict[str, float],
         orig_mean: float, p_rt: float) -> Part:
    """A retweet ring: members retweet each other's tweets minutes after posting (``RING_DELAY``)."""
    m = np.array(members, dtype=np.int64)
    u = np.repeat(m, counts(rng, len(m), orig_mean, 0.5))
    narrs = choose(rng, mix, len(u))
    langs = ctx.lang[u]
    orig = originals(ctx, st, rng, u, after_creation(ctx, rng, u, campaign_times(st, rng, narrs)), narrs, langs,
                     reply_frac=0.03, quote_frac=0.01)
    hit = (rng.random((len(orig), len(m))) < p_rt) & (orig.uidx[:, None] != m[None, :])
    j, who = np.nonzero(hit)
    rt = retweets(ctx, rng, m[who], orig, j, orig.ts[j] + lognormal_delays(rng, len(j), RING_DELAY),
                  planted="retweet_ring")
    cnt = np.bincount(j, minlength=len(orig))
    orig.rts += cnt
    orig.planted[cnt > 0] = "retweet_ring"
    return Part.concat([orig, rt])


def commercial(ctx: Ctx, st: Style, rng: np.random.Generator, *, members: list[int], n_bursts: int,
               own_mix: dict[str, float], own_mean: float, ad_handles: tuple[str, ...]) -> Part:
    """Retweet-for-hire: bursts of retweets of the same advertising tweet within minutes."""
    m = np.array(members, dtype=np.int64)
    days = month_days({k: 1.0 for k in st.months["commercial_ads"]}, rng, n_bursts)
    t0 = diurnal(days, rng, st.utc_offset)
    sizes = rng.integers(min(4, len(m)), min(8, len(m)) + 1, size=n_bursts)
    order = np.argsort(rng.random((n_bursts, len(m))), axis=1)
    rows = np.repeat(np.arange(n_bursts), sizes)
    who = np.concatenate([m[order[k, :s]] for k, s in enumerate(sizes)])
    ts = t0[rows] + lognormal_delays(rng, len(rows), BURST_OFFSET)
    lang = ctx.accounts[m[0]].lang
    bursts = external_retweets(ctx, st, rng, who, ts, ["commercial_ads"] * len(rows), [lang] * len(rows),
                               handles={lang: ad_handles, "en": ad_handles}, planted="commercial_retweet",
                               shared=rows, max_delay=3600)
    u = np.repeat(m, counts(rng, len(m), own_mean, 0.6))
    narrs = choose(rng, own_mix, len(u))
    own = originals(ctx, st, rng, u, after_creation(ctx, rng, u, campaign_times(st, rng, narrs)), narrs,
                    [lang] * len(u))
    return Part.concat([bursts, own])


def compromised(ctx: Ctx, st: Style, rng: np.random.Generator, *, members: list[int], mix: dict[str, float],
                pre_mean: float, post_mean: float, first_day: int, switch_from: int, switch_to: int,
                last_day: int, new_lang: str, p_rt: float = 0.3) -> Part:
    """Years of ordinary tweets in another language and client, then an abrupt takeover."""
    parts = []
    for a in members:
        acc = ctx.accounts[a]
        switch = int(rng.integers(switch_from, switch_to))
        start = max(first_day, acc.created_day + 1)
        n_pre, n_post = counts(rng, 1, pre_mean, 0.5)[0], counts(rng, 1, post_mean, 0.5)[0]
        topics = ORGANIC if acc.lang == "en" else ORGANIC[:3]
        weights = rng.dirichlet(np.ones(len(topics)))
        narrs = choose(rng, dict(zip(topics, weights, strict=True)), n_pre)
        ts = diurnal(rng.integers(start, switch, size=n_pre), rng, st.utc_offset)
        old_client = CLIENTS[1] if a % 2 else CLIENTS[3]
        u = np.full(n_pre, a, dtype=np.int64)
        parts.append(originals(ctx, st, rng, u, ts, narrs, [acc.lang] * n_pre, level="organic",
                               clients=[old_client] * n_pre, dedupe=True, reply_frac=0.05))
        n_rt = rng.binomial(n_post, p_rt)
        narrs = choose(rng, mix, n_post)
        ts = st.hours(rng.integers(switch, last_day, size=n_post), rng)
        u = np.full(n_post, a, dtype=np.int64)
        clients = [st.campaign_client] * n_post
        own = originals(ctx, st, rng, u[n_rt:], ts[n_rt:], narrs[n_rt:], [new_lang] * (n_post - n_rt),
                        clients=clients[n_rt:])
        rts = external_retweets(ctx, st, rng, u[:n_rt], ts[:n_rt], narrs[:n_rt], [new_lang] * n_rt,
                                handles=st.handles, clients=clients[:n_rt])
        parts += [own, rts]
    return Part.concat(parts)


def controls(ctx: Ctx, st: Style, rng: np.random.Generator, *, members: list[int], mean: float,
             alt: dict[str, str] | None = None, p_rt: float = 0.25, p_alt: float | tuple[float, float] = 0.15,
             drift: float = 0.0, work: tuple[float, float] | None = None) -> Part:
    """Organic control accounts: everyday topics and some politics against the campaigns' line
    (``ORGANIC_TOPIC_MIX``), spread-out timing, never coordinated.

    ``p_alt``: share of tweets in the account's second language (``alt``), or the (a, b) of a Beta distribution
    it is drawn from per account (bilingual users); ``drift``: share of accounts whose second language grows
    from none to twice that share over their tweets (moved, changed school or job: a slow change, not a
    takeover). ``work``: the (a, b) of a Beta distribution of the per-account share of tweets posted in working
    hours (``timegen.work_hours``); None: everyday timing."""
    m = np.array(members, dtype=np.int64)
    n = counts(rng, len(m), mean, 0.9)
    topics, weights = ORGANIC_TOPIC_MIX
    prefs = rng.dirichlet(weights, len(m))
    u = np.repeat(m, n)
    pick = np.concatenate([rng.choice(len(topics), size=k, p=p) for k, p in zip(n, prefs, strict=True)])
    narrs = objects(topics)[pick]
    if work is None:
        ts = organic_times(st, rng, len(u))
    else:
        share = np.repeat(rng.beta(*work, len(m)), n)
        ts = work_hours(uniform_days(st.organic_start, st.organic_end, rng, len(u)), rng, st.utc_offset, share)
    ts = after_creation(ctx, rng, u, ts)
    if isinstance(p_alt, tuple):
        share = rng.beta(*p_alt, len(m))
        drifting = rng.random(len(m)) < drift
        per = np.repeat(share, n)
        if drifting.any():  # from no second language to twice the share, linearly in the tweet's rank
            first, rank = np.repeat(np.cumsum(n) - n, n), np.empty(len(u), dtype=np.int64)
            rank[np.lexsort((ts, np.repeat(np.arange(len(m)), n)))] = np.arange(len(u))
            pos = (rank - first) / np.maximum(np.repeat(n, n) - 1, 1)
            per = np.where(np.repeat(drifting, n), np.minimum(1.0, 2 * per * pos), per)
        p_row: float | np.ndarray = per
    else:
        p_row = p_alt
    langs = langs_for(ctx, rng, u, alt or {}, p_alt=p_row)
    other = objects(CLIENTS)[rng.choice(len(CLIENTS), size=len(u), p=CLIENT_W)]
    clients = np.where(rng.random(len(u)) < 0.8, ctx.client[u], other)
    is_rt = rng.random(len(u)) < p_rt
    o, r = np.flatnonzero(~is_rt), np.flatnonzero(is_rt)
    own = originals(ctx, st, rng, u[o], ts[o], narrs[o], langs[o], level="organic", reply_frac=0.06,
                    quote_frac=0.02, clients=clients[o], dedupe=True)
    rts = external_retweets(ctx, st, rng, u[r], ts[r], narrs[r], langs[r], handles=st.control_handles, dedupe=True,
                            clients=clients[r], max_delay=5 * DAY)
    return Part.concat([own, rts])


# Retweet delays after a popular post appears: heavy-tailed, most within the first hour (Kwak et al., 2010,
# "What is Twitter, a social network or a news media?": half of retweets within an hour, three quarters within
# a day); a log-normal with this median and sigma. Not the co-retweet window (coordination/traces.py).
FAN_DELAY = (1800.0, 1.6)  # median seconds, sigma
FAN_JOIN = (2.0, 5.0)  # Beta (a, b) of how often a member retweets the community's viral posts (mean 0.29)


def fans(ctx: Ctx, st: Style, rng: np.random.Generator, *, members: list[int], mean: float, n_viral: int,
         topics: dict[str, float], alt: dict[str, str] | None = None) -> Part:
    """A fan or news community: ordinary posting (``controls``), plus retweets of the same popular posts of
    outside accounts (a goal, a breaking story) minutes to hours after each appears, each member joining
    independently; never organised, yet several members often retweet one post within minutes."""
    own = controls(ctx, st, rng, members=members, mean=mean, alt=alt)
    m = np.array(members, dtype=np.int64)
    t0 = organic_times(st, rng, n_viral)  # when each viral post appears
    join = rng.random((n_viral, len(m))) < rng.beta(*FAN_JOIN, len(m))[None, :]
    j, who = np.nonzero(join)
    if not len(j):
        return own
    ts = t0[j] + np.maximum(1, rng.lognormal(np.log(FAN_DELAY[0]), FAN_DELAY[1], len(j))).astype(np.int64)
    order = np.lexsort((ts, j))  # each post's earliest retweet first: the shared key's head
    j, u, ts = j[order], m[who[order]], ts[order]
    narrs = choose(rng, topics, n_viral)[j]
    lang = ctx.lang[m[0]]
    rts = external_retweets(ctx, st, rng, u, ts, narrs, [lang] * len(u), handles=st.control_handles, dedupe=True,
                            shared=j, src_ts=t0)
    return Part.concat([own, rts])


# News aggregators (feed-to-Twitter bots) post a headline a few minutes after the outlet publishes it, at the
# pace of their feed polling; assumed log-normal with this median and sigma (no published distribution was
# found), independent of the co-tweet window.
AGGREGATOR_LAG = (240.0, 0.9)  # median seconds, sigma
AGGREGATOR_CLIENTS = ("dlvr.it", "IFTTT", "Hootsuite Inc.", "Buffer", "TweetDeck")
_B62 = np.array(list("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"), dtype=object)


def _tco(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` t.co links with random 10-character codes."""
    codes = _B62[rng.integers(0, len(_B62), size=(n, 10))]
    return objects(["https://t.co/" + "".join(c) for c in codes])


def aggregators(ctx: Ctx, st: Style, rng: np.random.Generator, *, members: list[int], n_headlines: int,
                topics: dict[str, float], domains: tuple[str, ...], p_post: float = 0.8) -> Part:
    """News aggregators following the same outlets: each posts most of the outlets' headlines (the same text,
    a link to the same article behind its own t.co link) minutes after publication."""
    m = np.array(members, dtype=np.int64)
    lang = ctx.lang[m[0]]
    narrs = choose(rng, topics, n_headlines)
    head = make_texts(ctx, st, rng, narrs, [lang] * n_headlines, dedupe=True, mention=False)
    t0 = organic_times(st, rng, n_headlines)
    j, who = np.nonzero(rng.random((n_headlines, len(m))) < p_post)
    if not len(j):
        return Part.concat([])
    ts = after_creation(ctx, rng, m[who], t0[j] + rng.lognormal(np.log(AGGREGATOR_LAG[0]), AGGREGATOR_LAG[1],
                                                                  len(j)).astype(np.int64))
    article = objects([f"https://{d}/news/{int(x)}" for d, x in
                       zip(objects(domains)[rng.integers(0, len(domains), n_headlines)],
                           rng.integers(10**6, 10**7, n_headlines), strict=True)])
    link = _tco(rng, len(j))
    t = head.take(j)
    text = pc.binary_join_element_wise(t.text, arrow_strings(" " + link), "")
    part = originals(ctx, st, rng, m[who], ts, narrs[j], [lang] * len(j), level="organic",
                     texts=Texts(text, t.hashtags, one_item_reprs(article[j]), t.mentions))
    return part


def hub(ctx: Ctx, st: Style, rng: np.random.Generator, *, leaders: list[int], followers: list[int],
        leader_mix: dict[str, float], follower_mix: dict[str, float], leader_mean: float, follower_mean: float,
        p_internal: float = 0.12) -> Part:
    """Official-looking accounts post; cheerleaders post, retweet friendly outside accounts and, now
    and then (hours later, not coordinated), the official-looking accounts."""
    lead = solo(ctx, st, rng, members=leaders, mix=leader_mix, mean=leader_mean, sigma=0.5, p_rt=0.05,
                level="official")
    fol = solo(ctx, st, rng, members=followers, mix=follower_mix, mean=follower_mean, sigma=0.6, p_rt=0.2)
    src = np.flatnonzero(~lead.is_rt)
    n = int(p_internal * len(fol))
    if not len(src) or not n:
        return Part.concat([lead, fol])
    who = rng.choice(np.array(followers, dtype=np.int64), size=n)
    j = rng.choice(src, size=n)
    _, keep = np.unique(who * (len(lead) + 1) + j, return_index=True)
    keep.sort()
    who, j = who[keep], j[keep]
    delay = np.clip(rng.lognormal(np.log(3 * 3600), 1.2, len(j)), 300, 3 * DAY).astype(np.int64)
    rt = retweets(ctx, rng, who, lead, j, lead.ts[j] + delay, planted="")
    lead.rts += np.bincount(j, minlength=len(lead))
    return Part.concat([lead, fol, rt])
