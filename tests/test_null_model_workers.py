"""``significance_tables`` runs (events, null) jobs in worker processes: the tables are those of
``edge_significance`` one job at a time, whatever the number of workers (each job has its own generator)."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd

from ioa_utils.coordination import null_model as nm
from ioa_utils.coordination.cooccurrence import make_events


def _events(seed: int, n: int = 400):
    """Random events plus a planted pair (``p1``, ``p2``) that shares 20 items within a minute."""
    rng = np.random.default_rng(seed)
    users = [f"u{i:02d}" for i in rng.integers(0, 12, n)] + ["p1", "p2"] * 20
    keys = [f"k{k}" for k in rng.integers(0, 40, n)] + [f"k{k}" for k in np.repeat(np.arange(200, 220), 2)]
    minutes = np.r_[rng.integers(0, 400, n), np.repeat(np.arange(0, 400, 20), 2)]
    times = pd.Series(pd.Timestamp("2020-01-01", tz="UTC") + pd.to_timedelta(minutes * 60, "s"))
    ids = pd.Series([str(i) for i in range(len(users))])
    return make_events(pd.Series(users), ids, pd.Series(keys), times)


def _edges(ev, window, min_weight: int = 2) -> pd.DataFrame:
    codes, weight = nm.pair_weights(ev, window)
    keep = weight >= min_weight
    nu = ev.n_users
    return pd.DataFrame({"source": ev.users[codes[keep] // nu], "target": ev.users[codes[keep] % nu],
                         "weight": weight[keep]})


def test_tables_do_not_depend_on_the_workers():
    traces = [(_events(1), 600), (_events(2), 300), (_events(3, 50), None)]
    jobs, want = [], []
    for ev, window in traces:
        edges = _edges(ev, window)
        prep = nm.prepare(ev, edges, window)
        for method in ("swap", "item", "delay"):
            jobs.append((prep, method))
            want.append(nm.edge_significance(ev, edges, window, 30, method, seed=5, alpha=0.1))
    assert min(t["p_value"].min() for t in want if len(t)) < 0.1  # the planted pair: draws matter
    got = nm.significance_tables(jobs, 30, seed=5, alpha=0.1, workers=2)  # one at a time: ``want``
    for g, w in zip(got, want, strict=True):
        pd.testing.assert_frame_equal(g, w, check_exact=True)


def test_jobs_with_no_edges_and_unknown_nulls():
    ev = _events(4)
    empty = nm.prepare(ev, _edges(ev, 600, min_weight=10**6), 600)
    full = nm.prepare(ev, _edges(ev, 600), 600)
    got = nm.significance_tables([(empty, "swap"), (full, "swap"), (full, "item")], 10)
    assert got[0].empty and list(got[0].columns) == list(got[1].columns)
    try:
        nm.significance_tables([(full, "nope")], 10)
    except ValueError as e:
        assert "unknown null model" in str(e)
    else:
        raise AssertionError("an unknown null was accepted")


def test_prepared_jobs_carry_no_ids():
    """What a worker receives is the integer codes: no account, message or item ids (texts for co-tweet)."""
    ev = _events(5, 2000)
    ev = type(ev)(ev.user, ev.msg, ev.key, ev.time, ev.users, ev.msgs, ev.msg_user,
                  pd.Series([f"a long text {k} " * 50 for k in ev.keys]).to_numpy(object))
    prep = nm.prepare(ev, _edges(ev, 600), 600)
    assert b"a long text" in pickle.dumps(ev) and b"a long text" not in pickle.dumps(prep)
    assert prep.events.n_users == ev.n_users and len(prep.events.keys) == len(ev.keys)


def test_workers_for():
    assert nm.workers_for(0) == 1
    assert nm.workers_for(nm.PARALLEL_EVENTS - 1) == 1
    assert nm.workers_for(nm.PARALLEL_EVENTS) >= 1


def test_the_install_warmup_compiles_every_kernel_signature_the_null_model_uses():
    """``make install`` runs ``warmup``; a report must then load every kernel from numba's cache, not compile it:
    events with one and with several events per account and item, under the dense and the sparse candidate
    lookup (over 4,096 accounts), add no signature."""
    before = nm.warmup()
    rng = np.random.default_rng(7)
    for n_users, n_keys in ((30, 2000), (5000, 300)):  # one event per item mostly / many accounts: sparse lookup
        n = 12_000
        users = pd.Series([f"u{i}" for i in rng.integers(0, n_users, n)])
        keys = pd.Series([f"k{k}" for k in rng.integers(0, n_keys, n)])
        times = pd.Series(pd.Timestamp("2020-01-01", tz="UTC") + pd.to_timedelta(rng.integers(0, 600, n) * 60, "s"))
        ev = make_events(users, pd.Series([str(i) for i in range(n)]), keys, times)
        edges = _edges(ev, 600, min_weight=1)
        for method in ("swap", "item"):
            nm.edge_significance(ev, edges, 600, 2, method)
    assert nm.warmup() == before
    assert {k: len(f.signatures) for k, f in vars(nm._kernels()).items()} == before
