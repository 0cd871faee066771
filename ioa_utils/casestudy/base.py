"""What every detector shares: the release's tables loaded once, the result object, and scoring.

A detector takes a :class:`CaseData` and returns a :class:`Finding`: the accounts (and/or tweets) it
flags with the evidence for each, a supporting table, and a one-line statement of what it found, or
why it does not apply to this release. On synthetic releases a finding is scored against the planted
roles with :func:`ioa_utils.coordination.evaluate.score_accounts`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import ground_truth, store
from ..coordination.evaluate import score_accounts
from ..ground_truth import GroundTruth
from ..paths import DATA_DIR, processed_dir
from .lexicon import NARRATIVES

TWEET_COLUMNS = ["tweetid", "userid", "tweet_time", "tweet_kind", "tweet_language", "tweet_text", "text_norm",
                 "client", "rt_userid", "rt_screen_name", "retweet_tweetid", "in_reply_to_userid",
                 "has_lossy_ref", "hashtags", "urls", "domains", "user_mentions", "like_count", "retweet_count",
                 "quote_count", "reply_count"]


@dataclass
class CaseData:
    """One release's processed tweets and accounts, its topic assignments (``None`` if the topics stage
    has not run), its planted ground truth (``None`` on real data) and the attributed time zone."""

    release: str
    tweets: pd.DataFrame
    accounts: pd.DataFrame
    topics: pd.DataFrame | None
    truth: GroundTruth | None
    timezone: str = "UTC"
    topics_note: str = ""  # why there are no topics, when there are none

    @property
    def synthetic(self) -> bool:
        return self.truth is not None


def guess_timezone(release: str, default: str | None = None) -> str:
    """The attributed country's time zone of a release, from the release registry (``ioa_utils.registry``:
    ``synth_china_052020`` -> Asia/Shanghai, ``thailand_092020`` -> Asia/Bangkok). For a release the registry
    does not know: ``default`` when the caller passes one, else :class:`ioa_utils.registry.UnknownReleaseError`
    naming the parameter to set (``timezone`` / ``timezones``), never a silent UTC."""
    from ..registry import UnknownReleaseError, timezone_for

    try:
        return timezone_for(release)
    except UnknownReleaseError:
        if default is None:
            raise
        return default


def guess_campaign(release: str) -> str | None:
    """``china``, ``russia`` or ``turkey`` when the release id names one (the lexicon to use)."""
    words = re.split(r"[^a-z]+", release.lower())
    return next((w for w in words if w in NARRATIVES), None)


def topic_assignments(release: str, work_dir: str | Path = DATA_DIR,
                      compute: bool = True) -> tuple[pd.DataFrame | None, str]:
    """Per-tweet topics of a release: the table the topics stage wrote (``topics.parquet``); when it is
    missing and ``compute``, the topics stage is run once with its default parameters and saved, so
    later notebooks reuse it. Returns ``(assignments, "")``, or ``(None, reason)`` when there are none
    (topics stage not run, not installed, or failing on this release: case studies go on without)."""
    path = processed_dir(release, work_dir) / "topics.parquet"
    if not path.exists() and compute:
        try:
            from .. import topics

            topics.run([release], work_dir)
        except Exception as exc:  # noqa: BLE001 - any failure of the optional topics stage: go on without
            return None, f"the topics stage failed on {release}: {type(exc).__name__}: {exc}"
    if not path.exists():
        return None, "the topics stage has not run"
    return pd.read_parquet(path, columns=["tweetid", "userid", "topic", "topic_label"]), ""


def pick_release(available: list[str], release: str | None, country: str) -> str:
    """The release a case study reads: ``release`` if given; else the one whose id names ``country``
    (``china_052020``, ``synth_china_052020``…); else the only release there is."""
    if release:
        return release
    named = [r for r in available if country.lower() in r.lower()]
    if len(named) == 1:
        return named[0]
    if len(available) == 1:
        return available[0]
    raise ValueError(f"cannot tell which release to study among {named or available}: pass it as the "
                     f"`release` parameter (papermill -p release <id>)")


def load(release: str, raw_dir: str | Path = "data/raw/synthetic", work_dir: str | Path = DATA_DIR,
         timezone: str | None = None, topics: bool = True) -> CaseData:
    """Everything the case-study detectors need for one release (run ``stages.prepare`` first)."""
    tw = store.read(release, "tweets", columns=TWEET_COLUMNS, work_dir=work_dir)
    tw = tw.sort_values(["tweet_time", "tweetid"], kind="stable").reset_index(drop=True)
    acc = store.read(release, "accounts", work_dir=work_dir).sort_values("userid").reset_index(drop=True)
    assigned, note = topic_assignments(release, work_dir) if topics else (None, "topics not requested")
    return CaseData(release, tw, acc, assigned, ground_truth.load(raw_dir, release),
                    timezone or guess_timezone(release), note)


@dataclass
class Finding:
    """What a detector found: flagged ``accounts`` (``userid`` + evidence columns), optionally flagged
    ``tweets``, a supporting ``table``, a one-line ``evidence`` statement, or ``applicable=False`` and
    the reason. ``roles`` are the planted roles it is scored against on synthetic data."""

    name: str
    applicable: bool
    evidence: str
    accounts: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({"userid": pd.Series([], dtype=object)}))
    tweets: pd.DataFrame | None = None
    table: pd.DataFrame | None = None
    roles: tuple[str, ...] = ()

    @property
    def flagged(self) -> list[str]:
        return sorted(self.accounts["userid"].astype(str)) if self.applicable else []

    @property
    def n_accounts(self) -> int:
        return len(self.flagged)

    @property
    def n_tweets(self) -> int:
        return 0 if self.tweets is None or not self.applicable else len(self.tweets)

    def summary(self) -> str:
        if not self.applicable:
            return f"{self.name}: not applicable: {self.evidence}"
        tw = f", {self.n_tweets} tweets" if self.tweets is not None else ""
        return f"{self.name}: flags {self.n_accounts} accounts{tw}. Evidence: {self.evidence}"

    def __repr__(self) -> str:
        return self.summary()

    def score(self, truth: GroundTruth | None) -> dict | None:
        """Precision/recall/F1 of the flagged accounts against the planted ``roles`` (every other account
        of the release is a negative); ``None`` without ground truth or roles."""
        if truth is None or not self.roles or not self.applicable:
            return None
        return score_roles(self.flagged, truth, self.roles)


def not_applicable(name: str, reason: str, roles: tuple[str, ...] = ()) -> Finding:
    return Finding(name, False, reason, roles=roles)


def score_roles(flagged: list[str], truth: GroundTruth | None, roles: tuple[str, ...]) -> dict | None:
    """Score flagged accounts against planted *roles* by reusing ``coordination.evaluate.score_accounts``:
    accounts with one of ``roles`` are the positives, all other accounts of the release the negatives."""
    if truth is None:
        return None
    a = truth.accounts
    pos = a["role"].isin(roles).to_numpy()
    proxy = pd.DataFrame({"userid": a["userid"], "group": np.where(pos, "target", ""),
                          "group_kind": np.where(pos, "target", ""), "is_control": ~pos})
    return score_accounts(flagged, GroundTruth(truth.release, proxy, truth.tweets))


def score_table(findings: dict[str, Finding], truth: GroundTruth | None) -> pd.DataFrame | None:
    """One row per detector: the roles it targets, flagged accounts, precision, recall, F1."""
    if truth is None:
        return None
    rows = []
    for key, f in findings.items():
        s = f.score(truth)
        if s is None:
            continue
        rows.append({"detector": key, "planted roles": ", ".join(f.roles), "positives": s["n_positive"],
                     "flagged": f.n_accounts, "precision": round(s["precision"], 3),
                     "recall": round(s["recall"], 3), "f1": round(s["f1"], 3)})
    return pd.DataFrame(rows).set_index("detector") if rows else None


def print_score(finding: Finding, truth: GroundTruth | None) -> None:
    """The line a notebook prints after a detector: its score, or why there is none."""
    if truth is None:
        print(f"{finding.name}: no ground truth (real data); not scored")
    elif not finding.applicable:
        print(f"{finding.name}: not applicable, not scored")
    else:
        s = finding.score(truth)
        print(f"{finding.name} vs planted role(s) {', '.join(finding.roles)}: precision {s['precision']:.3f}, "
              f"recall {s['recall']:.3f}, F1 {s['f1']:.3f} ({s['tp']} of {s['n_positive']} found, {s['fp']} false)")


def match_text(tweets: pd.DataFrame) -> pd.Series:
    """The text a keyword is searched in: normalized text plus ``#hashtag`` for every hashtag."""
    tags = tweets["hashtags"].map(lambda h: " ".join(f"#{x}" for x in h) if h is not None and len(h) else "")
    return tweets["text_norm"].fillna("") + " " + tags


def keyword_pattern(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def label_narratives(tweets: pd.DataFrame, lexicon: dict[str, tuple[str, ...]]) -> pd.Series:
    """One narrative label per tweet: the lexicon entry with the most keyword hits (ties: first in the
    lexicon's order), ``None`` when no keyword matches."""
    text = match_text(tweets)
    hits = pd.DataFrame({k: text.str.count(keyword_pattern(v)) for k, v in lexicon.items()}, index=tweets.index)
    best = hits.idxmax(axis=1).where(hits.max(axis=1) > 0)
    return best.astype(object).where(best.notna(), None)
