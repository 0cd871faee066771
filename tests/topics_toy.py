"""A tiny hand-built release in the processed-tweets format, with planted narratives (test data)."""

from __future__ import annotations

import numpy as np
import pandas as pd

NARRATIVES: dict[str, tuple[str, list[str]]] = {
    "hong_kong": ("zh", ["香港", "暴徒", "警察", "秩序", "示威", "法治", "破坏", "止暴制乱", "黑衣人", "街头"]),
    "covid": ("zh", ["病毒", "疫情", "武汉", "口罩", "防控", "疫苗", "医生", "隔离", "感染", "抗疫"]),
    "putin": ("ru", ["путин", "президент", "кремль", "встреча", "губернатор", "указ", "страна", "лидер",
                     "россия", "развитие"]),
    "akp_promo": ("tr", ["akp", "erdoğan", "hizmet", "türkiye", "yatırım", "köprü", "millet", "güçlü",
                         "başkan", "zafer"]),
    "football": ("en", ["football", "match", "goal", "league", "striker", "coach", "season", "stadium",
                        "referee", "penalty"]),
}
# bilingual=True: hong_kong is also posted in English, and tweets carry hashtags (the Chinese ones share
# #hongkong with the English ones, as campaigns do); football keeps hashtags of its own.
ENGLISH_HONG_KONG = ["hong", "kong", "rioters", "police", "order", "protest", "violence", "streets", "law",
                     "masked"]
HASHTAGS = {("hong_kong", "zh"): ["hongkong", "香港"], ("hong_kong", "en"): ["hongkong"],
            ("covid", "zh"): ["抗疫"], ("putin", "ru"): ["путин"], ("akp_promo", "tr"): ["akp"],
            ("football", "en"): ["football", "premierleague"]}
FILLER = {"zh": ["今天", "大家", "看看", "真的"], "ru": ["сегодня", "новости", "важно"],
          "tr": ["bugün", "haber", "önemli"], "en": ["today", "news", "great"],
          "th": ["วันนี้", "ข่าว", "สำคัญ", "จริงๆ"], "ja": ["今日は", "みなさん", "本当に", "ですね"]}
UNSPACED = ("zh", "ja", "th")  # languages written without spaces between words
CLAUSE = {"ja": 3, "th": 3}  # a space after that many words (Thai separates clauses by a space, Japanese tweets often)
# Thai and Japanese narratives (themes of the Thai army's 2020 takedown and of Japanese-language campaigns),
# written without spaces: the word segmenter must find the words (tests/test_topics_segment.py)
NARRATIVES_UNSPACED: dict[str, tuple[str, list[str]]] = {
    "army": ("th", ["กองทัพ", "ทหาร", "ปกป้อง", "ประเทศชาติ", "ความมั่นคง", "ชายแดน", "ภาคใต้", "สันติภาพ",
                    "พัฒนา", "ช่วยเหลือ"]),
    "monarchy": ("th", ["สถาบัน", "พระมหากษัตริย์", "จงรักภักดี", "ในหลวง", "ทรงพระเจริญ", "ราชวงศ์",
                        "พระราชกรณียกิจ", "ประชาชน", "เคารพ", "ศรัทธา"]),
    "protest": ("th", ["ม็อบ", "ผู้ชุมนุม", "ความรุนแรง", "กฎหมาย", "ตำรวจ", "ถนน", "ปิด", "ก่อกวน", "วุ่นวาย",
                       "แกนนำ"]),
    "covid_ja": ("ja", ["コロナ", "ワクチン", "マスク", "感染", "病院", "医療", "緊急事態", "宣言", "検査", "自粛"]),
    "olympics": ("ja", ["東京", "五輪", "オリンピック", "延期", "選手", "開催", "競技", "聖火", "大会", "メダル"]),
}


def toy_tweets(n_per_narrative: int = 120, seed: int = 0, retweet_share: float = 0.3,
               bilingual: bool = False, narratives: dict[str, tuple[str, list[str]]] | None = None
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(processed tweets, ground-truth tweets with ``narrative``) for a small mixed-script release.

    ``bilingual``: add English hong_kong tweets and a ``hashtags`` column (see ``HASHTAGS``).
    ``narratives``: these instead of ``NARRATIVES`` (e.g. ``NARRATIVES_UNSPACED``).
    """
    rng = np.random.default_rng(seed)
    rows, truth = [], []
    start = pd.Timestamp("2020-01-06", tz="UTC")
    tid = 10**17
    versions = [(n, lang, words) for n, (lang, words) in (narratives or NARRATIVES).items()]
    if bilingual:
        versions.append(("hong_kong", "en", ENGLISH_HONG_KONG))
    for narrative, lang, words in versions:
        for i in range(n_per_narrative):
            tid += 1
            toks = list(rng.choice(words, size=5, replace=False)) + list(rng.choice(FILLER[lang], size=1))
            sep = "" if lang in UNSPACED else " "
            text = sep.join(toks) if lang not in CLAUSE else "".join(toks[:CLAUSE[lang]]) + " " + "".join(
                toks[CLAUSE[lang]:])
            tags: list[str] = []
            if bilingual:
                tags = [str(h) for h in rng.choice(HASHTAGS[narrative, lang], size=1)]
                text += " " + " ".join("#" + h for h in tags)
            kind = "reply" if i % 10 == 9 else "original"
            when = start + pd.Timedelta(hours=int(rng.integers(0, 24 * 70)))
            rows.append((str(tid), f"u{narrative}{i % 7}", when, kind, lang, text, None, tags))
            truth.append((str(tid), narrative))
            if kind == "original" and rng.random() < retweet_share:
                tid += 1
                rows.append((str(tid), f"a{narrative}{i % 5}", when + pd.Timedelta(hours=1), "retweet", lang,
                             text, str(tid - 1), tags))
                truth.append((str(tid), narrative))
    tweets = pd.DataFrame(rows, columns=["tweetid", "userid", "tweet_time", "tweet_kind", "tweet_language",
                                         "text_norm", "retweet_tweetid", "hashtags"])
    if not bilingual:
        tweets = tweets.drop(columns="hashtags")
    tweets["tweet_time"] = tweets["tweet_time"].astype("datetime64[s, UTC]")
    tweets["client"] = np.where(tweets["userid"].str.startswith("a"), "Twitter Web App", "Twitter for Android")
    return tweets, pd.DataFrame(truth, columns=["tweetid", "narrative"])
