"""China chapter detectors: narratives over time, core posters vs amplifiers, zero-follower personas,
office-hours posting. Each works on any release."""

from __future__ import annotations

import pandas as pd

from ..coordination.groups import amplified_core, amplifiers
from ..timebins import period_start
from .base import CaseData, Finding, label_narratives, not_applicable
from .lexicon import NARRATIVES
from .profile import in_office_hours, local_times

CAMPAIGN_ROLES = ("core", "amplifier", "official_poser", "commercial", "ring", "compromised", "single_issue")


def narratives(data: CaseData, campaign: str = "china", min_share: float = 0.05, peak: str | None = "covid",
               name: str = "narratives") -> Finding:
    """Label tweets with the campaign's narratives (keyword lexicon), count them per month, and find the
    month where ``peak`` narrative peaks. Not applicable when fewer than ``min_share`` of tweets match."""
    lex = NARRATIVES[campaign]
    label = label_narratives(data.tweets, lex)
    matched = data.tweets.loc[label.notna(), ["tweetid", "userid", "tweet_time"]].assign(narrative=label.dropna())
    share = len(matched) / max(len(data.tweets), 1)
    if share < min_share:
        return not_applicable(name, f"only {len(matched)} of {len(data.tweets)} tweets ({100 * share:.1f}%) use "
                                    f"the {campaign} narrative keywords")
    month = period_start(data.tweets["tweet_time"], "M")
    total = month.value_counts().rename("all tweets")
    table = pd.crosstab(month[label.notna()], label.dropna()).reindex(columns=list(lex), fill_value=0)
    table = table.join(total, how="outer").fillna(0).astype(int).sort_index().rename_axis("month")
    parts = [f"{len(matched)} tweets ({100 * share:.0f}%) match a {campaign} narrative: "
             + ", ".join(f"{k} {int(v)}" for k, v in matched["narrative"].value_counts().reindex(list(lex))
                         .fillna(0).items())]
    if peak in table.columns and table[peak].sum() > 0:
        m = table[peak].idxmax()
        parts.append(f"{peak} peaks in {m:%Y-%m} ({int(table.at[m, peak])} tweets, "
                     f"{100 * table.at[m, peak] / table.at[m, 'all tweets']:.0f}% of that month)")
    by_acc = matched.groupby("userid").agg(n_tweets=("tweetid", "size"),
                                           main_narrative=("narrative", lambda s: s.value_counts().index[0]))
    return Finding(name, True, "; ".join(parts), by_acc.reset_index(), matched.reset_index(drop=True), table,
                   roles=CAMPAIGN_ROLES)


def score_narratives(finding: Finding, data: CaseData) -> pd.DataFrame | None:
    """Per planted narrative: tweets planted, tweets labelled, precision and recall of the keyword labels."""
    if data.truth is None or not finding.applicable:
        return None
    gt = data.truth.tweets.set_index("tweetid")["narrative"]
    got = finding.tweets.set_index("tweetid")["narrative"]
    rows = []
    labels = set(finding.tweets["narrative"])
    for k in [c for c in finding.table.columns if c in labels]:
        planted, labelled = set(gt.index[gt == k]), set(got.index[got == k])
        tp = len(planted & labelled)
        rows.append({"narrative": k, "planted": len(planted), "labelled": len(labelled),
                     "precision": round(tp / len(labelled), 3) if labelled else float("nan"),
                     "recall": round(tp / len(planted), 3) if planted else float("nan")})
    return pd.DataFrame(rows).set_index("narrative")


def topic_narratives(finding: Finding, data: CaseData, top: int = 12) -> pd.DataFrame | None:
    """The largest topics of the topics stage, each with its dominant keyword narrative and that
    narrative's share of the topic's tweets (``None`` if topics are absent)."""
    if data.topics is None or not finding.applicable:
        return None
    t = data.topics[data.topics["topic"] >= 0].merge(finding.tweets[["tweetid", "narrative"]], on="tweetid", how="left")
    t["narrative"] = t["narrative"].fillna("(none)")
    g = t.groupby(["topic", "topic_label"])
    out = g.size().rename("tweets").to_frame()
    dom = t.groupby(["topic", "topic_label", "narrative"]).size().rename("n").reset_index()
    dom = dom.sort_values(["topic", "n", "narrative"], ascending=[True, False, True]).drop_duplicates("topic")
    out = out.join(dom.set_index(["topic", "topic_label"]))
    out["share"] = (out.pop("n") / out["tweets"]).round(2)
    return out.sort_values(["tweets"], ascending=False, kind="stable").head(top).reset_index(level=0, drop=True)


def core_amplifiers(data: CaseData, min_retweet_share: float = 0.6, min_concentration: float = 0.7,
                    min_retweets: int = 1, min_amplifiers: int = 2) -> tuple[Finding, Finding]:
    """Amplifiers (mostly retweet, mostly a few accounts: ``coordination.groups.amplifiers``) and the
    core they serve (``amplified_core``), as two findings."""
    tw = data.tweets
    known = (tw["tweet_kind"] == "retweet") & tw["rt_userid"].notna()
    if known.sum() == 0:
        reason = "no retweets with a known retweeted account"
        return (not_applicable("amplifiers", reason, ("amplifier",)), not_applicable("core", reason, ("core",)))
    amp = amplifiers(tw, min_retweet_share=min_retweet_share, min_concentration=min_concentration,
                     min_retweets=min_retweets)
    flagged = amp[amp["is_amplifier"]].drop(columns="is_amplifier")
    core = amplified_core(amp, min_amplifiers)
    members = set(data.accounts["userid"])
    core_df = core.reset_index().assign(in_release=lambda d: d["userid"].isin(members))
    core_df = core_df.sort_values(["n_amplifiers", "userid"], ascending=[False, True]).reset_index(drop=True)
    internal = flagged["top_targets"].map(lambda ts: sum(t in members for t in ts) / len(ts) if ts else 0.0)
    amp_f = Finding("amplifiers", True,
                    f"{len(flagged)} accounts have >= {100 * min_retweet_share:.0f}% retweets and >= "
                    f"{100 * min_concentration:.0f}% of them go to their top 5 accounts; on average "
                    f"{100 * internal.mean():.0f}% of those top accounts are in the release" if len(flagged) else
                    "no account mostly retweets a few accounts", flagged.reset_index(drop=True), table=amp,
                    roles=("amplifier",))
    core_f = Finding("core", True,
                     f"{len(core_df)} accounts are top targets of >= {min_amplifiers} amplifiers "
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
                 hours: tuple[int, int] = (9, 18)) -> Finding:
    """Accounts that post mostly on weekdays between ``hours`` in ``data.timezone`` (a work schedule);
    the release-wide share is in the evidence. Not applicable when no account has ``min_tweets``."""
    tw = data.tweets
    local = local_times(tw, data.timezone)
    office = in_office_hours(local, hours)
    per = pd.DataFrame({"n_tweets": tw.groupby("userid").size(), "office_share": office.groupby(tw["userid"]).mean()})
    per = per[per["n_tweets"] >= min_tweets]
    if per.empty:
        return not_applicable("office hours", f"no account has {min_tweets} tweets", CAMPAIGN_ROLES)
    per["office_share"] = per["office_share"].round(3)
    flag = per[per["office_share"] >= min_share].reset_index()
    expected = 5 * (hours[1] - hours[0]) / 168
    ev = (f"{100 * office.mean():.0f}% of all tweets fall on weekdays {hours[0]}-{hours[1]} h {data.timezone} "
          f"(uniform timing: {100 * expected:.0f}%); {len(flag)} of {len(per)} accounts with >= {min_tweets} tweets "
          f"post >= {100 * min_share:.0f}% of their tweets then")
    return Finding("office hours", True, ev, flag, table=per.reset_index(), roles=CAMPAIGN_ROLES)
