"""Stance: how many organic tweets that *oppose* a campaign get one of its narrative labels.

Keyword labels (:mod:`.narratives`) do not model stance: "CHP'ye oy verdim" counts for the attack on CHP as much
as "CHP zihniyeti" does. The synthetic generator plants organic accounts that talk about the campaigns' targets
with the opposite stance (planted narrative ``OPPOSITION``: Hong Kong protesters' supporters, critics of United
Russia, CHP and HDP voters); on its releases this module counts the organic tweets and accounts the keyword labels
wrongly give a campaign narrative because of them, and their share of all tweets with that label. Real releases
have no ground truth: nothing is counted.
"""

from __future__ import annotations

from dataclasses import dataclass

from IPython.display import Markdown

from ..ground_truth import CONTROL_ROLES
from .base import CaseData
from .campaign import Campaign
from .narratives import labelled_sql

# The planted narrative of organic opposite-stance tweets: the generator's name for it (``synthetic.lexicon_common``
# holds the same string; the two packages import nothing of each other, tests/test_generator_independence.py
# checks they agree).
OPPOSITION = "organic_opposition"


@dataclass(frozen=True)
class StanceEffect:
    """Opposite-stance organic tweets and the campaign narratives the keyword labels give them."""

    narratives: tuple[str, ...]  # the campaign narratives counted (promotion and attack ones, else all)
    marked: bool  # whether they are the campaign's promotion/attack narratives (else: all of its narratives)
    tweets: int  # organic opposite-stance tweets in the release
    mislabelled: int  # ... labelled with one of ``narratives``
    accounts: int  # organic accounts with an opposite-stance tweet
    accounts_mislabelled: int  # ... with at least one of them mislabelled
    labelled: int  # every tweet labelled with one of ``narratives`` (campaign's and organic)


def _targets(campaign: Campaign) -> tuple[str, ...]:
    """The narratives whose stance matters: promotion and attack ones, or every narrative when none is marked."""
    marked = tuple(dict.fromkeys([*campaign.promotion, *campaign.attack]))
    return marked or tuple(campaign.narratives)


def opposite_stance(data: CaseData, campaign: Campaign) -> StanceEffect | None:
    """Count the organic opposite-stance tweets of ``data`` that the keyword labels of ``campaign`` give one of
    its promotion/attack narratives (all narratives for a campaign without such marks). None without ground truth."""
    if data.truth is None:
        return None
    con = data.connection()
    organic = data.truth.accounts.loc[data.truth.accounts["role"].isin(CONTROL_ROLES), ["userid"]]
    con.register("stance_organic", organic)
    targets = _targets(campaign)
    names = ", ".join("'" + t.replace("'", "''") + "'" for t in targets)
    try:
        with data.planted("stance_truth"):
            row = data.query(
                "SELECT count(*) FILTER (WHERE opp) AS tweets, count(*) FILTER (WHERE opp AND hit) AS mislabelled, "
                "count(DISTINCT userid) FILTER (WHERE opp) AS accounts, "
                "count(DISTINCT userid) FILTER (WHERE opp AND hit) AS accounts_mislabelled, "
                "count(*) FILTER (WHERE hit) AS labelled FROM (SELECT l.userid, "
                f"coalesce(l.narrative IN ({names}), false) AS hit, "
                f"coalesce(g.narrative = '{OPPOSITION}' AND o.userid IS NOT NULL, false) AS opp "
                f"FROM ({labelled_sql(campaign, keep_unlabelled=True)}) l LEFT JOIN stance_truth g USING (tweetid) "
                "LEFT JOIN stance_organic o ON o.userid = l.userid)").iloc[0]
    finally:
        con.unregister("stance_organic")
    marked = bool(campaign.promotion or campaign.attack)
    return StanceEffect(targets, marked, *(int(row[k]) for k in ("tweets", "mislabelled", "accounts",
                                                          "accounts_mislabelled", "labelled")))


def _pct(a: int, b: int) -> str:
    """A share as a percentage; one decimal below 1% (so a few tweets in many never read "0%")."""
    if not b:
        return "n/a"
    p = 100 * a / b
    return f"{p:.0f}%" if p >= 1 or a == 0 else f"{p:.1f}%" if p >= 0.1 else "under 0.1%"


def limitation(effect: StanceEffect | None) -> Markdown:
    """The Limitations sentence on stance, from :func:`opposite_stance`'s counts."""
    head = ("Keyword lexicons match whole words, but they do not model stance: a tweet that mentions a campaign's "
            "target counts for its narrative whether it attacks or defends it.")
    if effect is None:
        return Markdown(head + " Without ground truth (real data) its effect is not measured here.")
    kind = "promotion/attack narratives" if effect.marked else "narratives"
    if not effect.tweets:
        return Markdown(head + " This release has no planted opposite-stance organic tweets to measure it on.")
    return Markdown(
        f"{head} Measured on the planted organic accounts that oppose the campaign's line: "
        f"{effect.mislabelled:,} of their {effect.tweets:,} opposite-stance tweets "
        f"({_pct(effect.mislabelled, effect.tweets)}) get one of the campaign's {kind} "
        f"({', '.join(effect.narratives)}), from {effect.accounts_mislabelled:,} of {effect.accounts:,} such accounts; "
        f"they are "
        f"{_pct(effect.mislabelled, effect.labelled)} of the {effect.labelled:,} tweets with those labels.")
