"""Multilingual tokenizer of the topic models: Chinese (jieba), Japanese, Thai, Lao, Khmer and Burmese (ICU)
segmented into words, other scripts split into words."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

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


def test_script_of_groups_scripts_written_without_spaces():
    texts = pd.Series(["ข่าว Thailand protest news today", "東京の選挙", "香港・警察", "ສະບາຍດີ", "ខ្មែរ",
                       "မြန်မာ", "ไทย 香港警察"])
    # any character of an unspaced script decides (the most frequent one); kana letters make CJK Japanese
    # (・ is a kana-block punctuation mark, not a letter: Chinese texts use it too)
    assert script_of(texts).tolist() == ["thai", "japanese", "cjk", "lao", "khmer", "myanmar", "cjk"]


# Hand-checked segmentations (ICU 78.3's dictionaries; stop words of stopwordsiso dropped: เพื่อ การ ของ ต้อง
# และ, は で について, ...). Glosses: "The Thai government announced new measures to control the outbreak";
# "Soldiers must protect the monarchy and the nation"; "Lao People's Democratic Republic"; "The Cambodian
# government announced new measures"; "The Tatmadaw protects the state"; "PM Abe explained the measures against
# the novel coronavirus at a press conference"; "The government announced new measures".
SEGMENTED = {
    "รัฐบาลไทยประกาศมาตรการใหม่เพื่อควบคุมการแพร่ระบาด": [
        "รัฐบาล", "ไทย", "ประกาศ", "มาตรการ", "ใหม่", "ควบคุม", "แพร่", "ระบาด"],
    "ทหารต้องปกป้องสถาบันพระมหากษัตริย์และประเทศชาติ": [
        "ทหาร", "ปกป้อง", "สถาบัน", "พระ", "มหา", "กษัตริย์", "ประเทศ", "ชาติ"],
    "ສາທາລະນະລັດປະຊາທິປະໄຕປະຊາຊົນລາວ": ["ສາທາລະນະລັດ", "ປະຊາທິປະໄຕ", "ປະຊາຊົນ", "ລາວ"],
    "រដ្ឋាភិបាលកម្ពុជាបានប្រកាសវិធានការថ្មី។": ["រដ្ឋាភិបាល", "កម្ពុជា", "បាន", "ប្រកាស", "វិធានការ", "ថ្មី"],
    "တပ်မတော်သည်နိုင်ငံတော်ကိုကာကွယ်သည်။": ["တပ်မတော်", "သည်", "နိုင်ငံတော်", "ကို", "ကာကွယ်သည်"],
    "安倍首相は記者会見で新型コロナウイルス対策について説明した": [
        "安倍", "首相", "記者", "会見", "新型", "コロナ", "ウイルス", "対策", "説明", "した"],
    "政府は新しい対策を発表しました": ["政府", "新しい", "対策", "発表", "しま", "した"],
}


@pytest.mark.parametrize("text", list(SEGMENTED))
def test_unspaced_scripts_are_segmented_into_words(text):
    assert Tokenizer()(text) == SEGMENTED[text]


def test_digits_and_punctuation_of_unspaced_scripts_separate_words():
    # Thai digits (๑๙) and Arabic ones are no words (ราย, "cases", is a stop word); a hashtag is a word
    assert Tokenizer()("ผู้ติดเชื้อ๑๙ราย 2563 #ประเทศไทย") == ["ผู้", "ติด", "เชื้อ", "ประเทศไทย"]
    assert Tokenizer()("ข่าว Thailand ดีมากๆ") == ["ข่าว", "thailand", "ดี", "มากๆ"]


def test_only_texts_with_kana_are_japanese_and_chinese_stays_on_jieba():
    tok = Tokenizer()
    assert tok("中华人民共和国成立七十周年") == tokenize._jieba().lcut("中华人民共和国成立七十周年", HMM=True)
    # the same characters in a Japanese text (a kana letter anywhere) are segmented by ICU
    assert tok("日本国憲法の改正") == ["日本国", "憲法", "改正"]


def test_jieba_prints_nothing_on_stderr_in_a_fresh_process():
    code = "from ioa_utils.topics import Tokenizer; print(Tokenizer()('香港警察依法执法'))"
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    assert "香港" in out.stdout
    assert out.stderr == ""


def _mixed_texts(n: int) -> list[str]:
    # letters of several scripts, digits (also non-ASCII), emoji, punctuation, apostrophes, CJK punctuation
    # inside the CJK ranges (・ ゠), combining marks, symbols inside the Latin range (× ÷), underscores
    pool = list("ab çğıİşü ыжЁ مرح 香港警察暴徒 ・゠ 0129٣ 😊🔥❤️ .,!?#_-'’ \u0301\u0307 ×÷ ²½ \t\n")
    # Thai, Lao, Khmer, Burmese letters, marks, digits and punctuation; kana letters and marks
    pool += list("ไทยที่ดี๑๙ๆฯ๏ ລາວໃໝ່໑ ខ្មែរ៕១ မြန်မာ၁။ のカナーゝ゛")
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
    names = list(tokenize.SCRIPTS)
    unspaced = [names.index(s) for s in tokenize.UNSPACED_GROUPS]

    def expected(text: str) -> str:
        c = [len(re.findall(f"[{chars}]", text)) for chars in tokenize.SCRIPTS.values()]
        name = (names[max(unspaced, key=lambda i: c[i])] if max(c[i] for i in unspaced)
                else names[int(np.argmax(c))] if max(c) else "none")
        return "japanese" if name == "cjk" and re.search(tokenize._KANA_LETTER, text) else name

    assert group.tolist() == [expected(t) for t in texts]
    assert {"thai", "lao", "khmer", "myanmar", "japanese", "cjk"} <= set(group)


def test_texts_with_nothing_to_segment_take_the_fast_path_with_the_same_tokens(monkeypatch):
    mixed = _mixed_texts(3000)
    spaced = [tokenize._ANY_RUN.sub("", t) for t in mixed]  # the same texts without any segmented script
    texts = mixed + spaced + ["Bugün Ankara'da miting! #AKParti https://t.co/x1", "Путин — наш президент", "ÇHP'nin"]
    assert sum(tokenize._ANY_RUN.search(t.lower()) is None for t in texts) >= 3000
    tok = Tokenizer()
    fast = [tok(t) for t in texts]
    monkeypatch.setattr(tokenize, "_ANY_RUN", re.compile(""))  # matches every text: the general path only
    assert fast == [tok(t) for t in texts]
