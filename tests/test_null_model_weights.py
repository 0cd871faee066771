"""The null model's pair weights (``null_model.pair_weights``, on integer account codes) are the weights
``undirected`` gives by folding the directed co-occurrence table by account name."""

from __future__ import annotations

import numpy as np
import pandas as pd

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
