"""Stance (issue 11): organic tweets opposing a campaign's line get its narrative labels; the Limitations sentence
counts them on the default synthetic releases and says nothing is measured without ground truth."""

from __future__ import annotations

import dataclasses

import pytest

from ioa_utils import casestudy as cs
from ioa_utils.casestudy import campaign, stance
from ioa_utils.workspace import Workspace


@pytest.fixture(scope="module")
def data() -> dict:
    ws = Workspace()
    return {r: cs.load(r, ws, topics=False) for r in ws.prepare()}


@pytest.mark.parametrize(("release", "name"), [("synth_china_052020", "china"), ("synth_russia_052020", "russia"),
                                               ("synth_turkey_052020", "turkey")])
def test_opposite_stance_tweets_get_campaign_labels(data, release, name, capsys):
    camp = campaign.load(name)
    effect = stance.opposite_stance(data[release], camp)
    assert effect is not None and effect.tweets > 0 and effect.accounts > 0
    assert 0 < effect.mislabelled <= effect.tweets and 0 < effect.accounts_mislabelled <= effect.accounts
    assert effect.mislabelled < effect.labelled
    assert set(effect.narratives) == (set(camp.promotion) | set(camp.attack) or set(camp.narratives))
    text = stance.limitation(effect).data
    assert f"{effect.mislabelled:,} of their {effect.tweets:,}" in text
    with capsys.disabled():
        print(f"\n{release}: {text}")


def test_no_ground_truth_no_measure(data):
    d = dataclasses.replace(data["synth_turkey_052020"], truth=None)
    assert stance.opposite_stance(d, campaign.load("turkey")) is None
    assert "not measured" in stance.limitation(None).data
