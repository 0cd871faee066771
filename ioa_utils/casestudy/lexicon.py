"""Keyword lists the case-study detectors match against (data only, no logic).

All entries are lower-case. ``NARRATIVES`` (read from the campaign files, ``data/campaigns/*.yaml``) are matched on
whole tokens of the normalized tweet text and hashtags (:mod:`.narratives`: "virus" does not match "antivirus"; a
Chinese keyword matches its characters in a row; a trailing ``*`` marks a stem that matches any token it begins, for
inflected forms and compounds: "путин*" matches "путина", "covid*" matches "covid19"). ``OFFICIAL_KEYWORDS`` are
matched the same way on the tokens of display names and bios by the Russia chapter ("дума" does not match
"думаю"). They are
written from what the Stanford Internet Observatory reports on the June 2020 takedowns describe and from ordinary
political vocabulary, not from the synthetic generator's templates; for another campaign, copy
``data/campaigns/template.yaml`` rather than editing them.
"""

from __future__ import annotations

from .campaign import narratives_of

# Words that make a display name or bio pose as an official office: ministries, city bureaus,
# administrations, press services, party branches, "official account".
OFFICIAL_KEYWORDS: dict[str, tuple[str, ...]] = {
    "ru": ("управлени*", "министерств*", "отделени*", "администраци*", "департамент*", "пресс-служб*",
           "пресс-центр*", "ведомств*", "мэрия", "мэрии", "префектур*", "управа", "управы", "совет депутатов",
           "комитет*", "официальн*", "правительств*", "дума", "думы", "думе", "госдум*", "горсовет*", "молодая гвардия",
           "региональное отделение", "местное отделение", "приём граждан", "прием граждан", "приёмная",
           "для жителей района"),
    "en": ("ministry", "ministry of", "office of", "official", "department of", "administration", "city hall",
           "press service", "press office", "municipality", "government of", "embassy", "consulate",
           "party branch", "regional branch", "council of"),
    "tr": ("bakanlığ*", "müdürlüğ*", "başkanlığ*", "belediye*", "valiliğ*", "valili*", "kaymakamlığ*",
           "resmi hesab*", "resmî hesab*", "il başkanlığ*", "ilçe başkanlığ*", "gençlik kolları",
           "büyükelçiliğ*"),
    "zh": ("官方", "官微", "政府", "部门", "外交部", "办公室", "新闻办", "大使馆", "领事馆", "委员会", "市委",
           "宣传部"),
    "fr": ("ministère", "ministere", "officiel", "officielle", "bureau de", "mairie", "préfecture", "ambassade",
           "gouvernement", "administration", "direction générale", "service de presse"),
    "ar": ("وزارة", "رسمي", "الرسمي", "سفارة", "حكومة", "مكتب", "بلدية", "الإدارة", "هيئة"),
    "de": ("ministerium", "offiziell*", "botschaft", "regierung", "pressestelle", "stadtverwaltung"),
    "es": ("ministerio", "oficial", "embajada", "gobierno", "alcaldía", "ayuntamiento"),
}

# Narratives: for each bundled campaign, label -> keywords (text or hashtags, any language). The keywords, the
# promotion/attack grouping and the thresholds of each campaign live in its file, data/campaigns/<campaign>.yaml
# (:mod:`.campaign`); this is a read-only view of them by campaign name.
NARRATIVES: dict[str, dict[str, tuple[str, ...]]] = narratives_of()

# Time zones per release: ioa_utils.registry (data/releases.yaml), not guessed from words of the id.
