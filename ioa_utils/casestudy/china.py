"""China chapter detectors: narratives over time, core posters vs amplifiers, zero-follower personas,
office-hours posting. Each works on any release and aggregates in SQL (``CaseData.query``)."""

from __future__ import annotations

import pandas as pd

from .base import CAMPAIGN_ROLES, CaseData, Finding, not_applicable
from .narratives import campaign_of, labelled_sql
from .narratives import narratives as campaign_narratives
from .profile import OFFICE_HOURS, office_sql

__all__ = ["CAMPAIGN_ROLES", "core_amplifiers", "narratives", "office_hours", "personas", "score_narratives",
           "topic_narratives"]


def narratives(data: CaseData, campaign: str = "china", min_share: float = 0.05, peak: str | None = "covid",
               name: str = "narratives") -> Finding:
    """:func:`.narratives.narratives` with this chapter's defaults (China's lexicon, the Covid-19 peak)."""
    return campaign_narratives(data, campaign, min_share, peak, name)


def score_narratives(finding: Finding, data: CaseData) -> pd.DataFrame | None:
    """Per planted narrative: tweets planted, tweets labelled, precision and recall of the keyword labels
    (``finding`` from :func:`.narratives.narratives` of any campaign)."""
    campaign = campaign_of(finding)
    if data.truth is None or not finding.applicable or campaign is None:
        return None
    con = data.connection()
    con.register("truth_tweets", data.truth.tweets[["tweetid", "narrative"]])
    try:
        got = data.query("SELECT l.narrative, count(*) AS labelled, count(*) FILTER (WHERE g.narrative = l.narrative) "
                         f"AS tp FROM ({labelled_sql(campaign)}) l "
                         "LEFT JOIN truth_tweets g USING (tweetid) GROUP BY l.narrative").set_index("narrative")
    finally:
        con.unregister("truth_tweets")
    planted = data.truth.tweets["narrative"].value_counts()
    rows = []
    for k in [c for c in finding.table.columns if c in got.index]:
        n_planted, labelled, tp = int(planted.get(k, 0)), int(got.at[k, "labelled"]), int(got.at[k, "tp"])
        rows.append({"narrative": k, "planted": n_planted, "labelled": labelled,
                     "precision": round(tp / labelled, 3) if labelled else float("nan"),
                     "recall": round(tp / n_planted, 3) if n_planted else float("nan")})
    return pd.DataFrame(rows).set_index("narrative")


def topic_narratives(finding: Finding, data: CaseData, top: int = 12) -> pd.DataFrame | None:
    """The largest topics of the topics stage, each with its dominant keyword narrative ("(none)" when most
    of its tweets match no keyword) and that narrative's share of the topic's tweets (``None`` without topics)."""
    campaign = campaign_of(finding)
    if not data.has_topics or not finding.applicable or campaign is None:
        return None
    out = data.query(
        "SELECT topic_label, sum(n)::BIGINT AS tweets, first(narrative ORDER BY n DESC, narrative) AS narrative, "
        "max(n) AS n_top FROM (SELECT p.topic, p.topic_label, coalesce(l.narrative, '(none)') AS narrative, "
        f"count(*) AS n FROM topics p LEFT JOIN ({labelled_sql(campaign)}) l USING (tweetid) "
        f"WHERE p.topic >= 0 GROUP BY ALL) GROUP BY topic, topic_label "
        f"ORDER BY tweets DESC, topic, topic_label LIMIT {int(top)}")
    out["share"] = (out.pop("n_top") / out["tweets"]).round(2)
    return out.set_index("topic_label")


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


def personas(data: CaseData, max_followers: int = 5, min_tweets: int = 1) -> Finding:
    """Accounts with at most ``max_followers`` followers and no bio: throwaway personas."""
    a = data.accounts
    flag = a[(a["follower_count"] <= max_followers) & ~a["has_bio"] & (a["n_tweets"] >= min_tweets)]
    share = len(flag) / max(len(a), 1)
    ev = (f"{len(flag)} of {len(a)} accounts ({100 * share:.0f}%) have <= {max_followers} followers and no bio; "
          f"{int((flag['follower_count'] == 0).sum())} have none")
    cols = ["userid", "follower_count", "following_count", "account_creation_date", "n_tweets"]
    return Finding("zero-follower personas", True, ev, flag[cols].reset_index(drop=True), roles=CAMPAIGN_ROLES)


def office_hours(data: CaseData, min_tweets: int = 10, min_share: float = 0.7,
                 hours: tuple[int, int] = OFFICE_HOURS) -> Finding:
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
