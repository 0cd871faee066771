"""Turkey chapter detectors: political retweet rings, compromised accounts (change-points), batches of
single-issue accounts, and promotion of the ruling party vs attacks on the opposition. Each works on
any release."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..coordination.groups import retweet_rings
from .base import CaseData, Finding, label_narratives, not_applicable
from .china import narratives
from .lexicon import ATTACK, NARRATIVES, PROMOTION

ALL_NARRATIVES = {f"{c}:{k}": v for c, lex in NARRATIVES.items() for k, v in lex.items()}


def rings(data: CaseData, max_delay: float = 600, min_weight: int = 2, min_size: int = 3, min_density: float = 0.5,
          seed: int = 2020) -> Finding:
    """Retweet rings (``coordination.groups.retweet_rings``): groups that retweet *each other* within
    ``max_delay`` seconds, reciprocally, at least ``min_weight`` times per pair."""
    if not (data.tweets["tweet_kind"] == "retweet").any():
        return not_applicable("retweet rings", "the release has no retweets", ("ring",))
    r = retweet_rings(data.tweets, max_delay, min_weight, min_size, min_density, seed)
    sizes = r.drop_duplicates("ring")
    ev = (f"{r['ring'].nunique()} rings of accounts retweeting each other within {max_delay:g} s "
          f"(>= {min_weight} each way): sizes {', '.join(map(str, sizes['ring_size']))}, density "
          f"{', '.join(f'{d:.2f}' for d in sizes['density'])}" if len(r) else
          f"no group of >= {min_size} accounts retweets each other within {max_delay:g} s")
    return Finding("retweet rings", True, ev, r.reset_index(drop=True), roles=("ring",))


def _best_split(counts: np.ndarray, months: np.ndarray, min_before: int, min_after: int,
                min_months_before: int) -> tuple[int, float]:
    """Split index (first month of "after") maximizing the total-variation distance between the
    category distributions before and after, under the size constraints; (-1, 0) if none qualifies."""
    cum = np.cumsum(counts, axis=0)[:-1]
    total = counts.sum(axis=0)
    after = total - cum
    nb, na = cum.sum(axis=1), after.sum(axis=1)
    ok = (nb >= min_before) & (na >= min_after) & ((months[1:] - months[0]) >= min_months_before)
    if not ok.any():
        return -1, 0.0
    with np.errstate(invalid="ignore", divide="ignore"):
        tv = 0.5 * np.abs(cum / nb[:, None] - after / na[:, None]).sum(axis=1)
    tv = np.where(ok, tv, -1.0)
    i = int(np.argmax(tv))
    return i + 1, float(tv[i])


def compromised(data: CaseData, min_before: int = 20, min_after: int = 20, min_months_before: int = 6,
                min_change: float = 0.6) -> Finding:
    """Accounts with a long ordinary history and then an abrupt change: for each account, the month
    that best splits its tweets into a "before" and an "after" whose distributions of language, client
    and narrative (keyword lexicon, "other" when none) differ most (total-variation distance, averaged
    over the three). Flagged when the change is >= ``min_change`` with >= ``min_before`` tweets over
    >= ``min_months_before`` months before and >= ``min_after`` tweets after."""
    tw = data.tweets
    feats = pd.DataFrame({"userid": tw["userid"],
                          "month": tw["tweet_time"].dt.year * 12 + tw["tweet_time"].dt.month - 1,
                          "language": tw["tweet_language"].fillna("und"), "client": tw["client"].fillna("unknown"),
                          "narrative": label_narratives(tw, ALL_NARRATIVES).fillna("other")})
    n = feats.groupby("userid").size()
    cand = n.index[n >= min_before + min_after]
    if len(cand) == 0:
        return not_applicable("compromised accounts", f"no account has {min_before + min_after} tweets",
                              ("compromised",))
    rows = []
    for uid, g in feats[feats["userid"].isin(cand)].groupby("userid", sort=True):
        months = np.sort(g["month"].unique())
        tables = {f: pd.crosstab(g["month"], g[f]).reindex(months, fill_value=0) for f in ("language", "client",
                                                                                          "narrative")}
        stacked = np.hstack([t.to_numpy() for t in tables.values()])
        # each tweet is counted once per feature: the TV of the stacked counts is the mean of the three
        split, _ = _best_split(stacked, months, 3 * min_before, 3 * min_after, min_months_before)
        if split < 0:
            continue
        row = {"userid": uid, "switch_month": f"{months[split] // 12}-{months[split] % 12 + 1:02d}"}
        for f, t in tables.items():
            b, a = t.iloc[:split].sum(), t.iloc[split:].sum()
            row[f"{f}_change"] = round(float(0.5 * np.abs(b / b.sum() - a / a.sum()).sum()), 3)
            row[f"{f}_before"], row[f"{f}_after"] = b.idxmax(), a.idxmax()
        row["change"] = round(np.mean([row[f"{f}_change"] for f in tables]), 3)
        row["tweets_before"], row["tweets_after"] = int(t.iloc[:split].sum().sum()), int(t.iloc[split:].sum().sum())
        rows.append(row)
    table = pd.DataFrame(rows)
    if table.empty:
        return not_applicable("compromised accounts", f"no account has {min_before} tweets over "
                                                      f"{min_months_before}+ months and {min_after} after",
                              ("compromised",))
    flag = table[table["change"] >= min_change].reset_index(drop=True)
    ev = (f"{len(table)} accounts have enough history to test; {len(flag)} change abruptly (mean change of "
          f"language, client and narrative >= {min_change:g})")
    if len(flag):
        ch = flag.groupby(["language_before", "language_after"]).size()
        ev += ": " + ", ".join(f"{b}->{a} {c}" for (b, a), c in ch.items())
    return Finding("compromised accounts", True, ev, flag, table=table, roles=("compromised",))


def creation_batches(accounts: pd.DataFrame, gap_days: int = 2, min_batch: int = 5) -> pd.DataFrame:
    """Accounts created in batches: consecutive creation dates at most ``gap_days`` apart form a batch;
    batches of >= ``min_batch`` accounts are returned as ``userid, batch, batch_start, batch_size``."""
    a = accounts[["userid", "account_creation_date"]].dropna().copy()
    a["day"] = pd.to_datetime(a["account_creation_date"])
    a = a.sort_values(["day", "userid"]).reset_index(drop=True)
    a["batch"] = (a["day"].diff().dt.days.fillna(gap_days + 1) > gap_days).cumsum()
    size = a.groupby("batch")["userid"].transform("size")
    a = a[size >= min_batch].assign(batch_size=size[size >= min_batch])
    a["batch_start"] = a.groupby("batch")["day"].transform("min").dt.date
    a["batch"] = a["batch"].rank(method="dense").astype(int)
    return a[["userid", "batch", "batch_start", "batch_size"]].reset_index(drop=True)


def issue_focus(data: CaseData, min_labelled: int = 5) -> pd.DataFrame:
    """Per account: its main issue and that issue's share of its labelled tweets. Issues are the keyword
    narratives of all campaigns; when fewer than 1% of tweets carry one and topics exist, topics."""
    tw = data.tweets
    label = label_narratives(tw, ALL_NARRATIVES)
    source = "narrative"
    if label.notna().mean() < 0.01 and data.topics is not None:
        t = data.topics.set_index("tweetid")["topic"]
        label = tw["tweetid"].map(t).where(lambda s: s >= 0).map(lambda x: None if pd.isna(x) else f"topic {int(x)}")
        source = "topic"
    d = pd.DataFrame({"userid": tw["userid"], "issue": label}).dropna()
    c = d.groupby(["userid", "issue"]).size().rename("n").reset_index()
    c = c.sort_values(["userid", "n", "issue"], ascending=[True, False, True])
    top = c.drop_duplicates("userid").set_index("userid")
    out = pd.DataFrame({"labelled": c.groupby("userid")["n"].sum(), "main_issue": top["issue"]})
    out["focus"] = (top["n"] / out["labelled"]).round(3)
    out["issue_source"] = source
    return out[out["labelled"] >= min_labelled].reset_index()


def single_issue_batches(data: CaseData, gap_days: int = 2, min_batch: int = 5, min_focus: float = 0.8,
                         min_labelled: int = 5) -> Finding:
    """Batches of single-issue accounts: created in a batch (:func:`creation_batches`) and devoting
    >= ``min_focus`` of their labelled tweets to one issue (:func:`issue_focus`)."""
    batches = creation_batches(data.accounts, gap_days, min_batch)
    if data.accounts["account_creation_date"].isna().all():
        return not_applicable("single-issue batches", "no account creation dates", ("single_issue",))
    focus = issue_focus(data, min_labelled)
    m = batches.merge(focus, on="userid", how="inner")
    flag = m[m["focus"] >= min_focus].reset_index(drop=True)
    per_batch = flag.groupby(["batch", "batch_start"]).agg(accounts=("userid", "size"),
                                                           issue=("main_issue", lambda s: s.value_counts().index[0]))
    ev = (f"{batches['batch'].nunique()} creation batches (>= {min_batch} accounts within {gap_days}-day gaps, "
          f"{len(batches)} accounts); {len(flag)} of their accounts focus >= {100 * min_focus:.0f}% on one issue")
    if len(per_batch):
        ev += ": " + "; ".join(f"{r.accounts} created from {r.Index[1]} on {r.issue}" for r in per_batch.itertuples())
    return Finding("single-issue batches", True, ev, flag, table=batches, roles=("single_issue",))


def party_messaging(data: CaseData, campaign: str = "turkey", min_share: float = 0.05) -> Finding:
    """Promotion of the ruling party vs attacks on the opposition (keyword lexicon of ``campaign``):
    the narratives per month plus ``promotion`` and ``attack`` shares of each month's tweets."""
    f = narratives(data, campaign, min_share, peak=None, name="party messaging")
    if not f.applicable:
        return f
    t = f.table
    promo = [c for c in PROMOTION.get(campaign, ()) if c in t]
    attack = [c for c in ATTACK.get(campaign, ()) if c in t]
    t["promotion share"] = (t[promo].sum(axis=1) / t["all tweets"].where(t["all tweets"] > 0)).round(3)
    t["attack share"] = (t[attack].sum(axis=1) / t["all tweets"].where(t["all tweets"] > 0)).round(3)
    tot = t[promo + attack].sum()
    if tot.sum():
        f.evidence += (f"; promotion {100 * tot[promo].sum() / t['all tweets'].sum():.0f}% vs attacks "
                       f"{100 * tot[attack].sum() / t['all tweets'].sum():.0f}% of all tweets")
    return f
