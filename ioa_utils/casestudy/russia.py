"""Russia chapter detectors: accounts posing as official offices, cheerleading for Putin and United
Russia, engagement that only the network provides, and the commercial retweet-for-hire cluster. Each
works on any release. Tweets stay in DuckDB (``CaseData.query``): only per-account, per-month and
per-community tables reach pandas; co-retweet edges and communities come from the coordination stage."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..coordination import stage as cstage
from ..coordination.traces import DEFAULTS as COORDINATION
from ..coordination.traces import Params, window_of
from .base import CAMPAIGN_ROLES, CaseData, Finding, not_applicable
from .campaign import DEFAULTS, Campaign
from .lexicon import OFFICIAL_KEYWORDS
from .narratives import keyword_regex, labelled_sql, lexicon_of, name_of, tokenize_keywords, tokens_sql

_CHEER, _ENGAGE, _HIRE = DEFAULTS["cheerleading"], DEFAULTS["engagement"], DEFAULTS["retweet_for_hire"]


def _token_patterns(keywords: dict[str, tuple[str, ...]]) -> list[tuple[str, str, re.Pattern]]:
    """``(language, keyword, pattern)``: each keyword as a pattern on a :func:`.narratives.tokens_sql` string."""
    tokenize_keywords(w for words in keywords.values() for w in words)  # one query for all of them
    out = []
    for lang, words in keywords.items():
        for w in words:
            rx = keyword_regex((w,))
            if rx is not None:
                out.append((lang, w, re.compile(rx.replace("''", "'"))))
    return out


def official_posers(data: CaseData, keywords: dict[str, tuple[str, ...]] = OFFICIAL_KEYWORDS) -> Finding:
    """Accounts whose display name or bio names an office: ministries, city bureaus, administrations,
    press services, party branches, "official" (multilingual keyword lists in :mod:`.lexicon`), matched on whole
    tokens like the narratives (a trailing ``*`` marks a stem)."""
    a = data.accounts
    if a["display_name"].isna().all() and a["description"].isna().all():
        return not_applicable("official posers", "no display names or bios in the users file", ("official_poser",))
    import duckdb

    with duckdb.connect() as con:
        con.execute("SET enable_progress_bar = false")
        con.register("a", a[["userid", "display_name", "description"]])
        tok = con.execute(f"SELECT userid, {tokens_sql('display_name')} AS name, {tokens_sql('description')} AS bio "
                          "FROM a").df().set_index("userid")
    patterns = _token_patterns(keywords)
    # any keyword at all: one search per text with the patterns' alternation, then each pattern on the matches only
    anyone = re.compile("|".join(f"(?:{rx.pattern})" for _, _, rx in patterns)) if patterns else None
    tok = tok.reindex(a["userid"])  # each account's row, in the accounts' order
    names, bios = tok["name"].to_numpy(object), tok["bio"].to_numpy(object)
    rows = []
    for k, r in enumerate(a.itertuples(index=False)):
        name, bio = names[k], bios[k]
        if anyone is None or not (anyone.search(name) or anyone.search(bio)):
            continue
        hits = sorted({(lang, w, "name" if rx.search(name) else "bio") for lang, w, rx in patterns
                       if rx.search(name) or rx.search(bio)})
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


def cheerleading(data: CaseData, campaign: str | Campaign = "russia", min_tweets: int = _CHEER["min_tweets"],
                 min_share: float = _CHEER["min_share"],
                 min_release_share: float = _CHEER["min_release_share"]) -> Finding:
    """Share of tweets praising the leader and the ruling party (keyword lexicon of ``campaign``), per
    month and per account; accounts with >= ``min_tweets`` tweets, >= ``min_share`` of them cheerleading,
    are flagged. The labels stay in DuckDB (``tweets`` is ``None``; :func:`.narratives.labelled_sql`: view
    ``labels``)."""
    lex = lexicon_of(campaign)
    # one scan: tweets per (month, label) and per (account, labelled or not)
    counted = data.query(
        "SELECT date_trunc('month', timezone('UTC', tweet_time)) AS month, userid, coalesce(narrative, 'other') "
        f"AS narrative, count(*) AS n FROM ({labelled_sql(campaign, keep_unlabelled=True)}) "
        "GROUP BY GROUPING SETS ((month, narrative), (userid, narrative))")
    monthly = counted[counted["userid"].isna()]
    counts = monthly.groupby("narrative")["n"].sum()
    share = counts.drop("other", errors="ignore").sum() / counts.sum() if len(monthly) else 0.0
    if share < min_release_share:
        return not_applicable("cheerleading", f"{100 * share:.1f}% of tweets use the {name_of(campaign)} cheerleading "
                                              "keywords", CAMPAIGN_ROLES)
    by_acc = counted[counted["userid"].notna()]
    per = by_acc.groupby("userid")["n"].sum().astype(np.int64).rename("n_tweets").sort_index().to_frame()
    cheer = by_acc[by_acc["narrative"] != "other"].groupby("userid")["n"].sum()
    per["cheer_share"] = (cheer.reindex(per.index, fill_value=0) / per["n_tweets"]).round(3)
    flag = per[(per["n_tweets"] >= min_tweets) & (per["cheer_share"] >= min_share)].reset_index()
    monthly = monthly.assign(month=pd.to_datetime(monthly["month"]).astype("datetime64[ns]"))
    table = monthly.pivot_table(index="month", columns="narrative", values="n", aggfunc="sum", fill_value=0)
    table = table.div(table.sum(axis=1), axis=0).round(3)
    table.columns.name = "narrative"
    table.attrs["span"] = [str(t) for t in data.span()]  # figures mark partial first/last months (JSON-safe)
    ev = (f"{100 * share:.0f}% of tweets cheer ({', '.join(f'{k} {int(counts.get(k, 0))}' for k in lex)}); "
          f"{len(flag)} accounts with >= {min_tweets} tweets devote >= {100 * min_share:.0f}% of them to it")
    return Finding("cheerleading", True, ev, flag, None, table, roles=CAMPAIGN_ROLES)


def engagement(data: CaseData, min_tweets: int = _ENGAGE["min_tweets"],
               max_per_tweet: float = _ENGAGE["max_per_tweet"]) -> Finding:
    """Who listens? Likes and retweets per own (non-retweet) tweet per account, and how much of the
    retweets an account received came from accounts of the same release (internal share, measurable
    when retweets name the retweeted account). Flags accounts with >= ``min_tweets`` own tweets and
    fewer than ``max_per_tweet`` likes + retweets per tweet."""
    per = data.query(
        "WITH own AS (SELECT userid, count(*) AS own_tweets, coalesce(sum(like_count), 0) AS likes, "
        "coalesce(sum(retweet_count), 0) AS retweets FROM tweets WHERE tweet_kind IS DISTINCT FROM 'retweet' "
        "GROUP BY userid), "
        "internal AS (SELECT rt_userid AS userid, count(*) AS internal_retweets FROM tweets "
        "WHERE tweet_kind = 'retweet' AND rt_userid IN (SELECT userid FROM accounts) GROUP BY rt_userid) "
        "SELECT own.*, coalesce(internal_retweets, 0) AS internal_retweets FROM own LEFT JOIN internal "
        "USING (userid) ORDER BY userid").set_index("userid")
    if per.empty:
        return not_applicable("low engagement", "the release has no own (non-retweet) tweets", CAMPAIGN_ROLES)
    per = per.astype(np.int64)
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


def community_retweets(data: CaseData, members: pd.DataFrame, window: float, burst_size: int) -> pd.DataFrame:
    """Per community (``members``: ``userid, community``), computed in DuckDB: its members' ``retweets``,
    distinct retweeted ``sources``, the ``external_share`` pointing outside the release, and ``bursts``:
    retweeted tweets (``retweet_tweetid``, else the text) that >= ``burst_size`` members retweeted within
    ``window`` seconds of the community's first retweet of it."""
    return data.query(
        "WITH m AS (SELECT unnest(?::VARCHAR[]) AS userid, unnest(?::BIGINT[]) AS community), "
        "rt AS (SELECT m.community, t.userid, t.tweet_time, coalesce(t.rt_userid, t.rt_screen_name) AS source, "
        "t.rt_userid IN (SELECT userid FROM accounts) AS internal, coalesce(t.retweet_tweetid, t.text_norm) AS k "
        "FROM tweets t JOIN m USING (userid) WHERE t.tweet_kind = 'retweet'), "
        "fast AS (SELECT community, k, count(DISTINCT userid) AS n FROM (SELECT *, min(tweet_time) OVER "
        "(PARTITION BY community, k) AS first FROM rt WHERE k IS NOT NULL) "
        "WHERE epoch(tweet_time) - epoch(first) <= ? GROUP BY community, k), "
        "per AS (SELECT community, count(*) AS retweets, count(DISTINCT source) AS sources, "
        "avg(CASE WHEN internal THEN 0.0 ELSE 1.0 END) AS external_share FROM rt GROUP BY community) "
        "SELECT per.*, coalesce(b.bursts, 0) AS bursts FROM per LEFT JOIN (SELECT community, "
        "count(*) FILTER (WHERE n >= ?) AS bursts FROM fast GROUP BY community) b USING (community) "
        "ORDER BY community",
        [members["userid"].astype(str).tolist(), members["community"].astype(np.int64).tolist(), window, burst_size])


def commercial_cluster(data: CaseData, params: Params = COORDINATION, min_size: int = _HIRE["min_size"],
                       min_external: float = _HIRE["min_external"], min_bursts: int = _HIRE["min_bursts"],
                       burst_size: int = _HIRE["burst_size"]) -> Finding:
    """Retweet-for-hire: the Louvain communities of the co-retweet network (coordination stage: tables
    ``edges/co_retweet`` and ``communities``, window ``params.window_retweet``) whose members retweet the
    *same outside* sources in bursts: >= ``min_external`` of their retweets point outside the release and
    >= ``min_bursts`` tweets were retweeted by >= ``burst_size`` members within the window."""
    if not data.query("SELECT count(*) AS n FROM (SELECT 1 FROM tweets WHERE tweet_kind = 'retweet' LIMIT 1)")["n"][0]:
        return not_applicable("retweet-for-hire", "the release has no retweets", ("commercial",))
    window = window_of("co_retweet", params)
    edges = cstage.read(data.release, "edges/co_retweet", data.work_dir, params)
    if edges.empty:
        return not_applicable("retweet-for-hire", f"no two accounts co-retweeted {params.min_weight}+ tweets "
                                                  f"within {window:g} s", ("commercial",))
    comm = cstage.read(data.release, "communities", data.work_dir, params)
    comm = comm[comm["trace"] == "co_retweet"]
    size = comm.groupby("community")["userid"].transform("size")
    members = comm.loc[size >= min_size, ["userid", "community"]]
    cols = ["community", "accounts", "retweets", "sources", "external_share", "bursts", "retweet_for_hire"]
    table = pd.DataFrame(columns=cols)
    if len(members):
        per = community_retweets(data, members, window, burst_size)
        per["accounts"] = per["community"].map(members.groupby("community").size())
        per["external_share"] = per["external_share"].astype(float).round(3)
        per["retweet_for_hire"] = (per["external_share"] >= min_external) & (per["bursts"] >= min_bursts)
        table = per[cols].astype({"community": np.int64, "accounts": np.int64, "retweets": np.int64,
                                  "sources": np.int64, "bursts": np.int64}).reset_index(drop=True)
    hits = table[table["retweet_for_hire"].astype(bool)]
    flag = members[members["community"].isin(hits["community"])].sort_values(["community", "userid"])
    ev = (f"{len(table)} co-retweet communities of >= {min_size} accounts; {len(hits)} retweet mostly outside "
          f"sources (>= {100 * min_external:.0f}%) in >= {min_bursts} bursts of >= {burst_size} accounts within "
          f"{window:g} s")
    if len(hits):
        ev += ": " + "; ".join(f"community {r.community}: {r.accounts} accounts, {r.bursts} bursts, {r.sources} "
                               f"sources, {100 * r.external_share:.0f}% external" for r in hits.itertuples())
    return Finding("retweet-for-hire", True, ev, flag.reset_index(drop=True), table=table, roles=("commercial",))
