"""Keyword lists the case-study detectors match against (data only, no logic).

All entries are lower-case. ``NARRATIVES`` are matched on whole tokens of the normalized tweet text
and hashtags (:mod:`.narratives`: "virus" does not match "antivirus"; a Chinese keyword matches its
characters in a row; a trailing ``*`` marks a stem that matches any token it begins, for inflected forms
and compounds: "путин*" matches "путина", "covid*" matches "covid19"). ``OFFICIAL_KEYWORDS`` are still
matched as substrings of profile fields by the Russia chapter (``официальн``, ``bakanlığ`` are stems).
They are written from what the Stanford Internet Observatory reports on the June 2020 takedowns describe
and from ordinary political vocabulary, not from the synthetic generator's templates; extend them for other campaigns.
"""

from __future__ import annotations

# Words that make a display name or bio pose as an official office: ministries, city bureaus,
# administrations, press services, party branches, "official account".
OFFICIAL_KEYWORDS: dict[str, tuple[str, ...]] = {
    "ru": ("управление", "министерство", "министерства", "отделение", "администрация", "администрации",
           "департамент", "пресс-служба", "пресс-центр", "ведомство", "мэрия", "префектура", "управа",
           "совет депутатов", "комитет", "официальн", "правительство", "дума", "горсовет", "молодая гвардия",
           "региональное отделение", "местное отделение", "приём граждан", "прием граждан", "приёмная",
           "для жителей района"),
    "en": ("ministry", "ministry of", "office of", "official", "department of", "administration", "city hall",
           "press service", "press office", "municipality", "government of", "embassy", "consulate",
           "party branch", "regional branch", "council of"),
    "tr": ("bakanlığı", "bakanlığ", "müdürlüğü", "başkanlığı", "belediyesi", "valiliği", "kaymakamlığı",
           "resmi hesab", "resmî hesab", "il başkanlığı", "ilçe başkanlığı", "gençlik kolları", "büyükelçiliği"),
    "zh": ("官方", "官微", "政府", "部门", "外交部", "办公室", "新闻办", "大使馆", "领事馆", "委员会", "市委",
           "宣传部"),
    "fr": ("ministère", "ministere", "officiel", "officielle", "bureau de", "mairie", "préfecture", "ambassade",
           "gouvernement", "administration", "direction générale", "service de presse"),
    "ar": ("وزارة", "رسمي", "الرسمي", "سفارة", "حكومة", "مكتب", "بلدية", "الإدارة", "هيئة"),
    "de": ("ministerium", "offiziell", "botschaft", "regierung", "pressestelle", "stadtverwaltung"),
    "es": ("ministerio", "oficial", "embajada", "gobierno", "alcaldía", "ayuntamiento"),
}

# Narratives: for each campaign, label -> keywords (text or hashtags, any language).
NARRATIVES: dict[str, dict[str, tuple[str, ...]]] = {
    "china": {
        "hong_kong": ("香港", "暴徒", "止暴制乱", "黑衣", "示威", "港独", "警察", "一国两制", "hong kong", "hongkong*",
                      "rioter*", "hkpolice", "hongkongpolice", "protester*", "黎智英"),
        "covid": ("新冠", "疫情", "病毒", "抗疫", "武汉", "核酸", "口罩", "肺炎", "covid*", "coronavirus", "wuhan",
                  "pandemic", "virus", "masks", "ventilator*", "outbreak*"),
        "guo_wengui": ("郭文贵", "郭骗子", "爆料", "文贵", "guo wengui", "milesguo", "miles guo", "guowengui"),
        "taiwan": ("台湾", "台独", "蔡英文", "民进党", "两岸", "一个中国", "taiwan*", "tsai ing-wen", "tsai", "dpp",
                   "cross-strait"),
    },
    "russia": {
        "putin": ("путин*", "президент*", "прямаялиния", "прямая линия", "владимир владимирович", "putin*",
                  "kremlin", "кремл*"),
        "united_russia": ("единая россия", "единой россии", "единую россию",
                          "единаяроссия", "единоросс*", "#ер", "партия ер", "united russia",
                          "unitedrussia", "молодая гвардия", "мгер"),
    },
    "turkey": {
        "akp_promo": ("ak parti", "akparti", "ak gençlik", "akgençlik", "erdoğan", "erdogan", "reis", "dava",
                      "milli irade", "yerli ve milli", "güçlü türkiye"),
        "attack_hdp": ("hdp", "pkk", "terör*", "diyarbakır anneleri", "diyarbakıranneleri", "kandil", "demirtaş"),
        "attack_chp": ("chp", "kılıçdaroğlu", "kemal bey", "imamoğlu", "ekrem", "cumhuriyet halk"),
    },
}

# The narratives of a campaign that are *promotion* and those that are *attacks* (for the Turkey chapter).
PROMOTION = {"turkey": ("akp_promo",), "russia": ("putin", "united_russia")}
ATTACK = {"turkey": ("attack_hdp", "attack_chp")}

# Time zones per release: ioa_utils.registry (data/releases.yaml), not guessed from words of the id.
