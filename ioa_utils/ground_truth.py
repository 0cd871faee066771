"""Planted ground truth of the synthetic releases.

The generator writes two files beside each synthetic release, never read by the analysis code except
where a notebook *evaluates* a method:

- ``<release>_ground_truth_accounts.parquet``: one row per account:
  ``userid``, ``role`` (see ``ROLES``), ``group`` (planted coordinated group id, "" if none),
  ``group_kind`` (see ``GROUP_KINDS``, "" if none), ``is_control`` (organic account, not part of the campaign:
  the roles in ``CONTROL_ROLES``).
- ``<release>_ground_truth_tweets.parquet``: one row per tweet:
  ``tweetid``, ``userid``, ``narrative`` (planted narrative label; organic controls have their own
  ``organic_*`` labels), ``planted`` (the coordinated behaviour this tweet belongs to, see
  ``GROUP_KINDS``, "" for ordinary posting).

Real releases have no such files; ``load`` returns ``None`` for them and notebooks say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .paths import resolve

ROLES = (
    "core",  # posts the campaign's own content
    "amplifier",  # mostly retweets the core
    "official_poser",  # display name / bio pose as an official office
    "commercial",  # retweet-for-hire cluster
    "ring",  # member of a retweet ring
    "compromised",  # ordinary history, then taken over by the campaign
    "single_issue",  # created in a batch, posts one issue
    "control",  # organic account, not part of the campaign
    # Organic hard negatives (``is_control`` too): ordinary behaviour that looks like a campaign's.
    "organic_fan",  # fan or news community: retweets the same viral outside posts minutes after they appear
    "organic_aggregator",  # news aggregator: posts the same headlines as other aggregators within minutes
    "organic_newcomer",  # new account: few or no followers, often no bio, few tweets
    "organic_worker",  # tweets mostly during its own working hours on weekdays
    "organic_bilingual",  # switches between two languages (some drift from one to the other over time)
)
CONTROL_ROLES = tuple(r for r in ROLES if r == "control" or r.startswith("organic_"))
GROUP_KINDS = ("retweet_ring", "co_tweet", "amplification", "commercial_retweet")

ACCOUNTS_SUFFIX = "_ground_truth_accounts.parquet"
TWEETS_SUFFIX = "_ground_truth_tweets.parquet"


@dataclass(frozen=True)
class GroundTruth:
    release: str
    accounts: pd.DataFrame
    tweets: pd.DataFrame


def files(raw_dir: str | Path, release: str) -> tuple[Path, Path]:
    """Where the ground-truth files of ``release`` are (they may not exist)."""
    base = resolve(raw_dir)
    hits = sorted(base.rglob(f"{release}{ACCOUNTS_SUFFIX}"))
    folder = hits[0].parent if hits else base / release
    return folder / f"{release}{ACCOUNTS_SUFFIX}", folder / f"{release}{TWEETS_SUFFIX}"


def load(raw_dir: str | Path, release: str) -> GroundTruth | None:
    """The planted ground truth of a synthetic release, or ``None`` for a real one."""
    accounts, tweets = files(raw_dir, release)
    if not (accounts.exists() and tweets.exists()):
        return None
    return GroundTruth(release, pd.read_parquet(accounts), pd.read_parquet(tweets))
