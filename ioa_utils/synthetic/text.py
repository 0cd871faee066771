"""Tweet texts from topic templates: phrases + slot words + shared fillers + hashtags, URLs, mentions.

Vectorised enough: all random numbers are drawn at once, the per-tweet work is plain string building.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .ids import external_userid
from .lexicon_campaign import CAMPAIGN_TOPICS
from .lexicon_common import FILLERS, JOINERS, ORGANIC_TOPICS, Topic

TOPICS: dict[tuple[str, str], Topic] = {**CAMPAIGN_TOPICS, **ORGANIC_TOPICS}
_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


@dataclass
class Texts:
    text: list[str]
    hashtags: list[list[str]]
    urls: list[list[str]]
    mentions: list[list[str]]  # numeric user ids, as in the real files


def _pick(seq: tuple[str, ...], u: float) -> str:
    return seq[int(u * len(seq))]


def _code(u1: float, u2: float) -> str:
    """A 10-character t.co code."""
    out = []
    for u in (u1, u2):
        x = int(u * 62**5)
        for _ in range(5):
            x, r = divmod(x, 62)
            out.append(_B62[r])
    return "".join(out)


def _phrase(topic: Topic, u1: float, u2: float, u3: float) -> str:
    p = _pick(topic.phrases, u1)
    p = p.replace("{w}", _pick(topic.words, u2), 1)
    return p.replace("{w}", _pick(topic.words, u3))


def render(rng: np.random.Generator, narratives: list[str], langs: list[str], *, domains: tuple[str, ...],
           handles: tuple[str, ...], p_url: float = 0.15, p_mention: float = 0.08,
           p_tags: tuple[float, ...] = (0.35, 0.4, 0.2, 0.05), p_two: float = 0.45) -> Texts:
    """One text per (narrative, language) pair."""
    n = len(narratives)
    u = rng.random((n, 16))
    cum_tags = np.cumsum(p_tags)
    n_tags = np.searchsorted(cum_tags, u[:, 7] * cum_tags[-1], side="right")
    texts, tags_out, urls_out, ment_out = [], [], [], []
    for i in range(n):
        lang = langs[i]
        topic = TOPICS[(narratives[i], lang)]
        r = u[i]
        body = _phrase(topic, r[1], r[2], r[3])
        if r[0] < p_two:
            body += _pick(JOINERS[lang], r[4]) + _phrase(topic, r[5], r[6], r[13])
        openers, closers = FILLERS[lang]
        body = _pick(openers, r[14]) + body + _pick(closers, r[15])
        k = int(n_tags[i])
        tags = [topic.hashtags[(int(r[8] * len(topic.hashtags)) + j) % len(topic.hashtags)]
                for j in range(min(k, len(topic.hashtags)))]
        if tags:
            body += " " + " ".join("#" + t for t in tags)
        mentions: list[str] = []
        if r[12] < p_mention and handles:
            h = _pick(handles, r[11])
            body += f" @{h}"
            mentions.append(external_userid(h))
        urls: list[str] = []
        if r[9] < p_url and domains:
            code = _code(r[10], r[11])
            urls.append(f"https://{_pick(domains, r[10])}/{code[:6].lower()}{int(r[9] * 1e6)}")
            body += f" https://t.co/{code}"
        texts.append(body)
        tags_out.append(tags)
        urls_out.append(urls)
        ment_out.append(mentions)
    return Texts(texts, tags_out, urls_out, ment_out)
