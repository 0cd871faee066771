"""China chapter detectors: narratives over time, core posters vs amplifiers, zero-follower personas,
office-hours posting. Each works on any release and aggregates in SQL (``CaseData.query``). Threshold defaults:
the campaign files' (``campaign.DEFAULTS``, from ``data/campaigns/template.yaml``)."""

from __future__ import annotations

from ..ground_truth import GroundTruth
from .base import CAMPAIGN_ROLES, CaseData, Finding, not_applicable
from .campaign import DEFAULTS
from .narratives import narratives as campaign_narratives
from .narratives import score_narratives, topic_narratives
from .profile import office_sql

_PERSONAS, _OFFICE = DEFAULTS["personas"], DEFAULTS["office_hours"]

__all__ = ["CAMPAIGN_ROLES", "amplifier_note", "core_amplifiers", "has_amplifiers", "narratives", "office_hours",
           "personas", "score_narratives", "topic_narratives"]


def narratives(data: CaseData, campaign: str = "china", min_share: float = DEFAULTS["narratives"]["min_share"],
               peak: str | None = "covid", name: str = "narratives") -> Finding:
    """:func:`.narratives.narratives` with this chapter's defaults (China's lexicon, the Covid-19 peak)."""
    return campaign_narratives(data, campaign, min_share, peak, name)


def core_amplifiers(data: CaseData) -> tuple[Finding, Finding]:
    """Amplifiers (mostly retweet, mostly a few accounts) and the core they serve, as two findings, read
    from the coordination stage (``coordination.stage``: tables ``amplifiers`` and ``core``, thresholds
    ``coordination.traces.AMPLIFIER``), so every notebook reports the same accounts."""
    known = data.query("SELECT count(*) AS n FROM tweets WHERE tweet_kind = 'retweet' AND rt_userid IS NOT NULL")
    if int(known["n"].iloc[0]) == 0:
        reason = "no retweets with a known retweeted account"
        return (not_applicable("amplifiers", reason, ("amplifier",)), not_applicable("core", reason, ("core",)))
    from ..coordination import stage as cstage
    from ..coordination.traces import AMPLIFIER

    amp = cstage.read(data.release, "amplifiers", data.work_dir)
    core = cstage.read(data.release, "core", data.work_dir)
    flagged = amp[amp["is_amplifier"]].drop(columns="is_amplifier").reset_index(drop=True)
    members = set(data.accounts["userid"])
    core_df = core[["userid", "n_amplifiers"]].assign(in_release=lambda d: d["userid"].isin(members))
    core_df = core_df.sort_values(["n_amplifiers", "userid"], ascending=[False, True]).reset_index(drop=True)
    internal = flagged["top_targets"].map(lambda ts: sum(t in members for t in ts) / len(ts) if len(ts) else 0.0)
    amp_f = Finding("amplifiers", True,
                    f"{len(flagged)} accounts have >= {100 * AMPLIFIER['min_retweet_share']:.0f}% retweets and >= "
                    f"{100 * AMPLIFIER['min_concentration']:.0f}% of them go to their top {AMPLIFIER['top_k']} "
                    f"accounts; on average {100 * internal.mean():.0f}% of those top accounts are in the release"
                    if len(flagged) else "no account mostly retweets a few accounts", flagged, table=amp,
                    roles=("amplifier",))
    core_f = Finding("core", True,
                     f"{len(core_df)} accounts are top targets of >= {AMPLIFIER['min_amplifiers']} amplifiers "
                     f"({int(core_df['in_release'].sum())} of them in the release)", core_df, roles=("core",))
    return amp_f, core_f


def has_amplifiers(truth: GroundTruth | None) -> bool | None:
    """Whether the release holds planted amplifier accounts (None: not known, real data). The real China
    release left its amplifiers out, and so does the default synthetic one."""
    return None if truth is None else bool((truth.accounts["role"] == "amplifier").any())


def amplifier_note(amp: Finding, core: Finding, truth: GroundTruth | None) -> str:
    """What the amplifier and core findings mean for this release, from its counts: where the release holds
    no amplifiers, every account the rule flags is a false positive and the core rule has nothing to find."""
    if not amp.applicable:
        return f"The amplifier analysis does not apply: {amp.evidence}."
    core_in = int(core.accounts["in_release"].sum()) if core.applicable and len(core.accounts) else 0
    served = (f"; {core.n_accounts:,} accounts are served by >= 2 of them, {core_in:,} of those in the release"
              if core.applicable else "")
    present = has_amplifiers(truth)
    if present is None:
        return (f"The rule flags {amp.n_accounts:,} accounts that mostly retweet a few accounts{served}. Without "
                "ground truth it is not known whether the release holds amplifiers at all: read them as leads.")
    if present:
        n = int((truth.accounts["role"] == "amplifier").sum())  # type: ignore[union-attr]
        return f"The release holds {n:,} planted amplifier accounts; the rule flags {amp.n_accounts:,}{served}."
    roles = truth.accounts.set_index("userid")["role"].reindex(amp.flagged).value_counts()  # type: ignore[union-attr]
    by = ", ".join(f"{c:,} {r}" for r, c in roles.items())
    return (f"The release holds no amplifier accounts, so the amplifier analysis has none to find: the "
            f"{amp.n_accounts:,} accounts the rule flags are all false positives" + (f" ({by})" if by else "")
            + f"{served}. The core rule (accounts that amplifiers serve) cannot find this campaign's core "
            "without them, so neither rule is scored here.")


def personas(data: CaseData, max_followers: int = _PERSONAS["max_followers"],
             min_tweets: int = _PERSONAS["min_tweets"]) -> Finding:
    """Accounts with at most ``max_followers`` followers and no bio: throwaway personas."""
    a = data.accounts
    flag = a[(a["follower_count"] <= max_followers) & ~a["has_bio"] & (a["n_tweets"] >= min_tweets)]
    share = len(flag) / max(len(a), 1)
    ev = (f"{len(flag)} of {len(a)} accounts ({100 * share:.0f}%) have <= {max_followers} followers and no bio; "
          f"{int((flag['follower_count'] == 0).sum())} have none")
    cols = ["userid", "follower_count", "following_count", "account_creation_date", "n_tweets"]
    return Finding("zero-follower personas", True, ev, flag[cols].reset_index(drop=True), roles=CAMPAIGN_ROLES)


def office_hours(data: CaseData, min_tweets: int = _OFFICE["min_tweets"], min_share: float = _OFFICE["min_share"],
                 hours: tuple[int, int] = _OFFICE["hours"]) -> Finding:
    """Accounts that post mostly on weekdays between ``hours`` in ``data.timezone`` (a work schedule);
    the release-wide share is in the evidence. Not applicable when no account has ``min_tweets``."""
    per = data.query(f"SELECT userid, count(*) AS n_tweets, sum({office_sql(data.timezone, hours)}::INT) AS n_office "
                     "FROM tweets GROUP BY userid ORDER BY userid")
    overall = per["n_office"].sum() / max(per["n_tweets"].sum(), 1)
    per = per[per["n_tweets"] >= min_tweets]
    if per.empty:
        return not_applicable("office hours", f"no account has {min_tweets} tweets", CAMPAIGN_ROLES)
    per = per.assign(office_share=(per.pop("n_office") / per["n_tweets"]).round(3)).reset_index(drop=True)
    flag = per[per["office_share"] >= min_share].reset_index(drop=True)
    expected = 5 * (hours[1] - hours[0]) / 168
    ev = (f"{100 * overall:.0f}% of all tweets fall on weekdays {hours[0]}-{hours[1]} h {data.timezone} "
          f"(uniform timing: {100 * expected:.0f}%); {len(flag)} of {len(per)} accounts with >= {min_tweets} tweets "
          f"post >= {100 * min_share:.0f}% of their tweets then")
    return Finding("office hours", True, ev, flag, table=per, roles=CAMPAIGN_ROLES)
