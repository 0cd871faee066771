"""The notebooks' release tables (``ioa_utils.profile``), aggregated by DuckDB over the processed partitions,
equal the pandas computations they replaced (whole columns read into pandas: out of memory at 37M tweets)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
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


def test_kinds_table_equals_pandas(work):
    from ioa_utils.coordination import analysis

    wd, releases = work
    rows = {}
    for r in releases:
        t = store.read(r, "tweets", columns=["userid", "tweet_kind"], work_dir=wd)
        rows[r] = {"accounts": t["userid"].nunique(), "tweets": len(t), **t["tweet_kind"].value_counts().to_dict()}
    pd.testing.assert_frame_equal(analysis.kinds_table(releases, wd), pd.DataFrame(rows).T.fillna(0).astype(int))


def test_topic_shares_equal_the_crosstab(tmp_path):
    """Each account's share of tweets per topic (the Gephi export's node attributes), from per-pair counts."""
    from ioa_utils.coordination import export
    from ioa_utils.paths import processed_dir

    rng = np.random.default_rng(3)
    t = pd.DataFrame({"userid": rng.choice([f"u{i:02d}" for i in range(40)], 5000),
                      "topic": rng.choice([-1, 0, 1, 2, 3, 11], 5000).astype("int64")})
    (processed_dir("rel", tmp_path)).mkdir(parents=True)
    t.to_parquet(processed_dir("rel", tmp_path) / "topics.parquet", row_group_size=700)
    want = pd.crosstab(t["userid"], t["topic"], normalize="index")
    want.columns = [f"topic_{c}" for c in want.columns]
    pd.testing.assert_frame_equal(export.topic_shares("rel", tmp_path), want.round(4))
    assert export.topic_shares("other", tmp_path) is None
