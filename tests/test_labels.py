"""The labels stage (``ioa_utils.casestudy.labels``): every tweet labelled once per release for every lexicon, the
same labels as ``label_sql`` of each lexicon alone, read by every detector; a fresh stage is reused, a lexicon or
code change rebuilds it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from ioa_utils import casestudy as cs
from ioa_utils import stageio, stages
from ioa_utils.casestudy import china, labels, russia, turkey
from ioa_utils.casestudy.base import CaseData
from ioa_utils.casestudy.narratives import label_frame
from ioa_utils.paths import DEFAULT_RAW_DIR
from ioa_utils.store import parquet_rows, table_path
from ioa_utils.workspace import Workspace

TURKEY = "synth_turkey_052020"


def _detectors(data: CaseData) -> None:
    """Every detector that reads labels."""
    f = china.narratives(data)
    china.score_narratives(f, data)
    russia.cheerleading(data)
    turkey.compromised(data, min_before=2, min_after=2, min_months_before=1)
    turkey.issue_focus(data, min_labelled=1)
    turkey.party_messaging(data)


@pytest.fixture()
def scans(monkeypatch) -> list[str]:
    """The sources the labelling SQL was generated for: one per tokenising scan."""
    calls: list[str] = []
    real = labels.select_sql

    def counted(source: str = "tweets", order: str | None = None) -> str:
        calls.append(source)
        return real(source, order)

    monkeypatch.setattr(labels, "select_sql", counted)
    return calls


def _frames_release() -> CaseData:
    texts = ["the virus is spreading", "antivirus sale", "香港警察", "путин сказал", "erdoğan ve ak parti",
             "chp kılıçdaroğlu", None, "дума"]
    n = len(texts)
    tw = pd.DataFrame({"tweetid": [str(i) for i in range(n)], "userid": ["a", "b"] * (n // 2),
                       "tweet_time": pd.to_datetime([f"2020-0{1 + i % 6}-01" for i in range(n)], utc=True),
                       "tweet_language": "en", "client": "web", "text_norm": texts, "hashtags": [[]] * n})
    acc = pd.DataFrame({"userid": ["a", "b"], "account_creation_date": pd.to_datetime(["2019-01-01"] * 2)})
    return CaseData.from_frames("tiny", tw, acc)


def test_in_memory_labels_are_computed_once_and_match_label_sql(scans):
    data = _frames_release()
    _detectors(data)
    assert scans == ["tweets"]  # one tokenising scan for every detector and lexicon
    got = data.query("SELECT * FROM labels ORDER BY tweetid::INT")
    tw = data.tweets_frame(["tweetid", "text_norm", "hashtags"]).sort_values("tweetid", key=lambda s: s.astype(int))
    for name, lex in labels.lexicons().items():
        assert _strs(got[name]) == _strs(label_frame(tw.reset_index(drop=True), lex)), name
    assert _strs(got["china"])[:3] == ["covid", None, "hong_kong"]
    assert _strs(got["all"])[3:6] == ["russia:putin", "turkey:akp_promo", "turkey:attack_chp"]


def test_each_distinct_text_is_labelled_once_with_every_tweets_labels():
    """Retweets repeat their original's text: the labels of a text are computed once and given to every tweet
    holding it (same text *and* hashtags), in the source's row order when asked."""
    texts = ["putin said", "putin said", "the virus", "putin said", "the virus", None, None, "chp"]
    tags = [[], [], ["hongkong"], [], ["hongkong"], ["hdp"], None, ["akparti", "chp"]]
    n = len(texts)
    tw = pd.DataFrame({"tweetid": [str(9 - i) for i in range(n)], "userid": "a",
                       "tweet_time": pd.Timestamp("2020-01-01", tz="UTC"), "text_norm": texts, "hashtags": tags,
                       "row": range(n)})
    import duckdb

    con = duckdb.connect()
    con.register("frame", tw)
    got = con.execute(labels.select_sql("frame", "row")).df()
    assert got["tweetid"].tolist() == tw["tweetid"].tolist()  # rows in the order asked
    for name, lex in labels.lexicons().items():
        assert _strs(got[name]) == _strs(label_frame(tw, lex)), name
    assert _strs(got["all"]) == ["russia:putin", "russia:putin", "china:hong_kong", "russia:putin", "china:hong_kong",
                                 _strs(label_frame(tw, labels.lexicons()["all"]))[5], None,
                                 _strs(label_frame(tw, labels.lexicons()["all"]))[7]]


def _strs(s: pd.Series) -> list[str | None]:
    return [x if isinstance(x, str) else None for x in s]


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("work")
    stages.prepare(DEFAULT_RAW_DIR, work, releases=[TURKEY])
    return work


@pytest.fixture()
def work(prepared: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "work"
    shutil.copytree(prepared, dest)
    return dest


@pytest.fixture()
def builds(monkeypatch) -> list[str]:
    """The releases whose labels stage is built (rather than reused)."""
    calls: list[str] = []
    real = labels.build

    def counted(release, out, work_dir):
        calls.append(release)
        return real(release, out, work_dir)

    monkeypatch.setattr(labels, "build", counted)
    return calls


def test_labels_stage_is_built_once_and_reused(work, builds, scans):
    data = cs.load(TURKEY, Workspace(DEFAULT_RAW_DIR, work), topics=False)
    _detectors(data)
    assert builds == [TURKEY]
    n_parts = len(list((work / "processed" / TURKEY / "tweets").glob("part-*.parquet")))
    assert len(scans) == n_parts  # one scan per partition, shared by every lexicon and detector
    dest = labels.folder(TURKEY, work)
    assert parquet_rows(dest) == parquet_rows(table_path(TURKEY, "tweets", work_dir=work)) == data.n_tweets
    assert stageio.read_stamp(dest) == labels.stamp(TURKEY, work)
    for part, lab in zip(sorted((work / "processed" / TURKEY / "tweets").glob("part-*.parquet")),
                         sorted(dest.glob("part-*.parquet")), strict=True):  # each labels file in its tweets' order
        assert (pd.read_parquet(lab, columns=["tweetid"])["tweetid"].tolist()
                == pd.read_parquet(part, columns=["tweetid"])["tweetid"].tolist())
    # a second data object and every detector again: nothing is rebuilt or re-tokenised
    again = cs.load(TURKEY, Workspace(DEFAULT_RAW_DIR, work), topics=False)
    _detectors(again)
    assert builds == [TURKEY] and len(scans) == n_parts
    # the stage's labels are the in-memory labels of the same tweets
    mem = CaseData.from_frames(TURKEY, again.tweets_frame(["tweetid", "userid", "tweet_time", "text_norm",
                                                           "hashtags"]), again.accounts)
    cols = "tweetid, " + ", ".join(labels.column(k) for k in labels.lexicons())
    pd.testing.assert_frame_equal(again.query(f"SELECT {cols} FROM labels ORDER BY tweetid"),
                                  mem.query(f"SELECT {cols} FROM labels ORDER BY tweetid"))


def test_lexicon_or_code_change_rebuilds_labels(work, builds, monkeypatch):
    labels.ensure(TURKEY, work)
    labels.ensure(TURKEY, work)
    assert builds == [TURKEY]
    monkeypatch.setitem(labels.NARRATIVES, "turkey", {**labels.NARRATIVES["turkey"], "attack_chp": ("chp",)})
    labels.ensure(TURKEY, work)
    assert builds == [TURKEY] * 2
    real = stages.code_version
    monkeypatch.setattr(stages, "code_version", lambda stage: "changed" if stage == "labels" else real(stage))
    labels.ensure(TURKEY, work)
    assert builds == [TURKEY] * 3
    labels.ensure(TURKEY, work)
    assert builds == [TURKEY] * 3


def test_labels_code_is_registered():
    assert "casestudy/labels.py" in stages._CODE["labels"] and "casestudy/lexicon.py" in stages._CODE["labels"]
