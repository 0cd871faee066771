"""Releases at a target size with the shape of the real June 2020 releases (accounts and tweets per account).

``scale`` alone multiplies account counts, so a large Turkey-like release would have ~300 tweets per account;
the real one has ~5,000. ``real_size(key, tweets)`` picks the plan's account scale and per-account activity
so that a release of about ``tweets`` tweets has the real release's tweets per account.
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


# Stanford Internet Observatory / Twitter figures (see data/README.md).
REAL: dict[str, RealRelease] = {
    "china": RealRelease(accounts=23_750, tweets=348_608),
    "russia": RealRelease(accounts=1_152, tweets=3_434_792),
    "turkey": RealRelease(accounts=7_340, tweets=36_948_524),
}

# Tweets per account each plan makes at activity 1.0, calibrated at the real shape so that ``tweets=N`` gives
# about N tweets (``benchmarks/bench_generate.py --calibrate``: seeds 1-3 at 1M tweets for Russia and Turkey,
# the real 348,608 for China, 2026-11-29, after organic accounts became 1.1 per campaign account). One seed's
# count varies by a few percent around it (Turkey at 200 accounts: -6% to +6%), less with more accounts. The
# account counts include the organic accounts (real releases have none).
REF_SCALE = 20.0  # from this scale on, account counts are proportional to the scale
ACCOUNTS_TOLERANCE = 0.001  # relative miss of the account count at which the search stops
PLAN_TWEETS_PER_ACCOUNT: dict[str, float] = {"china": 12.99, "russia": 197.34, "turkey": 214.11}


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
