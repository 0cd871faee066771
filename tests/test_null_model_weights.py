"""The null model's pair weights (``null_model.pair_weights``, on integer account codes) are the weights
``undirected`` gives by folding the directed co-occurrence table by account name; the fast per-draw weights of
``edge_significance`` are those of permuting the events and recomputing ``pair_weights``."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ioa_utils.coordination import null_model as nm
from ioa_utils.coordination.cooccurrence import directed_weights, make_events, undirected
from ioa_utils.coordination.null_model import pair_weights


def test_pair_weights_equal_folding_the_directed_table():
    rng = np.random.default_rng(7)
    for window in (60, 600, None):
        for _ in range(10):
            n = 300
            users = pd.Series([f"u{i:02d}" for i in rng.integers(0, 15, n)])
            keys = pd.Series([f"k{k}" for k in rng.integers(0, 25, n)])
            times = pd.Series(pd.Timestamp("2020-01-01", tz="UTC") + pd.to_timedelta(rng.integers(0, 3600, n), "s"))
            ev = make_events(users, pd.Series([str(i) for i in range(n)]), keys, times)
            codes, weights = pair_weights(ev, window)
            nu = ev.n_users
            got = pd.DataFrame({"source": ev.users[codes // nu], "target": ev.users[codes % nu], "weight": weights})
            want = undirected(directed_weights(ev, window))
            pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True), check_dtype=False)
            assert (np.diff(codes) > 0).all()


def _random_events(rng: np.random.Generator):
    """Small random one-event-per-message sets: few accounts and items (so accounts repeat an item, and some
    items are shared by one account only), times on a coarse grid (ties, partners exactly at the window's
    edge)."""
    n = int(rng.integers(1, 300))
    users = pd.Series([f"u{i:02d}" for i in rng.integers(0, int(rng.integers(1, 20)), n)])
    keys = pd.Series([f"k{k}" for k in rng.integers(0, int(rng.integers(1, 60)), n)])
    step = int(rng.choice([1, 60, 300]))
    seconds = rng.integers(0, int(rng.choice([3, 20, 200])), n) * step
    times = pd.Series(pd.Timestamp("2020-01-01", tz="UTC") + pd.to_timedelta(seconds, "s"))
    return make_events(users, pd.Series([str(i) for i in range(n)]), keys, times)


def test_fast_null_weights_equal_the_reference_permutation_and_window_join():
    """``edge_significance``'s per-draw weights (``_NullWeights``) are those of the plain method: permute the
    events (``permute``), recompute every pair's weight with the window join (``pair_weights``), read the
    candidate pairs -- for every null, with the same draws, and with the dense or the searchsorted lookup."""
    for dense in (nm._DENSE_PAIRS, 0):
        for seed in range(20):
            rng = np.random.default_rng(seed)
            ev = _random_events(rng)
            for window in (0, 300, 600.5, None):
                codes, _ = pair_weights(ev, window)
                old = nm._DENSE_PAIRS
                nm._DENSE_PAIRS = dense
                try:
                    fast = nm._NullWeights(ev, window, codes, chunk_pairs=int(rng.choice([1, 7, 1_000_000])))
                finally:
                    nm._DENSE_PAIRS = old
                for method in nm.METHODS:
                    r_ref, r_fast = np.random.default_rng(seed), np.random.default_rng(seed)
                    for _ in range(2):
                        want = nm._null_weights(codes, *pair_weights(nm.permute(ev, r_ref, method), window))
                        np.testing.assert_array_equal(fast.draw(r_fast, method), want,
                                                      err_msg=f"seed {seed} window {window} {method}")


def test_within_group_shuffle_equals_the_lexsort_reference():
    """``_within`` (one int64 sort) gives the permutation of the two-key lexsort it replaces, also when draws
    of a group agree in the top bits that the int64 key keeps."""

    def reference(groups: np.ndarray, draws: np.ndarray) -> np.ndarray:
        out = np.empty(len(groups), dtype=np.int64)
        out[np.argsort(groups, kind="stable")] = np.lexsort((draws, groups))
        return out

    class Fixed:  # a generator stub returning given draws
        def __init__(self, draws: np.ndarray) -> None:
            self.draws = draws

        def random(self, n: int) -> np.ndarray:
            return self.draws[:n]

    for seed in range(50):
        rng = np.random.default_rng(seed)
        n = int(rng.integers(0, 400))
        groups = rng.integers(0, int(rng.choice([1, 5, 5000, 2**40])), n)
        draws = rng.random(n)
        np.testing.assert_array_equal(nm._within(groups, Fixed(draws)), reference(groups, draws))
    groups = np.r_[np.zeros(500, np.int64), np.arange(1, 3001)]  # 3,001 groups: the key drops 2 bits of a draw
    draws = 0.5 + np.random.default_rng(1).integers(0, 4, len(groups)) * 2.0**-53  # equal but in those bits
    np.testing.assert_array_equal(nm._within(groups, Fixed(draws)), reference(groups, draws))
