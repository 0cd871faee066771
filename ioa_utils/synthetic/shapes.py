"""The shape of the synthetic releases (accounts and tweets per account): the default archive's (``DEFAULT``),
and releases at a target size in the real June 2020 releases' shape (``real_size``).

The default archive (``generate(scale=1.0)``, seed 2020) has the real releases' tweets per campaign account
with far fewer accounts (measured on seed 2020; ``tests/test_synthetic.py`` checks them):

| release | campaign accounts | tweets each | organic accounts | tweets each | real accounts | real tweets each |
| --- | --- | --- | --- | --- | --- | --- |
| China | 412 core, no amplifiers | 15 | 458 | 10 | 23,750 (+ ~150,000 amplifiers, not released) | 14.7 |
| Russia | 18 | 2,850 | 24 | 58 | 1,152 | 2,981 |
| Turkey | 26 | 5,054 | 34 | 70 | 7,340 | 5,034 |

In all 197,394 tweets (10,942 / 52,675 / 133,777), against 47,704 before (about 300 tweets per campaign account
in Russia and Turkey, 428 tweeting amplifiers in China). With so few accounts, tweets per account swing with the
draws of a handful of log-normal counts (Russia, seed 2020, activities 15.6 to 20: 2,111 to 3,252): the
activities below were picked on seed 2020; seeds 1-5 gave (before the vocabulary and delay draws were
rewritten) Russia 1,663 to 3,222 (mean 2,672) and Turkey 4,911
to 5,739 (mean 5,300) tweets per campaign account.

The organic accounts (hard negatives; real releases have none) are at least as many as the campaign accounts
and keep their own activity (``Size.organic``: the plan's per-role log-normal counts at activity 1, a mean of
8 tweets per plain control in China and 100 in Russia and Turkey), not the campaign's: campaign accounts post
far more than organic ones, as staffed accounts do.

Amplifiers: ``generate(..., china_amplifiers=True)`` (CLI ``--china-amplifiers``) plants them, to exercise the
amplifier detector. ``real_size(key, tweets)`` picks the plan's account scale and per-account activity so that a
release of about ``tweets`` tweets has the real release's tweets per account, organic accounts counted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .plans import Size


@dataclass(frozen=True)
class RealRelease:
    accounts: int
    tweets: int

    @property
    def tweets_per_account(self) -> float:
        return self.tweets / self.accounts


# The default archive per release: account scale (group minimums bind below 1: every tactic keeps several accounts,
# ``plans.RINGS`` rings, the group sizes of ``plans``), campaign activity at which the campaign accounts have the
# real tweets per account (measured, seed 2020), organic activity (their own: 1.0). China without amplifiers.
DEFAULT: dict[str, Size] = {
    "china": Size(scale=2.0, activity=0.45, organic=1.0),
    "russia": Size(scale=0.3, activity=16.0, organic=1.0),
    "turkey": Size(scale=0.3, activity=28.81, organic=1.0),
}


def default_size(key: str, scale: float = 1.0) -> Size:
    """The default archive's size for plan ``key``, its account scale multiplied by ``scale`` (tweet volume is
    then about proportional to ``scale``: where group minimums bind, tweets per account shrink instead)."""
    d = DEFAULT[key]
    return Size(scale=d.scale * scale, activity=d.activity, organic=d.organic)


# Stanford Internet Observatory / Twitter figures (see data/README.md).
REAL: dict[str, RealRelease] = {
    "china": RealRelease(accounts=23_750, tweets=348_608),
    "russia": RealRelease(accounts=1_152, tweets=3_434_792),
    "turkey": RealRelease(accounts=7_340, tweets=36_948_524),
}

# Tweets per account each plan makes at activity 1.0, calibrated at the real shape so that ``tweets=N`` gives
# about N tweets (``benchmarks/bench_generate.py --calibrate``: seeds 1-3 at 1M tweets for Russia and Turkey,
# the real 348,608 for China, 2026-11-29, after organic accounts became 1.1 per campaign account; China again
# without amplifiers, seed 1 only: 877,035 tweets made for 348,608 asked at 12.99, so 12.99 * 2.516). One seed's
# count varies by a few percent around it (Turkey at 200 accounts: -6% to +6%), less with more accounts. The
# account counts include the organic accounts (real releases have none).
REF_SCALE = 15.0  # from this scale on, account counts are proportional to the scale (Russia's real size: ~17)
ACCOUNTS_TOLERANCE = 0.001  # relative miss of the account count at which the search stops
PLAN_TWEETS_PER_ACCOUNT: dict[str, float] = {"china": 32.68, "russia": 197.34, "turkey": 214.11}


def real_size(key: str, tweets: int, count_accounts: Callable[[float], int]) -> Size:
    """The plan size giving about ``tweets`` tweets with the real release's tweets per account;
    ``count_accounts(scale)`` is how many accounts the plan makes at that scale.

    Tweet volume is proportional to ``scale``, account counts only from about ``REF_SCALE`` on (below it
    fixed group sizes and minimum counts add accounts). So the scale is the one at which the plan has the
    real release's accounts for ``tweets`` tweets, found by a few corrections from ``REF_SCALE``'s account
    density; below ``REF_SCALE`` the tweet count is kept and the release has somewhat more accounts.
    """
    if tweets < 1:
        raise ValueError("tweets must be positive")
    real = REAL[key]
    accounts = tweets / real.tweets_per_account
    scale = best = accounts * REF_SCALE / count_accounts(REF_SCALE)
    miss = float("inf")
    for _ in range(4):  # group sizes round account counts: correct a few times, keep the best
        if scale <= REF_SCALE:
            break
        n = count_accounts(scale)
        if abs(n - accounts) < miss:
            best, miss = scale, abs(n - accounts)
        if miss <= max(1.0, ACCOUNTS_TOLERANCE * accounts):
            break
        scale *= accounts / n
    return Size(scale=best, activity=real.tweets_per_account / PLAN_TWEETS_PER_ACCOUNT[key])
