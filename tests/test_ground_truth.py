"""The planted ground truth: accounts read at once, the per-tweet table only when used (``casestudy.load`` never
reads it), with the same tables and scores as reading both files whole."""

from __future__ import annotations

import pandas as pd
import pytest

from ioa_utils import casestudy as cs
from ioa_utils import ground_truth, stages
from ioa_utils.casestudy import compare
from ioa_utils.casestudy.base import score_table
from ioa_utils.ground_truth import GroundTruth
from ioa_utils.paths import DEFAULT_RAW_DIR
from ioa_utils.workspace import Workspace

RUSSIA = "synth_russia_052020"


@pytest.fixture(scope="module")
def release() -> str:
    assert RUSSIA in stages.prepare()
    return RUSSIA


@pytest.fixture()
def reads(monkeypatch) -> list[str]:
    """The file names ``pd.read_parquet`` is asked for from now on."""
    seen: list[str] = []
    orig = pd.read_parquet

    def recorded(path, *args, **kwargs):
        seen.append(str(path))
        return orig(path, *args, **kwargs)

    monkeypatch.setattr(pd, "read_parquet", recorded)
    return seen


def _whole(release: str) -> GroundTruth:
    accounts, tweets = ground_truth.files(DEFAULT_RAW_DIR, release)
    return GroundTruth(release, pd.read_parquet(accounts), pd.read_parquet(tweets))


def test_the_per_tweet_table_is_read_on_use_only(release, reads):
    gt = ground_truth.load(DEFAULT_RAW_DIR, release)
    assert not any(p.endswith(ground_truth.TWEETS_SUFFIX) for p in reads)
    whole = _whole(release)
    pd.testing.assert_frame_equal(gt.accounts, whole.accounts)
    pd.testing.assert_frame_equal(gt.tweets, whole.tweets)
    pd.testing.assert_frame_equal(gt.read_tweets(["tweetid", "narrative"]), whole.tweets[["tweetid", "narrative"]])
    assert gt.tweets_file == ground_truth.files(DEFAULT_RAW_DIR, release)[1] and whole.tweets_file is None
    assert gt.with_accounts(gt.accounts.head(1)).tweets_file == gt.tweets_file
    assert ground_truth.load(DEFAULT_RAW_DIR, "no_such_release") is None


def test_case_study_load_and_scores_never_read_the_per_tweet_table(release, reads):
    data = cs.load(release, Workspace(), topics=False)
    findings = compare.run_all(data)
    lazy = score_table(findings, data.truth)
    assert not any(p.endswith(ground_truth.TWEETS_SUFFIX) for p in reads)
    pd.testing.assert_frame_equal(lazy, score_table(findings, _whole(release)))
