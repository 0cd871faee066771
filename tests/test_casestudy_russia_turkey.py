"""Russia and Turkey chapters: floors against the planted ground truth of the default synthetic releases,
quiet where a tactic was not planted, the SQL aggregations equal to plain pandas on the same tweets, the
coordination stage as the one source of rings and co-retweet communities, and no detector materialising
the tweets of a release."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from casestudy_frames import accounts as _accounts
from casestudy_frames import tweets as _tweets

from ioa_utils import casestudy as cs
from ioa_utils.casestudy import russia, turkey
from ioa_utils.casestudy.base import CaseData
from ioa_utils.casestudy.narratives import label_frame
from ioa_utils.coordination import stage as cstage
from ioa_utils.coordination.groups import retweet_rings
from ioa_utils.coordination.traces import ring_params
from ioa_utils.workspace import Workspace

CHINA, RUSSIA, TURKEY = "synth_china_052020", "synth_russia_052020", "synth_turkey_052020"
DETECTORS = {"official posers": russia.official_posers, "cheerleading": russia.cheerleading,
             "low engagement": russia.engagement, "retweet-for-hire": russia.commercial_cluster,
             "retweet rings": turkey.rings, "compromised accounts": turkey.compromised,
             "single-issue batches": turkey.single_issue_batches, "party messaging": turkey.party_messaging}


@pytest.fixture(scope="module")
def data() -> dict[str, CaseData]:
    ws = Workspace()
    return {r: cs.load(r, ws, topics=False) for r in ws.prepare()}


@pytest.fixture(scope="module")
def findings(data) -> dict[str, dict]:
    return {r: {k: f(d) for k, f in DETECTORS.items()} for r, d in data.items()}


# (release, detector, precision floor, recall floor): measured on the default data (seed 2020, scale 1)
# then set a little lower; the measured values are in the comment.
FLOORS = [
    (RUSSIA, "official posers", 0.95, 0.95),  # 1.000 / 1.000
    # organic accounts criticising Putin and United Russia name them too (stance), and campaign tweets paraphrase:
    # 7 organic false positives (control, worker, newcomer); 1.000 / 0.971 before the generator's vocabulary rewrite
    (RUSSIA, "cheerleading", 0.70, 0.65),  # 0.774 / 0.706
    # one organic false positive with the real shapes (16 of 17 flags planted); 1.000 / 0.824 before
    (RUSSIA, "low engagement", 0.90, 0.75),  # 0.941 / 0.889
    (RUSSIA, "retweet-for-hire", 0.95, 0.95),  # 1.000 / 1.000
    (TURKEY, "retweet rings", 0.95, 0.95),  # 1.000 / 1.000
    (TURKEY, "compromised accounts", 0.95, 0.95),  # 1.000 / 1.000
    (TURKEY, "single-issue batches", 0.95, 0.95),  # 1.000 / 1.000
    # 27 organic false positives: CHP/HDP voters and AKP critics name the parties too (stance); 1.000 / 1.000 before
    (TURKEY, "party messaging", 0.58, 0.95),  # 0.630 / 1.000
]


@pytest.mark.parametrize(("release", "detector", "p_floor", "r_floor"), FLOORS)
def test_detector_floors_on_default_data(data, findings, release, detector, p_floor, r_floor):
    f = findings[release][detector]
    assert f.applicable, f.summary()
    s = f.score(data[release].truth)
    assert s["n_positive"] > 0
    assert s["precision"] >= p_floor and s["recall"] >= r_floor, (f.summary(), s)


@pytest.mark.parametrize(("release", "detector"), [(CHINA, "official posers"),
                                                   (CHINA, "compromised accounts"), (RUSSIA, "retweet rings"),
                                                   (RUSSIA, "compromised accounts"), (TURKEY, "retweet-for-hire"),
                                                   (TURKEY, "official posers"), (RUSSIA, "single-issue batches")])
def test_detectors_stay_quiet_where_the_tactic_was_not_planted(findings, release, detector):
    assert findings[release][detector].n_accounts == 0, findings[release][detector].summary()


def test_retweet_for_hire_is_fooled_by_fan_communities_only(data, findings):
    """China plants no retweet-for-hire, but its organic fan communities retweet the same viral outside posts in
    bursts: whatever the detector flags there are fans (false positives, as on real data), no other account.
    Measured: 0 flagged on the real-shape default data (fans of the earlier default were flagged)."""
    f = findings[CHINA]["retweet-for-hire"]
    roles = data[CHINA].truth.accounts.set_index("userid")["role"].reindex(f.flagged)
    assert set(roles) <= {"organic_fan"}


def test_other_campaigns_lexicons_do_not_apply(findings):
    assert not findings[CHINA]["cheerleading"].applicable and not findings[TURKEY]["cheerleading"].applicable
    assert not findings[CHINA]["party messaging"].applicable
    assert "not applicable" in findings[RUSSIA]["party messaging"].summary()


def test_compromised_accounts_switch_to_turkish(findings):
    f = findings[TURKEY]["compromised accounts"]
    assert set(f.accounts["language_after"]) == {"tr"} and "tr" not in set(f.accounts["language_before"])
    assert (f.accounts["switch_month"] >= "2018-03").all()


def test_chapters_never_materialise_the_tweets(data, monkeypatch):
    """Every Russia and Turkey detector (and the switch figure's data) aggregates in SQL: reading
    ``CaseData.tweets_frame`` (every row in pandas) fails the test."""
    def refuse(self, *args):
        raise AssertionError("materialised every tweet")

    monkeypatch.setattr(CaseData, "tweets_frame", refuse)  # the only way to get every tweet into pandas
    for r in (RUSSIA, TURKEY):
        d = dataclasses.replace(data[r])
        found = {k: f(d) for k, f in DETECTORS.items()}
        assert sum(f.n_accounts for f in found.values()) > 0
    series = turkey.switch_series(d, found["compromised accounts"], n=2)
    assert series["userid"].nunique() == 2 and series["tweets"].sum() > 0


# --- the SQL aggregations equal plain pandas on the same tweets --------------------------------------------

def _old_compromised_table(d: CaseData, min_before=20, min_after=20, min_months_before=6) -> pd.DataFrame:
    """The chapter's former in-memory implementation (pandas crosstabs per account), as the reference."""
    tw = d.tweets_frame(["userid", "tweet_time", "tweet_language", "client", "text_norm", "hashtags"])
    month = tw["tweet_time"].dt.year * 12 + tw["tweet_time"].dt.month - 1
    feats = pd.DataFrame({"userid": tw["userid"], "month": month,
                          "language": tw["tweet_language"].fillna("und"), "client": tw["client"].fillna("unknown"),
                          "narrative": label_frame(tw, turkey.ALL_NARRATIVES).fillna("other")})
    n = feats.groupby("userid").size()
    rows = []
    for uid, g in feats[feats["userid"].isin(n.index[n >= min_before + min_after])].groupby("userid", sort=True):
        months = np.sort(g["month"].unique())
        tables = {f: pd.crosstab(g["month"], g[f]).reindex(months, fill_value=0) for f in ("language", "client",
                                                                                          "narrative")}
        split, _ = turkey._best_split(np.hstack([t.to_numpy() for t in tables.values()]), months, 3 * min_before,
                                      3 * min_after, min_months_before)
        if split < 0:
            continue
        row = {"userid": uid, "switch_month": f"{months[split] // 12}-{months[split] % 12 + 1:02d}"}
        for f, t in tables.items():
            b, a = t.iloc[:split].sum(), t.iloc[split:].sum()
            row[f"{f}_change"] = round(float(0.5 * np.abs(b / b.sum() - a / a.sum()).sum()), 3)
            row[f"{f}_before"], row[f"{f}_after"] = b.idxmax(), a.idxmax()
        row["change"] = round(np.mean([row[f"{f}_change"] for f in tables]), 3)
        row["tweets_before"], row["tweets_after"] = int(t.iloc[:split].sum().sum()), int(t.iloc[split:].sum().sum())
        rows.append(row)
    return pd.DataFrame(rows)


@pytest.mark.parametrize("release", [CHINA, TURKEY])
def test_compromised_equals_the_in_memory_change_point_search(data, findings, release):
    expected = _old_compromised_table(data[release])
    got = findings[release]["compromised accounts"].table
    assert len(got) > 30
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_engagement_and_cheerleading_equal_pandas(data, findings):
    d = data[RUSSIA]
    tw = d.tweets_frame(["userid", "tweet_kind", "like_count", "retweet_count", "rt_userid", "text_norm", "hashtags"])
    own = tw[tw["tweet_kind"] != "retweet"]
    per = own.groupby("userid").agg(own_tweets=("tweet_kind", "size"), likes=("like_count", "sum"),
                                    retweets=("retweet_count", "sum"))
    rts = tw[(tw["tweet_kind"] == "retweet") & tw["rt_userid"].isin(set(d.accounts["userid"]))]
    per["internal_retweets"] = rts.groupby("rt_userid").size().reindex(per.index).fillna(0).astype(int)
    got = findings[RUSSIA]["low engagement"].table.set_index("userid")
    pd.testing.assert_frame_equal(got[per.columns], per, check_dtype=False)
    cheer = label_frame(tw, cs.lexicon.NARRATIVES["russia"]).notna().groupby(tw["userid"]).mean().round(3)
    n = tw.groupby("userid").size()
    f = findings[RUSSIA]["cheerleading"]
    assert f.accounts.set_index("userid")["cheer_share"].to_dict() == cheer[(cheer >= 0.25) & (n >= 10)].to_dict()
    assert np.allclose(f.table.sum(axis=1), 1.0, atol=0.01) and {"putin", "united_russia"} <= set(f.table.columns)


def test_retweet_for_hire_reads_the_stage_communities_and_counts_bursts_like_pandas(data, findings):
    d = data[RUSSIA]
    comm = cstage.read(RUSSIA, "communities", d.work_dir)
    comm = comm[comm["trace"] == "co_retweet"].set_index("userid")["community"]
    f = findings[RUSSIA]["retweet-for-hire"]
    hits = f.table[f.table["retweet_for_hire"]]
    assert len(hits) == 1 and sorted(comm[comm == hits["community"].iloc[0]].index) == f.flagged
    # bursts, sources and external share from the members' retweets in pandas
    tw = d.tweets_frame(["userid", "tweet_time", "tweet_kind", "rt_userid", "rt_screen_name", "retweet_tweetid",
                         "text_norm"])
    for r in f.table.itertuples():
        mine = tw[(tw["tweet_kind"] == "retweet") & tw["userid"].isin(comm.index[comm == r.community])]
        key = mine["retweet_tweetid"].fillna(mine["text_norm"])
        first = mine.groupby(key)["tweet_time"].transform("min")
        fast = mine[(mine["tweet_time"] - first).dt.total_seconds() <= 600]
        assert r.bursts == int((fast.groupby(key.loc[fast.index])["userid"].nunique() >= 3).sum())
        assert r.retweets == len(mine) and r.sources == mine["rt_userid"].fillna(mine["rt_screen_name"]).nunique()
        assert r.external_share == round(float((~mine["rt_userid"].isin(set(d.accounts["userid"]))).mean()), 3)


def test_rings_are_the_coordination_stages(data, findings):
    d = data[TURKEY]
    f = findings[TURKEY]["retweet rings"]
    pd.testing.assert_frame_equal(f.accounts, cstage.read(TURKEY, "rings", d.work_dir))
    direct = retweet_rings(d.tweets_frame(["tweetid", "userid", "tweet_time", "tweet_kind", "retweet_tweetid",
                                           "has_lossy_ref"]), **ring_params())
    pd.testing.assert_frame_equal(f.accounts, direct, check_dtype=False)


# --- small hand-made cases -------------------------------------------------------------------------------

def test_official_posers_multilingual():
    a = _accounts(["1", "2", "3", "4", "5"], display_name=["Министерство обороны", "John", "外交部发言人",
                                                           "Ahmet", "Mairie de Paris"],
                  description=["", "I like cats", "", "T.C. Sağlık Bakanlığı resmi hesabıdır", ""])
    d = CaseData.from_frames("tiny", _tweets([{"tweetid": "1", "userid": "1", "tweet_time": "2020-01-01"}]), a)
    f = russia.official_posers(d)
    assert f.flagged == ["1", "3", "4", "5"]
    assert f.accounts.set_index("userid").loc["4", "in_name"] == False  # noqa: E712 (numpy bool)


def test_official_posers_match_whole_words_not_substrings():
    a = _accounts(["1", "2", "3", "4", "5"],
                  display_name=["Я думаю, что", "Officially unofficial", "Госдума РФ", "Депутат Думы", "Управления"],
                  description=["", "", "", "", "ГБУ Жилищник района"])
    d = CaseData.from_frames("tiny", _tweets([{"tweetid": "1", "userid": "1", "tweet_time": "2020-01-01"}]), a)
    f = russia.official_posers(d)
    # "думаю" is not "дума" and "unofficial" not "official"; "Госдума" (stem госдум*), "Думы" and the inflected
    # "Управления" (stem управлени*) are offices
    assert f.flagged == ["3", "4", "5"]


def test_change_point_finds_the_switch():
    rows = [{"tweetid": f"a{i}", "userid": "a", "tweet_time": f"2017-{1 + i % 12:02d}-1{i % 9} 10:00",
             "tweet_language": "en", "client": "iPhone"} for i in range(30)]
    rows += [{"tweetid": f"b{i}", "userid": "a", "tweet_time": f"2019-{1 + i % 12:02d}-1{i % 9} 10:00",
              "tweet_language": "tr", "client": "Bot", "text_norm": "ak parti erdoğan"} for i in range(30)]
    rows += [{"tweetid": f"c{i}", "userid": "b", "tweet_time": f"{2017 + i % 3}-{1 + i % 12:02d}-1{i % 9} 10:00",
              "tweet_language": "en", "client": "iPhone"} for i in range(60)]
    d = CaseData.from_frames("tiny", _tweets(rows), _accounts(["a", "b"]))
    f = turkey.compromised(d)
    assert f.flagged == ["a"] and sorted(f.table["userid"]) == ["a", "b"]
    row = f.accounts.iloc[0]
    assert row["switch_month"] == "2019-01" and row["language_after"] == "tr" and row["client_after"] == "Bot"
    assert row["narrative_before"] == "other" and row["narrative_after"] == "turkey:akp_promo"
    assert (row["tweets_before"], row["tweets_after"]) == (30, 30)
    # too short a history before the switch: the same account is not testable
    assert not turkey.compromised(d, min_months_before=36).applicable


def test_creation_batches():
    days = ["2019-01-01", "2019-01-02", "2019-01-02", "2019-01-04", "2019-01-05", "2019-03-01", "2015-06-01"]
    a = _accounts([f"u{i}" for i in range(7)], account_creation_date=[pd.Timestamp(x).date() for x in days])
    b = turkey.creation_batches(a, gap_days=2, min_batch=5)
    assert sorted(b["userid"]) == [f"u{i}" for i in range(5)] and set(b["batch_size"]) == {5}
    assert turkey.creation_batches(a, gap_days=1, min_batch=5).empty


def test_issue_focus_falls_back_to_topics_without_keywords():
    tw = _tweets([{"tweetid": str(i), "userid": "a" if i < 6 else "b", "tweet_time": "2020-01-01",
                   "text_norm": "lunch"} for i in range(10)])
    topics = pd.DataFrame({"tweetid": [str(i) for i in range(10)], "userid": ["a"] * 6 + ["b"] * 4,
                           "topic": [3, 3, 3, 3, 3, 1, -1, 2, 2, 2], "topic_label": "x"})
    d = CaseData.from_frames("tiny", tw, _accounts(["a", "b"]), topics=topics)
    focus = turkey.issue_focus(d, min_labelled=3).set_index("userid")
    assert focus.to_dict("index") == {
        "a": {"labelled": 6, "main_issue": "topic 3", "focus": 0.833, "issue_source": "topic"},
        "b": {"labelled": 3, "main_issue": "topic 2", "focus": 1.0, "issue_source": "topic"}}
    assert turkey.issue_focus(d, min_labelled=3, users=["b"])["userid"].tolist() == ["b"]
    assert turkey.issue_focus(d, users=[]).empty
    keyworded = CaseData.from_frames("tiny", tw.assign(text_norm="ak parti"), _accounts(["a", "b"]), topics=topics)
    assert set(turkey.issue_focus(keyworded)["main_issue"]) == {"turkey:akp_promo"}
    assert turkey.issue_focus(keyworded, users=["a"]).set_index("userid")["labelled"].to_dict() == {"a": 6}


def test_bursts_count_members_within_the_window():
    """Three members retweet five outside tweets; a burst needs all three within 600 s of the first."""
    rows = []
    for k in range(5):
        for j, u in enumerate("abc"):
            delay = 300 * j + (1 if k == 4 else 0) * j  # the fifth tweet's last retweet comes at 602 s
            t = pd.Timestamp("2020-01-01 10:00", tz="UTC") + pd.Timedelta(hours=k, seconds=delay)
            rows.append({"tweetid": f"{u}{k}", "userid": u, "tweet_time": str(t), "tweet_kind": "retweet",
                         "retweet_tweetid": f"x{k}", "rt_userid": "outside" if k else "a"})
    d = CaseData.from_frames("tiny", _tweets(rows), _accounts(["a", "b", "c"]))
    members = pd.DataFrame({"userid": ["a", "b", "c"], "community": [0, 0, 0]})
    got = russia.community_retweets(d, members, window=600, burst_size=3).iloc[0]
    assert (got["retweets"], got["sources"], got["bursts"]) == (15, 2, 4)
    assert got["external_share"] == pytest.approx(12 / 15)
    assert russia.community_retweets(d, members, window=900, burst_size=3).iloc[0]["bursts"] == 5
