"""Turkey chapter detectors: political retweet rings, compromised accounts (change-points), batches of
single-issue accounts, and promotion of the ruling party vs attacks on the opposition. Each works on
any release. Tweets stay in DuckDB (``CaseData.query``): only per-account and per-account-month counts
reach pandas; rings come from the coordination stage (``coordination.stage``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..coordination import stage as cstage
from ..coordination.traces import DEFAULTS as COORDINATION
from ..coordination.traces import Params, ring_params
from .base import CaseData, Finding, not_applicable
from .campaign import DEFAULTS, Campaign
from .campaign import load as load_campaign
from .labels import ALL, all_narratives, column
from .narratives import narratives

_COMPROMISED, _BATCHES = DEFAULTS["compromised"], DEFAULTS["single_issue_batches"]

ALL_NARRATIVES = all_narratives()
# what the change-point test compares before and after the switch: column -> (view, SQL value, NULL replaced)
FEATURES = {"language": ("tweets", "coalesce(tweet_language, 'und')"),
            "client": ("tweets", "coalesce(client, 'unknown')"),
            "narrative": ("labels", f"coalesce({column(ALL)}, 'other')")}


def has_retweets(data: CaseData) -> bool:
    return bool(data.query("SELECT count(*) AS n FROM (SELECT 1 FROM tweets WHERE tweet_kind = 'retweet' LIMIT 1)")
                ["n"].iloc[0])


def rings(data: CaseData, params: Params = COORDINATION) -> Finding:
    """Retweet rings of the coordination stage (table ``rings``: ``groups.retweet_rings`` with the
    thresholds of ``coordination.traces.ring_params``): groups that retweet *each other* within
    ``max_delay`` seconds, reciprocally, at least ``min_weight`` times per pair."""
    if not has_retweets(data):
        return not_applicable("retweet rings", "the release has no retweets", ("ring",))
    p = ring_params(params)
    r = cstage.read(data.release, "rings", data.work_dir, params)
    sizes = r.drop_duplicates("ring")
    ev = (f"{r['ring'].nunique()} rings of accounts retweeting each other within {p['max_delay']:g} s "
          f"(>= {p['min_weight']} each way): sizes {', '.join(map(str, sizes['ring_size']))}, density "
          f"{', '.join(f'{d:.2f}' for d in sizes['density'])}" if len(r) else
          f"no group of >= {p['min_size']} accounts retweets each other within {p['max_delay']:g} s")
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


def monthly_features(data: CaseData, min_tweets: int = 1) -> pd.DataFrame:
    """Tweets per account, month (``year * 12 + month - 1``, UTC) and value of each of :data:`FEATURES`
    (``userid, month, feature, value, n``; accounts with >= ``min_tweets`` tweets), counted in DuckDB (the
    narrative from the view ``labels``, so no tweet is tokenised here)."""
    month = "year(tweet_time) * 12 + month(tweet_time) - 1"
    parts = " UNION ALL ".join(
        f"SELECT userid, {month} AS month, '{f}' AS feature, {sql} AS value, count(*) AS n FROM {view} "
        f"WHERE userid IN (SELECT userid FROM users) GROUP BY ALL" for f, (view, sql) in FEATURES.items())
    agg = data.query(
        "WITH users AS (SELECT userid FROM tweets GROUP BY userid HAVING count(*) >= ?) "
        f"SELECT * FROM ({parts}) ORDER BY userid, month, feature, value", [min_tweets])
    agg["month"] = agg["month"].astype(np.int64)
    agg["n"] = agg["n"].astype(np.int64)
    return agg


def _switch(uid: str, month: np.ndarray, col: np.ndarray, n: np.ndarray, columns: list[tuple[int, str]],
            min_before: int, min_after: int, min_months_before: int) -> dict | None:
    """The best change-point of one account from its rows of :func:`monthly_features` (``None``: none
    qualifies): the before/after distributions of every feature, their changes and the mean change. ``col``:
    each row's index into ``columns``, every (feature index in FEATURES order, value) of the table, sorted."""
    months, mi = np.unique(month, return_inverse=True)
    # columns: every (feature, value) the account used, features in FEATURES order, values sorted
    used, ci = np.unique(col, return_inverse=True)
    cols = [columns[j] for j in used]
    counts = np.zeros((len(months), len(cols)), dtype=np.int64)
    np.add.at(counts, (mi, ci), n)
    # each tweet is counted once per feature: the TV of the stacked counts is the mean of the three
    split, _ = _best_split(counts, months, len(FEATURES) * min_before, len(FEATURES) * min_after, min_months_before)
    if split < 0:
        return None
    row = {"userid": uid, "switch_month": f"{months[split] // 12}-{months[split] % 12 + 1:02d}"}
    for i, f in enumerate(FEATURES):
        idx = [j for j, (k, _) in enumerate(cols) if k == i]
        names = [cols[j][1] for j in idx]
        b, a = counts[:split, idx].sum(axis=0), counts[split:, idx].sum(axis=0)
        row[f"{f}_change"] = round(float(0.5 * np.abs(b / b.sum() - a / a.sum()).sum()), 3)
        row[f"{f}_before"], row[f"{f}_after"] = names[int(np.argmax(b))], names[int(np.argmax(a))]
    row["change"] = round(np.mean([row[f"{f}_change"] for f in FEATURES]), 3)
    row["tweets_before"], row["tweets_after"] = int(b.sum()), int(a.sum())
    return row


def _switches(feats: pd.DataFrame, min_before: int, min_after: int, min_months_before: int) -> list[dict]:
    """:func:`_switch` of every account of ``feats`` (sorted by userid), its (feature, value) pairs coded once."""
    order = {f: i for i, f in enumerate(FEATURES)}
    pair = list(zip(feats["feature"].map(order), feats["value"], strict=True))
    columns = sorted(set(pair))
    code = {c: j for j, c in enumerate(columns)}
    col = np.fromiter((code[c] for c in pair), np.int64, len(pair))
    users, month, n = feats["userid"].to_numpy(object), feats["month"].to_numpy(), feats["n"].to_numpy()
    uid, inv = np.unique(users, return_inverse=True)
    by = np.argsort(inv, kind="stable")
    bounds = np.r_[0, np.cumsum(np.bincount(inv, minlength=len(uid)))]
    rows = []
    for k, u in enumerate(uid):
        r = by[bounds[k]:bounds[k + 1]]
        if (row := _switch(u, month[r], col[r], n[r], columns, min_before, min_after, min_months_before)) is not None:
            rows.append(row)
    return rows


def compromised(data: CaseData, min_before: int = _COMPROMISED["min_before"],
                min_after: int = _COMPROMISED["min_after"], min_months_before: int = _COMPROMISED["min_months_before"],
                min_change: float = _COMPROMISED["min_change"]) -> Finding:
    """Accounts with a long ordinary history and then an abrupt change: for each account, the month
    that best splits its tweets into a "before" and an "after" whose distributions of language, client
    and narrative (keyword lexicon, "other" when none) differ most (total-variation distance, averaged
    over the three). Flagged when the change is >= ``min_change`` with >= ``min_before`` tweets over
    >= ``min_months_before`` months before and >= ``min_after`` tweets after. The counts per account,
    month and value are aggregated in DuckDB; the split search runs on that small table."""
    feats = monthly_features(data, min_before + min_after)
    if feats.empty:
        return not_applicable("compromised accounts", f"no account has {min_before + min_after} tweets",
                              ("compromised",))
    rows = _switches(feats, min_before, min_after, min_months_before)
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


def switch_series(data: CaseData, f: Finding, n: int = 4, column: str = "tweet_language") -> pd.DataFrame:
    """Tweets per month (naive UTC month start) and value of ``column`` of the first ``n`` accounts a
    compromised-accounts finding flagged: ``userid, month, <column>, tweets`` (for ``figures.fig_switches``)."""
    users = f.flagged[:n]
    out = data.query(f'SELECT userid, date_trunc(\'month\', timezone(\'UTC\', tweet_time)) AS month, "{column}", '
                     "count(*) AS tweets FROM tweets WHERE list_contains(?, userid) GROUP BY ALL "
                     f'ORDER BY userid, month, "{column}"', [users])
    out["month"] = pd.to_datetime(out["month"]).astype("datetime64[ns]")
    return out


def creation_batches(accounts: pd.DataFrame, gap_days: int = _BATCHES["gap_days"],
                     min_batch: int = _BATCHES["min_batch"]) -> pd.DataFrame:
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


def issue_counts(data: CaseData, users: list[str] | None = None) -> tuple[pd.DataFrame, str]:
    """Tweets per account and issue (``userid, issue, n``) of ``users`` (``None``: every account), and where
    the issues come from: the keyword narratives of all campaigns; when fewer than 1% of those accounts'
    tweets carry one and topics exist, topics. Labels come from the view ``labels`` (:mod:`.labels`)."""
    where, params = ("", []) if users is None else ("WHERE userid IN (SELECT unnest(?::VARCHAR[]))", [users])
    c = data.query(f"SELECT userid, {column(ALL)} AS issue, count(*) AS n FROM labels {where} GROUP BY ALL",
                   params)
    share = c.loc[c["issue"].notna(), "n"].sum() / max(int(c["n"].sum()), 1)
    if share >= 0.01 or not data.has_topics:
        return c.dropna(subset=["issue"]), "narrative"
    t = data.query("SELECT t.userid, 'topic ' || p.topic AS issue, count(*) AS n FROM tweets t "
                   f"JOIN topics p USING (tweetid) {where.replace('userid', 't.userid', 1)} "
                   f"{'AND' if where else 'WHERE'} p.topic >= 0 GROUP BY ALL", params)
    return t, "topic"


def issue_focus(data: CaseData, min_labelled: int = _BATCHES["min_labelled"],
                users: list[str] | None = None) -> pd.DataFrame:
    """Per account (of ``users``; ``None``: all): its main issue and that issue's share of its labelled
    tweets (:func:`issue_counts`)."""
    c, source = issue_counts(data, users)
    c = c.assign(n=c["n"].astype(np.int64)).sort_values(["userid", "n", "issue"], ascending=[True, False, True])
    top = c.drop_duplicates("userid").set_index("userid")
    out = pd.DataFrame({"labelled": c.groupby("userid")["n"].sum(), "main_issue": top["issue"]})
    out["focus"] = (top["n"] / out["labelled"]).round(3)
    out["issue_source"] = source
    return out[out["labelled"] >= min_labelled].reset_index()


def single_issue_batches(data: CaseData, gap_days: int = _BATCHES["gap_days"], min_batch: int = _BATCHES["min_batch"],
                         min_focus: float = _BATCHES["min_focus"],
                         min_labelled: int = _BATCHES["min_labelled"]) -> Finding:
    """Batches of single-issue accounts: created in a batch (:func:`creation_batches`) and devoting
    >= ``min_focus`` of their labelled tweets to one issue (:func:`issue_focus`)."""
    if data.accounts["account_creation_date"].isna().all():
        return not_applicable("single-issue batches", "no account creation dates", ("single_issue",))
    batches = creation_batches(data.accounts, gap_days, min_batch)
    # only accounts created in a batch can be flagged: only their labels are counted
    focus = issue_focus(data, min_labelled, batches["userid"].tolist())
    m = batches.merge(focus, on="userid", how="inner")
    flag = m[m["focus"] >= min_focus].reset_index(drop=True)
    per_batch = flag.groupby(["batch", "batch_start"]).agg(accounts=("userid", "size"),
                                                           issue=("main_issue", lambda s: s.value_counts().index[0]))
    ev = (f"{batches['batch'].nunique()} creation batches (>= {min_batch} accounts within {gap_days}-day gaps, "
          f"{len(batches)} accounts); {len(flag)} of their accounts focus >= {100 * min_focus:.0f}% on one issue")
    if len(per_batch):
        ev += ": " + "; ".join(f"{r.accounts} created from {r.Index[1]} on {r.issue}" for r in per_batch.itertuples())
    return Finding("single-issue batches", True, ev, flag, table=batches, roles=("single_issue",))


def party_messaging(data: CaseData, campaign: str | Campaign = "turkey",
                    min_share: float = DEFAULTS["party_messaging"]["min_share"]) -> Finding:
    """Promotion of the ruling party vs attacks on the opposition (keyword lexicon of ``campaign``, a campaign
    name or file, whose ``promotion`` and ``attack`` lists group its narratives): the narratives per month
    (:func:`.narratives.narratives`) plus ``promotion`` and ``attack`` shares of each month's tweets."""
    camp = load_campaign(campaign)
    f = narratives(data, camp, min_share, peak=None, name="party messaging")
    if not f.applicable:
        return f
    t = f.table
    promo = [c for c in camp.promotion if c in t]
    attack = [c for c in camp.attack if c in t]
    t["promotion share"] = (t[promo].sum(axis=1) / t["all tweets"].where(t["all tweets"] > 0)).round(3)
    t["attack share"] = (t[attack].sum(axis=1) / t["all tweets"].where(t["all tweets"] > 0)).round(3)
    tot = t[promo + attack].sum()
    if tot.sum():
        f.evidence += (f"; promotion {100 * tot[promo].sum() / t['all tweets'].sum():.0f}% vs attacks "
                       f"{100 * tot[attack].sum() / t['all tweets'].sum():.0f}% of all tweets")
    return f
