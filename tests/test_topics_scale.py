"""The out-of-core topics stage (``topics/scale.py``) against the in-memory ``fit_release`` (fast)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import topics_toy as toy

from ioa_utils import store, topics
from ioa_utils.topics import model, scale

# a sample smaller than the data and small batches: every step of the stage is exercised
PARAMS = topics.TopicParams(seed=7, sample_size=60, batch_size=25, min_cluster_size=8)


def _write_parts(tweets: pd.DataFrame, folder: Path, n: int, seed: int = 1) -> list[Path]:
    """``tweets`` shuffled into ``n`` partition files (rows of a partition in no particular order)."""
    folder.mkdir(parents=True, exist_ok=True)
    shuffled = tweets.sample(frac=1, random_state=seed)
    return [store.write_table(shuffled.iloc[idx].reset_index(drop=True), folder / f"part-{i:05d}.parquet")
            for i, idx in enumerate(np.array_split(np.arange(len(shuffled)), n))]


def _by_tweet(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values("tweetid", key=model.tweet_order, kind="stable").reset_index(drop=True)


@pytest.fixture(scope="module")
def data() -> tuple[pd.DataFrame, pd.DataFrame]:
    tweets, truth = toy.toy_tweets(bilingual=True)
    tweets["tweet_time"] = tweets["tweet_time"].astype("datetime64[ms, UTC]")  # as Parquet stores it
    return tweets, truth


@pytest.fixture(scope="module")
def reference(data) -> topics.ReleaseTopics:
    topics.warmup()
    return topics.fit_release(data[0], "toy", PARAMS)


@pytest.fixture(scope="module")
def partitioned(data, tmp_path_factory) -> topics.ReleaseTopics:
    tmp = tmp_path_factory.mktemp("scale")
    return scale.fit_partitions("toy", params=PARAMS, scratch=tmp / "scratch",
                                parts=_write_parts(data[0], tmp / "parts", 3))


def test_partition_wise_run_equals_the_in_memory_fit(reference, partitioned):
    assert partitioned.links == reference.links and len(reference.links) >= 1
    pd.testing.assert_frame_equal(partitioned.topics, reference.topics)
    pd.testing.assert_frame_equal(_by_tweet(partitioned.assignments), reference.assignments)
    assert {"fit", "transform", "retweet"} <= set(partitioned.assignments["fitted_on"])
    # the outlier share per script group, counted by DuckDB on the written file and by pandas
    assert partitioned.stats["outliers"] == reference.stats["outliers"] == topics.outlier_shares(
        reference.assignments)
    assert set(reference.stats["outliers"]) == set(reference.assignments["group"])


def test_one_partition_gives_the_in_memory_rows_in_order(data, reference, tmp_path):
    one = scale.fit_partitions("toy", params=PARAMS, scratch=tmp_path / "s", parts=_write_parts(data[0], tmp_path, 1))
    pd.testing.assert_frame_equal(one.assignments, reference.assignments)  # sorted by tweet id, not by input
    assert one.stats["partitions"] == 1 and one.n_rows == len(data[0])


def test_retweets_copy_their_original_across_partitions(data, partitioned, tmp_path):
    a = partitioned.assignments.set_index("tweetid")
    rts = data[0][data[0]["tweet_kind"] == "retweet"]
    parts = _write_parts(data[0], tmp_path, 3)
    part_of = {t: i for i, p in enumerate(parts) for t in pq.read_table(p, columns=["tweetid"])["tweetid"].to_pylist()}
    across = rts[[part_of[r] != part_of[o] for r, o in zip(rts["tweetid"], rts["retweet_tweetid"], strict=True)]]
    assert len(across) > 20
    for col in ("topic", "probability", "group"):
        assert a.loc[across["tweetid"], col].to_numpy().tolist() == a.loc[across["retweet_tweetid"], col].to_numpy(
        ).tolist()
    assert (a.loc[across["tweetid"], "fitted_on"] == "retweet").all()


def test_rerun_is_identical_with_bounded_batches_and_row_groups(data, partitioned, tmp_path, monkeypatch):
    seen: list[list[str]] = []
    real = scale._transform

    def spy(gm, texts, params, cache):
        seen.append(list(texts))
        return real(gm, texts, params, cache)

    monkeypatch.setattr(scale, "_transform", spy)
    monkeypatch.setattr(scale, "ROW_GROUP", 100)
    again = scale.fit_partitions("toy", params=PARAMS, scratch=tmp_path / "s", parts=_write_parts(data[0], tmp_path, 3))
    pd.testing.assert_frame_equal(again.assignments, partitioned.assignments)  # determinism
    pd.testing.assert_frame_equal(again.topics, partitioned.topics)
    # transform batches: at most batch_size texts, only each group's last one shorter, no text twice
    assert seen and all(len(b) <= PARAMS.batch_size for b in seen)
    assert sum(len(b) == PARAMS.batch_size for b in seen) >= len(seen) - len(again.groups)
    flat = [t for b in seen for t in b]
    assert len(flat) == len(set(flat))
    assert sum(g["transformed_keys"] for g in again.stats["groups"].values()) == len(flat)
    # the assignments file is written in row groups of ROW_GROUP rows
    meta = pq.ParquetFile(again.assignments_file).metadata
    sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    assert sizes[:-1] == [100] * (len(sizes) - 1) and 0 < sizes[-1] <= 100 and sum(sizes) == len(data[0])


def test_stratum_sample_draws_as_pandas_sample():
    frame = pd.DataFrame({"lang": ["zh"] * 800 + ["en"] * 200, "week": ["w1", "w2"] * 500, "x": range(1000)})
    expected = topics.stratified_sample(frame, 100, seed=1, by=["lang", "week"])
    strata = [g for _, g in frame.groupby(["lang", "week"], sort=True)]
    drawn = model.stratum_sample([len(g) for g in strata], 100, seed=1)
    got = pd.concat([g.iloc[d] for g, d in zip(strata, drawn, strict=True)])
    pd.testing.assert_frame_equal(got, expected)
    assert model.stratum_sample([5, 5], 20, seed=1) is None


def test_week_of_is_the_monday_of_pandas_weekly_periods():
    times = pd.Series(pd.to_datetime(np.random.default_rng(1).integers(-2**31, 2**31, 20_000), unit="s", utc=True))
    times = pd.concat([times, pd.Series([pd.NaT], dtype=times.dtype)], ignore_index=True).astype("datetime64[ms, UTC]")
    expected = times.dt.tz_localize(None).dt.to_period("W-SUN").dt.start_time.dt.date.astype(str)
    pd.testing.assert_series_equal(model.week_of(times), expected)


def _pylists(table) -> dict:
    return {c: table.column(c).to_pylist() for c in table.column_names}


def test_arrow_preparation_equals_the_pandas_reference(data):
    """``prepare_arrow`` (the stage) gives ``prepare_pandas``' values: ids of different lengths and repeated,
    a missing text and time, an evidence column absent from the partition; and it defers to pandas for ids
    that ``str.zfill`` pads after a sign."""
    import pyarrow as pa

    tweets = data[0].sample(frac=1, random_state=3).reset_index(drop=True).head(200).copy()
    tweets.loc[0, "tweetid"] = "7"
    tweets.loc[1, "tweetid"] = tweets.loc[2, "tweetid"]
    tweets.loc[3, "text_norm"] = None
    tweets.loc[4, "tweet_time"] = pd.NaT
    table = pa.Table.from_pandas(tweets[[c for c in model.TWEET_COLUMNS if c in tweets]], preserve_index=False)
    evidence = ("hashtags", "absent")
    got = scale.prepare_arrow(table, evidence, 2)
    want = scale.prepare_pandas(table.to_pandas(), evidence, 2)
    assert got.column_names == want.column_names
    assert _pylists(got) == _pylists(want)
    signed = table.set_column(0, "tweetid", pa.array(["-1", *table.column("tweetid").to_pylist()[1:]]))
    assert scale.prepare_arrow(signed, evidence, 2) is None


def test_the_light_preparation_module_reads_the_model_columns():
    from ioa_utils.topics import prep

    assert prep.TWEET_COLUMNS == model.TWEET_COLUMNS


def test_worker_processes_prepare_the_same_bytes(data, tmp_path, monkeypatch):
    from ioa_utils.topics import prep

    parts = _write_parts(data[0], tmp_path / "parts", 3)
    monkeypatch.setattr(prep.subprocess, "Popen", lambda *a, **k: pytest.fail("a worker for a small release"))
    scale.prepare_partitions(parts, tmp_path / "small", ("hashtags",), workers=2)  # under MIN_ROWS: here
    monkeypatch.undo()
    monkeypatch.setattr(prep, "MIN_ROWS", 0)  # every release in worker processes
    for workers in (1, 2):
        scale.prepare_partitions(parts, tmp_path / f"w{workers}", ("hashtags",), workers=workers)
    for i in range(3):
        name = f"part-{i:05d}.parquet"
        assert (tmp_path / "w1" / name).read_bytes() == (tmp_path / "w2" / name).read_bytes()


def test_transform_batches_in_worker_processes_give_the_same_assignments(data, partitioned, tmp_path, monkeypatch):
    monkeypatch.setattr(scale, "TRANSFORM_MIN_KEYS", 0)  # every group's batches in 2 worker processes
    again = scale.fit_partitions("toy", params=PARAMS, scratch=tmp_path / "s", parts=_write_parts(data[0], tmp_path, 3))
    pd.testing.assert_frame_equal(again.assignments, partitioned.assignments)
    assert again.stats["groups"] == {g: {**v, "transform_s": again.stats["groups"][g]["transform_s"]}
                                     for g, v in partitioned.stats["groups"].items()}
