"""Wilson intervals and no-skill baselines of the detector scores (coordination.evaluate), and the held-out
evaluation harness (ioa_utils.evaluation): selection reads only development seeds, seeds are disjoint, a seed is
deterministic, the sweeps score what the library detectors find, the seed stage is cached by its stamp."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest

from ioa_utils.casestudy import campaign as campaigns
from ioa_utils.casestudy.base import load as load_case
from ioa_utils.casestudy.compare import run_all
from ioa_utils.coordination import stage as cstage
from ioa_utils.coordination.evaluate import baselines, score_accounts, wilson_interval
from ioa_utils.coordination.groups import amplifiers, retweet_rings
from ioa_utils.coordination.traces import _DELAYS, AMPLIFIER, RETWEETERS, ring_params
from ioa_utils.evaluation import protocol, seeds, select
from ioa_utils.evaluation import stage as estage
from ioa_utils.ground_truth import GroundTruth
from ioa_utils.workspace import Workspace


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


# --- the held-out evaluation harness (ioa_utils.evaluation) ---------------------------------------------------



def _fake_scores(dev: tuple, held: tuple, held_best: str, dev_best: str) -> pd.DataFrame:
    """Scores of one swept detector (co_tweet) on one release: ``dev_best`` wins on the development seeds,
    ``held_best`` on the held-out ones."""
    rows = []
    for split, seeds_, best in (("development", dev, dev_best), ("held-out", held, held_best)):
        for s in seeds_:
            for k, st in enumerate(seeds.settings("co_tweet")):
                text = seeds.label(st)
                rows.append({"seed": s, "release": "r", "family": "coordination", "detector": "co_tweet",
                             "setting": text, "is_default": st == protocol.defaults("co_tweet"), "applicable": True,
                             "n_positive": 10, "n_negative": 10, "flagged": 5, "tp": 5, "fp": 0, "fn": 5,
                             "precision": 1.0, "recall": 0.5, "f1": 0.9 if text == best else 0.1 + 0.001 * (k % 3),
                             "flag_all_f1": 0.67, "random_f1": 0.4, "split": split})
    return pd.DataFrame(rows)


def test_selection_reads_only_the_development_seeds():
    p = protocol.DEFAULT
    dev_best = "window=1800, min_weight=3"
    a = _fake_scores(p.dev_seeds, p.heldout_seeds, held_best="window=60, min_weight=1", dev_best=dev_best)
    b = _fake_scores(p.dev_seeds, p.heldout_seeds, held_best="window=7200, min_weight=5", dev_best=dev_best)
    ca, cb = select.choose(a, p.dev_seeds), select.choose(b, p.dev_seeds)
    pd.testing.assert_frame_equal(ca, cb)  # every held-out score differs: nothing chosen changes
    assert ca.at["co_tweet", "selected"] == "window=1800, min_weight=3" and ca.at["co_tweet", "changed"]
    h = select.heldout(a, ca, p.heldout_seeds)
    assert set(h["seeds"]) == {len(p.heldout_seeds)}
    assert h.loc[("co_tweet", "r", "selected"), "f1 mean"] == pytest.approx(0.1 + 0.001 * 2)


def test_ties_keep_the_default():
    p = protocol.DEFAULT
    df = _fake_scores(p.dev_seeds, p.heldout_seeds, "x", "x").assign(f1=0.5)
    c = select.choose(df, p.dev_seeds)
    assert c.at["co_tweet", "selected"] == c.at["co_tweet", "default"] and not c.at["co_tweet", "changed"]


def test_protocol_seeds_are_disjoint_and_exclude_the_default_archive():
    p = protocol.DEFAULT
    assert not set(p.dev_seeds) & set(p.heldout_seeds) and len(p.heldout_seeds) >= 5 and len(p.dev_seeds) >= 5
    assert protocol.DEFAULT_SEED not in p.seeds
    with pytest.raises(ValueError, match="overlap"):
        protocol.Protocol((1, 2), (2, 3))
    with pytest.raises(ValueError, match="2020"):
        protocol.Protocol((2020,), (3, 4))


def test_every_grid_holds_the_library_default():
    for detector, grid in protocol.GRID.items():
        d = protocol.defaults(detector)
        assert all(d[k] in values for k, values in grid.items()), detector
        assert sum(s == d for s in seeds.settings(detector)) == 1
        assert all(v >= 60 for v in grid.get("window", ())), "windows under 60 s mean nothing at minute precision"


def test_a_detector_flagging_everything_gets_the_flag_all_score():
    acc = pd.DataFrame({"userid": [f"u{i}" for i in range(10)], "role": ["ring"] * 3 + ["control"] * 7,
                        "group": [""] * 10, "group_kind": [""] * 10, "is_control": [False] * 3 + [True] * 7})
    score = seeds.Scorer(GroundTruth("r", acc, pd.DataFrame()))
    row = seeds._row(1, "r", "case study", "retweet rings", {}, True, True, acc["userid"],
                     score.roles(acc["userid"], ("ring",)))
    assert row["f1"] == pytest.approx(row["flag_all_f1"]) and row["recall"] == 1.0
    assert row["precision"] == pytest.approx(0.3)


def _fake_run(calls: list):
    def run(seed, folder, scale=1.0):
        calls.append((seed, scale))
        return pd.DataFrame([{c: 0 for c in seeds.COLUMNS} | {"seed": seed, "release": "r", "detector": "d",
                                                               "setting": "", "family": "x"}])
    return run


def test_seed_scores_are_cached_by_stamp(tmp_path, monkeypatch):
    calls: list = []
    monkeypatch.setattr(seeds, "run", _fake_run(calls))
    dest = estage.ensure_seed(7, 0.5, tmp_path)
    stamp = json.loads((dest / "_stage.json").read_text())
    assert stamp["params"]["seed"] == 7 and stamp["params"]["scale"] == 0.5 and stamp["code"] == estage.code_version()
    assert set(stamp["params"]["grid"]) == set(protocol.GRID)
    estage.ensure_seed(7, 0.5, tmp_path)
    assert calls == [(7, 0.5)]  # fresh: read back, not recomputed
    estage.ensure_seed(7, 0.25, tmp_path)  # another scale: recomputed in place
    monkeypatch.setattr(estage, "code_version", lambda: "changed")
    estage.ensure_seed(7, 0.25, tmp_path)  # changed code: recomputed
    assert calls == [(7, 0.5), (7, 0.25), (7, 0.25)]
    plan = protocol.Protocol((7,), (8, 9), 0.25)
    got = estage.ensure(tmp_path, plan, workers=1)
    assert calls[-2:] == [(8, 0.25), (9, 0.25)]
    assert list(got["seed"]) == [7, 8, 9] and list(got["split"]) == ["development", "held-out", "held-out"]


def test_model_seeds_run_first_in_the_worker_of_their_data_seed(tmp_path, monkeypatch):
    from ioa_utils.evaluation import model_seeds

    calls: list = []
    monkeypatch.setattr(seeds, "run", _fake_run(calls))
    monkeypatch.setattr(model_seeds, "run", lambda seed, folder, ms, scale: calls.append(("model", seed, ms, scale))
                        or pd.DataFrame(columns=list(seeds.COLUMNS)))
    plan = protocol.Protocol((7,), (8, 9), 0.25)
    estage.ensure(tmp_path, plan, workers=1, model_seeds=(2020, 1))
    assert calls == [(8, 0.25), ("model", 8, (2020, 1), 0.25), (7, 0.25), (9, 0.25)]
    assert model_seeds.is_fresh(8, 0.25, tmp_path, (2020, 1)) and not model_seeds.is_fresh(8, 0.25, tmp_path, (1,))
    estage.ensure(tmp_path, plan, workers=1, model_seeds=(2020, 1))
    assert len(calls) == 4  # all fresh: nothing recomputed
    model_seeds.ensure(8, 0.25, tmp_path, (2020, 1))
    assert len(calls) == 4


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    """One small data seed, computed twice in two folders."""
    a, b = tmp_path_factory.mktemp("seed_a"), tmp_path_factory.mktemp("seed_b")
    return a, seeds.run(301, a, 0.25), seeds.run(301, b, 0.25)


@pytest.mark.slow
def test_a_seed_is_deterministic(seed_run):
    _, first, second = seed_run
    pd.testing.assert_frame_equal(first, second)
    assert len(first) and first["seed"].eq(301).all()


@pytest.mark.slow
def test_default_rows_are_the_library_detectors_scores(seed_run):
    """At the default thresholds the sweep scores what ``compare.run_all`` (the case-study stage) finds."""
    folder, scores, _ = seed_run
    ws = Workspace(folder / "raw", folder / "work", 301, 0.25)
    for release in sorted(scores["release"].unique()):
        truth = ws.truth(release)
        found = run_all(load_case(release, ws, topics=False), campaigns.for_release(release))
        mine = scores[(scores["release"] == release) & scores["is_default"] & (scores["family"] == "case study")]
        for _, r in mine.iterrows():
            f = found[r["detector"]]
            s = f.score(truth) if f.applicable else seeds.Scorer(truth).roles([], f.roles)
            assert (r["tp"], r["fp"], r["fn"]) == (s["tp"], s["fp"], s["fn"]), (release, r["detector"])


@pytest.mark.slow
def test_filtered_sweeps_equal_direct_calls(seed_run):
    """Amplifiers, rings and the last-filter detectors are computed once and filtered: the same accounts as
    calling the library at every grid setting."""
    folder, scores, _ = seed_run
    ws = Workspace(folder / "raw", folder / "work", 301, 0.25)
    work = ws.work_dir
    release = "synth_turkey_052020"
    rows = scores[scores["release"] == release].set_index(["detector", "setting"])
    tweets = cstage.read_columns(release, RETWEETERS, None, work)
    base = {k: v for k, v in AMPLIFIER.items() if k != "min_amplifiers"}
    for st in seeds.settings("amplifiers"):
        amp = amplifiers(tweets, **{**base, **st})
        assert rows.at[("amplifiers", seeds.label(st)), "flagged"] == int(amp["is_amplifier"].sum())
    delays = cstage.read_columns(release, _DELAYS, None, work)
    for st in seeds.settings("retweet rings"):
        rings = retweet_rings(delays, **{**ring_params(), **st})
        assert rows.at[("retweet rings", seeds.label(st)), "flagged"] == len(rings)
    for release in sorted(scores["release"].unique()):  # every last-filter detector, on every release
        rows = scores[scores["release"] == release].set_index(["detector", "setting"])
        data = load_case(release, ws, topics=False)
        own = campaigns.for_release(release)
        for name in seeds.LAST_FILTER:
            for st in seeds.settings(name):
                f = seeds.DETECTORS[name](data, **{**own.params(protocol.CAMPAIGN_KEY[name]), **st})
                got = rows.loc[(name, seeds.label(st))]
                assert (got["flagged"], got["applicable"]) == (f.n_accounts, f.applicable), (release, name, st)


@pytest.mark.slow
def test_folded_codes_are_the_undirected_fold(seed_run):
    """The sweep's integer fold of co-retweet and co-tweet flags the accounts of ``undirected(directed_weights)``
    at every window and minimum weight, with the same edges and weights."""
    from ioa_utils.coordination.cooccurrence import directed_weights, undirected
    from ioa_utils.coordination.traces import TRACES, events

    folder, _, _ = seed_run
    work = folder / "work"
    for release in ("synth_russia_052020", "synth_turkey_052020"):
        for trace in ("co_retweet", "co_tweet"):
            t = TRACES[trace]
            ev = events(cstage.read_columns(release, t.columns, t.kinds, work, t.fallback_only), trace)
            for window in protocol.GRID[trace]["window"]:
                want = undirected(directed_weights(ev, window), 1)
                a, b, w = seeds.folded_codes(ev, window)
                got = pd.DataFrame({"source": ev.users[a], "target": ev.users[b], "weight": w})
                pd.testing.assert_frame_equal(got.reset_index(drop=True), want, check_dtype=False)


def test_findings_sentences_follow_the_scores():
    from ioa_utils import findings

    p = protocol.DEFAULT
    df = _fake_scores(p.dev_seeds, p.heldout_seeds, held_best="window=60, min_weight=1",
                      dev_best="window=1800, min_weight=3")
    c = select.choose(df, p.dev_seeds)
    text = findings.evaluation(c, select.heldout(df, c, p.heldout_seeds), 5, 5).data
    assert "change the thresholds of 1 of the 1 swept detectors: co_tweet (window=300, min_weight=2 → " \
           "window=1800, min_weight=3)" in text
    assert "raise mean F1 for no detector, lower it for none, and leave it unchanged in 1 case" in text
    assert "at or below flagging every account for co_tweet on r" in text


@pytest.mark.slow
def test_model_seed_runs_agree_with_the_seed_at_the_default_model_seed(seed_run):
    from ioa_utils.evaluation import model_seeds

    folder, scores, _ = seed_run
    got = model_seeds.run(301, folder, (2020, 5), 0.25)
    assert set(got["setting"]) == {"model_seed=2020", "model_seed=5"}
    mine = got[got["is_default"]].set_index(["release", "detector"])
    ref = scores[scores["is_default"]].set_index(["release", "detector"])
    for key, r in mine.iterrows():
        assert (r["tp"], r["fp"], r["fn"]) == tuple(ref.loc[key, ["tp", "fp", "fn"]]), key
