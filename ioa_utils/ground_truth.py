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

``load`` reads the accounts; the per-tweet file (one row per tweet: 0.85 GB in pandas at 4M tweets) is read only
when ``tweets`` or ``read_tweets`` is used, and never kept, so holding a release's ground truth
(``casestudy.load``) does not grow with the release.
"""

from __future__ import annotations

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


class GroundTruth:
    """The planted ground truth of one release: ``accounts`` in pandas; the per-tweet table given as a frame or
    as the Parquet file holding it (``tweets_file``), then read on each use."""

    __slots__ = ("_tweets", "accounts", "release")

    def __init__(self, release: str, accounts: pd.DataFrame, tweets: pd.DataFrame | Path):
        self.release, self.accounts, self._tweets = release, accounts, tweets

    @property
    def tweets_file(self) -> Path | None:
        """The per-tweet Parquet file (None when the table was given in memory)."""
        return None if isinstance(self._tweets, pd.DataFrame) else Path(self._tweets)

    @property
    def tweets(self) -> pd.DataFrame:
        """The per-tweet table, every column (read from ``tweets_file`` on each use)."""
        return self.read_tweets()

    def read_tweets(self, columns: list[str] | None = None) -> pd.DataFrame:
        """``columns`` (None: all) of the per-tweet table; from the file only those columns are read."""
        if isinstance(self._tweets, pd.DataFrame):
            return self._tweets if columns is None else self._tweets[columns]
        return pd.read_parquet(self._tweets, columns=columns)

    def with_accounts(self, accounts: pd.DataFrame) -> GroundTruth:
        """The same per-tweet table (not read) with other ``accounts``."""
        return GroundTruth(self.release, accounts, self._tweets)

    def __repr__(self) -> str:
        where = "in memory" if self.tweets_file is None else str(self.tweets_file)
        return f"GroundTruth({self.release!r}, {len(self.accounts)} accounts, tweets {where})"


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
    return GroundTruth(release, pd.read_parquet(accounts), tweets)
