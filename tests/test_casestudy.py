"""Case-study detectors: floors against the planted ground truth of the default synthetic releases,
"not applicable" behaviour, and a run on the real RNA_0621 release."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest
from casestudy_frames import accounts as _accounts
from casestudy_frames import tweets as _tweets

from ioa_utils import casestudy as cs
from ioa_utils import store
from ioa_utils.casestudy import china, compare
from ioa_utils.casestudy.base import CaseData
from ioa_utils.casestudy.narratives import label_frame, label_sql
from ioa_utils.registry import UnknownReleaseError
from ioa_utils.workspace import Workspace

CHINA, RUSSIA, TURKEY = "synth_china_052020", "synth_russia_052020", "synth_turkey_052020"


@pytest.fixture(scope="module")
def data() -> dict[str, CaseData]:
    ws = Workspace()
    return {r: cs.load(r, ws, topics=False) for r in ws.prepare()}


@pytest.fixture(scope="module")
def findings(data) -> dict[str, dict]:
    return {r: compare.run_all(d) for r, d in data.items()}


# (release, detector, precision floor, recall floor): measured on the default data (seed 2020, scale 1)
# then set a little lower; the measured values are in the comment. Organic hard negatives (ioa_utils/synthetic:
# fans, newcomers, workers) are false positives, as their look-alikes would be on real data.
FLOORS = [
    (CHINA, "zero-follower personas", 0.80, 0.48),  # 0.874 / 0.536 (followers drawn, not cut at 5; newcomers FP)
    (CHINA, "office hours", 0.85, 0.35),  # 0.894 / 0.401 (only accounts with >= 10 tweets are tested; workers FP)
]
# detector -> the organic roles that look like its target; on China, its false positives are mostly these
LOOKALIKES = {"amplifiers": "organic_fan", "zero-follower personas": "organic_newcomer",
              "office hours": "organic_worker"}


@pytest.mark.parametrize(("release", "detector", "p_floor", "r_floor"), FLOORS)
def test_detector_floors_on_default_data(data, findings, release, detector, p_floor, r_floor):
    f = findings[release][detector]
    assert f.applicable, f.summary()
    s = f.score(data[release].truth)
    assert s["n_positive"] > 0
    assert s["precision"] >= p_floor and s["recall"] >= r_floor, (f.summary(), s)


@pytest.fixture(scope="module")
def amplified_china(tmp_path_factory: pytest.TempPathFactory) -> CaseData:
    """China with its amplifiers planted (``china_amplifiers``): the default release, like the real one, has none."""
    from ioa_utils.synthetic import generate

    base = tmp_path_factory.mktemp("amplified")
    generate(base / "raw", seed=2020, scale=0.5, releases=[CHINA], china_amplifiers=True)
    ws = Workspace(base / "raw", base / "work")
    ws.prepare([CHINA])
    return cs.load(CHINA, ws, topics=False)


# amplifiers/core: the coordination stage's thresholds (traces.AMPLIFIER: >= 5 retweets, >= 70% of them), on China
# generated with amplifiers (seed 2020, scale 0.5: 428 amplifiers, 206 core, China's real 15 tweets per account).
# Measured: amplifiers P 0.354 (46 of 130; 84 FP, organic fans) R 0.107 (most amplifiers make < 5 retweets at
# this activity); core P 1.000 R 0.199 (41 of 206). Before the real shape (default data with amplifiers, 2.2x the
# activity): 0.574 / 0.264 and 1.000 / 0.330.
AMPLIFIER_FLOORS = {"amplifiers": (0.30, 0.08), "core": (0.95, 0.15)}


@pytest.mark.parametrize("detector", list(AMPLIFIER_FLOORS))
def test_amplifier_floors_where_amplifiers_are_planted(amplified_china, detector):
    amp, core = china.core_amplifiers(amplified_china)
    f = {"amplifiers": amp, "core": core}[detector]
    s = f.score(amplified_china.truth)
    p_floor, r_floor = AMPLIFIER_FLOORS[detector]
    assert s["n_positive"] > 0 and s["precision"] >= p_floor and s["recall"] >= r_floor, (f.summary(), s)
    assert china.has_amplifiers(amplified_china.truth)
    assert china.amplifier_note(amp, core, amplified_china.truth).startswith("The release holds ")


def test_no_amplifiers_in_the_default_china_release(data, findings):
    """The real release and the default synthetic one hold no amplifiers: what the rule flags is a false
    positive, said so, and neither rule is scored in the China chapter."""
    truth = data[CHINA].truth
    amp, core = findings[CHINA]["amplifiers"], findings[CHINA]["core"]
    assert china.has_amplifiers(truth) is False and amp.score(truth)["tp"] == 0
    note = china.amplifier_note(amp, core, truth)
    assert note.startswith("The release holds no amplifier accounts") and f"{amp.n_accounts:,} accounts" in note


@pytest.mark.parametrize(("detector", "role"), list(LOOKALIKES.items()))
def test_hard_negatives_are_the_false_positives(data, findings, detector, role):
    truth = data[CHINA].truth
    s = findings[CHINA][detector].score(truth)
    roles = truth.accounts.set_index("userid")["role"].reindex(findings[CHINA][detector].flagged)
    assert s["fp"] > 0 and (roles == role).sum() >= 0.8 * s["fp"], roles.value_counts().to_dict()


def test_narrative_labels_and_covid_peak(data, findings):
    f = findings[CHINA]["narratives"]
    assert "covid peaks in 2020-03" in f.evidence
    scored = china.score_narratives(f, data[CHINA])
    # The generator's vocabulary is written apart from the keywords (tests/test_vocabulary_overlap.py), with
    # paraphrases they miss, and organic opposite-stance tweets name the same targets: measured precision
    # 0.898-0.967, recall 0.448-0.578 (China); 0.968-0.978 and 0.583-0.614 (Turkey). Before the rewrite the
    # templates held nearly every China keyword: precision >= 0.95, recall >= 0.875.
    assert (scored["precision"] >= 0.85).all() and (scored["recall"] >= 0.40).all(), scored
    party = china.score_narratives(findings[TURKEY]["party messaging"], data[TURKEY])
    assert (party["precision"] >= 0.93).all() and (party["recall"] >= 0.53).all(), party


def test_other_campaigns_lexicons_do_not_apply(findings):
    assert not findings[RUSSIA]["narratives"].applicable
    assert not findings[CHINA]["cheerleading"].applicable
    assert not findings[CHINA]["party messaging"].applicable
    assert "not applicable" in findings[RUSSIA]["party messaging"].summary()


def test_profile_tables(data):
    p = cs.profile(data[RUSSIA])
    assert p.summary["tweets"] == data[RUSSIA].n_tweets
    assert p.hours.to_numpy().sum() == data[RUSSIA].n_tweets and p.hours.shape == (7, 24)
    assert math.isclose(p.kinds.sum(), 1.0) and math.isclose(p.languages.sum(), 1.0)
    assert p.followers["accounts"].sum() == len(data[RUSSIA].accounts)
    assert list(p.top.columns) == ["hashtags", "mentions", "URLs", "domains"]
    # Moscow office hours: most campaign tweets fall on weekdays 9-18 h Moscow time, far fewer in UTC+8
    moscow = next(v for k, v in p.summary.items() if k.startswith("% tweets weekdays"))
    shifted = cs.profile(dataclasses.replace(data[RUSSIA], timezone="Asia/Shanghai"))
    assert moscow > next(v for k, v in shifted.summary.items() if k.startswith("% tweets weekdays")) + 20


def test_summary_text_is_computed_from_data(data, findings):
    p = cs.profile(data[TURKEY])
    text = compare.summary_text(p, findings[TURKEY], data[TURKEY].truth)
    rings = int((data[TURKEY].truth.accounts["role"] == "ring").sum())  # 18 on the default data
    assert f"{data[TURKEY].n_tweets:,} tweets" in text and f"retweet rings ({rings} accounts)" in text
    assert "Against the planted ground truth" in text


# --- small hand-made cases -------------------------------------------------------------------------------

def test_not_applicable_instead_of_failing():
    tw = _tweets([{"tweetid": str(i), "userid": "a", "tweet_time": f"2020-01-0{i + 1} 10:00"} for i in range(3)])
    d = CaseData.from_frames("tiny", tw, _accounts(["a"]), timezone="UTC")
    found = compare.run_all(d)
    for name in ("retweet rings", "retweet-for-hire", "compromised accounts", "narratives", "cheerleading",
                 "party messaging", "office hours", "amplifiers", "core"):
        assert not found[name].applicable and found[name].flagged == [], name
        assert found[name].summary().startswith(f"{name}: not applicable: ")
    assert found["official posers"].applicable and found["official posers"].n_accounts == 0
    assert found["retweet rings"].score(None) is None


def test_time_zone_and_campaign_guesses():
    assert cs.guess_timezone("synth_china_052020") == "Asia/Shanghai"
    assert cs.guess_timezone("turkey_052020") == "Europe/Istanbul"
    assert cs.guess_timezone("RNA_0621") == "Europe/Moscow"
    assert cs.guess_timezone("venezuela_201901") == "America/Caracas"  # from the release registry
    with pytest.raises(UnknownReleaseError, match="timezone"):  # never a silent UTC
        cs.guess_timezone("neverland_012030")
    assert cs.guess_campaign("synth_russia_052020") == "russia" and cs.guess_campaign("RNA_0621") is None


def test_real_release_runs_without_ground_truth(real_dir, tmp_path):
    ws = Workspace(real_dir, tmp_path)
    d = cs.load(ws.prepare()[0], ws, topics=False)
    assert d.truth is None and d.timezone == "Europe/Moscow"
    found = compare.run_all(d)
    assert all(f.score(None) is None for f in found.values())
    assert not found["cheerleading"].applicable and not found["party messaging"].applicable
    assert found["official posers"].applicable and found["retweet rings"].applicable
    p = cs.profile(d, tmp_path)
    assert p.summary["tweets"] == 4646
    assert "No ground truth" in compare.summary_text(p, found, None)


def test_pick_release():
    from ioa_utils.casestudy import pick_release

    ids = ["synth_china_052020", "synth_russia_052020", "synth_turkey_052020"]
    assert pick_release(ids, None, "china") == "synth_china_052020"
    assert pick_release(ids, "synth_turkey_052020", "china") == "synth_turkey_052020"
    assert pick_release(["RNA_0621"], None, "turkey") == "RNA_0621"
    with pytest.raises(ValueError, match="pass it as the `release` parameter"):
        pick_release(["RNA_0621", "iran_201901"], None, "china")


# --- token matching and the data layer ------------------------------------------------------------------

LEX = {"covid": ("virus", "covid*", "病毒"), "duma": ("дума",), "hong_kong": ("hong kong", "香港"),
       "party": ("#ер", "tsai ing-wen", "一个中国")}


@pytest.mark.parametrize(("text", "hashtags", "label"), [
    ("antivirus software sale", [], None),  # a keyword inside a longer word is not a match
    ("the virus is spreading", [], "covid"),
    ("я думаю, что", [], None),  # "дума" is not "думаю"
    ("госдума приняла", [], None),
    ("дума приняла закон", [], "duma"),
    ("Hong Kong police", [], "hong_kong"),  # phrases: their tokens in a row, any case
    ("hong. kong", [], None),  # ... never across punctuation
    ("香港警察", [], "hong_kong"),  # Chinese: characters in a row, no segmentation needed
    ("真相只有一个。中国", [], None),
    ("", ["covid19"], "covid"),  # stems ("covid*") match a token they begin; hashtags count
    ("", ["antivirus"], None),
    ("ер", [], None),  # "#ер" matches the hashtag only
    ("", ["ер"], "party"),
    ("tsai ing-wen said", [], "party"),
    ("virus virus 香港", [], "covid"),  # most hits wins
    ("virus 香港", [], "covid"),  # ties: lexicon order
])
def test_narrative_labels_match_whole_tokens(text, hashtags, label):
    tw = pd.DataFrame({"text_norm": [text], "hashtags": [hashtags]})
    assert label_frame(tw, LEX).tolist() == [label]


def test_label_sql_runs_inside_duckdb_on_case_data():
    tw = _tweets([{"tweetid": str(i), "userid": "a", "tweet_time": "2020-01-01", "text_norm": t}
                  for i, t in enumerate(["virus", "antivirus", "дума", "думаю", None])])
    d = CaseData.from_frames("tiny", tw, _accounts(["a"]))
    got = d.query(f"SELECT tweetid, {label_sql(LEX)} AS label FROM tweets ORDER BY tweetid")
    assert got["label"].fillna("-").tolist() == ["covid", "-", "duma", "-", "-"]


def test_case_data_reads_tweets_out_of_core(data):
    d = data[CHINA]
    assert d.n_tweets == store.parquet_rows(store.table_path(CHINA, "tweets"))
    assert d.query("SELECT count(*) AS n FROM tweets")["n"].iloc[0] == d.n_tweets
    settings = d.query("SELECT current_setting('threads') AS t, current_setting('memory_limit') AS m").iloc[0]
    assert settings["t"] == cs.base.THREADS and settings["m"].endswith("GiB")
    frame = d.tweets_frame(["tweetid", "tweet_time"])
    assert list(frame.columns) == ["tweetid", "tweet_time"] and len(frame) == d.n_tweets
    assert frame["tweet_time"].is_monotonic_increasing
    n_acc = d.query("SELECT count(*) AS n FROM accounts")["n"].iloc[0]
    assert n_acc == len(d.accounts) and not d.has_topics and not hasattr(d, "tweets")


def test_topics_view_from_frames():
    tw = _tweets([{"tweetid": "1", "userid": "a", "tweet_time": "2020-01-01"}])
    topics = pd.DataFrame({"tweetid": ["1"], "userid": ["a"], "topic": [3], "topic_label": ["3_x"]})
    d = CaseData.from_frames("tiny", tw, _accounts(["a"]), topics=topics)
    assert d.has_topics and d.query("SELECT topic FROM topics")["topic"].tolist() == [3]


def test_china_chapter_never_materialises_the_tweets(data, monkeypatch):
    """Profile and every China detector aggregate in SQL: ``CaseData.tweets_frame`` (every tweet) fails the test."""
    def refuse(self, *args):
        raise AssertionError("materialised every tweet")

    monkeypatch.setattr(CaseData, "tweets_frame", refuse)  # the only way to get every tweet into pandas
    d = dataclasses.replace(data[CHINA])
    cs.profile(d)
    nar = china.narratives(d)
    assert nar.applicable and china.score_narratives(nar, d) is not None
    for f in (*china.core_amplifiers(d), china.personas(d), china.office_hours(d)):
        assert f.applicable and f.n_accounts > 0, f.summary()


def test_office_hours_converts_time_zones_in_sql():
    # Monday 2020-01-06 02:00 UTC is 10:00 in Shanghai (office hours) and 02:00 in London (not)
    tw = _tweets([{"tweetid": str(i), "userid": "a", "tweet_time": "2020-01-06 02:00"} for i in range(10)])
    shanghai = china.office_hours(CaseData.from_frames("tiny", tw, _accounts(["a"]), timezone="Asia/Shanghai"))
    london = china.office_hours(CaseData.from_frames("tiny", tw, _accounts(["a"]), timezone="Europe/London"))
    assert shanghai.flagged == ["a"] and london.flagged == []
    assert shanghai.table["office_share"].tolist() == [1.0] and london.table["office_share"].tolist() == [0.0]
