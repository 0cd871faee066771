"""Wilson intervals and no-skill baselines of the detector scores (coordination.evaluate)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest

from ioa_utils.coordination.evaluate import baselines, score_accounts, wilson_interval
from ioa_utils.ground_truth import GroundTruth


@pytest.mark.parametrize(("k", "n"), [(0, 1), (6, 6), (5, 10), (1, 40), (39, 40), (250, 1000)])
def test_wilson_matches_scipy(k, n):
    ci = binomtest(k, n).proportion_ci(0.95, method="wilson")
    assert wilson_interval(k, n) == pytest.approx((ci.low, ci.high), abs=1e-12)


def test_wilson_small_sample_is_wide_and_empty_is_undefined():
    low, high = wilson_interval(6, 6)
    assert high == 1.0 and 0.6 < low < 0.62  # 6 of 6 does not show a recall near 1
    assert all(math.isnan(x) for x in wilson_interval(0, 0))


def test_baselines_flag_all_and_random():
    b = baselines(n_positive=30, n_negative=10, n_flagged=20)
    assert b["flag_all_precision"] == b["random_precision"] == 0.75
    assert b["random_recall"] == 0.5
    assert b["flag_all_f1"] == pytest.approx(2 * 0.75 / 1.75)
    assert all(math.isnan(v) for v in baselines(0, 10, 3).values())


def test_random_baseline_is_what_random_flagging_scores_on_average():
    users = [f"u{i}" for i in range(40)]
    acc = pd.DataFrame({"userid": users, "group": ["g"] * 30 + [""] * 10, "group_kind": ["ring"] * 30 + [""] * 10,
                        "is_control": [False] * 30 + [True] * 10})
    gt = GroundTruth("r", acc, pd.DataFrame())
    rng = np.random.default_rng(0)
    draws = [score_accounts(rng.choice(users, 20, replace=False), gt) for _ in range(2000)]
    s = draws[0]
    assert np.mean([d["recall"] for d in draws]) == pytest.approx(s["random_recall"], abs=0.01)
    assert np.mean([d["precision"] for d in draws]) == pytest.approx(s["random_precision"], abs=0.01)


def test_scores_carry_intervals():
    acc = pd.DataFrame({"userid": ["a", "b", "c", "x"], "group": ["g", "g", "g", ""],
                        "group_kind": ["ring"] * 3 + [""], "is_control": [False, False, False, True]})
    s = score_accounts({"a", "b", "x"}, GroundTruth("r", acc, pd.DataFrame()))
    assert (s["tp"], s["fp"], s["fn"]) == (2, 1, 1)
    assert (s["precision_low"], s["precision_high"]) == pytest.approx(wilson_interval(2, 3))
    assert (s["recall_low"], s["recall_high"]) == pytest.approx(wilson_interval(2, 3))
