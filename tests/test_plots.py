"""Shared figure helpers: partial periods, readable ticks, scales chosen from the data."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from ioa_utils import plots  # noqa: E402
from ioa_utils.coordination.plots import degree_weight_distributions  # noqa: E402
from ioa_utils.timebins import partial, period_start  # noqa: E402


def test_partial_periods_are_the_ones_the_data_start_or_end_inside():
    t = pd.Series(pd.to_datetime(["2020-01-01 03:00", "2020-02-10 00:00", "2020-03-15 23:00"], utc=True))
    months = period_start(t, "M")
    assert partial(months, t.min(), t.max(), "M").tolist() == [False, False, True]
    assert partial(months, t.min(), pd.Timestamp("2020-03-31 01:00"), "M").tolist() == [False, False, False]
    weeks = period_start(t, "W")  # 2020-01-01 is a Wednesday (first week partial), 2020-03-15 a Sunday (complete)
    assert partial(weeks, t.min(), t.max(), "W").tolist() == [True, False, False]


def test_partial_last_month_is_dashed_shaded_and_in_the_legend():
    df = pd.DataFrame({"month": pd.to_datetime(["2020-01-01", "2020-02-01", "2020-03-01"] * 2),
                       "tweets": [100, 120, 5, 50, 60, 2], "release": ["a"] * 3 + ["b"] * 3,
                       "partial": [False, False, True] * 2})
    fig = plots.volume_over_time(df, "month", "release", "t", log=False)
    ax = fig.axes[0]
    assert ax.get_ylim()[0] == 0
    dashed = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    assert len(dashed) == 2 and all(len(ln.get_xdata()) == 2 for ln in dashed)
    solid = [ln for ln in ax.get_lines() if ln.get_linestyle() == "-"]
    assert all(np.isnan(np.asarray(ln.get_ydata(), float)[-1]) for ln in solid)  # the partial point is not solid
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:2] == ["a", "b"] and labels[2].startswith("partial month")
    assert len(ax.patches) == 1  # one shaded span for the shared partial month
    plt.close(fig)
    plain = plots.volume_over_time(df.drop(columns="partial"), "month", "release", "t")
    assert not any(ln.get_linestyle() == "--" for ln in plain.axes[0].get_lines())
    assert [t.get_text() for t in plain.axes[0].get_legend().get_texts()] == ["a", "b"]
    plt.close(plain)


def test_heatmap_labels_horizontal_rows_thinned_columns_no_grid():
    data = pd.DataFrame(np.ones((4, 100)), index=["amplifier", "control", "core", "ring"],
                        columns=[f"w{i}" for i in range(100)])
    fig, ax = plt.subplots()
    sns.heatmap(data, ax=ax)
    plots.heatmap_labels(ax, max_xlabels=20)
    assert all(t.get_rotation() == 0 for t in ax.get_yticklabels())
    assert 0 < len(ax.get_xticklabels()) <= 20 and ax.get_xticklabels()[0].get_text() == "w0"
    assert not any(ln.get_visible() for ln in ax.get_xgridlines() + ax.get_ygridlines())
    plt.close(fig)


def test_degree_plot_of_small_networks_is_linear_and_of_wide_ones_logarithmic():
    small = pd.DataFrame({"source": ["a", "a", "b", "c", "d"], "target": ["b", "c", "c", "d", "e"],
                          "weight": [1, 2, 3, 4, 5]})
    fig = degree_weight_distributions({"small": small})
    assert [ax.get_xscale() for ax in fig.axes] == ["linear", "linear"]
    assert [ax.get_yscale() for ax in fig.axes] == ["linear", "linear"]
    assert fig.axes[0].get_lines()[0].get_ydata().tolist() == [3, 2, 2, 2, 1]  # degrees, largest first
    plt.close(fig)
    hub = pd.DataFrame({"source": ["hub"] * 300, "target": [f"n{i}" for i in range(300)],
                        "weight": np.geomspace(1, 1000, 300)})
    fig = degree_weight_distributions({"star": hub})
    assert fig.axes[0].get_yscale() == "log" and fig.axes[1].get_yscale() == "log"
    plt.close(fig)


def test_coordination_over_time_fills_quiet_weeks_and_marks_the_partial_last_week():
    from ioa_utils.coordination.plots import coordination_over_time

    times = pd.to_datetime(["2020-01-06 10:00", "2020-01-07 10:00", "2020-01-27 10:00", "2020-01-29 10:00"], utc=True)
    ev = pd.DataFrame({"time_source": times, "trace": ["co_retweet"] * 4})
    span = (pd.Timestamp("2020-01-06", tz="UTC"), pd.Timestamp("2020-01-29 12:00", tz="UTC"))  # ends on a Wednesday
    fig = coordination_over_time(ev, "W", "t", span=span)
    ax = fig.axes[0]
    xs = [x for ln in ax.get_lines() if ln.get_linestyle() == "-" for x in ln.get_xdata()]
    assert len(xs) == 4  # weeks of 6, 13, 20, 27 January: the two quiet ones drawn at zero, not skipped
    assert len(ax.patches) == 1  # the last week, which the release covers only to Wednesday, is shaded
    assert [t.get_text() for t in ax.get_legend().get_texts()][-1].startswith("partial week")
    plt.close(fig)


def test_time_span_reads_parquet_statistics(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ioa_utils import store

    folder = tmp_path / "tweets"
    folder.mkdir()
    t = pd.to_datetime(["2020-03-01 10:00", "2019-12-31 23:59", "2020-05-02 00:00"], utc=True)
    pq.write_table(pa.table({"tweet_time": t[:2]}), folder / "part-00000.parquet")
    pq.write_table(pa.table({"tweet_time": t[2:]}), folder / "part-00001.parquet", write_statistics=False)
    assert store.time_span(folder) == (t.min(), t.max())
