"""Russia chapter detectors: accounts posing as official offices, cheerleading for Putin and United
Russia, engagement that only the network provides, and the commercial retweet-for-hire cluster. Each
works on any release."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..coordination.groups import communities
from ..coordination.networks import co_retweet
from ..timebins import period_start
from .base import CaseData, Finding, label_narratives, not_applicable
from .china import CAMPAIGN_ROLES
from .lexicon import NARRATIVES, OFFICIAL_KEYWORDS


def official_posers(data: CaseData, keywords: dict[str, tuple[str, ...]] = OFFICIAL_KEYWORDS) -> Finding:
    """Accounts whose display name or bio names an office: ministries, city bureaus, administrations,
    press services, party branches, "official" (multilingual keyword lists in :mod:`.lexicon`)."""
    a = data.accounts
    if a["display_name"].isna().all() and a["description"].isna().all():
        return not_applicable("official posers", "no display names or bios in the users file", ("official_poser",))
    rows = []
    for r in a.itertuples(index=False):
        name, bio = str(r.display_name or "").lower(), str(r.description or "").lower()
        hits = sorted({(lang, w, "name" if w in name else "bio") for lang, ws in keywords.items() for w in ws
                       if w in name or w in bio})
        if hits:
            rows.append({"userid": r.userid, "display_name": r.display_name, "follower_count": r.follower_count,
                         "keywords": ", ".join(sorted({w for _, w, _ in hits})),
                         "languages": ",".join(sorted({lang for lang, _, _ in hits})),
                         "in_name": any(f == "name" for _, _, f in hits)})
    flag = pd.DataFrame(rows, columns=["userid", "display_name", "follower_count", "keywords", "languages", "in_name"])
    ev = (f"{len(flag)} of {len(a)} accounts name an office in their display name or bio "
          f"({int(flag['in_name'].sum())} in the display name)")
    if len(flag):
        kw = flag["keywords"].str.split(", ").explode().value_counts()
        kw = kw.rename_axis("k").reset_index().sort_values(["count", "k"], ascending=[False, True]).head(5)
        ev += "; most frequent: " + ", ".join(f"'{k}' ({c})" for k, c in zip(kw["k"], kw["count"], strict=True))
    return Finding("official posers", True, ev, flag, roles=("official_poser",))


def cheerleading(data: CaseData, campaign: str = "russia", min_tweets: int = 10, min_share: float = 0.25,
                 min_release_share: float = 0.05) -> Finding:
    """Share of tweets praising the leader and the ruling party (keyword lexicon of ``campaign``), per
    month and per account; accounts with >= ``min_share`` of their tweets cheerleading are flagged."""
    lex = NARRATIVES[campaign]
    label = label_narratives(data.tweets, lex)
    tw = data.tweets.assign(narrative=label)
    share = tw["narrative"].notna().mean() if len(tw) else 0.0
    if share < min_release_share:
        return not_applicable("cheerleading", f"{100 * share:.1f}% of tweets use the {campaign} cheerleading "
                                              "keywords", CAMPAIGN_ROLES)
    per = tw.groupby("userid").agg(n_tweets=("tweetid", "size"), cheer_share=("narrative", lambda s: s.notna().mean()))
    per["cheer_share"] = per["cheer_share"].round(3)
    flag = per[(per["n_tweets"] >= min_tweets) & (per["cheer_share"] >= min_share)].reset_index()
    month = period_start(tw["tweet_time"], "M")
    table = pd.crosstab(month, tw["narrative"].fillna("other"), normalize="index").round(3).rename_axis("month")
    counts = tw["narrative"].value_counts()
    ev = (f"{100 * share:.0f}% of tweets cheer ({', '.join(f'{k} {int(counts.get(k, 0))}' for k in lex)}); "
          f"{len(flag)} accounts with >= {min_tweets} tweets devote >= {100 * min_share:.0f}% of them to it")
    return Finding("cheerleading", True, ev, flag, tw.loc[tw["narrative"].notna(), ["tweetid", "userid", "narrative"]],
                   table, roles=CAMPAIGN_ROLES)


def engagement(data: CaseData, min_tweets: int = 10, max_per_tweet: float = 1.0) -> Finding:
    """Who listens? Likes and retweets per own (non-retweet) tweet per account, and how much of the
    retweets an account received came from accounts of the same release (internal share, measurable
    when retweets name the retweeted account). Flags accounts with >= ``min_tweets`` own tweets and
    fewer than ``max_per_tweet`` likes + retweets per tweet."""
    tw = data.tweets
    own = tw[tw["tweet_kind"] != "retweet"]
    if own.empty:
        return not_applicable("low engagement", "the release has no own (non-retweet) tweets", CAMPAIGN_ROLES)
    per = own.groupby("userid").agg(own_tweets=("tweetid", "size"), likes=("like_count", "sum"),
                                    retweets=("retweet_count", "sum"))
    members = set(data.accounts["userid"])
    rts = tw[(tw["tweet_kind"] == "retweet") & tw["rt_userid"].isin(members)]
    per["internal_retweets"] = rts.groupby("rt_userid").size().reindex(per.index).fillna(0).astype(int)
    per["engagement_per_tweet"] = ((per["likes"] + per["retweets"]) / per["own_tweets"]).round(3)
    denom = np.maximum(per["retweets"], per["internal_retweets"])
    per["internal_share"] = (per["internal_retweets"] / denom.where(denom > 0)).round(3)
    flag = per[(per["own_tweets"] >= min_tweets) & (per["engagement_per_tweet"] < max_per_tweet)].reset_index()
    received = int(per["retweets"].sum())
    internal = int(per["internal_retweets"].sum())
    ev = (f"median {per['engagement_per_tweet'].median():.2f} likes + retweets per own tweet; "
          f"{len(flag)} of {int((per['own_tweets'] >= min_tweets).sum())} accounts with >= {min_tweets} own tweets "
          f"get < {max_per_tweet:g}; ")
    got = max(received, internal)
    ev += (f"{internal} of the {got} retweets they received ({100 * internal / got:.0f}%) came from the release "
           "itself" if got else "nobody retweeted them")
    return Finding("low engagement", True, ev, flag, table=per.reset_index(), roles=CAMPAIGN_ROLES)


def commercial_cluster(data: CaseData, window: float = 600, min_weight: int = 2, min_size: int = 3,
                       min_external: float = 0.5, min_bursts: int = 5, burst_size: int = 3,
                       seed: int = 2020) -> Finding:
    """Retweet-for-hire: Louvain communities of the co-retweet network (``coordination.co_retweet``)
    whose members retweet the *same outside* sources in bursts: >= ``min_external`` of their retweets
    point outside the release and >= ``min_bursts`` tweets were retweeted by >= ``burst_size`` members
    within ``window`` seconds."""
    tw = data.tweets
    rt = tw[tw["tweet_kind"] == "retweet"]
    if rt.empty:
        return not_applicable("retweet-for-hire", "the release has no retweets", ("commercial",))
    edges = co_retweet(tw, window, min_weight)
    if edges.empty:
        return not_applicable("retweet-for-hire", f"no two accounts co-retweeted {min_weight}+ tweets within "
                                                  f"{window:g} s", ("commercial",))
    comm = communities(edges, seed=seed)
    members = set(data.accounts["userid"])
    key = rt["retweet_tweetid"].fillna(rt["text_norm"])
    rows, flagged = [], []
    for c, users in comm.groupby(comm).groups.items():
        users = sorted(users)
        if len(users) < min_size:
            continue
        mine = rt[rt["userid"].isin(users)]
        external = float((~mine["rt_userid"].isin(members)).mean())
        k = key.loc[mine.index]
        first = mine.groupby(k)["tweet_time"].transform("min")
        fast = mine[(mine["tweet_time"] - first).dt.total_seconds() <= window]
        bursts = int((fast.groupby(key.loc[fast.index])["userid"].nunique() >= burst_size).sum())
        sources = mine["rt_userid"].fillna(mine["rt_screen_name"]).nunique()
        hit = external >= min_external and bursts >= min_bursts
        rows.append({"community": int(c), "accounts": len(users), "retweets": len(mine), "sources": int(sources),
                     "external_share": round(external, 3), "bursts": bursts, "retweet_for_hire": hit})
        if hit:
            flagged += [{"userid": u, "community": int(c)} for u in users]
    table = pd.DataFrame(rows, columns=["community", "accounts", "retweets", "sources", "external_share", "bursts",
                                        "retweet_for_hire"])
    flag = pd.DataFrame(flagged, columns=["userid", "community"])
    hits = table[table["retweet_for_hire"]]
    ev = (f"{len(table)} co-retweet communities of >= {min_size} accounts; {len(hits)} retweet mostly outside "
          f"sources (>= {100 * min_external:.0f}%) in >= {min_bursts} bursts of >= {burst_size} accounts within "
          f"{window:g} s")
    if len(hits):
        ev += ": " + "; ".join(f"community {r.community}: {r.accounts} accounts, {r.bursts} bursts, {r.sources} "
                               f"sources, {100 * r.external_share:.0f}% external" for r in hits.itertuples())
    return Finding("retweet-for-hire", True, ev, flag, table=table, roles=("commercial",))
