"""Multilingual tokenizer of the topic models: Chinese segmented, other scripts split into words."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pandas as pd

from ioa_utils.paths import PROJECT_ROOT
from ioa_utils.topics import Tokenizer, script_of, stop_words, tokenize
from ioa_utils.topics.tokenize import token_key


def test_chinese_is_segmented_into_words_not_one_token():
    toks = Tokenizer()("香港暴徒破坏社会秩序警察依法执法")
    assert len(toks) >= 4
    assert "香港" in toks and "暴徒" in toks


def test_cyrillic_and_turkish_are_split_into_words_not_characters():
    assert Tokenizer()("Путин провёл встречу с губернаторами") == ["путин", "провёл", "встречу", "губернаторами"]
    assert Tokenizer()("AKP iktidarı Türkiye için çalışıyor") == ["akp", "iktidarı", "türkiye", "çalışıyor"]


def test_mixed_script_tweet_keeps_both_parts():
    toks = Tokenizer()("香港警察 #HongKong police 2019")
    assert {"香港", "警察", "hongkong", "police"} <= set(toks)
    assert "2019" not in toks


def test_stop_words_come_from_stopwordsiso_for_each_language():
    sw = stop_words(("en", "zh", "ru", "tr"))
    assert {"the", "的", "и", "ve"} <= sw
    assert Tokenizer(("en", "zh", "ru", "tr"))("the police и полиция ve polis 的 警察") == [
        "police", "полиция", "polis", "警察"]
    assert "the" in Tokenizer(("ru",))("the police")  # only the languages asked for


def test_script_of_groups_texts_by_dominant_script():
    texts = pd.Series(["香港 police", "путин кремль", "akp hizmet", "مرحبا بكم", "123 !!", None])
    assert script_of(texts).tolist() == ["cjk", "cyrillic", "latin", "arabic", "none", "none"]


def test_jieba_prints_nothing_on_stderr_in_a_fresh_process():
    code = "from ioa_utils.topics import Tokenizer; print(Tokenizer()('香港警察依法执法'))"
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    assert "香港" in out.stdout
    assert out.stderr == ""


def _mixed_texts(n: int) -> list[str]:
    # letters of several scripts, digits (also non-ASCII), emoji, punctuation, apostrophes, CJK punctuation
    # inside the CJK ranges (・ ゠), combining marks, symbols inside the Latin range (× ÷), underscores
    pool = list("ab çğıİşü ыжЁ مرح 香港警察暴徒 ・゠ 0129٣ 😊🔥❤️ .,!?#_-'’ \u0301\u0307 ×÷ ²½ \t\n")
    rng = np.random.default_rng(3)
    return ["".join(rng.choice(pool, size=rng.integers(0, 40))) for _ in range(n)] + ["", " ", "  x  1 "]


def test_token_key_keeps_the_tokens_of_every_text():
    texts = _mixed_texts(3000)
    texts += ["akp iktidarı 12 😊", "akp iktidarı!!", "don't 2day", "香港・警察 2019", "İstanbul", "x1y"]
    tok = Tokenizer()
    for text in texts:
        assert tok(token_key(text)) == tok(text), text
    assert token_key("akp iktidarı 12 😊") == token_key("akp iktidarı!!") == "akp iktidarı"


def test_describe_gives_the_per_text_regex_results(monkeypatch):
    monkeypatch.setattr(tokenize, "CHUNK", 500)  # several chunks
    texts = _mixed_texts(2000)
    group, letters, keys = tokenize.describe(texts)
    assert keys.tolist() == [token_key(t) for t in texts]
    assert letters.tolist() == [re.search(r"[^\W\d_]", t) is not None for t in texts]
    counts = [[len(re.findall(f"[{c}]", t)) for c in tokenize.SCRIPTS.values()] for t in texts]
    names = list(tokenize.SCRIPTS)
    assert group.tolist() == ["cjk" if c[0] else names[int(np.argmax(c))] if max(c) else "none" for c in counts]
