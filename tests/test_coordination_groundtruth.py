"""Coordination detection scored against the planted groups of the default synthetic releases."""

from __future__ import annotations

import pytest

from ioa_utils import ground_truth, stages
from ioa_utils.coordination import analysis as an
from ioa_utils.coordination import edge_significance
from ioa_utils.paths import DEFAULT_RAW_DIR

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def results() -> dict[str, tuple]:
    out = {}
    p = an.Params()
    for rel in stages.prepare():
        tweets = an.read_tweets(rel)
        nets = an.all_networks(tweets, p)
        comms = an.all_communities(nets, p.seed)
        gt = ground_truth.load(DEFAULT_RAW_DIR, rel)
        assert gt is not None
        out[rel] = (tweets, nets, an.scores(nets, comms, gt).set_index("trace"), gt)
    return out


def planted(gt, kind: str) -> int:
    return int((gt.accounts["group_kind"] == kind).sum())


# (trace, planted kind) pairs that must be found almost perfectly wherever that kind is planted
FLOORS = [("co_tweet", "co_tweet"), ("near_duplicate", "co_tweet"), ("retweet_ring", "retweet_ring"),
          ("fast_retweet", "retweet_ring"), ("amplification", "amplification")]


@pytest.mark.parametrize(("trace", "kind"), FLOORS)
def test_floors_on_default_data(results, trace, kind):
    checked = 0
    for rel, (_, _, s, gt) in results.items():
        if planted(gt, kind) == 0:
            continue
        row = s.loc[trace]
        assert row["precision"] >= 0.95 and row["recall"] >= 0.95, (rel, row.to_dict())
        assert row["ari"] >= 0.9, (rel, row.to_dict())
        checked += 1
    assert checked >= 1, f"no default release plants {kind}"


def test_co_retweet_is_precise_and_finds_retweet_squads(results):
    for rel, (_, _, s, gt) in results.items():
        assert s.loc["co_retweet", "precision"] >= 0.95, rel
        if planted(gt, "commercial_retweet") or planted(gt, "retweet_ring"):
            if planted(gt, "amplification") == 0:  # amplifiers with one or two retweets are found by "amplification"
                assert s.loc["co_retweet", "recall"] >= 0.95, rel


def test_controls_are_rarely_flagged_by_any_trace(results):
    for rel, (_, nets, _, gt) in results.items():
        controls = set(gt.accounts.loc[gt.accounts["is_control"], "userid"])
        for trace in ("co_retweet", "co_tweet", "near_duplicate", "retweet_ring", "amplification"):
            e = nets[trace]
            flagged = (set(e["source"]) | set(e["target"])) & controls
            assert len(flagged) <= 0.05 * len(controls), (rel, trace, sorted(flagged))


def test_planted_co_tweet_edges_are_significant_under_the_null_model(results):
    rel = next(r for r, (_, _, _, gt) in results.items() if planted(gt, "co_tweet"))
    tweets, nets, _, gt = results[rel]
    p = an.Params()
    sig = edge_significance(an.events(tweets, "co_tweet"), nets["co_tweet"], p.window_tweet, n_permutations=30,
                            seed=p.seed)
    assert len(sig) > 0 and sig["significant"].mean() >= 0.95
    group = gt.accounts.set_index("userid")["group"]
    same = sig["source"].map(group).eq(sig["target"].map(group))
    assert same.all()
