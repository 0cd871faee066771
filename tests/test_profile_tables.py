"""The notebooks' release tables (``ioa_utils.profile``), aggregated by DuckDB over the processed partitions,
equal the pandas computations they replaced (whole columns read into pandas: out of memory at 37M tweets)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ioa_utils import profile, stages, store
from ioa_utils.timebins import partial, period_start


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> tuple[Path, list[str]]:
    base = tmp_path_factory.mktemp("profile")
    raw = stages.ensure_synthetic(base / "raw", seed=7, scale=0.3)
    return base / "work", stages.prepare(raw, base / "work")


def test_weekly_and_monthly_volumes_equal_pandas(work):
    wd, releases = work
    for rel in releases:
        tw = store.read(rel, "tweets", ["tweet_time", "tweet_kind"], work_dir=wd)
        tw["week"] = period_start(tw["tweet_time"], "W")
        want = tw.groupby(["week", "tweet_kind"]).size().rename("tweets").reset_index()
        want = want.assign(partial=partial(want["week"], tw["tweet_time"].min(), tw["tweet_time"].max(), "W")
                           .to_numpy())
        pd.testing.assert_frame_equal(profile.weekly_volume(rel, wd), want)
        m = period_start(tw["tweet_time"], "M").value_counts().sort_index()
        got = profile.monthly_volume([rel], wd)
        assert got["month"].tolist() == list(m.index) and got["tweets"].tolist() == m.tolist()
        assert got["partial"].tolist() == partial(pd.Series(m.index), tw["tweet_time"].min(),
                                                  tw["tweet_time"].max(), "M").tolist()


def test_language_client_and_item_tables_equal_pandas(work):
    wd, releases = work
    for rel in releases:
        tw = store.read(rel, "tweets", ["tweet_language", "client", "tweet_kind"], work_dir=wd)
        row = profile.clean_table([rel], wd).loc[rel]
        langs = tw["tweet_language"].fillna("unknown").value_counts(normalize=True).head(3)
        clients = tw["client"].fillna("unknown").value_counts(normalize=True).head(2)
        assert row["top languages"] == ", ".join(f"{k} {100 * v:.0f}%" for k, v in langs.items())
        assert row["top clients"] == ", ".join(f"{k} {100 * v:.0f}%" for k, v in clients.items())
        assert row["tweets"] == len(tw)
        kinds = tw["tweet_kind"].value_counts(normalize=True)
        assert profile.kind_shares(rel, wd).to_dict() == pytest.approx(
            {k: kinds.get(k, 0.0) for k in ("original", "retweet", "reply", "quote")})
        for table, column in (("hashtags", "hashtag"), ("urls", "domain")):
            v = store.read(rel, table, [column], work_dir=wd)[column].value_counts()
            want = v.rename_axis(column).reset_index().sort_values(
                ["count", column], ascending=[False, True], kind="stable").head(8).set_index(column)["count"]
            pd.testing.assert_series_equal(profile.top_items(rel, table, column, 8, wd), want)


def test_normalization_examples_equal_pandas(work):
    wd, releases = work
    for rel in releases:
        t = store.read(rel, "tweets", ["tweetid", "tweet_kind", "tweet_text", "text_norm"], work_dir=wd)
        noisy = t["tweet_text"].str.contains(r"https?://|@\w", regex=True)
        want = t[(t["tweet_kind"] == "retweet") & noisy].sort_values("tweetid").head(5)
        pd.testing.assert_frame_equal(profile.normalization_examples(rel, 5, wd),
                                      want[["tweet_text", "text_norm"]].reset_index(drop=True))
