"""Who is in each release and what they do: accounts (with planted roles/groups) and the units that
generate their tweets. Counts of accounts scale with ``Size.scale``, tweets per account with ``Size.activity``;
group sizes stay fixed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np

from . import units as U
from .behaviours import Style
from .ids import TweetIds
from .lexicon_campaign import CAMPAIGN_DOMAINS, EXTERNAL_HANDLES
from .lexicon_common import BIOS, CONTROL_HANDLES, LOCATIONS, NEWS_DOMAINS
from .model import Accounts, Ctx, Part
from .timegen import day_of, diurnal, work_hours

Unit = Callable[[Ctx, Style, np.random.Generator], Part]
SOLO_CHUNK = 40  # accounts per solo unit at activity 1 (bounds memory at large scale)


def _months(start: str, end: str, bumps: dict[str, float] | None = None) -> dict[str, float]:
    ms = np.arange(np.datetime64(start, "M"), np.datetime64(end, "M") + 1)
    w = {str(m): 1.0 for m in ms}
    w.update(bumps or {})
    return w


@dataclass(frozen=True)
class Size:
    """How big a release is: ``scale`` multiplies account counts, ``activity`` tweets per campaign account and
    ``organic`` tweets per organic account (None: ``activity``, the shape of ``real_size``; the default archive
    keeps organic accounts at their own activity, ``shapes.DEFAULT``)."""

    scale: float = 1.0
    activity: float = 1.0
    organic: float | None = None

    @property
    def organic_activity(self) -> float:
        return self.activity if self.organic is None else self.organic

    def n(self, x: float, minimum: int = 1) -> tuple[int, float]:
        """How many of something ``x * scale`` makes (at least ``minimum``), and the factor for their tweet
        volume: ``activity``, corrected so that total volume stays proportional to ``scale`` when rounding (or
        the minimum) changes the count."""
        n = max(minimum, int(round(x * self.scale)))
        return n, x * self.scale / n * self.activity

    def chunks(self, members: list[int]) -> list[list[int]]:
        """Solo accounts in units of about ``SOLO_CHUNK`` accounts' default volume (bounds memory)."""
        size = max(1, round(SOLO_CHUNK / max(1.0, self.activity)))
        return [members[i:i + size] for i in range(0, len(members), size)]


def _split(members: list[int], k: int) -> list[list[int]]:
    return [list(g) for g in np.array_split(np.array(members, dtype=np.int64), k)]


def _pick(rng: np.random.Generator, seq: tuple[str, ...]) -> str:
    return seq[int(rng.integers(len(seq)))]


def _lognormal_int(rng: np.random.Generator, median: float, sigma: float, lo: int = 0, hi: int = 10**7) -> int:
    return min(max(round(rng.lognormal(np.log(median), sigma)), lo), hi)


def _add_controls(acc: Accounts, rng: np.random.Generator, n: int, langs: dict[str, float], start: str,
                  end: str, role: str = "control", newcomer: bool = False,
                  clients: tuple[str, ...] | None = None) -> list[int]:
    """``n`` organic accounts (``is_control``) of ``role``, created between ``start`` and ``end``; newcomers have
    few or no followers and often no bio (``NEWCOMER``)."""
    out = []
    keys = list(langs)
    p = np.array(list(langs.values()))
    for _ in range(n):
        lang = keys[rng.choice(len(keys), p=p / p.sum())]
        bios = BIOS.get(lang, BIOS["en"])
        if newcomer:
            zero, median, sigma, no_bio = NEWCOMER
            followers = 0 if rng.random() < zero else _lognormal_int(rng, median, sigma, 0, 4999)
            following = _lognormal_int(rng, 60, 1.0, 0, 4999)
            description = "" if rng.random() < no_bio else _pick(rng, bios)
        else:
            followers = _lognormal_int(rng, 250, 1.2, 3, 4999)
            following = _lognormal_int(rng, 300, 0.9, 5, 4999)
            description = _pick(rng, bios)
        client = (_pick(rng, clients) if clients else U.CLIENTS[rng.choice(len(U.CLIENTS), p=U.CLIENT_W)])
        out.append(acc.add(
            followers=followers, following=following, location=_pick(rng, LOCATIONS.get(lang, ("",))),
            description=description, url="", created_day=int(rng.integers(day_of(start), day_of(end))),
            account_language={"zh": "zh-cn"}.get(lang, lang), role=role, is_control=True, lang=lang,
            client=client))
    return out


# --- organic accounts, hard negatives included ----------------------------------------------------------

# Real releases hold no organic accounts; the synthetic ones hold at least as many as campaign accounts so that
# flagging everything scores badly, and a good share of them behave in ways that look coordinated.
CONTROL_RATIO = 1.1  # organic accounts per campaign account
ORGANIC_SHARES = {"control": 0.30, "organic_fan": 0.22, "organic_aggregator": 0.08, "organic_newcomer": 0.15,
                  "organic_worker": 0.13, "organic_bilingual": 0.12}
ORGANIC_MIN = {"control": 2, "organic_fan": 5, "organic_aggregator": 3, "organic_newcomer": 2,
               "organic_worker": 2, "organic_bilingual": 2}
FAN_COMMUNITY = 10  # accounts per fan community, about
AGGREGATOR_GROUP = 4  # aggregators following the same outlets, about
VIRAL_POSTS = 40  # viral outside posts per fan community at activity 1
# Newcomers: followers 0 with this probability, else a discrete log-normal (median, sigma); no bio with this
# probability. An assumed shape (most new accounts have a handful of followers), not the persona detector's cut.
NEWCOMER = (0.3, 4.0, 1.3, 0.6)
NEWCOMER_DAYS = (240, 20)  # created this many days before the end of organic activity (from, to)
WORK_SHARE = (6.0, 3.0)  # Beta (a, b) of a worker's share of tweets posted at work (mean 0.67)
BILINGUAL_SHARE = (3.0, 4.0)  # Beta (a, b) of a bilingual user's share in the second language (mean 0.43, assumed)
BILINGUAL_DRIFT = 0.4  # share of bilingual users drifting into their second language over time
# Campaign accounts each plan makes at scale 1 (seed 2020; other seeds differ by a few accounts).
CAMPAIGN_ACCOUNTS = {"china": 634, "russia": 32, "turkey": 44}  # China's with its amplifiers (planted or not)
FAN_TOPICS = ({"organic_sport": 1.0}, {"organic_tech": 0.5, "organic_weather": 0.5})
NEWS_TOPICS = {"organic_weather": 0.3, "organic_tech": 0.4, "organic_sport": 0.3}


@dataclass(frozen=True)
class Organic:
    """A release's organic accounts: main languages, second languages, when established ones were created,
    tweets per plain control at activity 1, the news sites aggregators link to (by language), and the plan's
    campaign accounts at scale 1 (about: it keeps organic tweet volume proportional to the scale when minimum
    group sizes add accounts at small scales)."""

    langs: dict[str, float]
    alt: dict[str, str]
    created: tuple[str, str]
    mean: float
    news: dict[str, tuple[str, ...]]
    campaign: float


def _organic(acc: Accounts, rng: np.random.Generator, size: Size, st: Style, o: Organic) -> list[Unit]:
    """Organic accounts (``CONTROL_RATIO`` per campaign account already in ``acc``) and their units."""
    total = int(np.ceil(CONTROL_RATIO * len(acc)))
    n = {role: max(ORGANIC_MIN[role], round(share * total)) for role, share in ORGANIC_SHARES.items()}
    start, end = o.created
    ctl = _add_controls(acc, rng, n["control"], o.langs, start, end)
    fans = []
    for g in range(max(1, round(n["organic_fan"] / FAN_COMMUNITY))):
        lang = _pick(rng, tuple(o.langs))
        k = int(rng.integers(FAN_COMMUNITY // 2, FAN_COMMUNITY * 3 // 2 + 1))
        fans.append((g, _add_controls(acc, rng, k, {lang: 1.0}, start, end, role="organic_fan")))
    aggs = []
    for _ in range(max(1, round(n["organic_aggregator"] / AGGREGATOR_GROUP))):
        lang = _pick(rng, tuple(o.langs))
        k = int(rng.integers(3, AGGREGATOR_GROUP + 2))
        aggs.append((lang, _add_controls(acc, rng, k, {lang: 1.0}, start, end, role="organic_aggregator",
                                         clients=U.AGGREGATOR_CLIENTS)))
    last = day_of(st.organic_end)
    new = _add_controls(acc, rng, n["organic_newcomer"], o.langs, str(np.datetime64(last - NEWCOMER_DAYS[0], "D")),
                        str(np.datetime64(last - NEWCOMER_DAYS[1], "D")), role="organic_newcomer", newcomer=True)
    work = _add_controls(acc, rng, n["organic_worker"], o.langs, start, end, role="organic_worker")
    bil = _add_controls(acc, rng, n["organic_bilingual"], {k: v for k, v in o.langs.items() if k in o.alt},
                        start, end, role="organic_bilingual")
    # organic accounts at their own activity: tweets per account as planned; else volume proportional to the scale
    expected = total if size.organic is not None else CONTROL_RATIO * o.campaign * size.scale

    def mean(role: str, members: int) -> float:
        """Tweets per account at which the role's volume is its share of ``expected`` accounts' (like Size.n)."""
        return o.mean * ORGANIC_SHARES[role] * expected / max(members, 1) * size.organic_activity

    units: list[Unit] = [partial(U.controls, members=c, mean=mean("control", len(ctl)), alt=o.alt)
                         for c in size.chunks(ctl)]
    m = mean("organic_fan", sum(len(f) for _, f in fans))
    units += [partial(U.fans, members=f, mean=m, n_viral=max(10, round(VIRAL_POSTS * m / o.mean)),
                      topics=FAN_TOPICS[g % 2], alt=o.alt) for g, f in fans]
    m = mean("organic_aggregator", sum(len(a) for _, a in aggs))
    units += [partial(U.aggregators, members=a, n_headlines=max(10, round(1.2 * m)), topics=NEWS_TOPICS,
                      domains=o.news[lang]) for lang, a in aggs]
    m = mean("organic_newcomer", len(new))
    units += [partial(U.controls, members=c, mean=max(2.0, 0.3 * m), alt=o.alt) for c in size.chunks(new)]
    m = mean("organic_worker", len(work))
    units += [partial(U.controls, members=c, mean=1.5 * m, alt=o.alt, work=WORK_SHARE) for c in size.chunks(work)]
    m = mean("organic_bilingual", len(bil))
    units += [partial(U.controls, members=c, mean=m, alt=o.alt, p_alt=BILINGUAL_SHARE, drift=BILINGUAL_DRIFT)
              for c in size.chunks(bil)]
    return units


# --- China: Hong Kong, Covid-19, Guo Wengui, Taiwan ---------------------------------------------------

CHINA_MIX = {"hong_kong": 0.40, "covid": 0.25, "guo_wengui": 0.20, "taiwan": 0.15}
CHINA_NAMES = (("香港真相", "HKtruth_cn"), ("Voice of China", "VoiceofChina_"), ("环球视野", "GlobalView_cn"),
               ("看世界", "SeeWorld2019"), ("Peace HK", "PeaceHK_"))
# Quiet personas (most of the network): followers 0 with this probability, else a discrete log-normal (median,
# sigma); no bio with this probability. An assumed shape for low-follower throwaway accounts, deliberately not the
# persona detector's "<= 5 followers and no bio" (``data/campaigns/template.yaml``).
QUIET = (0.35, 3.0, 1.2, 0.8)
CHINA_BIOS = ("爱国青年", "热爱祖国，热爱和平", "新闻搬运工", "Love China, love peace", "关注香港",
              "真相只有一个\n拒绝谣言", "Truth matters")


def china(seed: int, size: Size, rng: np.random.Generator, *,
          amplifiers: bool = False) -> tuple[Accounts, Style, list[Unit]]:
    """China's plan. ``amplifiers``: plant the amplifier accounts that retweet each amplification group's core
    (``U.amplification``). The real release left its ~150,000 amplifiers out (SIO), so by default the release
    holds none, and the core of those groups posts without them (no planted group: nothing links it)."""
    st = Style(
        key="china", domains=CAMPAIGN_DOMAINS["china"],
        handles={"zh": EXTERNAL_HANDLES["zh"], "en": EXTERNAL_HANDLES["en"]}, control_handles=CONTROL_HANDLES,
        months={
            "hong_kong": _months("2019-06", "2020-05", {"2019-08": 5, "2019-09": 5, "2019-10": 5, "2019-11": 5,
                                                        "2019-07": 3, "2019-12": 3, "2019-06": 2, "2020-01": 2}),
            "covid": {"2020-01": 1.0, "2020-02": 3.0, "2020-03": 6.0, "2020-04": 4.0, "2020-05": 2.0},
            "guo_wengui": _months("2019-04", "2020-05"),
            "taiwan": _months("2019-06", "2020-05", {"2019-11": 3, "2019-12": 4, "2020-01": 5}),
        },
        hours=partial(work_hours, utc_offset=8, p_work=0.92),  # a Beijing working day, weekdays
        organic_start="2019-01-01", organic_end="2020-06-01", utc_offset=8,
        campaign_client="Social Media Helper",
    )
    acc = Accounts(seed, "synth_china_052020")
    batches = [day_of(d) for d in ("2019-03-04", "2019-03-18", "2019-04-08", "2019-04-22", "2019-05-06",
                                   "2019-05-20")]

    def persona(role: str, group: str = "", kind: str = "", big: float = 0.0) -> int:
        lang = "zh" if rng.random() < 0.7 else "en"
        popular = rng.random() < big
        quiet = rng.random() < 0.85
        zero, median, sigma, no_bio = QUIET
        followers = (_lognormal_int(rng, 9000, 0.5, 5000) if popular
                     else (0 if rng.random() < zero else _lognormal_int(rng, median, sigma, 0, 4999)) if quiet
                     else _lognormal_int(rng, 40, 1.0, 6, 4000))
        created = (int(rng.choice(batches) + rng.integers(0, 3)) if rng.random() < 0.7
                   else int(rng.integers(day_of("2009-06-01"), day_of("2018-12-31"))))
        client = (st.campaign_client if role == "amplifier" and rng.random() < 0.6
                  else _pick(rng, ("Twitter for iPhone", "Twitter Web Client", "Twitter for Android",
                                   "Twitter Web App")))
        return acc.add(followers=followers, name=_pick(rng, CHINA_NAMES) if popular else None,
                       following=int(rng.integers(0, 40)) if quiet else _lognormal_int(rng, 80, 1.0),
                       location="", description="" if quiet and not popular and rng.random() < no_bio
                       else _pick(rng, CHINA_BIOS), url="",
                       created_day=created, account_language=("zh-cn" if lang == "zh" and rng.random() < 0.6
                                                             else "en"),
                       role=role, group=group, group_kind=kind, lang=lang, client=client)

    alt = {"zh": "en", "en": "zh"}
    units: list[Unit] = []
    n_amp_groups, f = size.n(25)
    for g in range(n_amp_groups):
        name, kind = (f"amplification_{g + 1}", "amplification") if amplifiers else ("", "")
        core = [persona("core", name, kind, big=0.08) for _ in range(4)]
        amps = ([persona("amplifier", name, kind) for _ in range(int(rng.integers(14, 22)))] if amplifiers
                else [])
        units.append(partial(U.amplification, core=core, amps=amps, mix=CHINA_MIX, core_mean=36 * f,
                             amp_mean=10 * f, alt=alt))
    n, f = size.n(90)
    lone = [persona("core", big=0.03) for _ in range(n)]
    units += [partial(U.solo, members=c, mix=CHINA_MIX, mean=30 * f, alt=alt, p_rt=0.1) for c in size.chunks(lone)]
    co_mixes = ({"hong_kong": 0.6, "covid": 0.4}, {"guo_wengui": 0.7, "taiwan": 0.3})
    n, f = size.n(2)
    for g in range(n):
        name = f"co_tweet_{g + 1}"
        members = [persona("core", name, "co_tweet") for _ in range(8)]
        units.append(partial(U.co_tweet, members=members, mix=co_mixes[g % 2], n_texts=max(10, round(40 * f)),
                             own_mean=10 * f, alt=alt))
    units += _organic(acc, rng, size, st, Organic({"zh": 0.5, "en": 0.5}, alt, ("2009-01-01", "2019-01-01"), 8,
                                                  NEWS_DOMAINS, CAMPAIGN_ACCOUNTS["china"]))
    return acc, st, units


# --- Russia: "Current Policy" -------------------------------------------------------------------------

RUSSIA_OFFICES = (("Управление строительства г. Москвы", "UpravStroyMSK"),
                  ("Региональное отделение Единой России", "ER_regotdel"),
                  ("Пресс-служба района Хамовники", "press_hamovniki"),
                  ("Департамент ЖКХ Москвы", "dgkh_msk_info"),
                  ("Совет депутатов района Тверской", "sovdep_tverskoy"),
                  ("Молодая Гвардия Единой России", "MGER_moscow"),
                  ("Мой район — Марьино", "moyrayon_maryino"), ("Строим Москву", "stroim_msk"))
RUSSIA_OFFICE_BIOS = ("Официальный аккаунт. Новости строительства и благоустройства Москвы",
                      "Новости регионального отделения партии «Единая Россия»",
                      "Информация для жителей района\nПриём граждан по вторникам",
                      "Официальная информация о работах по программе «Мой район»")
RUSSIA_GROUP = 6  # members of each retweet-for-hire and co-tweet group
RUSSIA_BIOS = ("Патриот России 🇷🇺", "За Путина!", "Люблю Москву", "Россия — великая страна", "", "", "")


def russia(seed: int, size: Size, rng: np.random.Generator) -> tuple[Accounts, Style, list[Unit]]:
    months = _months("2017-01", "2020-03", {"2018-02": 3, "2018-03": 3, "2019-08": 2.5, "2019-09": 3})
    st = Style(
        key="russia", domains=CAMPAIGN_DOMAINS["russia"], handles={"ru": EXTERNAL_HANDLES["ru"]},
        control_handles=CONTROL_HANDLES,
        months={k: months for k in ("putin", "united_russia", "moscow_city", "commercial_ads")},
        hours=partial(work_hours, utc_offset=3, p_work=0.85),  # a Moscow working day, weekdays
        organic_start="2017-01-01", organic_end="2020-04-01", utc_offset=3, campaign_client="CP Publisher",
    )
    acc = Accounts(seed, "synth_russia_052020")

    def member(role: str, group: str = "", kind: str = "", followers: int | None = None) -> int:
        official = role == "official_poser"
        f = followers if followers is not None else _lognormal_int(rng, 150, 1.0, 0, 4000)
        return acc.add(followers=f, name=_pick(rng, RUSSIA_OFFICES) if official else None,
                       following=_lognormal_int(rng, 200, 0.8, 0, 4999),
                       location="Москва" if official or rng.random() < 0.5 else "",
                       description=_pick(rng, RUSSIA_OFFICE_BIOS if official else RUSSIA_BIOS),
                       url="https://t.co/" + "".join(rng.choice(list("abcdefghijkXYZ0123456789"), 10))
                       if official else "",
                       created_day=int(rng.integers(day_of("2011-01-01"), day_of("2016-12-31"))),
                       account_language="ru", role=role, group=group, group_kind=kind, lang="ru",
                       client=_pick(rng, ("Twitter Web Client", "TweetDeck")) if official
                       else st.campaign_client if rng.random() < 0.6 else "Twitter Web Client")

    units: list[Unit] = []
    n_posers, f_posers = size.n(6)
    posers = [member("official_poser", followers=int(rng.integers(5000, 20000))) for _ in range(n_posers)]
    n_core, f_core = size.n(14)
    core = [member("core") for _ in range(n_core)]
    k = max(1, round(n_posers / 6))
    for leaders, followers in zip(_split(posers, k), _split(core, k), strict=True):
        units.append(partial(U.hub, leaders=leaders, followers=followers,
                             leader_mix={"moscow_city": 0.6, "united_russia": 0.3, "putin": 0.1},
                             follower_mix={"putin": 0.5, "united_russia": 0.4, "moscow_city": 0.1},
                             leader_mean=330 * f_posers, follower_mean=270 * f_core))
    n, f = size.n(1)
    for g in range(n):
        name = f"commercial_{g + 1}"
        members = [member("commercial", name, "commercial_retweet") for _ in range(RUSSIA_GROUP)]
        units.append(partial(U.commercial, members=members, n_bursts=max(10, round(240 * f)),
                             own_mix={"putin": 0.5, "united_russia": 0.5}, own_mean=150 * f,
                             ad_handles=EXTERNAL_HANDLES["ads_ru"]))
    n, f = size.n(1)
    for g in range(n):
        name = f"co_tweet_{g + 1}"
        members = [member("core", name, "co_tweet") for _ in range(RUSSIA_GROUP)]
        units.append(partial(U.co_tweet, members=members, mix={"putin": 0.5, "united_russia": 0.5},
                             n_texts=max(10, round(40 * f)), own_mean=150 * f))
    units += _organic(acc, rng, size, st, Organic({"ru": 1.0}, {"ru": "en"}, ("2010-01-01", "2016-12-31"), 100,
                                                  NEWS_DOMAINS, CAMPAIGN_ACCOUNTS["russia"]))
    return acc, st, units


# --- Turkey: AKP youth wing -----------------------------------------------------------------------------

TURKEY_NAMES = (("AK Gençlik İstanbul", "akgenc_ist"), ("Ahmet Yıldız 🇹🇷", "ahmetyildiz_"),
                ("Reis Sevdalısı", "reissevdalisi"), ("Mehmet Kaya", "mkaya_ak"), ("Dava Adamı", "davaadami"),
                ("Zeynep Ak", "zeynep_akgenc"))
TURKEY_BIOS = ("Recep Tayyip Erdoğan sevdalısı 🇹🇷", "AK Gençlik | Dava adamı", "Önce vatan 🇹🇷\nAK Parti",
               "Yerli ve milli", "Reis'in askeriyiz", "")
RINGS = 3  # retweet rings at least (several, so that ring detection is scored on more than one)
TURKEY_ISSUE_GROUP = 6  # members of each single-issue co-tweet batch
TURKEY_MIX = {"akp_promo": 0.5, "attack_hdp": 0.25, "attack_chp": 0.25}
OLD_BIOS = {"en": ("Music, movies and coffee", "Just me", "Travel addict ✈️"),
            "ar": ("الحمد لله دائما", "أحب السفر", ""), "de": ("Fußball und Freunde", "Berlin ❤️", "")}


def _turkey_hours(days: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return diurnal(days, rng, utc_offset=3)


def turkey(seed: int, size: Size, rng: np.random.Generator) -> tuple[Accounts, Style, list[Unit]]:
    months = _months("2017-01", "2020-03", {"2018-05": 3, "2018-06": 3, "2019-03": 3, "2019-06": 2.5})
    st = Style(
        key="turkey", domains=CAMPAIGN_DOMAINS["turkey"], handles={"tr": EXTERNAL_HANDLES["tr"],
                                                                   "en": EXTERNAL_HANDLES["en"]},
        control_handles=CONTROL_HANDLES, months={k: months for k in TURKEY_MIX}, hours=_turkey_hours,
        organic_start="2016-01-01", organic_end="2020-04-01", utc_offset=3, campaign_client="AKGenç Paylaşım",
    )
    acc = Accounts(seed, "synth_turkey_052020")

    def member(role: str, group: str = "", kind: str = "", **kw: object) -> int:
        big = role == "ring" and rng.random() < 0.15
        fc = int(rng.integers(5000, 30000)) if big else _lognormal_int(rng, 600, 1.0, 0, 4999)
        fc = int(kw.pop("followers", fc))  # type: ignore[call-overload]
        args = dict(following=_lognormal_int(rng, 700, 0.8, 0, 4999), location=_pick(rng, LOCATIONS["tr"]),
                    description=_pick(rng, TURKEY_BIOS), url="",
                    created_day=int(rng.integers(day_of("2012-01-01"), day_of("2016-12-31"))),
                    account_language="tr", role=role, group=group, group_kind=kind, lang="tr",
                    client=st.campaign_client if rng.random() < 0.5 else "Twitter for Android")
        args.update(kw)
        return acc.add(followers=fc, name=_pick(rng, TURKEY_NAMES) if big else None, **args)

    units: list[Unit] = []
    n, f = size.n(26, 6 * RINGS)
    ring_members = [member("ring") for _ in range(n)]
    n = len(ring_members)  # rings of 6-12 accounts, about 9, and at least RINGS of them
    k = max(round(n / 9), -(-n // 12), RINGS)
    for g, grp in enumerate(_split(ring_members, k)):
        for a in grp:
            acc[a].group, acc[a].group_kind = f"retweet_ring_{g + 1}", "retweet_ring"
        # each original is retweeted by ~1.8 ring-mates whatever the ring size
        units.append(partial(U.ring, members=grp, mix=TURKEY_MIX, orig_mean=165 * f, p_rt=1.8 / (len(grp) - 1)))
    comp = []
    n, f = size.n(6, 2)  # some compromised accounts at every size
    for _ in range(n):
        lang = _pick(rng, ("en", "ar", "de"))
        comp.append(member("compromised", lang=lang, account_language=lang, description=_pick(rng, OLD_BIOS[lang]),
                           location="", client=st.campaign_client,
                           created_day=int(rng.integers(day_of("2010-01-01"), day_of("2011-12-31")))))
    units += [partial(U.compromised, members=c, mix=TURKEY_MIX, pre_mean=200 * f, post_mean=150 * f,
                      first_day=day_of("2012-01-01"), switch_from=day_of("2018-03-01"),
                      switch_to=day_of("2019-06-01"), last_day=day_of("2020-04-01"), new_lang="tr")
              for c in size.chunks(comp)]
    issues = ({"attack_hdp": 1.0}, {"attack_chp": 1.0})
    n, f = size.n(2)
    for g in range(n):
        name = f"co_tweet_{g + 1}"
        batch = day_of("2019-01-07") + int(rng.integers(0, 400))
        members = [member("single_issue", name, "co_tweet", followers=int(rng.integers(0, 30)),
                          created_day=batch + int(rng.integers(0, 3)), description="",
                          client=st.campaign_client if rng.random() < 0.7 else "Twitter for Android")
                   for _ in range(TURKEY_ISSUE_GROUP)]
        units.append(partial(U.co_tweet, members=members, mix=issues[g % 2], n_texts=max(10, round(60 * f)),
                             own_mean=10 * f, start_day=batch + 3, end_day=batch + 120))
    units += _organic(acc, rng, size, st, Organic({"tr": 0.8, "en": 0.2}, {"tr": "en", "en": "tr"},
                                                  ("2010-01-01", "2016-12-31"), 100, NEWS_DOMAINS,
                                                  CAMPAIGN_ACCOUNTS["turkey"]))
    return acc, st, units


PLANS = {"china": china, "russia": russia, "turkey": turkey}


def make_ctx(key: str, acc: Accounts) -> Ctx:
    return Ctx(key=key, accounts=acc, ids=TweetIds())
